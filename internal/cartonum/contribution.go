package cartonum

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// ProposalType is what a contribution asks for.
type ProposalType string

// Proposal types, as the API names them.
const (
	ProposalAdd    ProposalType = "ajout"        // a new place
	ProposalEdit   ProposalType = "modification" // new values for fields of a place
	ProposalReport ProposalType = "signalement"  // a problem with a place (closed, moved…)
)

// ProposalStatus is where a proposal stands.
type ProposalStatus string

// Proposal statuses, as the API names them.
const (
	StatusPending  ProposalStatus = "en_attente"
	StatusAccepted ProposalStatus = "acceptee"
	StatusRejected ProposalStatus = "refusee"
)

// Report motives ("motif" of a signalement).
const (
	MotiveClosed  = "ferme"    // the place has closed
	MotiveMoved   = "demenage" // the place has moved
	MotiveHours   = "horaires" // wrong opening hours
	MotiveContact = "contact"  // wrong contact details
	MotiveOther   = "autre"
)

// Motives are the report motives, in the order the form lists them.
var Motives = []string{MotiveClosed, MotiveMoved, MotiveHours, MotiveContact, MotiveOther}

// Proposal is one contribution waiting for, or having had, a moderator's
// decision. It is written by anonymous contributors (Origin "") or by an
// import whose newer source value differs from a moderator's correction
// (Origin "source").
type Proposal struct {
	ID    int64        `json:"id"`
	Type  ProposalType `json:"type"`
	Place string       `json:"lieu,omitempty"` // the place's id: modification and signalement
	// Fields are the proposed values named as the standard's columns (plus
	// the extra columns equipements and qualifications); lists are JSON
	// arrays, other values strings.
	Fields  map[string]json.RawMessage `json:"champs,omitempty"`
	Motive  string                     `json:"motif,omitempty"`
	Comment string                     `json:"commentaire,omitempty"`
	// Email is the contributor's address: never published, shown to
	// moderators only.
	Email string `json:"-"`
	// Token is the secret of the tracking page (/propositions/<token>):
	// never listed, known only to the contributor.
	Token string `json:"-"`
	// Client is a keyed hash of the contributor's address, for the rate
	// limit; never shown.
	Client string `json:"-"`

	// Origin is "" for a contributor, "source" for a proposal an import
	// made; SourceName is then the source's name and Key a digest of what
	// it proposes, so that importing the same file twice proposes once.
	Origin     string `json:"origine,omitempty"`
	SourceName string `json:"source,omitempty"`
	Key        string `json:"-"`

	// Territory of the proposal, for the moderators' scope: the commune,
	// EPCI and département of the place (or of the proposed position for
	// an ajout), and the point.
	CodeInsee   string  `json:"code_insee,omitempty"`
	EPCI        string  `json:"epci,omitempty"`
	Departement string  `json:"departement,omitempty"`
	Lon         float64 `json:"longitude,omitempty"`
	Lat         float64 `json:"latitude,omitempty"`

	Status    ProposalStatus `json:"statut"`
	Reason    string         `json:"raison,omitempty"` // the moderator's reason, for a refusal
	CreatedAt time.Time      `json:"cree_le"`
	DecidedAt time.Time      `json:"decide_le,omitzero"`
	DecidedBy int64          `json:"-"` // user id of the moderator
	// Result is the id of the place the accepted proposal created or
	// changed.
	Result string `json:"resultat,omitempty"`
}

// Decision closes a pending proposal, in the batch that applies it.
type Decision struct {
	Proposal int64
	Status   ProposalStatus // StatusAccepted or StatusRejected
	Reason   string
	By       int64 // user id
	At       time.Time
	Result   string // place id, for an acceptance
}

// ErrDecided is wrapped by the KindConflict error a store returns when a
// batch decides a proposal that is no longer pending: another moderator
// decided it first.
var ErrDecided = errors.New("cette proposition a déjà été traitée")

// ErrTooMany is wrapped by the errors of rate and quota limits (HTTP 429).
var ErrTooMany = errors.New("trop de demandes")

// ErrUnauthorized is wrapped by errors meaning that no valid session was
// given (HTTP 401); ErrForbidden by those meaning that the session's user
// may not do this (HTTP 403).
var (
	ErrUnauthorized = errors.New("connexion requise")
	ErrForbidden    = errors.New("accès refusé")
)

// Actor says who wrote a batch, for the history of places.
type Actor struct {
	// Kind is "import" or "moderation".
	Kind string `json:"type"`
	// User is the moderator's id and Email the moderator's address (kind
	// moderation); Proposal the proposal the batch applies, if any.
	User     int64  `json:"-"`
	Email    string `json:"-"`
	Proposal int64  `json:"proposition,omitempty"`
}

// Actor kinds.
const (
	ActorImport     = "import"
	ActorModeration = "moderation"
)

