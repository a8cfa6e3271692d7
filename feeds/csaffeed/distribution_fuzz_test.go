package csaffeed

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/sigwatch/sigwatch/feeds"
)

// distFuzzError checks that a parser error is one of the documented kinds.
func distFuzzError(t *testing.T, err error) {
	var pe *feeds.ParseError
	if !errors.As(err, &pe) && !errors.Is(err, feeds.ErrTooLarge) {
		t.Fatalf("error %v (%T) is not a *feeds.ParseError", err, err)
	}
	if pe != nil && (pe.Line < 1 || pe.Column < 1) {
		t.Fatalf("error %v has no position", err)
	}
}

// FuzzParseROLIE is seeded with CISA's IT feed and the OASIS examples (the
// 2.6 MB OT feed is left out: it would slow each execution down a
// hundredfold).
func FuzzParseROLIE(f *testing.F) {
	for _, p := range []string{
		"cisa/IT/cisa-csaf-it-feed-tlp-white.json",
		"oasis/example-01-feed-tlp-white.json",
		"oasis/example-01-service.json",
	} {
		f.Add(distRead(f, p))
	}
	f.Add([]byte(`{"feed": {"entry": [{"id": "A", "summary": "s", "content": {"src": "a.json"}, "link": [{"ref": "hash", "href": "a.json.sha512"}]}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		feed, err := ParseROLIE(bytes.NewReader(data), "f.json")
		if err != nil {
			distFuzzError(t, err)
			return
		}
		for i := range feed.Entries {
			e := &feed.Entries[i]
			if strings.TrimSpace(e.DocumentURL()) == "" {
				t.Fatalf("entry %d has no document URL", i)
			}
			_ = e.HashURL()
			_ = e.SignatureURL()
			if !e.Updated.IsZero() && e.Updated.Location().String() != "UTC" {
				t.Fatalf("entry %d: updated not in UTC", i)
			}
		}
	})
}

func FuzzParseProviderMetadata(f *testing.F) {
	f.Add(distRead(f, "oasis/example-01-provider-metadata.json"))
	f.Add([]byte(`{"distributions": [{"directory_url": "https://a.example/csaf/white/"}, {"rolie": {"feeds": [{"url": "f.json"}]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		pm, err := ParseProviderMetadata(bytes.NewReader(data), "pm.json")
		if err != nil {
			distFuzzError(t, err)
			return
		}
		for _, d := range pm.Distributions {
			if d.ROLIE == nil {
				continue
			}
			for _, fr := range d.ROLIE.Feeds {
				if strings.TrimSpace(fr.URL) == "" {
					t.Fatal("feed without URL accepted")
				}
				_, _ = fr.TLP()
			}
		}
	})
}

// FuzzParseChanges checks that every accepted path resolves inside the
// directory.
func FuzzParseChanges(f *testing.F) {
	for _, p := range []string{"cisa/IT/changes.csv", "cisa/IT/index.txt", "redhat/changes.csv", "redhat/deletions.csv"} {
		f.Add(distRead(f, p))
	}
	f.Add([]byte("\"2024/a,b.json\",\"2024-01-01T00:00:00+02:00\"\r\n"))
	const dir = "https://a.example/csaf/white/"
	f.Fuzz(func(t *testing.T, data []byte) {
		changes, err := ParseChanges(bytes.NewReader(data), "changes.csv")
		if err != nil {
			distFuzzError(t, err)
			return
		}
		for _, c := range changes {
			if c.Line < 1 {
				t.Fatalf("change %+v without line", c)
			}
			u, err := ResolvePath(dir, c.Path)
			if err != nil {
				t.Fatalf("accepted path %q does not resolve: %v", c.Path, err)
			}
			if !strings.HasPrefix(u, dir) {
				t.Fatalf("path %q resolves to %q, outside %s", c.Path, u, dir)
			}
		}
	})
}
