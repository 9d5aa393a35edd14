package webui

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func distFS() fstest.MapFS {
	index := []byte(`<!doctype html><html lang="fr"><head><meta name="cartonum-basemap" content="">` + "\n" +
		`  <link rel="preload" href="/glyphs/0123456789/Noto%20Sans%20Regular/0-255.pbf" as="fetch" crossorigin="anonymous" fetchpriority="low">` + "\n" +
		`</head><body>carte</body></html>`)
	js := []byte(strings.Repeat("console.log('cartonum');", 50))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(js)
	zw.Close()
	return fstest.MapFS{
		"dist/README.txt":                   {Data: []byte("placeholder")},
		"dist/index.html":                   {Data: index},
		"dist/assets/app-ABCDEFGH.js":       {Data: js},
		"dist/assets/app-ABCDEFGH.js.gz":    {Data: gz.Bytes()},
		"dist/assets/app-ABCDEFGH.js.br":    {Data: []byte("fake-brotli")},
		"dist/assets/worker-0123456789.mjs": {Data: []byte("export {}")},
		"dist/assets/app.css.LEGAL.txt":     {Data: []byte("MIT")},
		// The glyphs under the hash of their content (scripts/build.mjs).
		"dist/glyphs/0123456789/Noto Sans Regular/0-255.pbf":    {Data: []byte("glyphes")},
		"dist/glyphs/0123456789/Noto Sans Regular/0-255.pbf.br": {Data: []byte("glyphes-br")},
		// A glyph file outside a hashed directory is not cached for long.
		"dist/glyphs/Noto Sans Regular/0-255.pbf": {Data: []byte("glyphes")},
	}
}