// Change is one entry of a place's history: one batch that created,
// changed, closed, reopened or deleted it.
type Change struct {
	ID    int64  `json:"id"`
	Place string `json:"lieu"`
	Batch int64  `json:"lot"`
	// Action is "creation", "modification", "fermeture", "reouverture" or
	// "suppression".
	Action string    `json:"action"`
	At     time.Time `json:"date"`
	// Fields are the standard's columns whose value changed.
	Fields []string `json:"champs"`
	Actor  Actor    `json:"auteur"`
	// Sources are the places files of an import (their base names).
	Sources []string `json:"sources,omitempty"`
	// ModeratorEmail is set for moderators only (the HTTP layer clears it
	// for everybody else).
	ModeratorEmail string `json:"moderateur,omitempty"`
	// Before and After are the place as a JSON object before and after
	// the change (null for a creation or a deletion).
	Before json.RawMessage `json:"avant,omitempty"`
	After  json.RawMessage `json:"apres,omitempty"`
}

// History actions.
const (
	ActionCreate = "creation"
	ActionEdit   = "modification"
	ActionClose  = "fermeture"
	ActionReopen = "reouverture"
	ActionDelete = "suppression"
)

// Override records that a moderator set a field of a place: imports keep
// it against older source values (see README, "History and precedence").
type Override struct {
	Place string          `json:"lieu"`
	Field string          `json:"champ"` // a column of the standard (or an extra column)
	Value json.RawMessage `json:"valeur"`
	At    time.Time       `json:"date"`
	Batch int64           `json:"lot"`
}

// Role is what a user account may do.
type Role string

// Roles.
const (
	RoleModerator Role = "moderateur"
	RoleAdmin     Role = "administrateur"
)

// User is a moderator's or an administrator's account.
type User struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Role  Role   `json:"role"`
	// Departements and EPCIs scope a moderator: proposals whose territory
	// lies in none of them are out of reach. Both empty: a moderator
	// reaches nothing (an administrator reaches everything).
	Departements []string  `json:"departements,omitempty"`
	EPCIs        []string  `json:"epci,omitempty"`
	Disabled     bool      `json:"desactive,omitempty"`
	CreatedAt    time.Time `json:"cree_le"`
	// PasswordHash is the encoded password hash (never serialised).
	PasswordHash string `json:"-"`
}

// Reaches tells whether u may see and decide something located in the
// given département and EPCI.
func (u *User) Reaches(departement, epci string) bool {
	if u.Disabled {
		return false
	}
	if u.Role == RoleAdmin {
		return true
	}
	for _, d := range u.Departements {
		if d != "" && d == departement {
			return true
		}
	}
	for _, e := range u.EPCIs {
		if e != "" && e == epci {
			return true
		}
	}
	return false
}

// Session is a logged-in user's session. The store keeps only a hash of
// its token.
type Session struct {
	TokenHash string
	User      int64
	CSRF      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// ProposalFilter selects proposals for the moderation queue. Zero fields
// select everything.
type ProposalFilter struct {
	Status       ProposalStatus
	Type         ProposalType
	Departements []string // any of them (or EPCIs)
	EPCIs        []string
	All          bool      // no territory restriction (administrators)
	Before       time.Time // created before (age filter)
	Place        string
	Limit        int
}

// ContributionStore keeps proposals, decisions, history, users and
// sessions. Decisions themselves are applied by Store.Apply with a Batch
// that carries Decision, so that a decision and its changes to places land
// together or not at all.
type ContributionStore interface {
	// AddProposal stores p durably (committed before it returns) and
	// returns it with its ID. A proposal whose non-empty Key is already
	// stored is not added again: the stored one is returned.
	AddProposal(ctx context.Context, p Proposal) (Proposal, error)
	Proposal(ctx context.Context, id int64) (Proposal, error)
	ProposalByToken(ctx context.Context, token string) (Proposal, error)
	Proposals(ctx context.Context, f ProposalFilter) ([]Proposal, error)
	// RecentProposals counts the proposals of client since t.
	RecentProposals(ctx context.Context, client string, since time.Time) (int, error)

	// History is the history of a place, oldest first.
	History(ctx context.Context, place string) ([]Change, error)
	// ClosedPlace returns a place closed by moderation (KindNotFound if
	// none): it is out of Load's dataset but can be restored.
	ClosedPlace(ctx context.Context, id string) (Place, error)
	// ClosedPlaces lists them, by id.
	ClosedPlaces(ctx context.Context) ([]Place, error)

	AddUser(ctx context.Context, u User) (User, error) // KindConflict if the e-mail exists
	UserByEmail(ctx context.Context, email string) (User, error)
	UserByID(ctx context.Context, id int64) (User, error)
	Users(ctx context.Context) ([]User, error)
	DisableUser(ctx context.Context, email string) error

	AddSession(ctx context.Context, s Session) error
	// SessionByHash returns an unexpired session of an enabled user.
	SessionByHash(ctx context.Context, hash string, now time.Time) (Session, User, error)
	DeleteSession(ctx context.Context, hash string) error
	// LoginFailures counts the failed logins of key since t; AddLoginFailure
	// records one; ClearLoginFailures forgets key's.
	LoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	AddLoginFailure(ctx context.Context, key string, at time.Time) error
	ClearLoginFailures(ctx context.Context, key string) error

	// Backup writes a consistent copy of the live database to path.
	Backup(ctx context.Context, path string) error
}
