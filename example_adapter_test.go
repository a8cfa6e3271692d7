package sigwatch_test

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedtest"
)

// This is the adapter sample in README.md ("Writing a feed adapter"): keep
// the two in step.
func Example_adapter() {
	// A one-off channel: your ISAC's portal, say. Return every advisory or an error, never part.
	portal := func(ctx context.Context) ([]feeds.Advisory, error) {
		return []feeds.Advisory{{ID: "ISAC-2026-0042", Aliases: []string{"CVE-2026-0001"},
			Publisher: "Example ISAC", Title: "Widget 2.1 lets anyone in",
			Published: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
			Affected:  []feeds.Affected{{Vendor: "Widget Co", Product: "Widget"}}}}, nil
	}
	err := feedtest.Check(feedtest.Harness{ // in a test: feedtest.Run(t, harness)
		New: func(string, *http.Client) (feeds.Source, error) {
			return feeds.SourceFunc("isac-portal", portal), nil
		},
	})
	fmt.Println("conforms:", err == nil)
	// Output:
	// conforms: true
}
