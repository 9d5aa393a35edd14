package webui

// Pages rendered by the server, without JavaScript: /integration (how to
// put the map on another site, with a form that builds the <iframe> code)
// and /accessibilite (the accessibility statement). They use the app's
// stylesheet and share its header and footer.

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/cartonum/cartonum/internal/cartonum"
)

type pageFunc func(r *http.Request) []byte

// assets are the hashed stylesheet and favicon named by index.html.
type assets struct{ CSS, Favicon string }

var (
	cssLink  = regexp.MustCompile(`<link rel="stylesheet" href="(/assets/[^"]+)">`)
	iconLink = regexp.MustCompile(`<link rel="icon" href="(/assets/[^"]+)"`)
)

func assetsOf(index []byte) assets {
	var a assets
	if m := cssLink.FindSubmatch(index); m != nil {
		a.CSS = string(m[1])
	}
	if m := iconLink.FindSubmatch(index); m != nil {
		a.Favicon = string(m[1])
	}
	return a
}

// staticPages are the server-rendered pages by path.
func staticPages(a assets, frameAncestors []string) map[string]pageFunc {
	return map[string]pageFunc{
		"/integration":   func(r *http.Request) []byte { return render(a, "integration", integrationData(r, frameAncestors)) },
		"/accessibilite": func(r *http.Request) []byte { return render(a, "accessibilite", nil) },
	}
}

func (h *handler) staticPage(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	body := h.static[r.URL.Path](r)
	hdr.Set("Content-Security-Policy", h.csp)
	hdr.Set("Permissions-Policy", "geolocation=(self), camera=(), microphone=(), payment=()")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

func render(a assets, name string, data any) []byte {
	var buf bytes.Buffer
	err := pageTemplates.ExecuteTemplate(&buf, name, struct {
		Assets assets
		Data   any
	}{a, data})
	if err != nil {
		return []byte("<!doctype html><title>Erreur</title><p>La page n'a pas pu être produite.</p>")
	}
	return buf.Bytes()
}

// Radii offered by the map (km), as urlstate.ts knows them.
var radii = []int{2, 5, 10, 20, 50}

var (
	communeCode = regexp.MustCompile(`^[0-9][0-9AB][0-9]{3}$`)
	epciCode    = regexp.MustCompile(`^[0-9]{9}$`)
	deptCode    = regexp.MustCompile(`^([0-9]{2}|2A|2B|97[1-6])$`)
)

type choice struct {
	Value   string
	ID      string
	Checked bool
}

type integration struct {
	Niveau      string
	Code        string
	Rayon       int
	Hauteur     int
	Radii       []int
	Services    []choice
	Dispositifs []choice
	Errors      []string
	Built       bool
	EmbedURL    string // absolute
	PreviewURL  string // relative, for the preview
	Snippet     string
	Ancestors   []string
	AnySite     bool
}

func choices(prefix string, vocab *cartonum.Vocabulary, picked []string) []choice {
	out := make([]choice, len(vocab.Values))
	for i, v := range vocab.Values {
		c := choice{Value: v, ID: prefix + strconv.Itoa(i)}
		for _, p := range picked {
			if p == v {
				c.Checked = true
			}
		}
		out[i] = c
	}
	return out
}

// integrationData reads the form of /integration (GET) and builds the
// embed address and the <iframe> code from it.
func integrationData(r *http.Request, ancestors []string) integration {
	q := r.URL.Query()
	d := integration{Niveau: q.Get("niveau"), Code: strings.ToUpper(strings.TrimSpace(q.Get("code"))), Rayon: 10, Hauteur: 600, Radii: radii, Ancestors: ancestors}
	for _, a := range ancestors {
		if a == "*" {
			d.AnySite = true
		}
	}
	d.Built = q.Has("niveau")
	if v, err := strconv.Atoi(q.Get("rayon")); err == nil {
		ok := false
		for _, r := range radii {
			ok = ok || r == v
		}
		if ok {
			d.Rayon = v
		} else {
			d.Errors = append(d.Errors, "Le rayon doit être 2, 5, 10, 20 ou 50 km.")
		}
	}
	if raw := q.Get("hauteur"); raw != "" {
		if v, err := strconv.Atoi(raw); err == nil && v >= 300 && v <= 1500 {
			d.Hauteur = v
		} else {
			d.Errors = append(d.Errors, "La hauteur doit être un nombre de pixels entre 300 et 1500.")
		}
	}
	pick := func(name string, vocab *cartonum.Vocabulary) []string {
		var out []string
		for _, raw := range q[name] {
			if c, ok := vocab.Canonical(raw); ok {
				out = append(out, c)
			} else {
				d.Errors = append(d.Errors, "Valeur inconnue : "+raw+".")
			}
		}
		return out
	}
	services := pick("services", cartonum.Services)
	dispositifs := pick("dispositifs", cartonum.Dispositifs)
	d.Services = choices("services-", cartonum.Services, services)
	d.Dispositifs = choices("dispositifs-", cartonum.Dispositifs, dispositifs)

	params := url.Values{}
	switch d.Niveau {
	case "", "aucun":
		d.Niveau = "aucun"
	case "commune":
		if !communeCode.MatchString(d.Code) {
			d.Errors = append(d.Errors, "Code de commune invalide : le code INSEE a cinq caractères (par exemple 80021 pour Amiens).")
		}
		params.Set("commune", d.Code)
		params.Set("rayon", strconv.Itoa(d.Rayon))
	case "epci":
		if !epciCode.MatchString(d.Code) {
			d.Errors = append(d.Errors, "Code d'EPCI invalide : le numéro SIREN a neuf chiffres (par exemple 248000531).")
		}
		params.Set("epci", d.Code)
	case "departement":
		if !deptCode.MatchString(d.Code) {
			d.Errors = append(d.Errors, "Code de département invalide (par exemple 80, 2A ou 974).")
		}
		params.Set("departement", d.Code)
	default:
		d.Errors = append(d.Errors, "Territoire inconnu.")
		d.Niveau = "aucun"
	}
	for _, s := range services {
		params.Add("services", s)
	}
	for _, s := range dispositifs {
		params.Add("dispositifs", s)
	}
	rel := EmbedPath
	if enc := params.Encode(); enc != "" {
		rel += "?" + strings.ReplaceAll(enc, "%20", "+")
	}
	d.PreviewURL = rel
	d.EmbedURL = origin(r) + rel
	d.Snippet = `<iframe src="` + template.HTMLEscapeString(d.EmbedURL) + `" title="Carte des lieux de médiation numérique (Cartonum)" width="100%" height="` +
		strconv.Itoa(d.Hauteur) + `" style="border:0;max-width:100%" loading="lazy" allow="geolocation"></iframe>`
	return d
}

// origin is the site's address as the browser asked for it.
func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

var pageTemplates = template.Must(template.New("pages").Parse(pagesHTML))
