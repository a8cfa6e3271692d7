package sigwatch_test

import (
	"fmt"
	"log"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/csaffeed"
	"github.com/sigwatch/sigwatch/feeds/kevfeed"
	"github.com/sigwatch/sigwatch/feeds/osvfeed"
	"github.com/sigwatch/sigwatch/feeds/rssfeed"
)

// This is the sources sample in README.md ("Live feeds"): keep the two in step.
// Building sources makes no request; intake.Pipeline.Run fetches them.
func Example_feeds() {
	kev := kevfeed.New(nil)                          // www.cisa.gov catalog
	ncsc, err := rssfeed.FromPreset("ncsc-all", nil) // also msrc, cisco-psirt, ubuntu-usn, …
	if err != nil {
		log.Fatal(err)
	}
	csaf := csaffeed.New(&csaffeed.Options{URL: "https://vendor.example/.well-known/csaf/provider-metadata.json"})
	goVulns := osvfeed.New(&osvfeed.Options{Ecosystem: "Go"}) // osv.dev all.zip

	for _, s := range []feeds.Source{kev, ncsc, csaf, goVulns} {
		fmt.Println(s.Name())
	}
	// Output:
	// cisa-kev
	// ncsc-all
	// csaf
	// osv
}
