package evidence

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode"
)

// SafeCSVCell neutralises spreadsheet formula injection: a cell whose first
// character is '=', '+', '-', '@', a tab or a carriage return is returned
// with a leading apostrophe ("=HYPERLINK(…)" becomes "'=HYPERLINK(…)"), so
// Excel, LibreOffice and Google Sheets show it as text instead of running
// it. Every writer in this package applies it to every data cell (header
// cells are ours and never need it); quoting is left to encoding/csv.
func SafeCSVCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// writeCSV writes the header and the rows, neutralising every data cell.
func writeCSV(w io.Writer, what string, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("evidence: write %s CSV: %w", what, err)
	}
	for _, row := range rows {
		safe := make([]string, len(row))
		for i, c := range row {
			safe[i] = SafeCSVCell(c)
		}
		if err := cw.Write(safe); err != nil {
			return fmt.Errorf("evidence: write %s CSV: %w", what, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("evidence: write %s CSV: %w", what, err)
	}
	return nil
}

// writeJSON writes v as indented JSON with a final newline. encoding/json
// sorts map keys and keeps struct field order, so equal values give equal
// bytes. HTML characters are not escaped: these are data files, and a
// consumer that puts their text into HTML must escape it there.
func writeJSON(w io.Writer, what string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("evidence: encode %s JSON: %w", what, err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("evidence: write %s JSON: %w", what, err)
	}
	return nil
}

// MarkdownCell makes text safe for one cell of a Markdown table: line breaks
// and other control characters become spaces; | \ ` * ~ [ ] < > are
// escaped with a backslash, and so are _ at a word boundary (inside a word,
// as in known_exploited_vulnerabilities, it cannot start emphasis) and & when
// it starts an HTML character reference. Text from feeds can then neither
// break the table nor inject links, images or HTML, while URLs stay intact.
func MarkdownCell(s string) string {
	rs := []rune(s)
	var b strings.Builder
	space := false
	for i, r := range rs {
		switch {
		case r == '\n' || r == '\r' || r == '\t' || r == '\v' || r == '\f' ||
			r == 0x85 || r == 0x2028 || r == 0x2029 || r < 0x20 || r == 0x7f:
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		case strings.ContainsRune("\\`*~[]<>|", r),
			r == '_' && !(i > 0 && i+1 < len(rs) && isWordRune(rs[i-1]) && isWordRune(rs[i+1])),
			r == '&' && charRef.MatchString(string(rs[i:min(len(rs), i+40)])):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
		space = r == ' '
	}
	return strings.TrimSpace(b.String())
}

// charRef matches the start of an HTML character reference (&amp; &#38; &#x26;).
var charRef = regexp.MustCompile(`^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});`)

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// timeString formats t as RFC 3339 in UTC, or "" for the zero time.
func timeString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// markdown writes a Markdown document line by line and keeps the first
// write error, so writers need not check each line.
type markdown struct {
	bw  *bufio.Writer
	err error
}

func newMarkdown(w io.Writer) *markdown { return &markdown{bw: bufio.NewWriter(w)} }

// line writes the parts as one line.
func (m *markdown) line(parts ...string) {
	if m.err == nil {
		_, m.err = m.bw.WriteString(strings.Join(parts, "") + "\n")
	}
}

// row writes one table row, every cell through MarkdownCell.
func (m *markdown) row(cells ...string) {
	esc := make([]string, len(cells))
	for i, c := range cells {
		esc[i] = MarkdownCell(c)
	}
	m.line("| ", strings.Join(esc, " | "), " |")
}

// close flushes and returns the first error, naming the document.
func (m *markdown) close(what string) error {
	if m.err == nil {
		m.err = m.bw.Flush()
	}
	if m.err != nil {
		return fmt.Errorf("evidence: write %s Markdown: %w", what, m.err)
	}
	return nil
}
