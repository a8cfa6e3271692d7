package rssfeed

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkParse1000 parses a 1,000-item RSS 2.0 feed whose items have the
// shape of the captured Amazon Linux items (title with ID, severity and
// package; padded CVE list; RFC 1123 date; guid and link), with unique guids.
func BenchmarkParse1000(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString(`<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
    <title>Amazon Linux AMI Security Bulletins</title>
    <description>Amazon Linux AMI Security Bulletins</description>
    <link>https://alas.aws.amazon.com</link>
`)
	for i := range 1000 {
		fmt.Fprintf(&buf, `    <item>
        <title>ALAS-2018-%d (important): spamassassin</title>
        <description>
            CVE-2017-%d, CVE-2018-%d
        </description>
        <pubDate>Thu, 08 Nov 2018 23:42:00 GMT</pubDate>
        <guid>https://alas.aws.amazon.com/AL2/ALAS-2018-%d.html</guid>
        <link>https://alas.aws.amazon.com/AL2/ALAS-2018-%d.html</link>
    </item>
`, 10000+i, 10000+i, 20000+i, 10000+i, 10000+i)
	}
	buf.WriteString("</channel>\n</rss>\n")
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := Parse(bytes.NewReader(data), "bench.xml")
		if err != nil {
			b.Fatal(err)
		}
		if len(f.Advisories) != 1000 {
			b.Fatalf("%d advisories", len(f.Advisories))
		}
	}
}
