package feedtest_test

import (
	"fmt"
	"net/http"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedtest"
	"github.com/sigwatch/sigwatch/feeds/memfeed"
)

// Check runs the conformance checks outside a test, for example from an
// adapter's own command that a vendor runs before shipping it. Here the
// source under test is an in-memory one with a single advisory.
func ExampleCheck() {
	err := feedtest.Check(feedtest.Harness{
		New: func(string, *http.Client) (feeds.Source, error) {
			return memfeed.New("example-isac", feeds.Advisory{ID: "CVE-2026-0001", Publisher: "Example ISAC",
				Title: "Widget 2.1 lets anyone in", Published: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}), nil
		},
	})
	fmt.Println("conforms:", err == nil)
	// Output: conforms: true
}
