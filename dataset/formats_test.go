package dataset

import (
	"strings"
	"testing"
)

// TestEveryPatternDescribed: a value refused for its format is told what
// the format is in words and by example, for every pattern a schema uses,
// never by the regular expression.
func TestEveryPatternDescribed(t *testing.T) {
	for _, s := range All() {
		for i := range s.Fields {
			f := &s.Fields[i]
			if f.Pattern == nil {
				continue
			}
			err := formatError(f.Pattern)
			for _, msg := range []string{err.Msg.ID, err.Msg.EN} {
				if strings.ContainsAny(msg, `^$\[`) || !strings.Contains(msg, "e.g.") && !strings.Contains(msg, "mis.") {
					t.Errorf("%s.%s: a value in the wrong format is told %q, want the format in words with an example", s.Name, f.Name, msg)
				}
			}
		}
	}
	// As a feed meets it: an account code in a made-up format.
	_, _, err := ParseAccountCode("5-1-02")
	if err == nil || !strings.Contains(err.Msg.ID, "mis. 5.1.02.01.01.0024") {
		t.Errorf("ParseAccountCode(5-1-02) = %v, want the format by example", err)
	}
}