func do(t *testing.T, h http.Handler, method, target string, header map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHandler(t *testing.T) {
	h := New(distFS(), Options{})
	tests := []struct {
		name     string
		method   string
		target   string
		header   map[string]string
		status   int
		want     map[string]string // headers; "" means absent
		contains string
	}{
		{name: "root redirects to the map", target: "/", status: http.StatusFound,
			want: map[string]string{"Location": "/carte"}},
		{name: "root keeps the query", target: "/?lieu=12", status: http.StatusFound,
			want: map[string]string{"Location": "/carte?lieu=12"}},
		{name: "map page", target: "/carte?commune=80021", status: http.StatusOK, contains: "carte",
			want: map[string]string{"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache", "Content-Encoding": ""}},
		{name: "dashboard page", target: "/tableau-de-bord", status: http.StatusOK, contains: "<!doctype html>"},
		{name: "contribution form", target: "/contribuer?type=modification&lieu=abc", status: http.StatusOK, contains: "<!doctype html>",
			want: map[string]string{"Cache-Control": "no-cache"}},
		{name: "moderation page", target: "/moderation", status: http.StatusOK, contains: "<!doctype html>"},
		{name: "tracking page", target: "/propositions/Zx9_-a1B2c3", status: http.StatusOK, contains: "<!doctype html>"},
		{name: "tracking page, trailing slash", target: "/propositions/abc/", status: http.StatusMovedPermanently,
			want: map[string]string{"Location": "/propositions/abc"}},
		{name: "tracking prefix alone", target: "/propositions/", status: http.StatusNotFound},
		{name: "tracking page, two segments", target: "/propositions/a/b", status: http.StatusNotFound},
		{name: "tracking page, odd token", target: "/propositions/a.b", status: http.StatusNotFound},
		{name: "trailing slash", target: "/carte/?a=1", status: http.StatusMovedPermanently,
			want: map[string]string{"Location": "/carte?a=1"}},
		{name: "page gzipped", target: "/carte", header: map[string]string{"Accept-Encoding": "gzip, deflate"},
			status: http.StatusOK, want: map[string]string{"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}},
		{name: "hashed asset, brotli preferred", target: "/assets/app-ABCDEFGH.js",
			header: map[string]string{"Accept-Encoding": "gzip, br"}, status: http.StatusOK,
			want: map[string]string{"Content-Encoding": "br", "Cache-Control": "public, max-age=31536000, immutable",
				"Content-Type": "text/javascript; charset=utf-8"}},
		{name: "hashed asset, gzip", target: "/assets/app-ABCDEFGH.js",
			header: map[string]string{"Accept-Encoding": "gzip"}, status: http.StatusOK,
			want: map[string]string{"Content-Encoding": "gzip"}},
		{name: "brotli refused with q=0", target: "/assets/app-ABCDEFGH.js",
			header: map[string]string{"Accept-Encoding": "br;q=0, gzip"}, status: http.StatusOK,
			want: map[string]string{"Content-Encoding": "gzip"}},
		{name: "identity", target: "/assets/app-ABCDEFGH.js", status: http.StatusOK, contains: "cartonum",
			want: map[string]string{"Content-Encoding": ""}},
		{name: "module worker type", target: "/assets/worker-0123456789.mjs", status: http.StatusOK,
			want: map[string]string{"Content-Type": "text/javascript; charset=utf-8", "Vary": ""}},
		{name: "unhashed file not cached for long", target: "/assets/app.css.LEGAL.txt", status: http.StatusOK,
			want: map[string]string{"Cache-Control": "no-cache"}},
		{name: "hashed glyphs cached for a year, brotli", target: "/glyphs/0123456789/Noto%20Sans%20Regular/0-255.pbf",
			header: map[string]string{"Accept-Encoding": "gzip, br"}, status: http.StatusOK, contains: "glyphes-br",
			want: map[string]string{"Cache-Control": "public, max-age=31536000, immutable", "Content-Encoding": "br",
				"Content-Type": "application/x-protobuf", "Vary": "Accept-Encoding"}},
		{name: "unhashed glyphs revalidated", target: "/glyphs/Noto%20Sans%20Regular/0-255.pbf", status: http.StatusOK,
			want: map[string]string{"Cache-Control": "no-cache", "Content-Type": "application/x-protobuf"}},
		{name: "glyphs of an unknown hash", target: "/glyphs/9999999999/Noto%20Sans%20Regular/0-255.pbf", status: http.StatusNotFound},
		{name: "placeholder not served", target: "/README.txt", status: http.StatusNotFound},
		{name: "precompressed file not served by name", target: "/assets/app-ABCDEFGH.js.gz", status: http.StatusNotFound},
		{name: "index only through routes", target: "/index.html", status: http.StatusNotFound},
		{name: "unknown page", target: "/inconnu", status: http.StatusNotFound, contains: "Page introuvable"},
		{name: "head", method: http.MethodHead, target: "/carte", status: http.StatusOK},
		{name: "post refused", method: http.MethodPost, target: "/carte", status: http.StatusMethodNotAllowed,
			want: map[string]string{"Allow": "GET, HEAD"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			res := do(t, h, method, tt.target, tt.header)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			for k, v := range tt.want {
				if got := res.Header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if res.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Error("nosniff missing")
			}
			if tt.contains != "" && !strings.Contains(body(t, res), tt.contains) {
				t.Errorf("body does not contain %q", tt.contains)
			}
		})
	}
}

func TestPageSecurityHeaders(t *testing.T) {
	res := do(t, New(distFS(), Options{}), http.MethodGet, "/carte", nil)
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "worker-src 'self';",
		"img-src 'self' data: blob:", "connect-src 'self'", "object-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") {
		t.Errorf("CSP allows unsafe sources: %q", csp)
	}
	if !strings.Contains(res.Header.Get("Permissions-Policy"), "geolocation=(self)") {
		t.Error("geolocation not allowed for the page")
	}
}

func TestConditionalRequest(t *testing.T) {
	h := New(distFS(), Options{})
	first := do(t, h, http.MethodGet, "/assets/app-ABCDEFGH.js", map[string]string{"Accept-Encoding": "gzip"})
	etag := first.Header.Get("ETag")
	if etag == "" || !strings.HasSuffix(etag, `-gzip"`) {
		t.Fatalf("ETag %q", etag)
	}
	again := do(t, h, http.MethodGet, "/assets/app-ABCDEFGH.js", map[string]string{"Accept-Encoding": "gzip", "If-None-Match": etag})
	if again.StatusCode != http.StatusNotModified {
		t.Fatalf("status %d, want 304", again.StatusCode)
	}
	other := do(t, h, http.MethodGet, "/assets/app-ABCDEFGH.js", map[string]string{"If-None-Match": etag})
	if other.StatusCode != http.StatusOK {
		t.Fatalf("identity with the gzip ETag: status %d, want 200", other.StatusCode)
	}
}

// The glyphs carry a validator too: a revisit costs a 304, not the file.
func TestGlyphsConditionalRequest(t *testing.T) {
	h := New(distFS(), Options{})
	for _, target := range []string{"/glyphs/0123456789/Noto%20Sans%20Regular/0-255.pbf", "/glyphs/Noto%20Sans%20Regular/0-255.pbf"} {
		first := do(t, h, http.MethodGet, target, map[string]string{"Accept-Encoding": "br"})
		etag := first.Header.Get("ETag")
		if first.StatusCode != http.StatusOK || etag == "" {
			t.Fatalf("%s: status %d, ETag %q", target, first.StatusCode, etag)
		}
		again := do(t, h, http.MethodGet, target, map[string]string{"Accept-Encoding": "br", "If-None-Match": etag})
		if again.StatusCode != http.StatusNotModified {
			t.Errorf("%s: status %d, want 304", target, again.StatusCode)
		}
		if b := body(t, again); b != "" {
			t.Errorf("%s: 304 with a body %q", target, b)
		}
	}
}

func TestGzipBodyDecodes(t *testing.T) {
	res := do(t, New(distFS(), Options{}), http.MethodGet, "/carte", map[string]string{"Accept-Encoding": "gzip"})
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(zr)
	if !strings.Contains(string(b), `lang="fr"`) {
		t.Fatalf("decoded page: %q", b)
	}
}

func TestBasemap(t *testing.T) {
	h := New(distFS(), Options{Basemap: `https://tuiles.example.org/style.json?a=1&b="x"`, ConnectSrc: []string{"https://glyphes.example.net/fonts", "javascript:alert(1)"}})
	res := do(t, h, http.MethodGet, "/carte", nil)
	page := body(t, res)
	if !strings.Contains(page, `content="https://tuiles.example.org/style.json?a=1&amp;b=&#34;x&#34;"`) {
		t.Errorf("basemap meta not injected (escaped): %s", page)
	}
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "connect-src 'self' https://tuiles.example.org https://glyphes.example.net") {
		t.Errorf("CSP %q", csp)
	}
	if strings.Contains(csp, "javascript") {
		t.Errorf("CSP took a non-http origin: %q", csp)
	}
	// Over a base map the project's glyphs are not needed: not preloaded.
	if strings.Contains(page, "/glyphs/") {
		t.Errorf("glyphs still preloaded over a base map: %s", page)
	}
	if own := body(t, do(t, New(distFS(), Options{}), http.MethodGet, "/carte", nil)); !strings.Contains(own, `<link rel="preload" href="/glyphs/0123456789/`) {
		t.Errorf("glyphs not preloaded without a base map: %s", own)
	}
}

func TestNotBuilt(t *testing.T) {
	h := New(fstest.MapFS{"dist/README.txt": {Data: []byte("make web")}}, Options{})
	res := do(t, h, http.MethodGet, "/carte", nil)
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", res.StatusCode)
	}
	if b := body(t, res); !strings.Contains(b, "make web") {
		t.Errorf("message %q", b)
	}
	if res := do(t, h, http.MethodGet, "/", nil); res.StatusCode != http.StatusFound {
		t.Errorf("redirect without a build: %d", res.StatusCode)
	}
}

