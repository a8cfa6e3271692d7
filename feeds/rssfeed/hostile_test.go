package rssfeed

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigwatch/sigwatch/feeds"
)

const minimalRSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
<title>t</title>
<item><title>a</title><guid>id-1</guid></item>
</channel>
</rss>
`

// wantParseError checks that err is a *feeds.ParseError naming the input at
// the given position (0 means "any non-zero") and containing msg.
func wantParseError(t *testing.T, err error, input string, line, col int, msg string) *feeds.ParseError {
	t.Helper()
	var pe *feeds.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v (%T), want *feeds.ParseError", err, err)
	}
	if pe.Input != input {
		t.Errorf("Input = %q, want %q", pe.Input, input)
	}
	if (line == 0 && pe.Line == 0) || (line != 0 && pe.Line != line) || (col != 0 && pe.Column != col) {
		t.Errorf("position %d:%d, want %d:%d (%v)", pe.Line, pe.Column, line, col, err)
	}
	if !strings.Contains(err.Error(), msg) {
		t.Errorf("error %q does not contain %q", err, msg)
	}
	return pe
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name      string
		input     string
		line, col int
		msg       string
		is        error
	}{
		{"empty", "", 1, 1, "empty input", feeds.ErrNotFeed},
		{"blank", " \n\t ", 1, 1, "empty input", feeds.ErrNotFeed},
		{"html_page", "\n<!DOCTYPE html>\n<html><body>Service unavailable</body></html>", 2, 1, "HTML page", feeds.ErrNotFeed},
		{"html_root_after_decl", `<?xml version="1.0"?>` + "\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>", 1, 1, "HTML page", feeds.ErrNotFeed},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00", 1, 1, `input starts with "\x89PNG\r\n\x1a\n"`, feeds.ErrNotFeed},
		{"utf16", "\xff\xfe<\x00r\x00", 1, 1, "UTF-16", feeds.ErrNotFeed},
		{"plain_text", "Service Unavailable", 1, 1, "not a feed", feeds.ErrNotFeed},
		{"other_root", "<?xml version='1.0'?>\n<svg xmlns='http://www.w3.org/2000/svg'/>", 2, 1, "root element <svg>", feeds.ErrNotFeed},
		{"no_root", "<?xml version='1.0'?>\n<!-- nothing -->\n", 3, 1, "no root element", feeds.ErrNotFeed},
		{"json_not_feed", `{"error": "rate limited"}`, 1, 1, `no "version"`, feeds.ErrNotFeed},
		{"json_wrong_version", "{\n \"version\": \"2\", \"items\": []}", 2, 13, `version "2"`, feeds.ErrNotFeed},
		{"truncated_xml", minimalRSS[:90], 5, 0, "truncated XML", io.ErrUnexpectedEOF},
		{"truncated_json", `{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1"`, 1, 0, "", io.ErrUnexpectedEOF},
		{"mismatched_tags", "<rss>\n<channel>\n<item></channel>\n</rss>", 3, 0, "XML syntax error", nil},
		{"invalid_utf8", "<rss><channel><item><title>\xff\xfe</title></item></channel></rss>", 1, 0, "invalid UTF-8", nil},
		{"control_char", "<rss><channel>\n<title>a\x01b</title></channel></rss>", 2, 0, "illegal character code U+0001", nil},
		{"undefined_entity", "<rss><channel>\n<title>&bogus;</title></channel></rss>", 2, 0, "invalid character entity &bogus;", nil},
		{"second_root", "<rss><channel/></rss>\n<rss/>", 2, 1, "element <rss> after the root element", nil},
		{"text_after_root", "<rss><channel/></rss>\n junk", 2, 2, "text after the root element", nil},
		{"unsupported_encoding", `<?xml version="1.0" encoding="Shift_JIS"?><rss/>`, 1, 1, `unsupported encoding "Shift_JIS"`, nil},
		{"json_type_error", "{\"version\": \"https://jsonfeed.org/version/1\",\n\"items\": [{\"title\": 42}]}", 2, 21, "items[0].title", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.input), "in.xml")
			if err == nil {
				t.Fatalf("Parse succeeded: %+v", f)
			}
			wantParseError(t, err, "in.xml", tt.line, tt.col, tt.msg)
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want it to wrap %v", err, tt.is)
			}
		})
	}
}

