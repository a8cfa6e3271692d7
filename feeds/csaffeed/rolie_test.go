package csaffeed

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/feeds"
)

// TestParseROLIECISAIT reads CISA's real IT feed (4 entries). The expected
// values come from python3's json module over the raw file:
//
//	[e['id'] for e in feed['entry']]  → VA-24-254-02, VA-24-262-01, VA-24-201-01, VA-24-254-01
//	links with "ref" → 8 (4 "hash", 4 "signature"), links with "rel" → 4 (all "self")
//
// and the times by reading the file.
func TestParseROLIECISAIT(t *testing.T) {
	const name = "cisa-csaf-it-feed-tlp-white.json"
	f, err := ParseROLIE(bytes.NewReader(distRead(t, "cisa/IT/"+name)), name)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range f.Entries {
		ids = append(ids, e.ID)
	}
	if d := cmp.Diff([]string{"VA-24-254-02", "VA-24-262-01", "VA-24-201-01", "VA-24-254-01"}, ids); d != "" {
		t.Errorf("entry IDs (-want +got):\n%s", d)
	}
	if want := time.Date(2024, 10, 10, 18, 21, 27, 0, time.UTC); !f.Updated.Equal(want) {
		t.Errorf("feed updated = %v, want %v", f.Updated, want)
	}
	e := f.Entries[0]
	if want := time.Date(2024, 10, 3, 16, 3, 0, 0, time.UTC); !e.Updated.Equal(want) {
		t.Errorf("entry[0].Updated = %v, want %v", e.Updated, want)
	}
	if want := time.Date(2024, 9, 10, 16, 3, 0, 0, time.UTC); !e.Published.Equal(want) {
		t.Errorf("entry[0].Published = %v, want %v", e.Published, want)
	}
	// The "ref" mistake: every entry still yields its hash and signature.
	for i, e := range f.Entries {
		doc := e.DocumentURL()
		if !strings.HasPrefix(doc, "https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/IT/white/2024/") {
			t.Errorf("entry[%d] document URL %q", i, doc)
		}
		if got := e.HashURL(); got != doc+".sha512" {
			t.Errorf("entry[%d].HashURL() = %q, want %q", i, got, doc+".sha512")
		}
		if got := e.SignatureURL(); got != doc+".asc" {
			t.Errorf("entry[%d].SignatureURL() = %q, want %q", i, got, doc+".asc")
		}
		if e.Summary != "" {
			t.Errorf("entry[%d] has summary %q; the file has none", i, e.Summary)
		}
	}
	wantWarn := []string{
		`link has "ref": "hash" instead of "rel"; relation "hash" taken from the href (4 times, first at feed.entry[0].link[1])`,
		`link has "ref": "signature" instead of "rel"; relation "signature" taken from the href (4 times, first at feed.entry[0].link[2])`,
	}
	if d := cmp.Diff(wantWarn, f.Warnings); d != "" {
		t.Errorf("warnings (-want +got):\n%s", d)
	}
	distGolden(t, "rolie-cisa-it.golden", f)
}

