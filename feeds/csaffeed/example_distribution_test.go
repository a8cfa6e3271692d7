package csaffeed_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/csaffeed"
)

// ExampleParseROLIE reads a ROLIE feed written like CISA's IT feed, whose
// hash and signature links say "ref" instead of "rel".
func ExampleParseROLIE() {
	const feed = `{"feed": {
  "id": "cisa-csaf-it-feed-tlp-white",
  "category": [{"scheme": "urn:ietf:params:rolie:category:information-type", "term": "csaf"}],
  "updated": "2024-10-10T18:21:27Z",
  "entry": [{
    "id": "VA-24-254-02",
    "title": "TopQuadrant TopBraid EDG",
    "link": [
      {"rel": "self", "href": "https://example.org/white/2024/va-24-254-02.json"},
      {"ref": "hash", "href": "https://example.org/white/2024/va-24-254-02.json.sha512"}
    ],
    "published": "2024-09-10T16:03:00Z",
    "updated": "2024-10-03T16:03:00Z",
    "content": {"type": "application/json", "src": "https://example.org/white/2024/va-24-254-02.json"}
  }]
}}`
	f, err := csaffeed.ParseROLIE(strings.NewReader(feed), "feed.json")
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range f.Entries {
		fmt.Println(e.ID, e.Updated.Format("2006-01-02"))
		fmt.Println(" document:", e.DocumentURL())
		fmt.Println(" hash:    ", e.HashURL())
	}
	fmt.Println(f.Warnings)
	// Output:
	// VA-24-254-02 2024-10-03
	//  document: https://example.org/white/2024/va-24-254-02.json
	//  hash:     https://example.org/white/2024/va-24-254-02.json.sha512
	// [feed.entry[0].link[1]: link has "ref": "hash" instead of "rel"; relation "hash" taken from the href]
}

// ExampleParseChanges reads rows of CISA's and Red Hat's changes.csv and
// resolves them against their directories.
func ExampleParseChanges() {
	const rows = `csaf_files/IT/white/2024/va-24-254-02.json,2024-10-03T16:03:00.000Z
"2024/rhsa-2024_0010.json","2025-02-18T14:28:08+00:00"
`
	changes, err := csaffeed.ParseChanges(strings.NewReader(rows), "changes.csv")
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range changes {
		u, err := csaffeed.ResolvePath("https://example.org/csaf/white/", c.Path)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(c.Line, c.Updated.Format("2006-01-02T15:04Z07:00"), u)
	}
	// Output:
	// 1 2024-10-03T16:03Z https://example.org/csaf/white/2024/va-24-254-02.json
	// 2 2025-02-18T14:28Z https://example.org/csaf/white/2024/rhsa-2024_0010.json
}

// ExampleNew reads a directory distribution: a loopback server stands in
// for CISA's repository, serving its real changes.csv, documents and
// .sha512 files. A second Fetch downloads nothing that has not changed.
func ExampleNew() {
	files := http.StripPrefix("/csaf_files/IT/white/", http.FileServer(http.Dir("testdata/distribution/cisa/IT")))
	srv := httptest.NewServer(files)
	defer srv.Close()

	src := csaffeed.New(&csaffeed.Options{
		Name:         "cisa-csaf-it",
		URL:          srv.URL + "/csaf_files/IT/white/",
		VerifyHashes: true,
	})
	rep, err := src.FetchWithReport(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep.Kind, "documents:", rep.Downloaded, "advisories:", len(rep.Advisories))
	for _, a := range rep.Advisories[:3] {
		fmt.Println(a.Source, a.ID, a.Extra[csaffeed.ExtraHashVerified])
	}

	// http.FileServer sends Last-Modified: the second Fetch is answered
	// 304 and reports feeds.ErrNotModified without touching any document.
	_, err = src.Fetch(context.Background())
	fmt.Println("second fetch not modified:", errors.Is(err, feeds.ErrNotModified))
	// Output:
	// directory documents: 4 advisories: 9
	// cisa-csaf-it VA-24-254-02/CVE-2024-45744 sha512
	// cisa-csaf-it VA-24-254-02/CVE-2024-45745 sha512
	// cisa-csaf-it VA-24-262-01/CVE-2024-43201 sha512
	// second fetch not modified: true
}