// Hostile XML: every case must end quickly with one clear error (or, for
// merely odd input, a bounded result), without expanding entities or
// touching the file system.
func TestHostileXML(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(secret, []byte("TOP-SECRET-CONTENT"), 0o600); err != nil {
		t.Fatal(err)
	}
	billionLaughs := `<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><item><title>&lol9;</title><guid>x</guid></item></channel></rss>`
	xxe := `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://` + secret + `">]>
<rss version="2.0"><channel><item><title>&xxe;</title><guid>x</guid></item></channel></rss>`
	xxeParam := `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % p SYSTEM "file://` + secret + `"> %p;]>
<rss version="2.0"><channel><item><title>t</title><guid>x</guid></item></channel></rss>`
	deep := "<rss><channel><item><description>" + strings.Repeat("<a>", 100000) + strings.Repeat("</a>", 100000) + "</description></item></channel></rss>"

	tests := []struct {
		name  string
		input string
		msg   string
	}{
		{"billion_laughs", billionLaughs, "invalid character entity &lol9;"},
		{"external_entity", xxe, "invalid character entity &xxe;"},
		{"deep_nesting", deep, "nested deeper than 256 levels"},
		{"binary_after_root", "<rss>\x00\x01\x02\x03</rss>", "illegal character code U+0000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.input), "evil.xml")
			if err == nil {
				t.Fatal("Parse succeeded")
			}
			wantParseError(t, err, "evil.xml", 0, 0, tt.msg)
			if strings.Contains(err.Error(), "TOP-SECRET") {
				t.Errorf("error leaks the external file: %v", err)
			}
		})
	}

	// A parameter entity that is declared and referenced only inside the
	// DTD is never resolved: the document parses, with a warning, and the
	// file's content appears nowhere.
	t.Run("external_parameter_entity", func(t *testing.T) {
		f, err := Parse(strings.NewReader(xxeParam), "evil.xml")
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Advisories) != 1 || f.Advisories[0].Title != "t" || len(f.Warnings) != 1 ||
			!strings.Contains(f.Warnings[0], "evil.xml:2:1: document type declaration defines entities; they are not expanded") {
			t.Errorf("advisories %+v warnings %q", f.Advisories, f.Warnings)
		}
		if strings.Contains(strings.Join(f.Warnings, " ")+f.Advisories[0].Summary+f.Advisories[0].Title, "TOP-SECRET") {
			t.Error("external file content leaked")
		}
	})

	// Nesting just inside the limit is accepted and kept raw.
	t.Run("nesting_at_limit", func(t *testing.T) {
		n := MaxDepth - 4 // rss, channel, item, description
		doc := "<rss><channel><item><guid>x</guid><description>" + strings.Repeat("<b>", n) + "t" + strings.Repeat("</b>", n) + "</description></item></channel></rss>"
		f, err := Parse(strings.NewReader(doc), "deep.xml")
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Advisories[0].Summary; !strings.HasPrefix(got, "<b><b>") || strings.Count(got, "<b>") != n {
			t.Errorf("summary has %d <b>, want %d raw", strings.Count(got, "<b>"), n)
		}
	})
}

