package epssfeed

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/internal/sniff"
	"github.com/sigwatch/sigwatch/internal/textx"
	"github.com/sigwatch/sigwatch/internal/timex"
)

const (
	// DefaultURL is FIRST's current EPSS file (gzip-compressed CSV). Daily
	// files are at https://epss.cyentia.com/epss_scores-YYYY-MM-DD.csv.gz.
	DefaultURL = "https://epss.cyentia.com/epss_scores-current.csv.gz"
	// DefaultMaxBytes caps the CSV after gzip decoding: 256 MiB, about
	// twenty times a full daily file (some 300,000 rows, 12 MB).
	DefaultMaxBytes = 256 << 20
)

// Scores is one EPSS file: a score (and usually a percentile) per CVE. It is
// safe for concurrent reads; it is never modified after Parse.
type Scores struct {
	// Model is the model_version of the header comment ("v2023.03.01");
	// "" when the file has no comment (2021 files).
	Model string
	// Date is the score_date of the header comment in UTC; zero when the
	// file has none.
	Date time.Time
	// Warnings describe oddities that did not stop parsing (unknown
	// comment keys or columns), as "name:line: message".
	Warnings []string

	scores        map[string]score
	hasPercentile bool
}

type score struct{ epss, percentile float64 }

// Len returns the number of scored CVEs.
func (s *Scores) Len() int { return len(s.scores) }

// HasPercentile reports whether the file had a percentile column (files
// from 2021 have only cve and epss).
func (s *Scores) HasPercentile() bool { return s.hasPercentile }

// Lookup returns the score of a CVE ID. The ID is matched
// case-insensitively, ignoring surrounding white space. The result carries
// the file's Model and Date.
func (s *Scores) Lookup(cve string) (feeds.EPSS, bool) {
	sc, ok := s.scores[strings.ToUpper(strings.TrimSpace(cve))]
	if !ok {
		return feeds.EPSS{}, false
	}
	return feeds.EPSS{Score: sc.epss, Percentile: sc.percentile, Date: s.Date, Model: s.Model}, true
}

// CVEs returns the scored CVE IDs, upper case, sorted by year and then
// number: CVE-2021-9999 before CVE-2021-10000.
func (s *Scores) CVEs() []string {
	out := make([]string, 0, len(s.scores))
	for id := range s.scores {
		out = append(out, id)
	}
	slices.SortFunc(out, compareCVE)
	return out
}

