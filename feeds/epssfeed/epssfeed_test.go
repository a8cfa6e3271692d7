package epssfeed

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
)

const sampleFile = "testdata/epss-vunnel-example-1.csv"

func readFile(tb testing.TB, path string) []byte {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func gz(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// The sample is the real five-row fixture of anchore/vunnel; the expected
// values are its rows, read by hand.
func TestParseSample(t *testing.T) {
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"plain", readFile(t, sampleFile)},
		{"gzip", gz(t, readFile(t, sampleFile))},
		{"crlf_bom", append([]byte("\xEF\xBB\xBF"), bytes.ReplaceAll(readFile(t, sampleFile), []byte("\n"), []byte("\r\n"))...)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(bytes.NewReader(tt.data), "example-1.csv")
			if err != nil {
				t.Fatal(err)
			}
			date := time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC)
			if s.Model != "v2023.03.01" || !s.Date.Equal(date) || s.Len() != 5 || !s.HasPercentile() || s.Warnings != nil {
				t.Errorf("model %q date %v len %d percentile %v warnings %q", s.Model, s.Date, s.Len(), s.HasPercentile(), s.Warnings)
			}
			want := map[string]feeds.EPSS{
				"CVE-1999-0001": {Score: 0.00383, Percentile: 0.73075, Date: date, Model: "v2023.03.01"},
				"CVE-1999-0002": {Score: 0.01328, Percentile: 0.85996, Date: date, Model: "v2023.03.01"},
				"CVE-1999-0003": {Score: 0.04409, Percentile: 0.92440, Date: date, Model: "v2023.03.01"},
				"CVE-1999-0004": {Score: 0.00917, Percentile: 0.82963, Date: date, Model: "v2023.03.01"},
				"CVE-1999-0005": {Score: 0.91963, Percentile: 0.99214, Date: date, Model: "v2023.03.01"},
			}
			got := map[string]feeds.EPSS{}
			for _, id := range s.CVEs() {
				got[id], _ = s.Lookup(id)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("scores (-want +got):\n%s", diff)
			}
			if e, ok := s.Lookup(" cve-1999-0005 "); !ok || e.Score != 0.91963 {
				t.Errorf("case-insensitive lookup: %v %v", e, ok)
			}
			if _, ok := s.Lookup("CVE-1999-0006"); ok {
				t.Error("CVE-1999-0006 found")
			}
		})
	}
}

