package feedtest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedtest"
	"github.com/sigwatch/sigwatch/feeds/kevfeed"
)

func kevFile(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../kevfeed/testdata/known_exploited_vulnerabilities_2025-08-21.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func kevHarness(t *testing.T) feedtest.Harness {
	return feedtest.Harness{
		New: func(base string, c *http.Client) (feeds.Source, error) {
			return kevfeed.New(&kevfeed.Options{URL: base + "/kev.json", HTTPClient: c}), nil
		},
		Files: map[string][]byte{"/kev.json": kevFile(t)},
		Parse: func(r io.Reader) error { _, err := kevfeed.Parse(r, "kev.json"); return err },
	}
}

// TestKEVConforms runs the kit on the real KEV adapter and the real
// 2025-08-21 catalog.
func TestKEVConforms(t *testing.T) {
	feedtest.Run(t, kevHarness(t))
	feedtest.Run(t, feedtest.Harness{New: func(string, *http.Client) (feeds.Source, error) { return kevfeed.SnapshotSource(), nil }})
}

// The kit must catch broken sources: each case breaks one rule and the
// check that names it must report it.
func TestKitCatchesViolations(t *testing.T) {
	two := []feeds.Advisory{{ID: "CVE-2025-0001"}, {ID: "CVE-2025-0002"}}
	var calls atomic.Int64
	tests := []struct {
		name  string
		src   func() feeds.Source
		files bool
		want  string
	}{
		{"empty name", func() feeds.Source { return feeds.SourceFunc("", okFetch(two)) }, false, "Name: Name() is empty"},
		{"name with space", func() feeds.Source { return feeds.SourceFunc("my feed", okFetch(two)) }, false, "contains spaces"},
		{"duplicate IDs", func() feeds.Source {
			return feeds.SourceFunc("dup", okFetch([]feeds.Advisory{{ID: "X-1"}, {ID: "x-1 "}}))
		}, false, "duplicate ID in one Fetch"},
		{"missing ID", func() feeds.Source { return feeds.SourceFunc("noid", okFetch([]feeds.Advisory{{Title: "t"}})) }, false, "has no ID"},
		{"foreign provenance", func() feeds.Source {
			return feeds.SourceFunc("mine", okFetch([]feeds.Advisory{{ID: "A", Source: "cisa-kev"}}))
		}, false, `Source "cisa-kev", want empty or the source name "mine"`},
		{"reserved Extra", func() feeds.Source {
			return feeds.SourceFunc("x", okFetch([]feeds.Advisory{{ID: "A", Extra: map[string]string{"intake.receivedAt": "now"}}}))
		}, false, "reserved prefix"},
		{"nondeterministic", func() feeds.Source {
			return feeds.SourceFunc("clock", func(ctx context.Context) ([]feeds.Advisory, error) {
				return []feeds.Advisory{{ID: "A", Title: time.Now().String() + string(rune('a'+calls.Add(1)%26))}}, nil
			})
		}, false, "Deterministic: two fresh sources fetched different results"},
		{"ignores cancellation", func() feeds.Source {
			return ignoresCtx{}
		}, false, "CancelledContext: Fetch with a cancelled context succeeded"},
		{"swallows HTTP errors", func() feeds.Source { return lenient{} }, true, "HTTPErrors: HTTP 404: Fetch succeeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := feedtest.Harness{New: func(base string, c *http.Client) (feeds.Source, error) { return tt.src(), nil }, Timeout: 5 * time.Second}
			if tt.files {
				h.Files = map[string][]byte{"/f": []byte("{}")}
			}
			err := feedtest.Check(h)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Check error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

// TestKitCatchesParserFlaws breaks Parse: a panic on deep nesting, and
// accepting anything.
func TestKitCatchesParserFlaws(t *testing.T) {
	h := feedtest.Harness{
		New:     func(string, *http.Client) (feeds.Source, error) { return feeds.SourceFunc("p", okFetch(nil)), nil },
		Timeout: 5 * time.Second,
		Parse: func(r io.Reader) error {
			b, _ := io.ReadAll(r)
			if strings.HasPrefix(string(b), "[[[[") {
				var deep func(int) int
				deep = func(n int) int {
					if n == 0 {
						panic("too deep")
					}
					return deep(n-1) + 1
				}
				deep(10)
			}
			return nil
		},
	}
	err := feedtest.Check(h)
	for _, want := range []string{"deep JSON: Parse panicked: too deep", "html: Parse succeeded", "empty: Parse succeeded"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Check error = %v\nwant it to contain %q", err, want)
		}
	}
}

func TestHarnessNeedsNew(t *testing.T) {
	if err := feedtest.Check(feedtest.Harness{}); err == nil {
		t.Error("Check accepted a harness without New")
	}
}

func TestHostileInputs(t *testing.T) {
	valid := kevFile(t)
	in := feedtest.Hostile(valid)
	names := map[string]bool{}
	for _, h := range in {
		names[h.Name] = true
		if h.Name == "valid input 0 truncated at half" && len(h.Body) != len(valid)/2 {
			t.Errorf("truncation has %d bytes", len(h.Body))
		}
		if h.Name == "valid input 0 with invalid UTF-8" && !strings.Contains(string(h.Body), "\xff\xfe") {
			t.Error("no invalid UTF-8 spliced in")
		}
	}
	for _, want := range []string{"empty", "html", "binary", "deep JSON", "deep XML", "billion laughs", "external entity", "valid input 0 truncated at half"} {
		if !names[want] {
			t.Errorf("no %q input", want)
		}
	}
}

func okFetch(advs []feeds.Advisory) func(context.Context) ([]feeds.Advisory, error) {
	return func(ctx context.Context) ([]feeds.Advisory, error) {
		out := make([]feeds.Advisory, len(advs))
		for i := range advs {
			out[i] = advs[i].Clone()
		}
		return out, nil
	}
}

type ignoresCtx struct{}

func (ignoresCtx) Name() string { return "stubborn" }
func (ignoresCtx) Fetch(context.Context) ([]feeds.Advisory, error) {
	return []feeds.Advisory{{ID: "A"}}, nil
}

// lenient fetches over HTTP but treats any answer as an empty feed.
type lenient struct{}

func (lenient) Name() string { return "lenient" }
func (lenient) Fetch(ctx context.Context) ([]feeds.Advisory, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return nil, nil
}

// TestKitOnlyFlagsRealPanics: an adapter error that merely contains the
// word "panicked" is an ordinary error, not a panic found by the kit.
func TestKitOnlyFlagsRealPanics(t *testing.T) {
	err := feedtest.Check(feedtest.Harness{
		New: func(string, *http.Client) (feeds.Source, error) { return feeds.SourceFunc("p", okFetch(nil)), nil },
		Parse: func(r io.Reader) error {
			return errors.New("upstream panicked: the feed is an error page")
		},
	})
	if err != nil {
		t.Errorf("Check = %v, want no violation", err)
	}
}