func TestLimits(t *testing.T) {
	t.Run("max_bytes", func(t *testing.T) {
		_, err := ParseWith(strings.NewReader(minimalRSS), "big.xml", &ParseOptions{MaxBytes: 50})
		if !errors.Is(err, feeds.ErrTooLarge) || !strings.Contains(err.Error(), "big.xml") {
			t.Fatalf("err = %v, want ErrTooLarge naming the input", err)
		}
	})
	t.Run("max_bytes_exact", func(t *testing.T) {
		if _, err := ParseWith(strings.NewReader(minimalRSS), "ok.xml", &ParseOptions{MaxBytes: int64(len(minimalRSS))}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("max_items_xml", func(t *testing.T) {
		doc := "<rss><channel>\n" + strings.Repeat("<item/>\n", 4) + "</channel></rss>"
		_, err := ParseWith(strings.NewReader(doc), "many.xml", &ParseOptions{MaxItems: 3})
		pe := wantParseError(t, err, "many.xml", 5, 1, "more than 3 items")
		if !errors.Is(err, feeds.ErrTooLarge) || pe.Field != "rss.channel.item[3]" {
			t.Errorf("err = %v field %q", err, pe.Field)
		}
	})
	t.Run("max_items_json", func(t *testing.T) {
		doc := `{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1"}, {"id": "2"}]}`
		_, err := ParseWith(strings.NewReader(doc), "many.json", &ParseOptions{MaxItems: 1})
		wantParseError(t, err, "many.json", 1, 0, "more than 1 items")
		if !errors.Is(err, feeds.ErrTooLarge) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("many_warnings_capped", func(t *testing.T) {
		doc := "<rss><channel>" + strings.Repeat("<item><title>no id</title></item>", 1500) + "</channel></rss>"
		f, err := Parse(strings.NewReader(doc), "w.xml")
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Warnings) != 1001 || f.Warnings[1000] != "w.xml: 500 more warnings not shown" {
			t.Errorf("%d warnings, last %q", len(f.Warnings), f.Warnings[len(f.Warnings)-1])
		}
	})
	t.Run("failing_reader", func(t *testing.T) {
		_, err := Parse(io.MultiReader(strings.NewReader("<rss>"), iotestErrReader{}), "r.xml")
		if err == nil || !strings.Contains(err.Error(), "rssfeed: read r.xml: boom") {
			t.Errorf("err = %v", err)
		}
	})
}

type iotestErrReader struct{}

func (iotestErrReader) Read([]byte) (int, error) { return 0, errors.New("boom") }

// Tolerated oddities give warnings that name the position, never silent
// skips.
func TestWarnings(t *testing.T) {
	tests := []struct {
		name  string
		input string
		ids   []string
		warn  []string
	}{
		{
			name:  "item_without_id",
			input: "<rss><channel>\n<item><title>orphan</title><description>no link</description></item>\n<item><guid>g</guid></item></channel></rss>",
			ids:   []string{"g"},
			warn:  []string{`w.xml:2:1: rss.channel.item[0]: item has no guid, id or link to identify it; skipped (title "orphan")`},
		},
		{
			name:  "bad_date",
			input: "<rss><channel><item><guid>g</guid>\n  <pubDate>Mon, 1 Jul 2019 10:00:00 BST</pubDate></item></channel></rss>",
			ids:   []string{"g"},
			warn:  []string{`w.xml:2:3: rss.channel.item[0].pubDate: unparseable date "Mon, 1 Jul 2019 10:00:00 BST"; kept raw in Extra["rss.published"]`},
		},
		{
			name:  "unknown_severity",
			input: "<feed xmlns='http://www.w3.org/2005/Atom'>\n<entry><id>e</id><category label='severity' term='SEVERE'/></entry></feed>",
			ids:   []string{"e"},
			warn:  []string{`w.xml:2:1: feed.entry[0]: unknown severity "SEVERE"; severity left unknown`},
		},
		{
			name:  "json_bad_date",
			input: "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [\n {\"id\": \"j\", \"date_published\": \"yesterday\"}]}",
			ids:   []string{"j"},
			warn:  []string{`w.xml:2:32: items[0].date_published: unparseable date "yesterday"; kept raw in Extra["rss.published"]`},
		},
		{
			name:  "json_object_id",
			input: "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [\n {\"id\": {}, \"url\": \"https://x.example/1\"}]}",
			ids:   []string{"https://x.example/1"},
			warn:  []string{`w.xml:2:9: items[0].id: id is neither a string nor a number; ignored`},
		},
		{
			name:  "rss_atom_link_only",
			input: "<rss xmlns:atom='http://www.w3.org/2005/Atom'><channel><item><title>t</title><atom:link rel='alternate' href='https://a.example/1?utm_source=x'/></item></channel></rss>",
			ids:   []string{"https://a.example/1"},
		},
		{
			name:  "atom_03_namespace",
			input: "<feed xmlns='http://purl.org/atom/ns#'><entry><id>a</id><issued>2004-01-01T00:00:00Z</issued></entry></feed>",
			ids:   []string{"a"},
			warn:  []string{`w.xml:1:1: feed: root element is not in the Atom 1.0 namespace "http://www.w3.org/2005/Atom" (namespace "http://purl.org/atom/ns#"); read as Atom`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(tt.input), "w.xml")
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(f); !equalStrings(got, tt.ids) {
				t.Errorf("IDs %q, want %q", got, tt.ids)
			}
			if !equalStrings(f.Warnings, tt.warn) {
				t.Errorf("warnings\n got %q\nwant %q", f.Warnings, tt.warn)
			}
		})
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Encodings other than UTF-8 are converted; positions still name the input.
func TestEncodings(t *testing.T) {
	latin1 := []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<rss><channel><item><guid>g</guid><title>Caf\xe9 \x80</title></item></channel></rss>")
	f, err := Parse(bytes.NewReader(latin1), "l1.xml")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Advisories[0].Title; got != "Café \u0080" {
		t.Errorf("latin-1 title %q", got)
	}
	cp := []byte("<?xml version='1.0' encoding='windows-1252'?><rss><channel><item><guid>g</guid><title>\x93quoted\x94 \x80</title></item></channel></rss>")
	f, err = Parse(bytes.NewReader(cp), "cp.xml")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Advisories[0].Title; got != "“quoted” €" {
		t.Errorf("windows-1252 title %q", got)
	}
	// A UTF-8 byte order mark is skipped; HTML entities decode.
	f, err = Parse(strings.NewReader("\ufeff<rss><channel><item><guid>g</guid><title>a&nbsp;b &amp; c</title></item></channel></rss>"), "bom.xml")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Advisories[0].Title; got != "a\u00a0b & c" {
		t.Errorf("title %q", got)
	}
}
