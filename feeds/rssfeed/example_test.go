package rssfeed_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/feeds/rssfeed"
)

func ExampleParse() {
	const feed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
  <title>Amazon Linux 2 Security Bulletins</title>
  <link>https://alas.aws.amazon.com</link>
  <item>
    <title>ALAS-2018-1103 (important): spamassassin</title>
    <description>
        CVE-2017-15705, CVE-2018-11781
    </description>
    <pubDate>Thu, 08 Nov 2018 23:42:00 GMT</pubDate>
    <guid>https://alas.aws.amazon.com/AL2/ALAS-2018-1103.html</guid>
    <link>https://alas.aws.amazon.com/AL2/ALAS-2018-1103.html</link>
  </item>
</channel>
</rss>`
	f, err := rssfeed.Parse(strings.NewReader(feed), "alas.rss")
	if err != nil {
		log.Fatal(err)
	}
	a := f.Advisories[0]
	fmt.Println(f.Format, a.ID, a.Severity, a.Published.Format("2006-01-02 15:04"))
	fmt.Println("related:", a.Related)
	fmt.Printf("hint: %s / %s / %s\n", a.Affected[0].Vendor, a.Affected[0].Product, a.Affected[0].Package)
	// Output:
	// rss ALAS-2018-1103 high 2018-11-08 23:42
	// related: [CVE-2017-15705 CVE-2018-11781]
	// hint: Amazon / Amazon Linux 2 / spamassassin
}

func ExampleParse_error() {
	_, err := rssfeed.Parse(strings.NewReader("\n<!DOCTYPE html>\n<html><body>Service Unavailable</body></html>"), "https://feeds.example/rss.xml")
	fmt.Println(err)
	fmt.Println(errors.Is(err, feeds.ErrNotFeed))
	// Output:
	// https://feeds.example/rss.xml:2:1: got an HTML page, not a feed
	// true
}

func ExampleFromPreset() {
	// A stand-in for www.ncsc.gov.uk, so the example runs offline.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<rss version="2.0"><channel><title>NCSC</title>
<item><title>Weekly Threat Report 31st May 2019</title>
<link>https://www.ncsc.gov.uk/report/weekly-threat-report-31st-may-2019?utm_source=rss</link>
<pubDate>Fri, 31 May 2019 16:00:00 GMT</pubDate></item>
</channel></rss>`)
	}))
	defer srv.Close()

	// In production: src, err := rssfeed.FromPreset("ncsc-all", nil)
	src, err := rssfeed.FromPreset("ncsc-all", &rssfeed.Options{
		URL:  srv.URL,
		HTTP: feedhttp.New(&feedhttp.Options{HTTPClient: srv.Client()}),
	})
	if err != nil {
		log.Fatal(err)
	}
	advs, err := src.Fetch(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range advs {
		fmt.Println(src.Name(), "|", a.Publisher, "|", a.Title)
		fmt.Println(a.ID)
	}
	// Output:
	// ncsc-all | UK National Cyber Security Centre (NCSC) | Weekly Threat Report 31st May 2019
	// https://www.ncsc.gov.uk/report/weekly-threat-report-31st-may-2019
}

func ExamplePresets() {
	for _, p := range rssfeed.Presets() {
		if strings.HasPrefix(p.Name, "ncsc-") {
			fmt.Println(p.Name, p.URL)
		}
	}
	// Output:
	// ncsc-all https://www.ncsc.gov.uk/api/1/services/v1/all-rss-feed.xml
	// ncsc-blog https://www.ncsc.gov.uk/api/1/services/v1/blog-post-rss-feed.xml
	// ncsc-guidance https://www.ncsc.gov.uk/api/1/services/v1/guidance-rss-feed.xml
	// ncsc-news https://www.ncsc.gov.uk/api/1/services/v1/news-rss-feed.xml
	// ncsc-reports https://www.ncsc.gov.uk/api/1/services/v1/report-rss-feed.xml
}

func ExampleParseWith() {
	// An ISAC portal feed with its own advisory IDs and severity words.
	const feed = `<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example ISAC</title>
  <entry>
    <id>tag:isac.example,2025:42</id>
    <title>[ISAC-2025-0042] (critical) Acme VPN gateway exploited, see CVE-2025-0001</title>
    <link href="https://isac.example/advisories/42"/>
    <updated>2025-03-01T12:00:00+01:00</updated>
  </entry>
</feed>`
	f, err := rssfeed.ParseWith(strings.NewReader(feed), "isac.atom", &rssfeed.ParseOptions{
		SourceName: "example-isac",
		Publisher:  "Example ISAC",
		Rules: []rssfeed.ItemRule{{
			Name:            "example-isac",
			IDPattern:       `^\[(ISAC-\d{4}-\d+)\]`,
			IDIn:            []string{rssfeed.FieldTitle},
			SeverityPattern: `^\[[^\]]+\] \((\w+)\)`,
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
	a := f.Advisories[0]
	fmt.Println(a.ID, a.Severity, a.Related, a.Modified)
	// Output:
	// ISAC-2025-0042 critical [CVE-2025-0001] 2025-03-01 11:00:00 +0000 UTC
}
