// Package webui serves the web front end embedded in the binary: the page
// of every front-end route (index.html, never cached), the hashed assets
// (cached for a year), precompressed variants chosen by Accept-Encoding,
// and a strict Content-Security-Policy.
package webui

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/cartonum/cartonum/web"
)

// Routes are the paths of the front end's pages; "/" redirects to the first.
// EmbedPath, the map for other sites' iframes, is the only one they may frame.
var Routes = []string{"/carte", "/tableau-de-bord", "/contribuer", "/moderation", EmbedPath}

// EmbedPath is the embeddable map (compact, without the site's header and
// footer), the page other sites put in an <iframe> (see /integration).
const EmbedPath = "/integration/carte"

// RoutePrefixes are path prefixes whose pages take one more segment: the
// tracking page of a proposal, /propositions/<token>.
var RoutePrefixes = []string{"/propositions/"}

// token is the segment a prefix route accepts (an opaque URL-safe token).
var token = regexp.MustCompile(`^[A-Za-z0-9_-]{1,200}$`)

// Options tune the handler.
type Options struct {
	// Basemap is the URL of an external MapLibre style drawn below the
	// project's layers (empty: the project's own tiles only). Its origin
	// is allowed by the Content-Security-Policy.
	Basemap string
	// ConnectSrc lists more origins the map may fetch from (the tiles,
	// glyphs and sprites of the basemap when they live elsewhere).
	ConnectSrc []string
	// FrameAncestors are the origins allowed to show the embed page
	// (EmbedPath) in a frame, as CSP sources ("https://www.amiens.fr",
	// "https://*.somme.fr", "*" for any site); the site itself always may.
	// Every other page refuses to be framed (frame-ancestors 'none').
	FrameAncestors []string
	// PMTilesURL is a PMTiles archive (cartonum export-tiles) the map
	// reads its territories' tiles from instead of /tiles (empty: the
	// server's tiles). Its origin is allowed by the Content-Security-Policy;
	// the web app learns it from /api/config (see PMTilesURL()).
	PMTilesURL string
}

// Handler serves the front end embedded in web.Dist with default options.
func Handler() http.Handler { return New(web.Dist, Options{}) }

// New serves the front end found in fsys, which holds a "dist" directory.
func New(fsys fs.FS, opts Options) http.Handler {
	h := &handler{pmtiles: opts.PMTilesURL, files: map[string]*file{}, csp: csp(opts, "'none'"), embedCSP: csp(opts, embedAncestors(opts.FrameAncestors))}
	dist, err := fs.Sub(fsys, "dist")
	if err != nil {
		return h
	}
	_ = fs.WalkDir(dist, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".gz") || strings.HasSuffix(p, ".br") || p == "README.txt" {
			return nil
		}
		raw, err := fs.ReadFile(dist, p)
		if err != nil {
			return nil
		}
		f := &file{name: p, ctype: contentType(p), variants: map[string][]byte{"": raw}}
		if p == "index.html" {
			f.variants[""] = injectBasemap(raw, opts.Basemap)
			f.variants["gzip"] = gzipBytes(f.variants[""])
			h.embed = variantOf(f, embedBody(f.variants[""]))
			h.assets = assetsOf(raw)
		} else {
			if gz, err := fs.ReadFile(dist, p+".gz"); err == nil {
				f.variants["gzip"] = gz
			}
			if br, err := fs.ReadFile(dist, p+".br"); err == nil {
				f.variants["br"] = br
			}
		}
		f.etags = map[string]string{}
		sum := sha256.Sum256(f.variants[""])
		tag := hex.EncodeToString(sum[:8])
		for enc := range f.variants {
			if enc == "" {
				f.etags[enc] = `"` + tag + `"`
			} else {
				f.etags[enc] = `"` + tag + "-" + enc + `"`
			}
		}
		h.files["/"+p] = f
		return nil
	})
	h.index = h.files["/index.html"]
	h.static = staticPages(h.assets, opts.FrameAncestors)
	return h
}

