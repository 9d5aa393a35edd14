// Package fragility imports a digital-fragility indicator per commune or
// per IRIS: La MedNum's "indice de fragilité numérique" export, or any CSV
// with an INSEE code and a score, its columns mapped by the caller. IRIS
// scores are averaged per commune (the first five characters of the IRIS
// code), weighted by the IRIS population when a population column is
// mapped. Every row of the file is accounted for: imported, outside the
// region, or rejected with its line and reason; an import that fails
// changes nothing in the store.
package fragility

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"github.com/cartonum/cartonum/internal/cartonum"
)

// Store is what an import needs: the region's communes, and a way to
// replace the scores at once.
type Store interface {
	Communes(ctx context.Context) ([]cartonum.Commune, error)
	ReplaceFragility(ctx context.Context, scores []cartonum.FragilityScore, rec cartonum.FragilityImport) (int64, error)
}

// Report says what became of every row of a file.
type Report struct {
	ID    int64  `json:"id"`
	File  string `json:"fichier"`
	Level string `json:"niveau"`
	// Aggregation says how IRIS scores became communes' scores.
	Aggregation string `json:"agregation"`
	Rows        int    `json:"lignes"`
	Imported    int    `json:"importees"`
	Outside     int    `json:"hors_region"`
	Rejected    int    `json:"rejetees"`
	// Communes is how many of the region's communes received a score, of
	// RegionCommunes.
	Communes       int         `json:"communes"`
	RegionCommunes int         `json:"communes_region"`
	Min            float64     `json:"score_min"`
	Max            float64     `json:"score_max"`
	Mean           float64     `json:"score_moyen"`
	OutsideRows    []Rejection `json:"lignes_hors_region"`
	RejectedRows   []Rejection `json:"lignes_rejetees"`
}

// Import reads a fragility file and replaces the store's scores with its
// communes' scores. name is recorded as the file's name. Rows whose
// commune is not among the store's communes are outside the region when
// their département is not the region's, rejected otherwise (a commune
// merged or renamed since the file was made). It fails, changing nothing,
// when the file cannot be read as mapped or no row is imported.
func Import(ctx context.Context, store Store, name string, r io.Reader, o Options) (*Report, error) {
	if o.Level == "" {
		o.Level = LevelCommune
	}
	rows, rejected, total, err := Read(r, o)
	if err != nil {
		return nil, fmt.Errorf("%s : %w", name, err)
	}
	communes, err := store.Communes(ctx)
	if err != nil {
		return nil, err
	}
	if len(communes) == 0 {
		return nil, errors.New("la base ne contient aucune commune : lancez d'abord cartonum import")
	}
	known := make(map[string]bool, len(communes))
	deps := map[string]bool{}
	for _, c := range communes {
		known[c.Code] = true
		deps[c.CodeDepartement] = true
	}
	rep := &Report{File: name, Level: o.Level, Rows: total, RegionCommunes: len(communes), RejectedRows: rejected,
		OutsideRows: []Rejection{}}
	rep.Aggregation = "aucune (une ligne par commune)"
	if o.Level == LevelIRIS {
		rep.Aggregation = "moyenne des IRIS de la commune"
		if o.PopulationCol != "" {
			rep.Aggregation = "moyenne des IRIS de la commune pondérée par leur population (moyenne simple si elle est nulle)"
		}
	}
	type sum struct {
		ws, w, s float64
		n        int
	}
	sums := map[string]*sum{}
	for _, row := range rows {
		if !known[row.Commune] {
			if deps[departementOf(row.Commune)] {
				rep.RejectedRows = append(rep.RejectedRows, Rejection{Line: row.Line, Code: row.Code,
					Reason: fmt.Sprintf("commune %s absente des communes chargées (fusionnée ou renommée ?)", row.Commune)})
			} else {
				rep.OutsideRows = append(rep.OutsideRows, Rejection{Line: row.Line, Code: row.Code, Reason: "hors des régions chargées"})
			}
			continue
		}
		rep.Imported++
		s := sums[row.Commune]
		if s == nil {
			s = &sum{}
			sums[row.Commune] = s
		}
		s.ws += row.Score * row.Population
		s.w += row.Population
		s.s += row.Score
		s.n++
	}
	slices.SortFunc(rep.RejectedRows, func(a, b Rejection) int { return a.Line - b.Line })
	rep.Outside, rep.Rejected = len(rep.OutsideRows), len(rep.RejectedRows)
	if rep.Imported == 0 {
		return rep, fmt.Errorf("%s : aucune ligne importée (%d hors région, %d rejetées) ; rien n'a changé", name, rep.Outside, rep.Rejected)
	}
	scores := make([]cartonum.FragilityScore, 0, len(sums))
	rep.Min, rep.Max = math.Inf(1), math.Inf(-1)
	total2 := 0.0
	for code, s := range sums {
		score := s.s / float64(s.n)
		if o.PopulationCol != "" && s.w > 0 {
			score = s.ws / s.w
		}
		scores = append(scores, cartonum.FragilityScore{Code: code, Score: score, Units: s.n})
		rep.Min, rep.Max = min(rep.Min, score), max(rep.Max, score)
		total2 += score
	}
	slices.SortFunc(scores, func(a, b cartonum.FragilityScore) int {
		if a.Code < b.Code {
			return -1
		}
		if a.Code > b.Code {
			return 1
		}
		return 0
	})
	rep.Communes = len(scores)
	rep.Mean = total2 / float64(len(scores))
	rep.ID, err = store.ReplaceFragility(ctx, scores, cartonum.FragilityImport{
		ImportedAt: time.Now(), File: name, Level: o.Level, CodeCol: o.CodeCol, ScoreCol: o.ScoreCol,
		PopulationCol: o.PopulationCol, Rows: rep.Rows, Imported: rep.Imported, Outside: rep.Outside,
		Rejected: rep.Rejected, Communes: rep.Communes,
	})
	if err != nil {
		return rep, err
	}
	return rep, nil
}

// departementOf returns the département of a commune code: three
// characters overseas (97x), two otherwise.
func departementOf(code string) string {
	if len(code) >= 3 && code[:2] == "97" {
		return code[:3]
	}
	if len(code) >= 2 {
		return code[:2]
	}
	return code
}