// TestParseROLIECISAOT reads CISA's real OT feed (2.6 MB). Expected values
// from python3 over the raw file:
//
//	len(entry) → 2379; entry[0]['id'] → ICSA-24-298-03; entry[-1]['id'] → ICSA-17-012-01
//	entry[1000] → ICSA-17-285-05, "Siemens BACnet Field Panels (Update A)",
//	              published 2017-10-12T00:00:00.000000Z, updated 2022-06-16T00:00:00.000000Z
//	entries with "summary" → 0; updated >= "2024-01-01" → 365; published != updated → 409
//	every link has "rel" (3 × 2379: self, signature, hash); every file name
//	equals re.sub('[^+\-a-z0-9]+', '_', id.lower()) + '.json'; no duplicate ids
func TestParseROLIECISAOT(t *testing.T) {
	const name = "cisa-csaf-ot-feed-tlp-white.json"
	f, err := ParseROLIE(bytes.NewReader(distRead(t, "cisa/OT/"+name)), name)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Entries) != 2379 {
		t.Fatalf("%d entries, want 2379", len(f.Entries))
	}
	if f.ID != "cisa-csaf-ot-feed-tlp-white" || f.Title != "CISA CSAF OT feed (TLP:WHITE)" {
		t.Errorf("feed id/title = %q / %q", f.ID, f.Title)
	}
	if want := time.Date(2024, 10, 24, 19, 23, 12, 425167000, time.UTC); !f.Updated.Equal(want) {
		t.Errorf("feed updated = %v, want %v", f.Updated, want)
	}
	if f.Entries[0].ID != "ICSA-24-298-03" || f.Entries[2378].ID != "ICSA-17-012-01" {
		t.Errorf("first/last = %q/%q", f.Entries[0].ID, f.Entries[2378].ID)
	}
	e := f.Entries[1000]
	want := ROLIEEntry{
		ID:    "ICSA-17-285-05",
		Title: "Siemens BACnet Field Panels (Update A)",
		Links: []ROLIELink{
			{Rel: "self", Href: "https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/OT/white/2017/icsa-17-285-05.json"},
			{Rel: "signature", Href: "https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/OT/white/2017/icsa-17-285-05.json.asc"},
			{Rel: "hash", Href: "https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/OT/white/2017/icsa-17-285-05.json.sha512"},
		},
		Published: time.Date(2017, 10, 12, 0, 0, 0, 0, time.UTC),
		Updated:   time.Date(2022, 6, 16, 0, 0, 0, 0, time.UTC),
		Content:   ROLIEContent{Type: "application/json", Src: "https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/OT/white/2017/icsa-17-285-05.json"},
		Format:    ROLIEFormat{Schema: "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json", Version: "2.0"},
	}
	if d := cmp.Diff(want, e); d != "" {
		t.Errorf("entry[1000] (-want +got):\n%s", d)
	}
	var summaries, since2024, revised int
	cut := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range f.Entries {
		e := &f.Entries[i]
		if e.Summary != "" {
			summaries++
		}
		if !e.Updated.Before(cut) {
			since2024++
		}
		if !e.Published.Equal(e.Updated) {
			revised++
		}
		if e.HashURL() != e.DocumentURL()+".sha512" || e.SignatureURL() != e.DocumentURL()+".asc" {
			t.Errorf("entry[%d]: hash %q, signature %q", i, e.HashURL(), e.SignatureURL())
		}
	}
	if summaries != 0 || since2024 != 365 || revised != 409 {
		t.Errorf("summaries=%d since2024=%d revised=%d; want 0, 365, 409", summaries, since2024, revised)
	}
	if len(f.Warnings) != 0 {
		t.Errorf("unexpected warnings: %q", f.Warnings)
	}
}

// TestParseROLIEOASISExample reads the specification's example feed; the
// values are read off the 52-line file.
func TestParseROLIEOASISExample(t *testing.T) {
	const name = "example-01-feed-tlp-white.json"
	f, err := ParseROLIE(bytes.NewReader(distRead(t, "oasis/"+name)), name)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Entries) != 1 || len(f.Warnings) != 0 {
		t.Fatalf("entries=%d warnings=%q", len(f.Entries), f.Warnings)
	}
	e := f.Entries[0]
	if e.ID != "2020-ESA-001" || e.Summary != "Vulnerabilities fixed in ABC 0.0.1" ||
		e.HashURL() != "https://psirt.domain.tld/advisories/csaf/2020/2020-ESA-001.json.sha512" ||
		!e.Updated.Equal(time.Date(2021, 1, 1, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("entry = %+v", e)
	}
	if _, ok := f.TLP(); ok {
		t.Errorf("the example feed has no TLP category")
	}
	distGolden(t, "rolie-oasis-example.golden", f)
}

func TestROLIELinkRelation(t *testing.T) {
	for _, tc := range []struct {
		link ROLIELink
		want string
	}{
		{ROLIELink{Rel: "self", Href: "https://a/x.json"}, "self"},
		{ROLIELink{Rel: " HASH ", Href: "https://a/x.json.sha512"}, "hash"},
		{ROLIELink{Ref: "hash", Href: "https://a/x.json.sha512"}, "hash"},
		{ROLIELink{Ref: "hash", Href: "https://a/x.json.SHA256"}, "hash"},
		{ROLIELink{Ref: "signature", Href: "https://a/x.json.asc"}, "signature"},
		// The href suffix wins over a contradicting "ref".
		{ROLIELink{Ref: "signature", Href: "https://a/x.json.sha512"}, "hash"},
		// No suffix to go by: "ref" is the last resort.
		{ROLIELink{Ref: "Hash", Href: "https://a/hash?id=1"}, "hash"},
		{ROLIELink{Href: "https://a/x.json.sha512?raw=1"}, "hash"},
		{ROLIELink{Href: "https://a/x.json"}, ""},
	} {
		if got := tc.link.Relation(); got != tc.want {
			t.Errorf("%+v.Relation() = %q, want %q", tc.link, got, tc.want)
		}
	}
}