// variantOf is a file like f (same name and type) with another content.
func variantOf(f *file, body []byte) *file {
	v := &file{name: f.name, ctype: f.ctype, variants: map[string][]byte{"": body, "gzip": gzipBytes(body)}, etags: map[string]string{}}
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:8])
	v.etags[""] = `"` + tag + `"`
	v.etags["gzip"] = `"` + tag + `-gzip"`
	return v
}

// embedBody marks the page as the embed page (class "integration" on
// <body>), so that its compact layout applies from the first paint.
func embedBody(page []byte) []byte {
	return bytes.Replace(page, []byte("<body>"), []byte(`<body class="integration">`), 1)
}

type file struct {
	name     string
	ctype    string
	variants map[string][]byte // by content coding: "", "gzip", "br"
	etags    map[string]string
}

type handler struct {
	pmtiles  string // Options.PMTilesURL
	files    map[string]*file
	index    *file
	embed    *file // index.html for EmbedPath
	csp      string
	embedCSP string
	assets   assets
	static   map[string]pageFunc // server-rendered pages by path
}

// hashed matches asset names carrying a content hash (esbuild's
// [name]-[HASH] or the build script's -[hex]) and the glyphs, stored under
// the hash of their content (/glyphs/<hex>/<stack>/<range>.pbf).
var hashed = regexp.MustCompile(`^(/assets/[^/]+-[A-Za-z0-9]{8,}\.[a-z0-9]+|/glyphs/[0-9a-f]{10}/[^/]+/[0-9]+-[0-9]+\.pbf)$`)

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		http.Error(w, "méthode non autorisée", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	switch {
	case p == "/" || p == "":
		target := Routes[0]
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusFound)
		return
	case isRoute(p):
		h.page(w, r)
		return
	case h.static[p] != nil:
		h.staticPage(w, r)
		return
	case isRoute(strings.TrimSuffix(p, "/")) || h.static[strings.TrimSuffix(p, "/")] != nil:
		target := strings.TrimSuffix(p, "/")
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return
	}
	f := h.files[p]
	if f == nil || p == "/index.html" {
		h.notFound(w)
		return
	}
	if hashed.MatchString(p) {
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "no-cache")
	}
	serve(w, r, f)
}

// PMTilesURL is the PMTiles archive the map reads its territories from
// (Options.PMTilesURL), "" for the server's tiles; /api/config tells it.
func (h *handler) PMTilesURL() string { return h.pmtiles }

func isRoute(p string) bool {
	for _, r := range Routes {
		if p == r {
			return true
		}
	}
	for _, pre := range RoutePrefixes {
		if rest, ok := strings.CutPrefix(p, pre); ok && token.MatchString(rest) {
			return true
		}
	}
	return false
}

func (h *handler) page(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	if h.index == nil {
		hdr.Set("Content-Type", "text/plain; charset=utf-8")
		hdr.Set("Cache-Control", "no-store")
		hdr.Set("Retry-After", "60")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("L'interface web n'est pas construite sur ce serveur : lancez « make web » " +
			"(cd web && npm ci && npm run build) puis reconstruisez le binaire. L'API reste disponible sous /api.\n"))
		return
	}
	page, policy := h.index, h.csp
	if r.URL.Path == EmbedPath && h.embed != nil {
		page, policy = h.embed, h.embedCSP
	}
	hdr.Set("Content-Security-Policy", policy)
	hdr.Set("Permissions-Policy", "geolocation=(self), camera=(), microphone=(), payment=()")
	hdr.Set("Cache-Control", "no-cache")
	serve(w, r, page)
}

func (h *handler) notFound(w http.ResponseWriter) {
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte(`<!doctype html><html lang="fr"><meta charset="utf-8"><title>Page introuvable — Cartonum</title>` +
		`<style>body{font-family:sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}</style>` +
		`<h1>Page introuvable</h1><p>Cette adresse ne correspond à aucune page.</p><p><a href="/carte">Trouver un lieu de médiation numérique</a></p></html>`))
}