// compareCVE orders valid CVE IDs by year, then number.
func compareCVE(a, b string) int {
	if c := strings.Compare(a[4:8], b[4:8]); c != 0 {
		return c
	}
	na, nb := strings.TrimLeft(a[9:], "0"), strings.TrimLeft(b[9:], "0")
	if len(na) != len(nb) {
		return len(na) - len(nb)
	}
	if c := strings.Compare(na, nb); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// Enrich sets Exploitation.EPSS on every advisory whose ID or aliases name
// a scored CVE (Advisory.CVEs; CVEs only in Related are distinct
// vulnerabilities and are not used) and returns how many advisories it
// set. When several of an advisory's CVEs are scored the highest score is
// used (on a tie, the first CVE in CVEs order). Each advisory gets its own
// *feeds.EPSS; an EPSS value already present is replaced, and advisories
// without a scored CVE are left as they are.
func (s *Scores) Enrich(advs []feeds.Advisory) int {
	n := 0
	for i := range advs {
		var best *feeds.EPSS
		for _, id := range advs[i].CVEs() {
			if e, ok := s.Lookup(id); ok && (best == nil || e.Score > best.Score) {
				best = &e
			}
		}
		if best != nil {
			advs[i].Exploitation.EPSS = best
			n++
		}
	}
	return n
}

// Parse reads an EPSS CSV file from r, streaming it row by row. The file
// may be gzip-compressed (recognised by its magic bytes). name identifies
// the input in errors and warnings.
//
// Malformed input yields a *feeds.ParseError with the 1-based line; inputs
// over DefaultMaxBytes (after decompression) wrap feeds.ErrTooLarge; HTML
// pages and empty input wrap feeds.ErrNotFeed.
func Parse(r io.Reader, name string) (*Scores, error) {
	return parse(r, name, DefaultMaxBytes)
}

// isCVE reports whether id (upper case) is CVE-YYYY-NNNN with 4 to 19
// digits in the number.
func isCVE(id string) bool {
	if len(id) < 13 || len(id) > 28 || id[:4] != "CVE-" || id[8] != '-' {
		return false
	}
	return allDigits(id[4:8]) && allDigits(id[9:])
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// isDecimal reports whether s is a decimal number with optional sign,
// fraction and exponent ("0.00383", "5e-05", ".5"); it rejects what
// strconv.ParseFloat also accepts but EPSS files never contain: hex
// floats, underscores, "NaN", "Inf".
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// limitReader fails with an error wrapping feeds.ErrTooLarge once more
// than limit bytes have been read.
type limitReader struct {
	r     io.Reader
	left  int64
	limit int64
	name  string
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, fmt.Errorf("epssfeed: read %s: more than %d bytes: %w", l.name, l.limit, feeds.ErrTooLarge)
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	if l.left -= int64(n); l.left < 0 {
		return n, fmt.Errorf("epssfeed: read %s: more than %d bytes: %w", l.name, l.limit, feeds.ErrTooLarge)
	}
	return n, err
}

func parse(r io.Reader, name string, limit int64) (*Scores, error) {
	raw := bufio.NewReaderSize(r, 64<<10)
	var src io.Reader = raw
	if magic, _ := raw.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(raw)
		if err != nil {
			return nil, &feeds.ParseError{Input: name, Err: fmt.Errorf("gzip: %w", err)}
		}
		defer zr.Close()
		src = zr
	}
	br := bufio.NewReaderSize(&limitReader{r: src, left: limit, limit: limit, name: name}, 64<<10)
	head, err := br.Peek(512)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, readError(name, err)
	}
	if len(sniff.TrimLeft(head)) == 0 {
		return nil, &feeds.ParseError{Input: name, Line: 1, Err: sniff.NotFeed("empty input, not an EPSS file")}
	}
	if sniff.HTML(head) {
		return nil, &feeds.ParseError{Input: name, Line: 1, Err: sniff.NotFeed("got an HTML page, not an EPSS file")}
	}
	if bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
	}

	s := &Scores{scores: make(map[string]score, 256)}
	line := 0 // lines consumed before the CSV body
	for {
		b, err := br.Peek(1)
		if err != nil || b[0] != '#' {
			break
		}
		text, err := br.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, readError(name, err)
		}
		line++
		if err := s.comment(name, line, strings.TrimRight(text, "\r\n")); err != nil {
			return nil, err
		}
	}

	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = 0
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &feeds.ParseError{Input: name, Line: line + 1, Err: sniff.NotFeed(`no header line "cve,epss,percentile"`)}
		}
		return nil, csvError(name, line, err)
	}
	hl, _ := cr.FieldPos(0)
	hl += line
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[h]; dup {
			return nil, &feeds.ParseError{Input: name, Line: hl, Err: fmt.Errorf("bad header: column %q repeats", clip(h))}
		}
		col[h] = i
		if h != "cve" && h != "epss" && h != "percentile" {
			s.Warnings = append(s.Warnings, fmt.Sprintf("%s:%d: unknown column %q ignored", name, hl, clip(h)))
		}
	}
	ci, okC := col["cve"]
	ei, okE := col["epss"]
	pi, okP := col["percentile"]
	if !okC || !okE {
		return nil, &feeds.ParseError{Input: name, Line: hl, Err: fmt.Errorf(`bad header %q: want "cve,epss" and optionally "percentile"`, clip(strings.Join(header, ",")))}
	}
	s.hasPercentile = okP

	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(name, line, err)
		}
		ln, _ := cr.FieldPos(0)
		ln += line
		id := strings.ToUpper(strings.TrimSpace(rec[ci]))
		if !isCVE(id) {
			return nil, &feeds.ParseError{Input: name, Line: ln, Field: "cve", Err: fmt.Errorf("%q is not a CVE ID", clip(rec[ci]))}
		}
		var sc score
		if sc.epss, err = prob(rec[ei]); err != nil {
			return nil, &feeds.ParseError{Input: name, Line: ln, Field: "epss", Err: fmt.Errorf("%s: %w", id, err)}
		}
		if okP {
			if sc.percentile, err = prob(rec[pi]); err != nil {
				return nil, &feeds.ParseError{Input: name, Line: ln, Field: "percentile", Err: fmt.Errorf("%s: %w", id, err)}
			}
		}
		if _, dup := s.scores[id]; dup {
			return nil, &feeds.ParseError{Input: name, Line: ln, Field: "cve", Err: fmt.Errorf("duplicate %s", id)}
		}
		s.scores[id] = sc
	}
	return s, nil
}

