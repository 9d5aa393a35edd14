package standard

import "strings"

// regionWords are the words naming the regions of an import in messages,
// from its region setting: one code ("32"), a comma-separated list
// ("28,32") or "all".
type regionWords struct {
	the string // "la région 32", "les régions 28, 32", "les régions de France"
	of  string // "de la région 32", "des régions 28, 32", "des régions de France"
	its string // "sa", "leur"
	pl  string // "ses", "leurs"
}

// words returns the words naming o.Region.
func (o Options) words() regionWords {
	spec := strings.TrimSpace(o.Region)
	if strings.EqualFold(spec, "all") || strings.EqualFold(spec, "toutes") {
		return regionWords{the: "les régions de France", of: "des régions de France", its: "leur", pl: "leurs"}
	}
	var codes []string
	for _, c := range strings.Split(spec, ",") {
		if c = strings.TrimSpace(c); c != "" {
			codes = append(codes, c)
		}
	}
	if len(codes) > 1 {
		list := strings.Join(codes, ", ")
		return regionWords{the: "les régions " + list, of: "des régions " + list, its: "leur", pl: "leurs"}
	}
	return regionWords{the: "la région " + spec, of: "de la région " + spec, its: "sa", pl: "ses"}
}
