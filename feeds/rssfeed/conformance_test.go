package rssfeed

import (
	"io"
	"net/http"
	"os"
	"testing"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/feeds/feedtest"
)

// TestConformance runs the feeds/feedtest kit over the Source, once per
// format, each with a real captured file served on loopback.
func TestConformance(t *testing.T) {
	for _, f := range []string{"al2-alas.rss.xml", "debian-news-rss1.0.rdf", "npm.rss", "npm.json"} {
		t.Run(f, func(t *testing.T) {
			body, err := os.ReadFile("testdata/" + f)
			if err != nil {
				t.Fatal(err)
			}
			feedtest.Run(t, feedtest.Harness{
				New: func(base string, c *http.Client) (feeds.Source, error) {
					return New(&Options{Name: "vendor-feed", URL: base + "/feed", HTTP: feedhttp.New(&feedhttp.Options{HTTPClient: c})}), nil
				},
				Files: map[string][]byte{"/feed": body},
				Parse: func(r io.Reader) error { _, err := Parse(r, f); return err },
			})
		})
	}
}