// comment reads a header comment: "#model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000".
func (s *Scores) comment(name string, line int, text string) error {
	body := strings.TrimSpace(strings.TrimPrefix(text, "#"))
	if body == "" {
		return nil
	}
	for _, kv := range strings.Split(body, ",") {
		k, v, ok := strings.Cut(kv, ":")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case !ok:
			s.Warnings = append(s.Warnings, fmt.Sprintf("%s:%d: comment part %q is not key:value; ignored", name, line, clip(kv)))
		case k == "model_version":
			s.Model = v
		case k == "score_date":
			t, err := timex.Parse(v)
			if err != nil {
				return &feeds.ParseError{Input: name, Line: line, Field: "score_date", Err: fmt.Errorf("invalid date %q", clip(v))}
			}
			s.Date = t
		default:
			s.Warnings = append(s.Warnings, fmt.Sprintf("%s:%d: unknown comment key %q ignored", name, line, clip(k)))
		}
	}
	return nil
}

// prob parses a probability: a decimal number (scientific notation
// allowed) between 0 and 1.
func prob(s string) (float64, error) {
	t := strings.TrimSpace(s)
	if !isDecimal(t) {
		return 0, fmt.Errorf("%q is not a number", clip(s))
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f < 0 || f > 1 {
		return 0, fmt.Errorf("%s is outside 0–1", clip(t))
	}
	return f, nil
}

// csvError converts an encoding/csv error; offset is the number of comment
// lines before the CSV body.
func csvError(name string, offset int, err error) error {
	var ce *csv.ParseError
	if errors.As(err, &ce) {
		return &feeds.ParseError{Input: name, Line: ce.Line + offset, Err: ce.Err}
	}
	return readError(name, err)
}

func readError(name string, err error) error {
	var pe *feeds.ParseError
	if errors.As(err, &pe) || errors.Is(err, feeds.ErrTooLarge) {
		return err
	}
	if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &feeds.ParseError{Input: name, Err: fmt.Errorf("gzip: %w", err)}
	}
	return fmt.Errorf("epssfeed: read %s: %w", name, err)
}

// clip shortens hostile input before it goes into a message.
func clip(s string) string { return textx.Clip(s, 40) }

// Fetch downloads an EPSS file from url ("" means DefaultURL) with c (nil
// means feedhttp.New(nil)) and parses it. Pass the same client on every
// call: it remembers the ETag, so an unchanged file answers 304 and Fetch
// returns an error wrapping feeds.ErrNotModified — keep the previous
// Scores then. When the body fails to parse, Fetch calls c.Forget(url) so
// the next call downloads it again.
func Fetch(ctx context.Context, url string, c *feedhttp.Client) (*Scores, error) {
	if url == "" {
		url = DefaultURL
	}
	if c == nil {
		c = feedhttp.New(nil)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	resp, err := c.Get(ctx, url, &feedhttp.Request{Accept: "application/gzip, text/csv;q=0.9"})
	if err != nil {
		return nil, err
	}
	name := resp.URL
	if name == "" {
		name = url
	}
	s, err := Parse(bytes.NewReader(resp.Body), name)
	if err != nil {
		c.Forget(url)
		return nil, err
	}
	return s, nil
}
