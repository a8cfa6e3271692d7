package memfeed

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedtest"
)

func ids(advs []feeds.Advisory) []string {
	var out []string
	for _, a := range advs {
		out = append(out, a.ID)
	}
	return out
}

func TestSource(t *testing.T) {
	ctx := context.Background()
	s := New("isac", feeds.Advisory{ID: "A-1", Title: "one"}, feeds.Advisory{ID: "B-2"}, feeds.Advisory{ID: " a-1 ", Title: "one again"})
	got, err := s.Fetch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(got), []string{" a-1 ", "B-2"}) || got[0].Title != "one again" || got[0].Source != "isac" {
		t.Errorf("Fetch = %+v", got)
	}

	// Copies in both directions.
	in := feeds.Advisory{ID: "C-3", Aliases: []string{"CVE-2025-0001"}}
	s.Put(in)
	in.Aliases[0] = "changed"
	got, _ = s.Fetch(ctx)
	got[2].Aliases[0] = "changed too"
	again, _ := s.Fetch(ctx)
	if again[2].Aliases[0] != "CVE-2025-0001" {
		t.Errorf("stored advisory was modified through a caller's slice: %v", again[2].Aliases)
	}

	s.Remove("b-2", "nope")
	if got, _ := s.Fetch(ctx); !slices.Equal(ids(got), []string{" a-1 ", "C-3"}) || s.Len() != 2 {
		t.Errorf("after Remove: %v", ids(got))
	}
	s.Set(feeds.Advisory{ID: "D-4"}, feeds.Advisory{ID: ""})
	if got, _ := s.Fetch(ctx); !slices.Equal(ids(got), []string{"D-4"}) {
		t.Errorf("after Set: %v", ids(got))
	}

	dead := &feeds.HTTPError{URL: "https://isac.example/api", StatusCode: http.StatusServiceUnavailable}
	s.FailWith(dead)
	var he *feeds.HTTPError
	if _, err := s.Fetch(ctx); !errors.As(err, &he) || he.StatusCode != 503 {
		t.Errorf("FailWith: err = %v", err)
	}
	s.FailWith(nil)
	if _, err := s.Fetch(ctx); err != nil {
		t.Errorf("after FailWith(nil): %v", err)
	}
}

func TestNewPanicsOnBadName(t *testing.T) {
	for _, name := range []string{"", "two words"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%q) did not panic", name)
				}
			}()
			New(name)
		}()
	}
}

func TestConformance(t *testing.T) {
	feedtest.Run(t, feedtest.Harness{
		New: func(string, *http.Client) (feeds.Source, error) {
			return New("memory", feeds.Advisory{ID: "CVE-2024-3400"}, feeds.Advisory{ID: "GHSA-jfh8-c2jp-5v3q", Aliases: []string{"CVE-2021-44228"}}), nil
		},
	})
}
