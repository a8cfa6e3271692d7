package epssfeed_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/epssfeed"
)

func ExampleParse() {
	const file = `#model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000
cve,epss,percentile
CVE-1999-0001,0.00383,0.73075
CVE-2021-44228,0.94358,0.99954
CVE-2024-0001,5e-05,0.00123
`
	scores, err := epssfeed.Parse(strings.NewReader(file), "epss_scores-2025-02-20.csv")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(scores.Model, scores.Date.Format("2006-01-02"), scores.Len(), "CVEs")
	e, ok := scores.Lookup("CVE-2024-0001")
	fmt.Println(ok, e.Score, e.Percentile)
	// Output:
	// v2023.03.01 2025-02-20 3 CVEs
	// true 5e-05 0.00123
}

func ExampleScores_Enrich() {
	scores, err := epssfeed.Parse(strings.NewReader("cve,epss\nCVE-2021-44228,0.94358\n"), "epss.csv")
	if err != nil {
		log.Fatal(err)
	}
	advs := []feeds.Advisory{
		{ID: "GHSA-jfh8-c2jp-5v3q", Aliases: []string{"CVE-2021-44228"}},
		{ID: "GO-2022-0191", Aliases: []string{"CVE-2018-16875"}},
	}
	n := scores.Enrich(advs)
	fmt.Println(n, "enriched")
	for _, a := range advs {
		if e := a.Exploitation.EPSS; e != nil {
			fmt.Printf("%s EPSS %.1f%%\n", a.ID, 100*e.Score)
		} else {
			fmt.Println(a.ID, "not scored")
		}
	}
	// Output:
	// 1 enriched
	// GHSA-jfh8-c2jp-5v3q EPSS 94.4%
	// GO-2022-0191 not scored
}

func ExampleParse_error() {
	_, err := epssfeed.Parse(strings.NewReader("cve,epss\nCVE-2021-44228,0.9\nCVE-2021-44229,1.5\n"), "epss.csv")
	fmt.Println(err)
	// Output:
	// epss.csv:3: epss: CVE-2021-44229: 1.5 is outside 0–1
}
