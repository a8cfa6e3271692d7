package kevfeed

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// noteURLsRegexp is the original, regular-expression implementation of
// noteURLs. It is kept as an independent oracle: the hand-written scanner
// must agree with it on every real notes field and on the fuzz corpus.
func noteURLsRegexp(notes string) []string {
	noteSplit := regexp.MustCompile(`\s*;\s*`)
	noteURL := regexp.MustCompile(`(?i)https?://[^\s"'<>\x60]+`)
	joinedURL := regexp.MustCompile(`(?i),\s*https?://`)
	splitJoined := func(s string) []string {
		var out []string
		for {
			loc := joinedURL.FindStringIndex(s)
			if loc == nil {
				return append(out, s)
			}
			out = append(out, s[:loc[0]])
			s = strings.TrimLeft(s[loc[0]+1:], " \t\r\n")
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, part := range noteSplit.Split(notes, -1) {
		for _, m := range noteURL.FindAllString(part, -1) {
			for _, u := range splitJoined(m) {
				u = trimURL(u)
				if len(u) <= strings.Index(u, "://")+len("://") || seen[u] {
					continue
				}
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	return out
}

var noteCases = []string{
	"", "N/A", "https://a.example/1; https://b.example/2", "see https://a/x;https://b/y ;  HTTPS://C/Z",
	"https://a/1,https://a/2, http://a/3", "prose (https://a/b)) end.", `https://x/y",`, "http://", "https://;",
	"hTtP://mixed/Case", "httpx://no", "https:/one-slash", "text http://a/b\thttp://c/d", "https://a/1,,https://a/2",
	"https://dup/1; https://dup/1", "https://a/é/ü;\xff https://b/\xfe", "https://a/`x` <https://b/c>",
}

func TestNoteURLsAgreesWithRegexp(t *testing.T) {
	inputs := slices.Clone(noteCases)
	for _, f := range []string{currentFile, "testdata/known_exploited_vulnerabilities_2025-02-26.json"} {
		if _, err := os.Stat(f); err != nil {
			t.Fatal(err)
		}
		for _, a := range parseFile(t, f).Advisories {
			inputs = append(inputs, a.Exploitation.KEV.Notes)
		}
	}
	for _, in := range inputs {
		if got, want := noteURLs(in), noteURLsRegexp(in); !slices.Equal(got, want) {
			t.Errorf("noteURLs(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

func FuzzNoteURLs(f *testing.F) {
	for _, c := range noteCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if got, want := noteURLs(in), noteURLsRegexp(in); !slices.Equal(got, want) {
			t.Errorf("noteURLs(%q)\n got %q\nwant %q", in, got, want)
		}
	})
}
