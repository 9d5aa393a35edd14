package httpapi

import (
	_ "embed"
	"net/http"
)

// openAPISpec is the OpenAPI 3.1 description of the whole HTTP API, served
// at /api/openapi.json. It is written by hand, once: openapi_test.go checks
// it against the router (every route and method documented, every
// documented route served) and against the answers of a real server on
// the test fixture. A new route goes into openapi.json in the same commit.
//
//go:embed openapi.json
var openAPISpec []byte

// OpenAPISpec returns the OpenAPI 3.1 description of the API (a copy).
func OpenAPISpec() []byte { return append([]byte(nil), openAPISpec...) }

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	if err := unknownParams(r.URL.Query()); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err := w.Write(openAPISpec)
	return err
}
