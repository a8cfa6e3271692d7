package cve5feed_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/sigwatch/sigwatch/feeds/cve5feed"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
)

// Parse one CISA Vulnrichment record: the CNA's ranges, the CISA-ADP SSVC
// decision and the KEV listing end up in one advisory.
func ExampleParse() {
	f, err := os.Open("testdata/vulnrichment-kev/CVE-2024-21762.json")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	rec, err := cve5feed.Parse(f, "CVE-2024-21762.json")
	if err != nil {
		log.Fatal(err)
	}
	a := rec.Advisory
	fmt.Println(a.ID, a.Publisher, a.Severity)
	fmt.Println("KEV-listed:", a.KEVListed(), a.Exploitation.KEV.DateAdded.Format("2006-01-02"))
	fmt.Println("SSVC:", a.Exploitation.SSVC.Exploitation, a.Exploitation.SSVC.Automatable, a.Exploitation.SSVC.TechnicalImpact)
	first := a.Affected[0]
	fmt.Println(first.Vendor, first.Product, first.Status, "unless listed:", first.DefaultStatus)
	r := first.Ranges[0]
	fmt.Println(r.Type, r.Events[0].Introduced, "to", r.Events[1].LastAffected)
	// Output:
	// CVE-2024-21762 fortinet critical
	// KEV-listed: true 2024-02-09
	// SSVC: active yes total
	// Fortinet FortiProxy affected unless listed: not_affected
	// semver 7.4.0 to 7.4.2
}

// Versions that are not plain versions are kept verbatim as TEXT ranges and
// reported, never read as "not affected".
func ExampleParse_proseVersion() {
	f, err := os.Open("testdata/vulnrichment-kev/CVE-2020-17519.json")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	rec, err := cve5feed.Parse(f, "CVE-2020-17519.json")
	if err != nil {
		log.Fatal(err)
	}
	r := rec.Advisory.Affected[0].Ranges[0]
	fmt.Printf("%s %q\n", r.Type, r.Expr)
	fmt.Println(len(rec.Warnings), "warning")
	// Output:
	// TEXT "Apache Flink 1.11.0 to 1.11.2"
	// 1 warning
}

// Look up a CVE named by a KEV entry to learn its affected versions. The
// server here stands in for the CVE Services API.
func ExampleSource_Lookup() {
	body, err := os.ReadFile("testdata/vulnrichment-kev/CVE-2024-3400.json")
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/CVE-2024-3400") {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
	}))
	defer srv.Close()

	src := cve5feed.New(&cve5feed.Options{
		URLTemplate: srv.URL + "/api/cve/{id}",
		HTTP:        feedhttp.New(&feedhttp.Options{Retries: -1}),
	})
	a, err := src.Lookup(context.Background(), "cve-2024-3400")
	if err != nil {
		log.Fatal(err)
	}
	for _, af := range a.Affected[:2] {
		fmt.Println(af.Product, af.Status, len(af.Versions)+len(af.Ranges))
	}
	_, err = src.Lookup(context.Background(), "CVE-2099-0001")
	fmt.Println(errors.Is(err, cve5feed.ErrNotFound))
	// Output:
	// PAN-OS not_affected 4
	// PAN-OS affected 3
	// true
}
