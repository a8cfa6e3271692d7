package csaffeed

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/sniff"
	"github.com/sigwatch/sigwatch/internal/timex"
)

// Change is one row of a directory distribution's changes.csv (or
// deletions.csv), or one line of its index.txt.
type Change struct {
	// Path is the document's path as listed, raw: relative to the directory
	// ("2024/rhsa-2024_0010.json") or with a repository prefix
	// ("csaf_files/IT/white/2024/va-24-254-02.json"). Resolve it with
	// ResolvePath.
	Path string `json:"path"`
	// Updated is the row's timestamp in UTC: the document's latest change
	// (changes.csv) or its deletion (deletions.csv). Zero for index.txt,
	// which has no timestamps.
	Updated time.Time `json:"updated,omitzero"`
	// Line is the 1-based line of the row in the input.
	Line int `json:"line"`
}

// ParseChanges reads a CSAF directory listing from r: changes.csv
// ("path,timestamp" rows, quoted or not, as CISA and Red Hat write them),
// Red Hat's deletions.csv (the same format) or index.txt (one path per
// line). name identifies the input in errors.
//
// Rows are returned in file order (changes.csv is newest first by the
// specification; nothing is re-sorted). Blank lines are skipped. Every row
// must have the same number of fields as the first, one (a path) or two (a
// path and a timestamp); there is no header row. A path must be relative
// (no scheme, no leading "/", no ".." segment, no backslash or control
// character) and name a .json file; a timestamp must parse (RFC 3339 with
// any fraction, Z or an offset, or a zone-less time read as UTC). An empty
// or blank input is an error wrapping feeds.ErrNotFeed: it is far more
// often a broken response than a provider without documents.
//
// A file cut short at a line boundary cannot be told from a shorter file;
// the HTTP layer catches truncated transfers (Content-Length, gzip).
//
// Errors are *feeds.ParseError values with the 1-based line and column of
// the offending field. HTML and JSON bodies wrap feeds.ErrNotFeed; inputs
// over DistributionMaxBytes wrap feeds.ErrTooLarge.
func ParseChanges(r io.Reader, name string) ([]Change, error) {
	return parseChanges(r, name, DistributionMaxBytes)
}

func parseChanges(r io.Reader, name string, limit int64) ([]Change, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("csaffeed: read %s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("csaffeed: read %s: %w (limit %d bytes)", name, feeds.ErrTooLarge, limit)
	}
	return parseChangesData(sniff.TrimBOM(data), name)
}

func parseChangesData(data []byte, name string) ([]Change, error) {
	perr := func(line, byteCol int, err error) error {
		return &feeds.ParseError{Input: name, Line: line, Column: distRuneColumn(data, line, byteCol), Err: err}
	}
	if len(sniff.TrimLeft(data)) == 0 {
		return nil, perr(1, 1, sniff.NotFeed("empty body, not a CSAF changes.csv or index.txt"))
	}
	if sniff.HTML(data) {
		return nil, perr(1, 1, sniff.NotFeed("got an HTML page, not a CSAF changes.csv or index.txt"))
	}
	if c := distTopLevel(data); c == '{' || c == '[' || c == '<' {
		return nil, perr(1, 1, sniff.NotFeed("got JSON or markup, not a CSAF changes.csv or index.txt"))
	}

	cr := csv.NewReader(bytes.NewReader(data))
	cr.ReuseRecord = true
	var out []Change
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var ce *csv.ParseError
			if errors.As(err, &ce) {
				if errors.Is(ce.Err, csv.ErrFieldCount) {
					return nil, perr(ce.Line, 1, fmt.Errorf("row has %d fields, the first row had %d", len(rec), cr.FieldsPerRecord))
				}
				return nil, perr(ce.Line, ce.Column, ce.Err)
			}
			return nil, fmt.Errorf("csaffeed: read %s: %w", name, err)
		}
		line, col := cr.FieldPos(0)
		if len(rec) > 2 {
			return nil, perr(line, col, fmt.Errorf("row has %d fields, want path[,timestamp]", len(rec)))
		}
		if err := distCheckPath(rec[0]); err != nil {
			return nil, perr(line, col, err)
		}
		c := Change{Path: rec[0], Line: line}
		if len(rec) == 2 {
			tl, tc := cr.FieldPos(1)
			if strings.TrimSpace(rec[1]) == "" {
				return nil, perr(tl, tc, errors.New("empty timestamp"))
			}
			t, err := timex.Parse(rec[1])
			if err != nil {
				return nil, perr(tl, tc, err)
			}
			c.Updated = t
		}
		out = append(out, c)
	}
	return out, nil
}

