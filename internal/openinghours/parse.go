package openinghours

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tEOF          tokKind = iota
	tWord                 // ASCII letters
	tNum                  // ASCII digits
	tComment              // "text"
	tUnterminated         // " without its closing "
	tColon
	tDash // also en dash, em dash and minus sign
	tComma
	tSemi
	tSlash
	tPlus
	tOr    // ||
	tOther // any other character
)

type token struct {
	kind tokKind
	off  int    // byte offset in the input
	text string // as written
}

// parser is a recursive-descent parser with one token of look-ahead.
// Whitespace, including non-breaking spaces, only separates tokens.
type parser struct {
	src          string
	pos          int   // offset after tok
	tok          token // current token
	additiveNext bool  // the rule just parsed ended with "," before a selector
}

type parserState struct {
	pos int
	tok token
}

func (p *parser) save() parserState     { return parserState{p.pos, p.tok} }
func (p *parser) restore(s parserState) { p.pos, p.tok = s.pos, s.tok }

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

// advance reads the next token into p.tok.
func (p *parser) advance() {
	for p.pos < len(p.src) {
		r, size := utf8.DecodeRuneInString(p.src[p.pos:])
		if !unicode.IsSpace(r) {
			break
		}
		p.pos += size
	}
	start := p.pos
	if start >= len(p.src) {
		p.tok = token{kind: tEOF, off: start}
		return
	}
	kind := tOther
	end := start + 1
	switch c := p.src[start]; {
	case isLetter(c):
		for end < len(p.src) && isLetter(p.src[end]) {
			end++
		}
		kind = tWord
	case isDigit(c):
		for end < len(p.src) && isDigit(p.src[end]) {
			end++
		}
		kind = tNum
	case c == '"':
		if i := strings.IndexByte(p.src[start+1:], '"'); i >= 0 {
			end = start + 1 + i + 1
			kind = tComment
		} else {
			end = len(p.src)
			kind = tUnterminated
		}
	case c == '|':
		if end < len(p.src) && p.src[end] == '|' {
			end++
			kind = tOr
		}
	case c == ':':
		kind = tColon
	case c == '-':
		kind = tDash
	case c == ',':
		kind = tComma
	case c == ';':
		kind = tSemi
	case c == '/':
		kind = tSlash
	case c == '+':
		kind = tPlus
	case c >= utf8.RuneSelf:
		r, size := utf8.DecodeRuneInString(p.src[start:])
		end = start + size
		if r == '\u2013' || r == '\u2014' || r == '\u2212' {
			kind = tDash
		}
	}
	p.pos = end
	p.tok = token{kind: kind, off: start, text: p.src[start:end]}
}

