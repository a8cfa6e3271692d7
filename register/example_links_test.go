package register_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/sigwatch/sigwatch/register"
)

// Check the links of a register and print the findings. A loopback server
// stands in for the groups' sites here; in real use leave HTTPClient nil.
func ExampleCheckLinks() {
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<!DOCTYPE html><html><title>Example PSIRT</title></html>")
	})
	mux.HandleFunc("/advisories.rss", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/security/advisories.rss", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/security/advisories.rss", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Advisories</title></channel></rss>`)
	})
	srv := httptest.NewUnstartedServer(mux) // anything else answers 404
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()

	reg := &register.Register{Groups: []register.Group{
		{ID: "example-psirt", Name: "Example PSIRT", Kind: register.KindVendor, URL: srv.URL + "/",
			Channels: []register.Channel{{Kind: "rss", URL: srv.URL + "/advisories.rss"}}},
		{ID: "old-forum", Name: "Old Forum", Kind: register.KindForum, URL: srv.URL + "/forum/",
			Channels: []register.Channel{{Kind: "manual"}}},
	}}
	results, err := register.CheckLinks(context.Background(), reg, &register.LinkOptions{HTTPClient: srv.Client()})
	if err != nil {
		log.Fatal(err)
	}
	for _, res := range results {
		fmt.Printf("%s %s: %s\n", res.Group, res.Field, res.Status)
	}
	for _, res := range results {
		if f, ok := res.Finding(); ok {
			// The server's address changes on each run: show a fixed one.
			fmt.Printf("%s %s: %s\n", f.Severity, f.Code, strings.ReplaceAll(f.Message, srv.URL, "https://psirt.example"))
		}
	}
	// Output:
	// example-psirt url: ok
	// example-psirt channels[0].url: moved
	// old-forum url: not_found
	// info link-moved: example-psirt rss channel (channels[0].url) https://psirt.example/advisories.rss moved permanently (301) to https://psirt.example/security/advisories.rss: update the register to the new address
	// error link-not-found: old-forum home page (url) https://psirt.example/forum/ answers 404 Not Found: the page is gone; find the group's current address or retire the entry
}
