package intake

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/register"
)

func TestHistory(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 9, 0, 0, 0, time.UTC) }
	cases := []Case{
		{ID: "CVE-1", Receipts: []Receipt{
			{Source: "cisa-kev", ReceivedAt: day(3)},
			{Source: "ncsc-all", ReceivedAt: day(5)},
		}},
		{ID: "CVE-2", Receipts: []Receipt{
			{Source: "cisa-kev", ReceivedAt: day(1)}, // older than CVE-1's: not the latest
			{Source: "fs-isac-post", Group: "fs-isac", ReceivedAt: day(7), Manual: true},
			{Source: "x", Group: "fs-isac", ReceivedAt: day(2), Manual: true},
		}},
	}
	got := History(cases, day(1))
	want := &register.History{
		Since:        day(1),
		LastReceived: map[string]time.Time{"cisa-kev": day(3), "ncsc-all": day(5)},
		LastManual:   map[string]time.Time{"fs-isac": day(7)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("History (-want +got):\n%s", diff)
	}
}