// The embedded front end: built or not, the handler answers.
func TestEmbedded(t *testing.T) {
	res := do(t, Handler(), http.MethodGet, "/carte", nil)
	switch res.StatusCode {
	case http.StatusOK:
		if !strings.Contains(body(t, res), `<html lang="fr">`) {
			t.Error("built page is not French")
		}
	case http.StatusServiceUnavailable:
		t.Log("web/dist is not built (make web): 503 as expected")
	default:
		t.Fatalf("status %d", res.StatusCode)
	}
}

func TestFrameAncestors(t *testing.T) {
	opts := Options{FrameAncestors: []string{"https://www.amiens.fr", "http://127.0.0.2:*"}}
	h := New(distFS(), opts)
	for path, want := range map[string]string{
		"/carte":                           "frame-ancestors 'none'",
		"/moderation":                      "frame-ancestors 'none'",
		"/integration":                     "frame-ancestors 'none'",
		"/accessibilite":                   "frame-ancestors 'none'",
		"/integration/carte?commune=80021": "frame-ancestors 'self' https://www.amiens.fr http://127.0.0.2:*",
	} {
		res := do(t, h, http.MethodGet, path, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", path, res.StatusCode)
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, want) {
			t.Errorf("%s: CSP %q, want it to end with %q", path, csp, want)
		}
	}
	res := do(t, h, http.MethodGet, "/integration/carte", nil)
	if b := body(t, res); !strings.Contains(b, `<body class="integration">`) {
		t.Errorf("embed page without its class: %s", b)
	}
	res = do(t, New(distFS(), Options{}), http.MethodGet, "/integration/carte", nil)
	if csp := res.Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "frame-ancestors 'self'") {
		t.Errorf("default embed CSP %q", csp)
	}
	res = do(t, New(distFS(), Options{FrameAncestors: []string{"*"}}), http.MethodGet, "/integration/carte", nil)
	if csp := res.Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "frame-ancestors *") {
		t.Errorf("any-site embed CSP %q", csp)
	}
}

