package feeds_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
)

// A custom channel — an ISAC portal's export, say — is a SourceFunc.
func ExampleSourceFunc() {
	portal := feeds.SourceFunc("isac-portal", func(ctx context.Context) ([]feeds.Advisory, error) {
		return []feeds.Advisory{{
			ID:        "ISAC-2026-044",
			Aliases:   []string{"CVE-2024-21762", "FG-IR-24-015"},
			Title:     "Members report FortiOS SSL-VPN exploitation",
			Published: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
			Affected:  []feeds.Affected{{Vendor: "Fortinet", Product: "FortiOS"}},
			TLP:       feeds.TLPAmber,
		}}, nil
	})
	advs, err := portal.Fetch(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range advs {
		fmt.Println(portal.Name(), a.ID, a.CVEs(), a.Keys(), "TLP:"+string(a.TLP))
	}
	// Output:
	// isac-portal ISAC-2026-044 [CVE-2024-21762] [CVE-2024-21762 FG-IR-24-015 ISAC-2026-044] TLP:AMBER
}

func ExampleParseError() {
	err := &feeds.ParseError{Input: "kev.json", Line: 12, Column: 7, Field: "vulnerabilities[3].dateAdded",
		Err: fmt.Errorf("invalid date %q", "2024-13-01")}
	fmt.Println(err)
	// Output:
	// kev.json:12:7: vulnerabilities[3].dateAdded: invalid date "2024-13-01"
}
