package fragility

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Levels of the rows of a fragility file.
const (
	LevelCommune = "commune" // one row per commune, its INSEE code
	LevelIRIS    = "iris"    // one row per IRIS, its 9-character code
)

// Options map the columns of a fragility file.
type Options struct {
	// CodeCol names the column of the INSEE code (commune or IRIS),
	// ScoreCol that of the score. Names are compared without case and
	// with spaces trimmed and collapsed ("SCORE GLOBAL region * " matches
	// "score global region *").
	CodeCol, ScoreCol string
	// PopulationCol, when set, names the population of each row: IRIS
	// scores are then averaged per commune weighted by it.
	PopulationCol string
	// Level is LevelCommune (default) or LevelIRIS.
	Level string
	// Sep is the field separator; 0 guesses it from the header among ;
	// , tab and |.
	Sep rune
}

// Row is one accepted row of a fragility file.
type Row struct {
	Line       int
	Code       string // the row's code (commune or IRIS)
	Commune    string // the commune's INSEE code
	Score      float64
	Population float64 // 0 when no population column is mapped
}

// Rejection is a row left out, with its line in the file (the header is
// line 1) and the reason, in French.
type Rejection struct {
	Line   int    `json:"ligne"`
	Code   string `json:"code,omitempty"`
	Reason string `json:"motif"`
}

var (
	communeCode = regexp.MustCompile(`^([013-9]\d|2[AB1-9])\d{3}$`)
	irisCode    = regexp.MustCompile(`^([013-9]\d|2[AB1-9])\d{7}$`)
)

// ParseSep reads the --sep flag: auto (or empty), ";", ",", "|", "tab"
// or "\t".
func ParseSep(s string) (rune, error) {
	switch s {
	case "", "auto":
		return 0, nil
	case ";", ",", "|":
		return rune(s[0]), nil
	case "tab", "\\t", "\t":
		return '\t', nil
	}
	return 0, fmt.Errorf("séparateur %q invalide : auto, « ; », « , », « | » ou tab", s)
}

// Read parses a fragility file: the accepted rows, the rejected ones with
// their line and reason, and the number of data rows. An error means the
// file cannot be read as mapped (encoding, missing column, no data row):
// nothing of it is usable.
func Read(r io.Reader, o Options) (rows []Row, rejected []Rejection, total int, err error) {
	if o.Level == "" {
		o.Level = LevelCommune
	}
	if o.Level != LevelCommune && o.Level != LevelIRIS {
		return nil, nil, 0, fmt.Errorf("niveau %q invalide : commune ou iris", o.Level)
	}
	if strings.TrimSpace(o.CodeCol) == "" || strings.TrimSpace(o.ScoreCol) == "" {
		return nil, nil, 0, errors.New("colonnes du code et du score obligatoires (--code-col, --score-col)")
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, 0, err
	}
	text, err := decode(raw)
	if err != nil {
		return nil, nil, 0, err
	}
	sep := o.Sep
	if sep == 0 {
		sep = guessSep(text)
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, 0, errors.New("fichier vide")
	} else if err != nil {
		return nil, nil, 0, fmt.Errorf("en-tête illisible : %w", err)
	}
	col := func(name string) (int, error) {
		want := normName(name)
		for i, h := range header {
			if normName(h) == want {
				return i, nil
			}
		}
		names := make([]string, len(header))
		for i, h := range header {
			names[i] = strconv.Quote(strings.TrimSpace(h))
		}
		return -1, fmt.Errorf("colonne %q absente ; colonnes du fichier (séparateur %q) : %s", name, string(sep), strings.Join(names, ", "))
	}
	ci, err := col(o.CodeCol)
	if err != nil {
		return nil, nil, 0, err
	}
	si, err := col(o.ScoreCol)
	if err != nil {
		return nil, nil, 0, err
	}
	pi := -1
	if o.PopulationCol != "" {
		if pi, err = col(o.PopulationCol); err != nil {
			return nil, nil, 0, err
		}
	}
	need := max(ci, si, pi)
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			total++
			rejected = append(rejected, Rejection{Line: pe.StartLine, Reason: "ligne CSV mal formée : " + pe.Err.Error()})
			continue
		} else if err != nil {
			return nil, nil, 0, err
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line, e.g. at the end
		}
		total++
		reject := func(code, reason string) {
			rejected = append(rejected, Rejection{Line: line, Code: code, Reason: reason})
		}
		if len(rec) <= need {
			reject("", fmt.Sprintf("ligne incomplète : %d champs, %d attendus", len(rec), len(header)))
			continue
		}
		code, ok := normCode(rec[ci], o.Level)
		if !ok {
			what := "code commune INSEE (5 caractères)"
			if o.Level == LevelIRIS {
				what = "code IRIS (9 caractères)"
			}
			reject(strings.TrimSpace(rec[ci]), "code invalide : "+what+" attendu")
			continue
		}
		if first, dup := seen[code]; dup {
			reject(code, fmt.Sprintf("code en double (déjà ligne %d)", first))
			continue
		}
		score, ok := number(rec[si])
		if !ok {
			reject(code, fmt.Sprintf("score %q invalide : un nombre positif ou nul attendu", strings.TrimSpace(rec[si])))
			continue
		}
		row := Row{Line: line, Code: code, Commune: code[:5], Score: score}
		if pi >= 0 {
			if row.Population, ok = number(rec[pi]); !ok {
				reject(code, fmt.Sprintf("population %q invalide : un nombre positif ou nul attendu", strings.TrimSpace(rec[pi])))
				continue
			}
		}
		seen[code] = line
		rows = append(rows, row)
	}
	if total == 0 {
		return nil, nil, 0, errors.New("aucune ligne de données après l'en-tête")
	}
	return rows, rejected, total, nil
}

