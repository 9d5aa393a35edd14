package download

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Errors that callers may match with errors.Is. A non-200 answer is a
// *StatusError, to match with errors.As.
var (
	// ErrTooLarge is returned when a download, or a file in the npm
	// tarball, exceeds the size cap.
	ErrTooLarge = errors.New("exceeds the size limit")
	// ErrInvalidData is returned when a source answers something other than
	// what was expected: wrong content type, malformed JSON or CSV, empty
	// collection, communes of another région, checksum mismatch, missing
	// entries.
	ErrInvalidData = errors.New("invalid data")
)

// StatusError is returned when a source answers with a status other than
// 200 OK.
type StatusError struct {
	URL        string
	StatusCode int
	Status     string
	// Body is the start of the answer, which often says what went wrong.
	Body string
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("GET %s: unexpected HTTP status %s", e.URL, e.Status)
	if e.Body != "" {
		msg += ": " + strconv.Quote(e.Body)
	}
	return msg
}

// invalidData returns an error wrapping ErrInvalidData.
func invalidData(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidData, fmt.Sprintf(format, args...))
}

// userAgent identifies Cartonum to the sources.
const userAgent = "cartonum-download (+https://github.com/cartonum/cartonum)"

// Accept headers per kind of source.
const (
	acceptJSON    = "application/geo+json, application/json;q=0.9, */*;q=0.1"
	acceptNPMMeta = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*;q=0.1"
	acceptGzip    = "application/gzip, application/octet-stream;q=0.9, */*;q=0.1"
	acceptCSV     = "text/csv, text/plain;q=0.9, application/octet-stream;q=0.8, */*;q=0.1"
)

// fetcher holds what every download of one Fetch run shares.
type fetcher struct {
	client *http.Client
	log    *slog.Logger
	max    int64
}

// get downloads rawURL into w. It fails on a status other than 200, on an
// HTML answer (an error or login page served with 200), on an empty body and
// when the body exceeds f.max bytes; it returns the number of bytes written.
func (f *fetcher) get(ctx context.Context, rawURL, accept string, w io.Writer) (int64, error) {
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return 0, fmt.Errorf("GET %s: %w", rawURL, err)
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", userAgent)
	resp, err := f.client.Do(req)
	if err != nil {
		return 0, err // *url.Error names the method and URL
	}
	defer resp.Body.Close()

	if resp.StatusCode != http.StatusOK {
		excerpt, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		return 0, &StatusError{
			URL:        rawURL,
			StatusCode: resp.StatusCode,
			Status:     resp.Status,
			Body:       strings.ToValidUTF8(strings.TrimSpace(string(excerpt)), "?"),
		}
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil {
			return 0, fmt.Errorf("GET %s: %w: content type %q", rawURL, ErrInvalidData, ct)
		}
		if mt == "text/html" || mt == "application/xhtml+xml" {
			return 0, fmt.Errorf("GET %s: %w: got an HTML page (content type %s)", rawURL, ErrInvalidData, mt)
		}
	}
	if resp.ContentLength > f.max {
		return 0, fmt.Errorf("GET %s: %w: announced %d bytes, limit %d", rawURL, ErrTooLarge, resp.ContentLength, f.max)
	}
	n, err := io.Copy(w, io.LimitReader(resp.Body, f.max+1))
	if err != nil {
		return n, fmt.Errorf("GET %s: read body: %w", rawURL, err)
	}
	if n > f.max {
		return n, fmt.Errorf("GET %s: %w: more than %d bytes", rawURL, ErrTooLarge, f.max)
	}
	if n == 0 {
		return 0, fmt.Errorf("GET %s: %w: empty body", rawURL, ErrInvalidData)
	}
	f.log.Info("downloaded", "url", rawURL, "bytes", n, "duration", time.Since(start).Round(time.Millisecond))
	return n, nil
}

// getBytes downloads rawURL into memory, for small answers.
func (f *fetcher) getBytes(ctx context.Context, rawURL, accept string) ([]byte, error) {
	var buf bytes.Buffer
	if _, err := f.get(ctx, rawURL, accept, &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// getFile downloads rawURL into a new scratch file of st, and returns it
// positioned at its start.
func (f *fetcher) getFile(ctx context.Context, st *stage, rawURL, accept string) (*stagedFile, error) {
	tf, err := st.temp()
	if err != nil {
		return nil, err
	}
	if err := f.getInto(ctx, tf, rawURL, accept); err != nil {
		return nil, err
	}
	return tf, nil
}

// getInto downloads rawURL into the staged file tf and rewinds it.
func (f *fetcher) getInto(ctx context.Context, tf *stagedFile, rawURL, accept string) error {
	bw := bufio.NewWriterSize(tf.f, 64<<10)
	if _, err := f.get(ctx, rawURL, accept, bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", tf.f.Name(), err)
	}
	if _, err := tf.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("rewind %s: %w", tf.f.Name(), err)
	}
	return nil
}