// distRuneColumn converts a 1-based byte column on a 1-based line of data
// into a 1-based character column.
func distRuneColumn(data []byte, line, byteCol int) int {
	if line < 1 || byteCol < 1 {
		return byteCol
	}
	start := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(data[start:], '\n')
		if i < 0 {
			return byteCol
		}
		start += i + 1
	}
	end := min(start+byteCol-1, len(data))
	return utf8.RuneCount(data[start:end]) + 1
}

// distCheckPath validates a path listed in changes.csv or index.txt.
func distCheckPath(p string) error {
	s := strings.TrimSpace(p)
	switch {
	case s == "":
		return errors.New("empty path")
	case !utf8.ValidString(s):
		return fmt.Errorf("path %q is not valid UTF-8", distClip(s))
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return fmt.Errorf("path %q contains control characters", distClip(s))
	case strings.Contains(s, `\`):
		return fmt.Errorf("path %q contains a backslash", distClip(s))
	case strings.Contains(s, "://") || strings.HasPrefix(s, "/"):
		return fmt.Errorf("path %q is not relative to the directory", distClip(s))
	case !strings.HasSuffix(strings.ToLower(s), ".json"):
		return fmt.Errorf("path %q does not name a .json file", distClip(s))
	}
	for seg := range strings.SplitSeq(s, "/") {
		if seg == ".." {
			return fmt.Errorf("path %q has a \"..\" segment", distClip(s))
		}
	}
	return nil
}

// ResolvePath returns the URL of a document listed in a directory
// distribution's changes.csv or index.txt, given the directory's URL (with
// or without a trailing "/").
//
// The CSAF specification puts documents in one folder per year below the
// directory ("<directory>/2024/rhsa-2024_0010.json"), but CISA lists them
// with a repository prefix ("csaf_files/IT/white/2024/va-24-254-02.json").
// The rule: when the path's second-to-last segment is a four-digit year,
// only "YYYY/file.json" is kept and resolved against the directory;
// otherwise the whole path is. Empty and "." segments are dropped. Paths
// that fail the checks of [ParseChanges] are rejected, so a listed path can
// never leave the directory.
func ResolvePath(directoryURL, path string) (string, error) {
	base, err := url.Parse(strings.TrimSpace(directoryURL))
	if err != nil || base.Host == "" || (base.Scheme != "http" && base.Scheme != "https") {
		return "", fmt.Errorf("csaffeed: directory URL %q: want an absolute http or https URL", distClip(directoryURL))
	}
	if err := distCheckPath(path); err != nil {
		return "", fmt.Errorf("csaffeed: %w", err)
	}
	var segs []string
	for seg := range strings.SplitSeq(strings.TrimSpace(path), "/") {
		if seg != "" && seg != "." {
			segs = append(segs, seg)
		}
	}
	if n := len(segs); n >= 2 && distIsYear(segs[n-2]) {
		segs = segs[n-2:]
	}
	b := *base
	b.RawQuery, b.Fragment, b.RawFragment = "", "", ""
	if !strings.HasSuffix(b.Path, "/") {
		b.Path += "/"
		b.RawPath = ""
	}
	return b.ResolveReference(&url.URL{Path: strings.Join(segs, "/")}).String(), nil
}

func distIsYear(s string) bool {
	if len(s) != 4 {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
