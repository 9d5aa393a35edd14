package sqlite

import (
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"
)

func TestStrings(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []string
		enc  string
	}{
		{"nil", nil, `[]`},
		{"empty", []string{}, `[]`},
		{"one", []string{"Fixe"}, `["Fixe"]`},
		{"accents", []string{"Itinérant", "À distance"}, `["Itinérant","À distance"]`},
		{"empty string", []string{""}, `[""]`},
		{"empty strings", []string{"", "", "a"}, `["","","a"]`},
		{"punctuation", []string{"a,b", "[c]", "d]", `e","f`}, `["a,b","[c]","d]","e\",\"f"]`},
		{"escapes", []string{"\"q\"", `b\s`, "n\nr\rt\t", "\x00\x1f"}, `["\"q\"","b\\s","n\nr\rt\t","\u0000\u001f"]`},
		{"html and separators", []string{"<a&b>", "\u2028"}, "[\"<a&b>\",\"\u2028\"]"},
		{"emoji", []string{"📚"}, `["📚"]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			enc := encodeStrings(tc.in)
			if enc != tc.enc {
				t.Errorf("encodeStrings = %s, want %s", enc, tc.enc)
			}
			if !json.Valid([]byte(enc)) {
				t.Errorf("encodeStrings = %s: invalid JSON", enc)
			}
			got, err := decodeStrings([]byte(enc))
			if err != nil {
				t.Fatal(err)
			}
			want := tc.in
			if len(want) == 0 {
				want = nil
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("decodeStrings = %q, want %q", got, want)
			}
		})
	}
}

func TestDecodeStringsForeign(t *testing.T) {
	// Arrays written by other tools (sqlite3 shell, json_array) decode too.
	for in, want := range map[string][]string{
		`[ "a" , "b" ]`: {"a", "b"},
		`["\u00e9"]`:    {"é"},
		"[\n]":          nil,
		``:              nil,
		`["a","b"]`:     {"a", "b"},
		`["\/"]`:        {"/"},
		`["a\"]","b"]`:  {`a"]`, "b"},
	} {
		got, err := decodeStrings([]byte(in))
		if err != nil {
			t.Errorf("decodeStrings(%s): %v", in, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("decodeStrings(%s) = %q, want %q", in, got, want)
		}
	}
	for _, in := range []string{`[`, `["a"`, `["a",]`, `["a" "b"]`, `{}`, `[1]`, "[\"\x01\"]"} {
		if got, err := decodeStrings([]byte(in)); err == nil {
			t.Errorf("decodeStrings(%q) = %q, want an error", in, got)
		}
	}
}

// FuzzStrings checks that encodeStrings writes valid JSON that both
// decodeStrings and encoding/json read back as the input.
func FuzzStrings(f *testing.F) {
	f.Add("a", "b", "")
	f.Add("\"", "\\", "\n")
	f.Add("é", "\xff", "],[")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		in := []string{a, b, c}
		enc := encodeStrings(in)
		var std []string
		if err := json.Unmarshal([]byte(enc), &std); err != nil {
			t.Fatalf("encodeStrings(%q) = %s: %v", in, enc, err)
		}
		got, err := decodeStrings([]byte(enc))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, std) {
			t.Fatalf("decodeStrings(%s) = %q, encoding/json %q", enc, got, std)
		}
		for i, s := range in {
			if utf8.ValidString(s) && got[i] != s {
				t.Fatalf("round trip of %q gave %q", s, got[i])
			}
		}
	})
}