func TestParseVariants(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		model      string
		date       time.Time
		percentile bool
		scores     map[string]float64
		warnings   []string
	}{
		{
			// 2021 files: no comment, no percentile.
			name: "2021_style", in: "cve,epss\nCVE-2021-44228,0.97565\nCVE-2021-0001,5e-05\n",
			scores: map[string]float64{"CVE-2021-44228": 0.97565, "CVE-2021-0001": 0.00005},
		},
		{
			name: "z_timestamp", in: "#model_version:v2025.03.14,score_date:2025-08-25T00:00:00Z\ncve,epss,percentile\nCVE-2025-0001,1.0E-4,0.1\n",
			model: "v2025.03.14", date: time.Date(2025, 8, 25, 0, 0, 0, 0, time.UTC), percentile: true,
			scores: map[string]float64{"CVE-2025-0001": 0.0001},
		},
		{
			name: "columns_reordered_extra", in: "#model_version:v1,score_date:2024-01-01,source:x\nPercentile,CVE,EPSS,note\n0.5,cve-2024-12345,0,hi\n",
			model: "v1", date: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), percentile: true,
			scores:   map[string]float64{"CVE-2024-12345": 0},
			warnings: []string{`x.csv:1: unknown comment key "source" ignored`, `x.csv:2: unknown column "note" ignored`},
		},
		{name: "header_only", in: "cve,epss,percentile\n", percentile: true, scores: map[string]float64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(strings.NewReader(tt.in), "x.csv")
			if err != nil {
				t.Fatal(err)
			}
			if s.Model != tt.model || !s.Date.Equal(tt.date) || s.HasPercentile() != tt.percentile {
				t.Errorf("model %q date %v percentile %v", s.Model, s.Date, s.HasPercentile())
			}
			got := map[string]float64{}
			for _, id := range s.CVEs() {
				e, _ := s.Lookup(id)
				got[id] = e.Score
			}
			if diff := cmp.Diff(tt.scores, got); diff != "" {
				t.Errorf("scores (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.warnings, s.Warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const head = "#model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000\ncve,epss,percentile\nCVE-1999-0001,0.00383,0.73075\n"
	tests := []struct {
		name string
		in   string
		is   error
		msg  string
	}{
		{name: "bad_header", in: "id,score\nCVE-1999-0001,0.1\n", msg: `x.csv:1: bad header "id,score": want "cve,epss" and optionally "percentile"`},
		{name: "bad_header_after_comment", in: "#model_version:v1\ncve,percentile\n", msg: `x.csv:2: bad header "cve,percentile": want "cve,epss" and optionally "percentile"`},
		{name: "repeated_column", in: "cve,epss,EPSS\n", msg: `x.csv:1: bad header: column "epss" repeats`},
		{name: "non_cve", in: head + "GHSA-jfh8-c2jp-5v3q,0.1,0.2\n", msg: `x.csv:4: cve: "GHSA-jfh8-c2jp-5v3q" is not a CVE ID`},
		{name: "short_cve", in: head + "CVE-2021-123,0.1,0.2\n", msg: `x.csv:4: cve: "CVE-2021-123" is not a CVE ID`},
		{name: "score_above_one", in: head + "CVE-2021-44228,1.5,0.2\n", msg: "x.csv:4: epss: CVE-2021-44228: 1.5 is outside 0–1"},
		{name: "score_negative", in: head + "CVE-2021-44228,-1e-3,0.2\n", msg: "x.csv:4: epss: CVE-2021-44228: -1e-3 is outside 0–1"},
		{name: "score_nan", in: head + "CVE-2021-44228,NaN,0.2\n", msg: `x.csv:4: epss: CVE-2021-44228: "NaN" is not a number`},
		{name: "score_hex", in: head + "CVE-2021-44228,0x1p-2,0.2\n", msg: `x.csv:4: epss: CVE-2021-44228: "0x1p-2" is not a number`},
		{name: "score_empty", in: head + "CVE-2021-44228,,0.2\n", msg: `x.csv:4: epss: CVE-2021-44228: "" is not a number`},
		{name: "percentile_bad", in: head + "CVE-2021-44228,0.1,high\n", msg: `x.csv:4: percentile: CVE-2021-44228: "high" is not a number`},
		{name: "duplicate", in: head + "CVE-2021-44228,0.1,0.2\ncve-2021-44228,0.1,0.2\n", msg: "x.csv:5: cve: duplicate CVE-2021-44228"},
		{name: "field_count", in: head + "CVE-2021-44228,0.1\n", msg: "x.csv:4: wrong number of fields"},
		{name: "bare_quote", in: head + "CVE-2021-44228,0\"1,0.2\n", msg: `x.csv:4: bare " in non-quoted-field`},
		{name: "bad_date", in: "#model_version:v1,score_date:yesterday\ncve,epss\n", msg: `x.csv:1: score_date: invalid date "yesterday"`},
		{name: "html", in: "<!DOCTYPE html>\n<html><body>Not found</body></html>", is: feeds.ErrNotFeed, msg: "x.csv:1: got an HTML page, not an EPSS file"},
		{name: "empty", in: "", is: feeds.ErrNotFeed, msg: "x.csv:1: empty input, not an EPSS file"},
		{name: "comment_only", in: "#model_version:v1\n", is: feeds.ErrNotFeed, msg: `x.csv:2: no header line "cve,epss,percentile"`},
		{name: "binary", in: "\x00\x01\x02\xff,\x00", msg: `x.csv:1: bad header "\x00\x01\x02\xff,\x00": want "cve,epss" and optionally "percentile"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(strings.NewReader(tt.in), "x.csv")
			if err == nil {
				t.Fatalf("Parse succeeded with %d scores", s.Len())
			}
			var pe *feeds.ParseError
			if !errors.As(err, &pe) || pe.Input != "x.csv" || pe.Line < 1 {
				t.Errorf("error %v (%T) is not a positioned *feeds.ParseError", err, err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
			if err.Error() != tt.msg {
				t.Errorf("Error() = %q\n      want %q", err, tt.msg)
			}
		})
	}
}

func TestParseGzipErrors(t *testing.T) {
	full := gz(t, readFile(t, sampleFile))
	_, err := Parse(bytes.NewReader(full[:len(full)-10]), "x.csv.gz")
	var pe *feeds.ParseError
	if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), "x.csv.gz: gzip: ") {
		t.Errorf("truncated gzip: %v", err)
	}
	_, err = Parse(bytes.NewReader([]byte{0x1f, 0x8b, 0, 0}), "x.csv.gz")
	if !errors.As(err, &pe) {
		t.Errorf("bad gzip header: %v", err)
	}
}

func TestParseTooLarge(t *testing.T) {
	var buf bytes.Buffer
	buf.WriteString("cve,epss\n")
	for i := range 100 {
		fmt.Fprintf(&buf, "CVE-2024-%05d,0.1\n", i)
	}
	// A gzip bomb in spirit: compressed small, too large once decoded.
	_, err := parse(bytes.NewReader(gz(t, buf.Bytes())), "x.csv.gz", 1000)
	if !errors.Is(err, feeds.ErrTooLarge) || err.Error() != "epssfeed: read x.csv.gz: more than 1000 bytes: feeds: input too large" {
		t.Errorf("err = %v", err)
	}
	if s, err := parse(bytes.NewReader(buf.Bytes()), "x.csv", int64(buf.Len())); err != nil || s.Len() != 100 {
		t.Errorf("input of exactly the limit: %v", err)
	}
}

func TestIsDecimalIsCVE(t *testing.T) {
	for s, want := range map[string]bool{
		"0": true, "0.00383": true, "5e-05": true, "1.0E-4": true, ".5": true, "1.": true, "+0.1": true, "-1e-3": true,
		"": false, ".": false, "e5": false, "1e": false, "1e+": false, "0x1p-2": false, "1_0": false, "NaN": false, "Inf": false, "1.2.3": false, " 1": false,
	} {
		if got := isDecimal(s); got != want {
			t.Errorf("isDecimal(%q) = %v", s, got)
		}
	}
	for s, want := range map[string]bool{
		"CVE-2021-44228": true, "CVE-1999-0001": true, "CVE-2024-1234567890123456789": true,
		"CVE-2021-123": false, "CVE-21-12345": false, "CVE-2021-12345678901234567890": false, "GHSA-2021-1234": false, "CVE-2021_1234": false, "CVE-20a1-1234": false,
	} {
		if got := isCVE(s); got != want {
			t.Errorf("isCVE(%q) = %v", s, got)
		}
	}
}

func TestCVEOrder(t *testing.T) {
	s, err := Parse(strings.NewReader("cve,epss\nCVE-2021-10000,0\nCVE-2021-9999,0\nCVE-2020-50000,0\nCVE-2021-0001,0\n"), "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"CVE-2020-50000", "CVE-2021-0001", "CVE-2021-9999", "CVE-2021-10000"}, s.CVEs()); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

func TestEnrich(t *testing.T) {
	s, err := Parse(bytes.NewReader(readFile(t, sampleFile)), "example-1.csv")
	if err != nil {
		t.Fatal(err)
	}
	old := &feeds.EPSS{Score: 0.5}
	advs := []feeds.Advisory{
		{ID: "CVE-1999-0001"},
		{ID: "GHSA-aaaa", Aliases: []string{"cve-1999-0002", "CVE-1999-0005"}}, // highest wins
		{ID: "ALSA-2025:1", Related: []string{"CVE-1999-0003"}},                // Related not used
		{ID: "CVE-2099-0001", Exploitation: feeds.Exploitation{EPSS: old}},     // unscored: untouched
		{ID: "CVE-1999-0004", Exploitation: feeds.Exploitation{EPSS: old}},     // replaced
		{ID: "RHSA-2", Aliases: []string{"CVE-1999-0001"}},
	}
	if n := s.Enrich(advs); n != 4 {
		t.Errorf("Enrich = %d, want 4", n)
	}
	scores := []float64{}
	for _, a := range advs {
		if a.Exploitation.EPSS == nil {
			scores = append(scores, -1)
			continue
		}
		scores = append(scores, a.Exploitation.EPSS.Score)
	}
	if diff := cmp.Diff([]float64{0.00383, 0.91963, -1, 0.5, 0.00917, 0.00383}, scores); diff != "" {
		t.Errorf("scores (-want +got):\n%s", diff)
	}
	if advs[0].Exploitation.EPSS == advs[5].Exploitation.EPSS {
		t.Error("advisories share one *EPSS")
	}
	if old.Score != 0.5 || advs[3].Exploitation.EPSS != old {
		t.Error("existing EPSS modified")
	}
	if e := advs[1].Exploitation.EPSS; e.Model != "v2023.03.01" || e.Percentile != 0.99214 || e.Date.IsZero() {
		t.Errorf("EPSS %+v", e)
	}
}

func TestFetch(t *testing.T) {
	body := gz(t, readFile(t, sampleFile))
	var inm []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inm = append(inm, r.Header.Get("If-None-Match"))
		switch r.URL.Path {
		case "/epss_scores-current.csv.gz":
			if r.Header.Get("If-None-Match") == `"e1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"e1"`)
			w.Header().Set("Content-Type", "application/gzip")
			w.Write(body)
		case "/broken.csv":
			w.Header().Set("ETag", `"b1"`)
			w.Write([]byte("cve,epss\nCVE-2021-44228,2\n"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := feedhttp.New(&feedhttp.Options{HTTPClient: srv.Client(), Retries: -1})
	s, err := Fetch(t.Context(), srv.URL+"/epss_scores-current.csv.gz", c)
	if err != nil || s.Len() != 5 {
		t.Fatalf("Fetch: %v", err)
	}
	if _, err := Fetch(t.Context(), srv.URL+"/epss_scores-current.csv.gz", c); !errors.Is(err, feeds.ErrNotModified) {
		t.Errorf("second Fetch: %v, want ErrNotModified", err)
	}
	for i := range 2 {
		_, err := Fetch(t.Context(), srv.URL+"/broken.csv", c)
		var pe *feeds.ParseError
		if !errors.As(err, &pe) || pe.Input != srv.URL+"/broken.csv" || pe.Line != 2 {
			t.Errorf("broken %d: %v", i, err)
		}
	}
	if inm[3] != "" {
		t.Errorf("after a parse error the request was conditional: %q", inm)
	}
	var he *feeds.HTTPError
	if _, err := Fetch(t.Context(), srv.URL+"/missing", c); !errors.As(err, &he) || he.StatusCode != 404 {
		t.Errorf("404: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Fetch(ctx, srv.URL+"/epss_scores-current.csv.gz", c); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(readFile(f, sampleFile))
	f.Add(gz(f, readFile(f, sampleFile)))
	f.Add([]byte("cve,epss\nCVE-2021-44228,5e-05\n"))
	f.Add([]byte("#model_version:v1,score_date:2025-08-25T00:00:00Z\npercentile,cve,epss\n\"0.1\",CVE-2021-0001,1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parse(bytes.NewReader(data), "fuzz.csv", 1<<20)
		if err != nil {
			var pe *feeds.ParseError
			if !errors.As(err, &pe) && !strings.HasPrefix(err.Error(), "epssfeed: ") {
				t.Errorf("error without position or prefix: %v", err)
			}
			if s != nil {
				t.Error("scores with error")
			}
			return
		}
		for _, id := range s.CVEs() {
			e, ok := s.Lookup(id)
			if !ok || e.Score < 0 || e.Score > 1 || e.Percentile < 0 || e.Percentile > 1 {
				t.Errorf("%s: %+v %v", id, e, ok)
			}
		}
	})
}

// synthetic writes a full-size file: rows CVEs with a comment and header.
func synthetic(rows int) []byte {
	var buf bytes.Buffer
	buf.WriteString("#model_version:v2025.03.14,score_date:2025-08-25T12:55:00Z\ncve,epss,percentile\n")
	for i := range rows {
		fmt.Fprintf(&buf, "CVE-%d-%04d,%.5f,%.5f\n", 1999+i/20000, i%20000, float64(i%1000)/1000, float64(i%997)/997)
	}
	return buf.Bytes()
}

// BenchmarkParse300k parses a synthetic file of 300,000 rows, the size of
// a full daily EPSS file.
func BenchmarkParse300k(b *testing.B) {
	data := synthetic(300_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		s, err := Parse(bytes.NewReader(data), "synthetic.csv")
		if err != nil || s.Len() != 300_000 {
			b.Fatalf("%v", err)
		}
	}
}

// BenchmarkParse300kGzip is BenchmarkParse300k on the gzip-compressed file.
func BenchmarkParse300kGzip(b *testing.B) {
	data := gz(b, synthetic(300_000))
	b.ReportAllocs()
	for b.Loop() {
		s, err := Parse(bytes.NewReader(data), "synthetic.csv.gz")
		if err != nil || s.Len() != 300_000 {
			b.Fatalf("%v", err)
		}
	}
}
