package triage

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/jsonin"
	"github.com/sigwatch/sigwatch/internal/sniff"
	"github.com/sigwatch/sigwatch/internal/yamlin"
)

// csvColumns are the columns a stack CSV may have, in Component order.
var csvColumns = []string{"id", "name", "vendor", "product", "version", "purl", "cpe", "ecosystem", "owner", "criticality", "exposure", "tags"}

// ParseStackCSV reads a stack written as CSV, as a spreadsheet exports it.
// The first line that is neither blank nor a # comment is the header; it
// names the columns, in any order and case, from: id, name, vendor,
// product, version, purl, cpe, ecosystem, owner, criticality, exposure and
// tags (several tags separated by ";"). Each following row is a component.
// The delimiter is a comma, or a semicolon or tab when the header has no
// comma but one of those. Blank rows (only delimiters and spaces) and lines
// starting with # are skipped; cells are trimmed.
//
// A row without an id (no id column, or an empty cell) gets one made from
// its vendor, product and version, lower case, with runs of anything but
// letters, digits, ".", "_" and "+" replaced by "-"
// ("fortinet-fortios-7.2.4"); without those, from its name, then its purl,
// then its CPE. The made IDs are stable (they depend only on the row) and
// unique: a repeat gets "-2", "-3", … in file order, skipping IDs that
// rows give explicitly. Each component's Source is "name:line".
//
// An unknown column (with a suggestion when one is close), a repeated
// column, a row with the wrong number of cells, unknown criticality and
// exposure values, duplicate ids and rows with nothing to match on are
// errors naming the line (and column where known).
func ParseStackCSV(r io.Reader, name string) (*Stack, error) {
	return parseOne(r, name, func(data []byte, name string, _ *StackReport) (*Stack, error) {
		return parseStackCSV(data, name, maxStackComponents)
	})
}

var csvHeaderCell = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9 _-]*$`)

// csvHeader reports whether line looks like a stack CSV header: every cell
// a word, at least one a known column. It returns the delimiter.
func csvHeader(line string) (rune, bool) {
	comma := ','
	if !strings.ContainsRune(line, ',') {
		switch {
		case strings.ContainsRune(line, ';'):
			comma = ';'
		case strings.ContainsRune(line, '\t'):
			comma = '\t'
		}
	}
	known := false
	for cell := range strings.SplitSeq(line, string(comma)) {
		cell = strings.Trim(strings.TrimSpace(cell), `"`)
		if !csvHeaderCell.MatchString(cell) {
			return 0, false
		}
		known = known || slicesContainsFold(csvColumns, cell)
	}
	return comma, known
}

func slicesContainsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, strings.TrimSpace(s)) {
			return true
		}
	}
	return false
}