// decode returns the file as UTF-8: a UTF-8 or UTF-16 byte order mark is
// honoured; bytes that are not UTF-8 are read as Windows-1252 (spreadsheet
// exports).
func decode(b []byte) (string, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		le := b[0] == 0xFF
		b = b[2:]
		if len(b)%2 != 0 {
			return "", errors.New("fichier UTF-16 tronqué")
		}
		u := make([]uint16, len(b)/2)
		for i := range u {
			if le {
				u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
			} else {
				u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
			}
		}
		return string(utf16.Decode(u)), nil
	}
	if utf8.Valid(b) {
		return string(b), nil
	}
	var sb strings.Builder
	for _, c := range b {
		if c >= 0x80 && c < 0xA0 {
			sb.WriteRune(cp1252[c-0x80])
		} else {
			sb.WriteRune(rune(c))
		}
	}
	return sb.String(), nil
}

// cp1252 maps the bytes 0x80–0x9F of Windows-1252.
var cp1252 = [32]rune{'€', '\u0081', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u008d', 'Ž', '\u008f',
	'\u0090', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u009d', 'ž', 'Ÿ'}

// guessSep picks the most frequent of ; , tab and | in the header line,
// outside quotes; ";" on a tie (French exports).
func guessSep(text string) rune {
	line, _, _ := strings.Cut(text, "\n")
	counts := map[rune]int{}
	quoted := false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ';' || c == ',' || c == '\t' || c == '|'):
			counts[c]++
		}
	}
	best := ';'
	for _, c := range []rune{';', '\t', ',', '|'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

// normName is a column name as compared: trimmed, inner spaces collapsed,
// lower case.
func normName(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(strings.TrimPrefix(s, "\ufeff")), " "))
}

// normCode reads a commune or IRIS code; a leading zero a spreadsheet
// dropped is put back.
func normCode(s, level string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	n, re := 5, communeCode
	if level == LevelIRIS {
		n, re = 9, irisCode
	}
	if len(s) == n-1 && strings.Trim(s, "0123456789") == "" {
		s = "0" + s
	}
	return s, re.MatchString(s)
}

// number reads a non-negative finite number, with a decimal comma or
// point and spaces as thousands separators.
func number(s string) (float64, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, s)
	s = strings.Replace(s, ",", ".", 1)
	if s == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return 0, false
	}
	return f, true
}
