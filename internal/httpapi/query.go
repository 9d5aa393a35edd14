package httpapi

import (
	"net/http"
	"net/url"
	"strings"
)

// multiValued are the parameters that take several values, repeated or
// separated by "," or "|": the filters over the standard's enumerations
// and over territory codes. Every other parameter takes one value.
var multiValued = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range enumParams {
		m[p.name] = true
	}
	for _, p := range codeParams {
		m[p.name] = true
	}
	return m
}()

// checkQuery refuses a repeated parameter that takes one value (rather
// than silently using the first), and reads a stray "%" or ";" in the
// query as the character itself (rather than dropping the parameter).
func (s *Server) checkQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			raw := literalQuery(r.URL.RawQuery)
			if v, err = url.ParseQuery(raw); err != nil {
				s.renderError(w, r, invalid("paramètres d'URL illisibles : %v", err))
				return
			}
			u := *r.URL
			u.RawQuery = raw
			r2 := *r
			r2.URL = &u
			r = &r2
		}
		for name, vals := range v {
			if len(vals) > 1 && !multiValued[name] {
				s.renderError(w, r, invalid("paramètre « %s » donné %d fois : une seule valeur attendue", name, len(vals)))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// literalQuery escapes in a raw query the "%" that start no escape
// sequence and the ";" (which url.ParseQuery refuses), so that they are
// read as themselves.
func literalQuery(raw string) string {
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case c == '%' && !(i+2 < len(raw) && isHex(raw[i+1]) && isHex(raw[i+2])):
			b.WriteString("%25")
		case c == ';':
			b.WriteString("%3B")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// noSniff forbids browsers to guess a content type other than the one
// declared, on every response.
func noSniff(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["X-Content-Type-Options"] = noSniffValue
		next.ServeHTTP(w, r)
	})
}

// noSniffValue is the header's value, shared by every response (never
// modified: Header.Set replaces it, Header.Add appends to a copy).
var noSniffValue = []string{"nosniff"}