// parseStackCSV reads data, the CSV file name, stopping after maxComponents
// rows.
func parseStackCSV(data []byte, name string, maxComponents int) (*Stack, error) {
	data = sniff.TrimBOM(data)
	if !utf8.Valid(data) {
		// Spreadsheets on Windows save CSV as Windows-1252 unless told.
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		line, col := jsonin.Position(data, int64(off))
		return nil, &feeds.ParseError{Input: name, Line: line, Column: col, Err: errors.New("invalid UTF-8: save the CSV file as UTF-8")}
	}
	first, _ := firstSignificantLine(data)
	comma, _ := csvHeader(first)
	if comma == 0 {
		comma = ','
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = comma
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true

	var (
		errs   []error
		header []int // column index → index in csvColumns
		s      = new(Stack)
		pos    []componentPos
		made   []int // indexes of components whose ID is to be made
	)
	fail := func(line, col int, field string, format string, args ...any) {
		errs = append(errs, &feeds.ParseError{Input: name, Line: line, Column: col, Field: field, Err: fmt.Errorf(format, args...)})
	}
	// check reports msg, if any, about cell i of the current row.
	check := func(i int, field, msg string) {
		if msg != "" {
			line, col := cr.FieldPos(i)
			fail(line, col, field, "%s", msg)
		}
	}
	for len(errs) <= maxStackErrors {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if pe.StartLine != pe.Line {
				fail(pe.Line, pe.Column, "", "%v (in the row starting at line %d)", pe.Err, pe.StartLine)
			} else {
				fail(pe.Line, pe.Column, "", "%v", pe.Err)
			}
			break // the reader cannot resynchronise after a quoting error
		}
		if err != nil {
			fail(0, 0, "", "%v", err)
			break
		}
		line, _ := cr.FieldPos(0)
		if blankRecord(rec) {
			continue
		}
		if header == nil {
			header = csvHeaderColumns(rec, cr, name, &errs)
			if len(errs) > 0 {
				break
			}
			continue
		}
		if len(rec) != len(header) {
			fail(line, 0, "", "row has %d cells, the header has %d", len(rec), len(header))
			continue
		}
		c := Component{Source: name + ":" + strconv.Itoa(line)}
		for i, cell := range rec {
			cell = strings.TrimSpace(cell)
			switch col := csvColumns[header[i]]; col {
			case "id":
				c.ID = cell
			case "name":
				c.Name = cell
			case "vendor":
				c.Vendor = cell
			case "product":
				c.Product = cell
			case "version":
				c.Version = cell
			case "purl":
				c.PURL = cell
			case "cpe":
				c.CPE = cell
			case "ecosystem":
				c.Ecosystem = cell
			case "owner":
				c.Owner = cell
			case "criticality":
				c.Criticality = Criticality(cell)
				check(i, col, checkCriticality(cell))
			case "exposure":
				c.Exposure = Exposure(cell)
				check(i, col, checkExposure(cell))
			case "tags":
				for t := range strings.SplitSeq(cell, ";") {
					if t = strings.TrimSpace(t); t != "" {
						c.Tags = append(c.Tags, t)
					}
				}
			}
		}
		if c.ID == "" {
			made = append(made, len(s.Components))
		}
		s.Components = append(s.Components, c)
		pos = append(pos, componentPos{file: name, line: line})
		if len(s.Components) > maxComponents {
			fail(line, 0, "", "more than %d components", maxComponents)
			break
		}
	}
	if header == nil && len(errs) == 0 {
		fail(0, 0, "", "no header row; %s", stackFormatsMsg)
	}
	if len(errs) > 0 {
		return nil, errorList(name, errs)
	}
	makeCSVIDs(s.Components, made)
	if errs := validateAt(s, pos); len(errs) > 0 {
		return nil, errorList(name, errs)
	}
	return s, nil
}

// blankRecord reports whether every cell of rec is blank.
func blankRecord(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// csvHeaderColumns maps the header row to csvColumns, reporting unknown,
// empty and repeated columns.
func csvHeaderColumns(rec []string, cr *csv.Reader, name string, errs *[]error) []int {
	header := make([]int, len(rec))
	seen := make(map[int]int, len(rec))
	for i, cell := range rec {
		line, col := cr.FieldPos(i)
		fail := func(format string, args ...any) {
			*errs = append(*errs, &feeds.ParseError{Input: name, Line: line, Column: col, Err: fmt.Errorf(format, args...)})
		}
		key := strings.ToLower(strings.TrimSpace(cell))
		j := -1
		for k, c := range csvColumns {
			if c == key {
				j = k
			}
		}
		switch {
		case key == "":
			fail("header cell %d is empty; name the column or remove it", i+1)
		case j < 0:
			if s := yamlin.Suggest(key, csvColumns); s != "" {
				fail("unknown column %q (did you mean %q?)", cell, s)
			} else {
				fail("unknown column %q (want some of %s)", cell, strings.Join(csvColumns, ", "))
			}
		case seen[j] > 0:
			fail("column %q appears twice (first as column %d)", key, seen[j])
		default:
			seen[j] = i + 1
		}
		header[i] = j
	}
	return header
}

// makeCSVIDs gives the components at the indexes made an ID built from
// their fields (see ParseStackCSV), unique among all IDs.
func makeCSVIDs(comps []Component, made []int) {
	taken := newIDSet()
	for _, c := range comps {
		if c.ID != "" {
			taken.add(c.ID)
		}
	}
	for _, i := range made {
		c := &comps[i]
		base := slug(c.Vendor, c.Product, c.Version)
		switch {
		case strings.TrimSpace(c.Product) == "" && c.Name != "":
			base = slug(c.Name, c.Version)
		case base == "" && c.PURL != "":
			base = c.PURL
		case base == "" && c.CPE != "":
			base = c.CPE
		}
		if base == "" {
			base = "component"
		}
		c.ID = taken.unique(base, "-")
	}
}

// slug joins the non-empty parts with "-", in lower case, with runs of
// anything but letters, digits, ".", "_" and "+" replaced by "-".
func slug(parts ...string) string {
	var b strings.Builder
	dash := false
	for _, p := range parts {
		for _, r := range strings.ToLower(p) {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_' || r == '+' {
				if dash && b.Len() > 0 {
					b.WriteByte('-')
				}
				dash = false
				b.WriteRune(r)
			} else {
				dash = true
			}
		}
		dash = true
	}
	return b.String()
}