func TestParseROLIEWarnings(t *testing.T) {
	in := `{"feed": {"entry": [
{"id": "A-1", "updated": "2024-01-01T00:00:00Z", "content": {"src": "https://a.example/2024/a-1.json"}},
{"id": "A-1", "updated": "2024-01-01T00:00:00Z", "content": {"src": "https://a.example/2024/a-1b.json"}},
{"content": {"src": "https://a.example/2024/x.json"}, "link": [{"rel": "self", "href": "https://a.example/2024/y.json"}]},
{"id": "B-2", "link": [{"rel": "self", "href": "https://a.example/2024/a-1.json"}, {"href": "https://a.example/2024/a-1.json.sha512"}, {"rel": "hash", "href": ""}], "summary": "plain"}
]}}`
	f, err := ParseROLIE(strings.NewReader(in), "f.json")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`feed.id: feed has no "id"`,
		`feed.updated: feed has no "updated" time`,
		`feed.category: feed has no category with term "csaf"`,
		`feed.entry[1] (id "A-1", first at feed.entry[0]): duplicate entry id`,
		`entry id does not match the document file name (CSAF 2.0 section 5.1: id in lower case + .json; case is ignored) (2 times, first at feed.entry[1] (id "A-1", file "a-1b.json"))`,
		`feed.entry[2]: entry has no "id"`,
		`entry has no "updated" time (the Source downloads it on every Fetch) (2 times, first at feed.entry[2])`,
		`feed.entry[2]: "self" link differs from "content.src"; content.src is used`,
		`feed.entry[3].link[1]: link has no "rel"; relation "hash" taken from the href`,
		`feed.entry[3].link[2].href: link with an unusable href: empty URL`,
		`feed.entry[3] (first at feed.entry[0]): duplicate document URL`,
	}
	if d := cmp.Diff(want, f.Warnings); d != "" {
		t.Errorf("warnings (-want +got):\n%s", d)
	}
	if f.Entries[3].Summary != "plain" || f.Entries[3].DocumentURL() != "https://a.example/2024/a-1.json" {
		t.Errorf("entry[3] = %+v", f.Entries[3])
	}
}

// Positions counted by hand (line 1 is the first line of the input).
func TestParseROLIEErrors(t *testing.T) {
	for _, tc := range []struct {
		name      string
		in        string
		line, col int
		field     string
		target    error
	}{
		{"service_document", string(distRead(t, "oasis/example-01-service.json")), 1, 1, "", feeds.ErrNotFeed},
		{"category_document", string(distRead(t, "oasis/example-01-category.json")), 1, 1, "", feeds.ErrNotFeed},
		{"provider_metadata", string(distRead(t, "oasis/example-01-provider-metadata.json")), 1, 1, "", feeds.ErrNotFeed},
		{"html", "\n<html><head><title>404</title></head></html>", 2, 1, "-", feeds.ErrNotFeed},
		{"no_feed", `{"entries": []}`, 1, 1, "", feeds.ErrNotFeed},
		{"null_feed", `{"feed": null}`, 1, 1, "", feeds.ErrNotFeed},
		{"entry_without_document", "{\"feed\": {\"entry\": [\n  {\"id\": \"X\", \"link\": [{\"rel\": \"hash\", \"href\": \"https://a/x.sha512\"}]}]}}", 2, 3, "feed.entry[0]", nil},
		{"bad_entry_updated", "{\"feed\": {\"entry\": [{\"id\": \"X\",\n \"updated\": \"2024-13-01T00:00:00Z\", \"content\": {\"src\": \"https://a/x.json\"}}]}}", 2, 13, "feed.entry[0].updated", nil},
		{"bad_feed_updated", "{\"feed\": {\"updated\": \"soon\"}}", 1, 22, "feed.updated", nil},
		{"bad_published", "{\"feed\": {\"entry\": [{\"published\": \"x\"}]}}", 1, 35, "feed.entry[0].published", nil},
		{"bad_summary", "{\"feed\": {\"entry\": [{\"summary\": 42, \"content\": {\"src\": \"https://a/x.json\"}}]}}", 1, 33, "feed.entry[0].summary", nil},
		{"ftp_document", "{\"feed\": {\"entry\": [{\"content\": {\"src\": \"ftp://a/x.json\"}}]}}", 1, 41, "feed.entry[0].content.src", nil},
		{"entries_not_array", "{\"feed\": {\"entry\": {}}}", 1, 20, "feed.entry", nil},
		{"truncated", "{\"feed\": {\"entry\": [{\"id\": \"X\"", 1, 31, "-", io.ErrUnexpectedEOF},
		{"binary", "\x00\x01\x02", 1, 1, "-", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseROLIE(strings.NewReader(tc.in), "f.json")
			if err == nil {
				t.Fatalf("no error; got %+v", f)
			}
			distWantParseError(t, err, tc.line, tc.col, tc.field, tc.target)
		})
	}
}

func BenchmarkParseROLIEOT(b *testing.B) {
	data := distRead(b, "cisa/OT/cisa-csaf-ot-feed-tlp-white.json")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseROLIE(bytes.NewReader(data), "ot.json"); err != nil {
			b.Fatal(err)
		}
	}
}