func (p *parser) errorf(kind error, off int, format string, args ...any) *Error {
	return &Error{Kind: kind, Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// quote quotes a token for an error message, shortening long ones.
func quote(s string) string {
	const maxLen = 24
	if len(s) > maxLen {
		i := maxLen
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s = s[:i] + "…"
	}
	return strconv.Quote(s)
}

// unexpected reports the current token where it does not belong.
func (p *parser) unexpected(want string) *Error {
	switch p.tok.kind {
	case tEOF:
		return p.errorf(ErrInvalid, p.tok.off, "unexpected end of value, expected %s", want)
	case tOr:
		return p.errorf(ErrUnsupported, p.tok.off, "fallback rules (||) are not supported")
	case tUnterminated:
		return p.errorf(ErrInvalid, p.tok.off, "comment without closing quote")
	case tWord:
		if err := p.wordError(); err != nil && err.Kind == ErrUnsupported {
			return err
		}
	}
	return p.errorf(ErrInvalid, p.tok.off, "unexpected %s, expected %s", quote(p.tok.text), want)
}

type wordKind uint8

const (
	wUnknown wordKind = iota
	wDay
	wHoliday
	wOpen
	wClosed
	wUnknownState
	wMonth
	wVariableTime
	wUnsupported
)

type word struct {
	kind wordKind
	n    int // day index (Monday 0) or holiday bit
}

var words = map[string]word{
	"mo": {wDay, 0}, "tu": {wDay, 1}, "we": {wDay, 2}, "th": {wDay, 3},
	"fr": {wDay, 4}, "sa": {wDay, 5}, "su": {wDay, 6},
	"ph": {wHoliday, holidayPH}, "sh": {wHoliday, holidaySH},
	"open": {wOpen, 0}, "closed": {wClosed, 0}, "off": {wClosed, 0},
	"unknown": {wUnknownState, 0},
	"jan":     {wMonth, 0}, "feb": {wMonth, 0}, "mar": {wMonth, 0}, "apr": {wMonth, 0},
	"may": {wMonth, 0}, "jun": {wMonth, 0}, "jul": {wMonth, 0}, "aug": {wMonth, 0},
	"sep": {wMonth, 0}, "oct": {wMonth, 0}, "nov": {wMonth, 0}, "dec": {wMonth, 0},
	"sunrise": {wVariableTime, 0}, "sunset": {wVariableTime, 0},
	"dawn": {wVariableTime, 0}, "dusk": {wVariableTime, 0},
	"week": {wUnsupported, 0}, "easter": {wUnsupported, 0},
}

// lookup classifies a word, ignoring ASCII case, without allocating.
func lookup(s string) word {
	var buf [7]byte
	if len(s) > len(buf) {
		return word{}
	}
	for i := range len(s) {
		buf[i] = s[i] | 0x20 // words are ASCII letters
	}
	return words[string(buf[:len(s)])]
}

// isDayWord reports whether the current token is a day or a holiday.
func (p *parser) isDayWord() bool {
	if p.tok.kind != tWord {
		return false
	}
	k := lookup(p.tok.text).kind
	return k == wDay || k == wHoliday
}

// wordError returns the error for a word that cannot start or continue a
// day selector, or nil for days and holidays.
func (p *parser) wordError() *Error {
	w := lookup(p.tok.text)
	switch w.kind {
	case wDay, wHoliday:
		return nil
	case wMonth:
		return p.errorf(ErrUnsupported, p.tok.off, "month selectors such as %s are not supported", quote(p.tok.text))
	case wVariableTime:
		return p.errorf(ErrUnsupported, p.tok.off, "variable times such as %s are not supported", quote(p.tok.text))
	case wUnknownState:
		return p.errorf(ErrUnsupported, p.tok.off, "the unknown state is not supported")
	case wUnsupported:
		return p.errorf(ErrUnsupported, p.tok.off, "%s selectors are not supported", quote(p.tok.text))
	case wOpen, wClosed:
		return p.errorf(ErrInvalid, p.tok.off, "unexpected %s, expected a day", quote(p.tok.text))
	}
	return p.errorf(ErrInvalid, p.tok.off, "unknown word %s (days are Mo Tu We Th Fr Sa Su)", quote(p.tok.text))
}

// parseRule parses one rule: [selector] [times] [state] [comment].
func (p *parser) parseRule(additive bool) (rule, error) {
	r := rule{additive: additive}
	ruleOff := p.tok.off
	hasSel := false
	switch p.tok.kind {
	case tNum:
		if p.tok.text == "24" {
			st := p.save()
			p.advance()
			if p.tok.kind != tSlash {
				p.restore(st)
				break
			}
			p.advance()
			if p.tok.kind != tNum || p.tok.text != "7" {
				return r, p.unexpected("'7' after '24/'")
			}
			p.advance()
			r.sel.all = true
			hasSel = true
		} else if len(p.tok.text) == 4 {
			st := p.save()
			p.advance()
			isTime := p.tok.kind == tColon
			p.restore(st)
			if !isTime {
				return r, p.errorf(ErrUnsupported, p.tok.off, "year selectors such as %s are not supported", quote(p.tok.text))
			}
		}
	case tWord:
		w := lookup(p.tok.text)
		switch w.kind {
		case wDay, wHoliday:
			sel, err := p.parseSelector()
			if err != nil {
				return r, err
			}
			r.sel = sel
			hasSel = true
		case wOpen, wClosed:
		default:
			return r, p.wordError()
		}
	case tComment:
	default:
		return r, p.unexpected("a day, a time range or a state")
	}
	if additive && (!hasSel || r.sel.all) {
		return r, p.errorf(ErrInvalid, ruleOff, "a rule after ',' must start with a day or holiday")
	}

	if p.tok.kind == tNum {
		if r.sel.all {
			return r, p.unexpected("';' after 24/7")
		}
		more, err := p.parseTimes(&r)
		if err != nil || more {
			p.additiveNext = more
			return r, err
		}
	}

	if p.tok.kind == tWord {
		switch lookup(p.tok.text).kind {
		case wOpen:
			r.open = true
		case wClosed:
			r.closed = true
		case wDay, wHoliday:
			return r, p.errorf(ErrInvalid, p.tok.off, "unexpected day %s, missing ';' before it?", quote(p.tok.text))
		default:
			return r, p.wordError()
		}
		p.advance()
	}

	if p.tok.kind == tComment {
		r.comment = p.tok.text[1 : len(p.tok.text)-1]
		r.hasComment = true
		p.advance()
		if !r.open && !r.closed && len(r.times) == 0 && !r.sel.all {
			return r, p.errorf(ErrUnsupported, ruleOff, "a comment without time or state means an unknown state, which is not supported")
		}
	}

	if p.tok.kind == tComma {
		p.advance()
		p.additiveNext = true
	}
	return r, nil
}

// parseSelector parses days and holidays: a comma-separated group, or a
// holiday group followed by a day group ("SH Mo-Fr", both must match).
func (p *parser) parseSelector() (selector, error) {
	var sel selector
	g, err := p.parseGroup()
	if err != nil {
		return sel, err
	}
	sel.groups = append(sel.groups, g)
	if !p.isDayWord() {
		return sel, nil
	}
	off := p.tok.off
	g2, err := p.parseGroup()
	if err != nil {
		return sel, err
	}
	if g.days != 0 || g2.holidays != 0 || p.isDayWord() {
		return sel, p.errorf(ErrInvalid, off, "expected ',' between days")
	}
	sel.groups = append(sel.groups, g2)
	return sel, nil
}

// parseGroup parses a comma-separated list of days, day ranges and
// holidays; the current token is a day or a holiday.
func (p *parser) parseGroup() (dayGroup, error) {
	var g dayGroup
	for {
		if err := p.wordError(); err != nil {
			return g, err
		}
		w := lookup(p.tok.text)
		p.advance()
		if w.kind == wHoliday {
			g.holidays |= uint8(w.n)
			if p.tok.kind == tPlus || p.tok.kind == tDash {
				return g, p.errorf(ErrUnsupported, p.tok.off, "holiday offsets such as 'PH +1 day' are not supported")
			}
		} else {
			if err := p.checkNth(); err != nil {
				return g, err
			}
			from, to := w.n, w.n
			if p.tok.kind == tDash {
				p.advance()
				if p.tok.kind != tWord {
					return g, p.unexpected("a day after '-'")
				}
				w2 := lookup(p.tok.text)
				if w2.kind != wDay {
					if err := p.wordError(); err != nil && err.Kind == ErrUnsupported {
						return g, err
					}
					return g, p.errorf(ErrInvalid, p.tok.off, "unexpected %s, expected a day after '-'", quote(p.tok.text))
				}
				to = w2.n
				p.advance()
				if err := p.checkNth(); err != nil {
					return g, err
				}
			}
			for d := from; ; d = (d + 1) % 7 {
				g.days |= 1 << d
				if d == to {
					break
				}
			}
		}
		if p.tok.kind != tComma {
			return g, nil
		}
		p.advance()
		if p.tok.kind != tWord {
			return g, p.unexpected("a day after ','")
		}
	}
}

// checkNth rejects the nth-weekday syntax, as in Th[1].
func (p *parser) checkNth() *Error {
	if p.tok.kind == tOther && p.tok.text == "[" {
		return p.errorf(ErrUnsupported, p.tok.off, "nth weekday selectors such as Th[1] are not supported")
	}
	return nil
}

// parseTimes parses a comma-separated list of time ranges. It reports
// more when a comma followed by a day ended the list: the next rule is an
// additional one.
func (p *parser) parseTimes(r *rule) (more bool, err error) {
	for {
		tr, err := p.parseTimeRange()
		if err != nil {
			return false, err
		}
		r.times = append(r.times, tr)
		if p.tok.kind != tComma {
			return false, nil
		}
		p.advance()
		switch p.tok.kind {
		case tNum:
		case tWord:
			return true, nil
		default:
			return false, p.unexpected("a time range or a day after ','")
		}
	}
}

// parseTimeRange parses HH:MM-HH:MM. An end at or before the start is on
// the next day; so is an end written past 24:00, as in 22:00-26:00.
func (p *parser) parseTimeRange() (timeRange, error) {
	off := p.tok.off
	start, err := p.parseClock(false)
	if err != nil {
		return timeRange{}, err
	}
	if p.tok.kind != tDash {
		switch p.tok.kind {
		case tPlus:
			return timeRange{}, p.errorf(ErrUnsupported, p.tok.off, "open ends such as 18:00+ are not supported")
		case tEOF, tSemi, tComma, tComment:
			return timeRange{}, p.errorf(ErrUnsupported, off, "times without an end are not supported")
		}
		return timeRange{}, p.unexpected("'-' after the start time")
	}
	p.advance()
	end, err := p.parseClock(true)
	if err != nil {
		return timeRange{}, err
	}
	switch p.tok.kind {
	case tPlus:
		return timeRange{}, p.errorf(ErrUnsupported, p.tok.off, "open ends such as 18:00+ are not supported")
	case tSlash:
		return timeRange{}, p.errorf(ErrUnsupported, p.tok.off, "repeating times such as 10:00-16:00/01:00 are not supported")
	}
	if end <= start {
		end += minutesPerDay
	}
	if end-start > minutesPerDay {
		return timeRange{}, p.errorf(ErrUnsupported, off, "time ranges longer than 24 hours are not supported")
	}
	return timeRange{start, end}, nil
}

// parseClock parses H:MM or HH:MM, returning minutes since midnight. A
// start is before 24:00; an end may go up to 48:00.
func (p *parser) parseClock(isEnd bool) (int, error) {
	switch {
	case p.tok.kind == tWord && lookup(p.tok.text).kind == wVariableTime,
		p.tok.kind == tOther && p.tok.text == "(":
		return 0, p.errorf(ErrUnsupported, p.tok.off, "variable times such as sunrise are not supported")
	case p.tok.kind != tNum:
		return 0, p.unexpected("a time HH:MM")
	}
	hourTok := p.tok
	if len(hourTok.text) > 2 {
		return 0, p.errorf(ErrInvalid, hourTok.off, "hour %s must have one or two digits, as in 09:00", quote(hourTok.text))
	}
	h, _ := strconv.Atoi(hourTok.text)
	p.advance()
	if p.tok.kind != tColon {
		return 0, p.unexpected("':' after the hour")
	}
	p.advance()
	if p.tok.kind != tNum || len(p.tok.text) != 2 {
		return 0, p.unexpected("two-digit minutes")
	}
	m, _ := strconv.Atoi(p.tok.text)
	if m > 59 {
		return 0, p.errorf(ErrInvalid, p.tok.off, "minutes %s out of range", quote(p.tok.text))
	}
	p.advance()
	if !isEnd && h > 23 {
		return 0, p.errorf(ErrInvalid, hourTok.off, "start hour %d out of range 00-23", h)
	}
	if isEnd && (h > 48 || h == 48 && m > 0) {
		return 0, p.errorf(ErrInvalid, hourTok.off, "end hour %d out of range 00-48", h)
	}
	return h*60 + m, nil
}