func TestParseFrameAncestors(t *testing.T) {
	got, err := ParseFrameAncestors(" https://www.amiens.fr, https://*.somme.fr/  http://127.0.0.2:* ")
	if err != nil || strings.Join(got, " ") != "https://www.amiens.fr https://*.somme.fr http://127.0.0.2:*" {
		t.Fatalf("got %q, %v", got, err)
	}
	if got, err := ParseFrameAncestors(""); err != nil || len(got) != 0 {
		t.Fatalf("empty: %q, %v", got, err)
	}
	for _, bad := range []string{"'unsafe-inline'", "https://a.fr/chemin", "https://a.fr;script-src", "ftp://a.fr", "javascript:alert(1)", "'none'", "https://"} {
		if _, err := ParseFrameAncestors(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestIntegrationPage(t *testing.T) {
	h := New(distFS(), Options{FrameAncestors: []string{"https://www.amiens.fr"}})
	res := do(t, h, http.MethodGet, "http://carto.example.fr/integration?niveau=commune&code=80021&rayon=5&dispositifs=France+Services&hauteur=500", nil)
	b := body(t, res)
	for _, want := range []string{
		`&lt;iframe src=&#34;http://carto.example.fr/integration/carte?commune=80021&amp;amp;dispositifs=France&#43;Services&amp;amp;rayon=5&#34;`,
		`height=&#34;500&#34;`, `title=&#34;Carte des lieux`, `<iframe class="statique__apercu" src="/integration/carte?commune=80021&amp;dispositifs=France&#43;Services&amp;rayon=5"`,
		`<code>https://www.amiens.fr</code>`, `lang="fr"`,
	} {
		if !strings.Contains(b, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	res = do(t, h, http.MethodGet, "/integration?niveau=epci&code=12&services=inconnu", nil)
	b = body(t, res)
	if !strings.Contains(b, "Code d&#39;EPCI invalide") || !strings.Contains(b, "Valeur inconnue : inconnu.") || strings.Contains(b, "statique__apercu") {
		t.Errorf("errors not shown: %s", b)
	}
	res = do(t, h, http.MethodGet, "/accessibilite", nil)
	b = body(t, res)
	for _, want := range []string{"RGAA", "Défenseur des droits", "partiellement conforme", "Signaler un problème"} {
		if !strings.Contains(b, want) {
			t.Errorf("statement lacks %q", want)
		}
	}
}

// A PMTiles archive elsewhere: its origin may be fetched (connect-src) and
// the handler tells its URL to /api/config.
func TestPMTilesURL(t *testing.T) {
	h := New(distFS(), Options{PMTilesURL: "https://tuiles.example.org/cartonum/region.pmtiles"})
	csp := do(t, h, http.MethodGet, "/carte", nil).Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "connect-src 'self' https://tuiles.example.org;") {
		t.Errorf("CSP %q", csp)
	}
	p, ok := h.(interface{ PMTilesURL() string })
	if !ok || p.PMTilesURL() != "https://tuiles.example.org/cartonum/region.pmtiles" {
		t.Fatalf("PMTilesURL not told: %v", ok)
	}
	if own := New(distFS(), Options{}).(interface{ PMTilesURL() string }).PMTilesURL(); own != "" {
		t.Errorf("PMTilesURL without an archive: %q", own)
	}
}