// serve writes the best variant the client accepts, with its ETag.
func serve(w http.ResponseWriter, r *http.Request, f *file) {
	hdr := w.Header()
	enc := negotiate(r.Header.Get("Accept-Encoding"), f.variants)
	body := f.variants[enc]
	if len(f.variants) > 1 {
		hdr.Add("Vary", "Accept-Encoding")
	}
	if enc != "" {
		hdr.Set("Content-Encoding", enc)
	}
	hdr.Set("Content-Type", f.ctype)
	etag := f.etags[enc]
	hdr.Set("ETag", etag)
	if etagMatch(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// etagMatch reports whether an If-None-Match header matches etag (weak
// comparison, as RFC 9110 asks for If-None-Match).
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// negotiate picks br, then gzip, then identity, among the variants the
// client accepts (q=0 refuses a coding).
func negotiate(header string, variants map[string][]byte) string {
	accepted := map[string]bool{}
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		if q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000" {
			continue
		}
		accepted[name] = true
	}
	for _, enc := range []string{"br", "gzip"} {
		if _, ok := variants[enc]; ok && (accepted[enc] || accepted["*"]) {
			return enc
		}
	}
	return ""
}

var types = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".svg":   "image/svg+xml",
	".json":  "application/json",
	".txt":   "text/plain; charset=utf-8",
	".woff2": "font/woff2",
	".woff":  "font/woff",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".pbf":   "application/x-protobuf",
}

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := types[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// embedAncestors is the frame-ancestors value of the embed page: the site
// itself (the preview on /integration) and the configured origins.
func embedAncestors(origins []string) string {
	out := []string{"'self'"}
	for _, o := range origins {
		if o == "*" {
			return "*"
		}
		if o != "'self'" {
			out = append(out, o)
		}
	}
	return strings.Join(out, " ")
}

// frameSource is an origin a frame-ancestors directive accepts here:
// http(s) scheme, host (possibly "*.domain"), optional port or ":*".
var frameSource = regexp.MustCompile(`^https?://(\*\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:([0-9]{1,5}|\*))?$`)

// ParseFrameAncestors reads --frame-ancestors: origins separated by spaces
// or commas, each "https://host[:port]" (a "*." prefix for subdomains,
// ":*" for any port), or "*" for every site. Paths, quotes and other CSP
// keywords are refused so that the value cannot change the policy.
func ParseFrameAncestors(s string) ([]string, error) {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' }) {
		f = strings.TrimSuffix(f, "/")
		if f != "*" && !frameSource.MatchString(f) {
			return nil, &originError{f}
		}
		out = append(out, f)
	}
	return out, nil
}

type originError struct{ value string }

func (e *originError) Error() string {
	return "origine « " + e.value + " » invalide : une origine http(s)://hôte[:port] est attendue (ou * pour tous les sites)"
}

// csp is the Content-Security-Policy of the pages. MapLibre's worker is a
// same-origin module script (worker-src 'self'); its styles are set through
// the CSSOM, which style-src does not restrict, so no 'unsafe-inline'.
// ancestors is the frame-ancestors value.
func csp(opts Options, ancestors string) string {
	connect := []string{"'self'"}
	img := []string{"'self'", "data:", "blob:"}
	for _, o := range append([]string{opts.Basemap, opts.PMTilesURL}, opts.ConnectSrc...) {
		if u, err := url.Parse(o); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
			origin := u.Scheme + "://" + u.Host
			connect = append(connect, origin)
			img = append(img, origin)
		}
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self'",
		"img-src " + strings.Join(img, " "),
		"font-src 'self'",
		"connect-src " + strings.Join(connect, " "),
		"worker-src 'self'",
		"child-src 'self'",
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors " + ancestors,
	}, "; ")
}

var basemapMeta = []byte(`<meta name="cartonum-basemap" content="">`)

// glyphsPreload is index.html's preload of the project's glyphs, useless
// over a base map (its labels use the base map's glyphs server).
var glyphsPreload = regexp.MustCompile(`[ \t]*<link rel="preload" href="/glyphs/[^"]*"[^>]*>\r?\n?`)

// injectBasemap writes the basemap URL into index.html's meta tag and drops
// the preload of the project's glyphs.
func injectBasemap(page []byte, basemap string) []byte {
	if basemap == "" {
		return page
	}
	tag := `<meta name="cartonum-basemap" content="` + html.EscapeString(basemap) + `">`
	page = bytes.Replace(page, basemapMeta, []byte(tag), 1)
	return glyphsPreload.ReplaceAll(page, nil)
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}
