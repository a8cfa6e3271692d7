package feeds_test

import (
	"context"
	"errors"
	"testing"

	"github.com/sigwatch/sigwatch/feeds"
)

func TestSourceFunc(t *testing.T) {
	called := false
	s := feeds.SourceFunc("x", func(context.Context) ([]feeds.Advisory, error) { called = true; return nil, nil })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Fetch(ctx); !errors.Is(err, context.Canceled) || called {
		t.Fatalf("cancelled ctx: err %v, called %v", err, called)
	}
	if _, err := feeds.SourceFunc("nil", nil).Fetch(context.Background()); err == nil {
		t.Fatal("nil fetch function accepted")
	}
}

func TestAdvisoryKeys(t *testing.T) {
	a := feeds.Advisory{ID: " cve-2024-3400 ", Aliases: []string{"CVE-2024-3400", "PAN-SA-2024-0015", ""}}
	if got := a.Keys(); len(got) != 2 || got[0] != "CVE-2024-3400" || got[1] != "PAN-SA-2024-0015" {
		t.Fatalf("Keys = %q", got)
	}
	if got := a.CVEs(); len(got) != 1 || got[0] != "CVE-2024-3400" {
		t.Fatalf("CVEs = %q", got)
	}
	if a.KEVListed() {
		t.Fatal("KEVListed without a listing")
	}
	k := feeds.KEVListing{RansomwareUse: " known "}
	if !k.RansomwareKnown() {
		t.Fatal("RansomwareKnown is not trimmed and case-insensitive")
	}
}
