package triage

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/jsonin"
	"github.com/sigwatch/sigwatch/internal/sniff"
	"github.com/sigwatch/sigwatch/internal/yamlin"
)

// Limits on what the stack loaders read.
const (
	// maxStackFileBytes is the default cap on any one stack file (see
	// StackOptions.MaxFileBytes).
	maxStackFileBytes = 64 << 20
	// maxStackYAMLBytes caps a hand-written YAML or JSON stack: the YAML
	// library can take a hundred bytes of memory per input byte, so this
	// keeps a hostile file to a few hundred MB (the register's cap too).
	maxStackYAMLBytes = 4 << 20
	// maxStackImportDepth caps how deep stack files may import each other.
	maxStackImportDepth = 16
	// maxStackComponents is the default cap on the components one load
	// makes (see StackOptions.MaxComponents): 250,000 components take about
	// 60 MB.
	maxStackComponents = 250_000
	// maxStackErrors caps how many problems one file reports.
	maxStackErrors = 50
)

// StackOptions configures [ImportStack]. A nil *StackOptions reads imported
// files from the operating system.
type StackOptions struct {
	// FS, when set, is the file system from which a stack file's sboms
	// entries are read. The stack file's name and the paths in its entries
	// are then slash-separated fs.FS paths, and an entry that leaves the
	// file system's root ("../x.json") is an error. Optional: nil means the
	// operating system's files, where any path the user can read is allowed.
	FS fs.FS
	// MaxFileBytes caps the size of each file read: the stack file and
	// every file it imports. Optional: 0 means 64 MiB. A hand-written YAML
	// or JSON stack file is further capped at 4 MiB.
	MaxFileBytes int
	// MaxComponents caps the components one load makes, counting every
	// copy of a file imported more than once. Optional: 0 means 250,000.
	MaxComponents int
}

// StackReport is what loading a stack did besides returning components:
// changes and omissions a person should know about, which are not errors.
type StackReport struct {
	// Merged counts SBOM packages merged into an identical earlier package:
	// SPDX documents from syft list a Go module once per go.mod requiring
	// it (Flux 0.26.3: 244 packages, 189 distinct).
	Merged int
	// Renamed counts components whose ID was taken by an earlier one and got
	// a "#2", "#3", … suffix: CycloneDX components without a bom-ref, and
	// components imported twice into one stack.
	Renamed int
	// Skipped counts SBOM entries with nothing to identify them: no name,
	// purl or CPE.
	Skipped int
	// Notes say what happened, one line each, naming the file.
	Notes []string
}

func (r *StackReport) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

// ParseStack reads a stack in any of the formats sigwatch knows, detected
// from the content, never from the file name:
//
//   - a CycloneDX 1.2–1.6 JSON SBOM (a JSON object with "bomFormat"), see
//     [ParseCycloneDX];
//   - an SPDX 2.2 or 2.3 JSON document (a JSON object with "spdxVersion"),
//     see [ParseSPDX];
//   - CSV whose first line is a header naming known columns, see
//     [ParseStackCSV];
//   - otherwise the hand-written stack file, YAML or JSON, described below.
//
// name identifies the input in messages and in each component's Source;
// "" means "<input>". Anything else (XML, SPDX tag-value, a list, an empty
// file) is refused with one message saying what a stack file may be.
//
// # The stack file
//
// A stack file is a YAML (or JSON) map with a list of components, each a
// [Component] written with the field names below, and optionally a list of
// SBOMs to import:
//
//	components:
//	  - id: edge-fw                # required, unique
//	    name: Edge firewalls       # optional display name
//	    vendor: Fortinet
//	    product: FortiOS
//	    version: 7.2.4
//	    purl: pkg:…                # optional package URL
//	    cpe: cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*
//	    ecosystem: Go              # OSV ecosystem of a package, if any
//	    owner: network-team        # a register person or team
//	    criticality: critical      # critical | high | medium | low
//	    exposure: internet         # internet | internal | isolated
//	    tags: [perimeter]
//	sboms:
//	  - path: flux.spdx.json       # relative to this file
//	    owner: platform-team
//	    criticality: high
//	    exposure: internal
//	    tags: [gitops]
//
// Every component needs something to match on: vendor and product, a purl
// or a CPE. Unknown fields are errors with a suggestion ("did you mean
// owner?"); "source" is set by the loader ("stack.yaml:14") and may not be
// written.
//
// Each sboms entry reads the file at path, in any of the formats above
// (another stack file or a CSV too), and gives every component it brings
// the entry's owner, criticality and exposure where the component has none,
// and the entry's tags after its own. Relative paths are resolved against
// the directory of the stack file; when parsing from a reader that is the
// directory of name. Paths outside that directory are allowed (it is the
// user's own file); a missing file is an error at the entry, and so is a
// file that imports itself, directly or through others. Imported
// components keep their IDs unless an earlier component has taken it; they
// are then renamed "id#2", "id#3", … in file order (see [StackReport]).
//
// # Errors and limits
//
// Every problem is a *[feeds.ParseError] naming the file, line and column
// (where known) and the path of the value ("components[2].ownr"); several
// are joined with errors.Join, one per line, at most 50 per file. An SBOM or
// CSV may be up to 64 MiB, a hand-written stack file 4 MiB; imports nest at
// most 16 deep and one load makes at most 250,000 components (see
// [StackOptions] to change the limits). The loaders never panic.
func ParseStack(r io.Reader, name string) (*Stack, error) {
	s, _, err := ImportStack(r, name, nil)
	return s, err
}

// LoadStack reads the stack file at path; see [ParseStack]. A file that
// cannot be opened gives an error wrapping the os error, so errors.Is(err,
// fs.ErrNotExist) works.
func LoadStack(path string) (*Stack, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("triage: %w", err)
	}
	defer f.Close()
	return ParseStack(f, path)
}

// LoadStackFS reads the stack file name from fsys, and any SBOMs it
// imports from fsys too; see [ParseStack] and [StackOptions].FS.
func LoadStackFS(fsys fs.FS, name string) (*Stack, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("triage: %w", err)
	}
	defer f.Close()
	s, _, err := ImportStack(f, name, &StackOptions{FS: fsys})
	return s, err
}

// ImportStack is [ParseStack] with options, returning also a
// [StackReport] of what the import merged, renamed or skipped. The report
// is returned, possibly partly filled, even with an error.
func ImportStack(r io.Reader, name string, opts *StackOptions) (*Stack, *StackReport, error) {
	if name == "" {
		name = "<input>"
	}
	l := &stackLoader{
		report:        new(StackReport),
		cache:         make(map[string]*Stack),
		failed:        make(map[string]error),
		maxBytes:      maxStackFileBytes,
		maxComponents: maxStackComponents,
	}
	if opts != nil {
		l.fsys = opts.FS
		if opts.MaxFileBytes > 0 {
			l.maxBytes = opts.MaxFileBytes
		}
		if opts.MaxComponents > 0 {
			l.maxComponents = opts.MaxComponents
		}
	}
	data, err := readStack(r, name, l.maxBytes)
	if err != nil {
		return nil, l.report, err
	}
	s, err := l.parse(data, name)
	if err != nil {
		return nil, l.report, err
	}
	return s, l.report, nil
}

// parseOne reads r, named name, with the parser of one format.
func parseOne(r io.Reader, name string, parse func([]byte, string, *StackReport) (*Stack, error)) (*Stack, error) {
	if name == "" {
		name = "<input>"
	}
	data, err := readStack(r, name, maxStackFileBytes)
	if err != nil {
		return nil, err
	}
	return parse(data, name, new(StackReport))
}

// readStack reads all of r, at most limit bytes.
func readStack(r io.Reader, name string, limit int) ([]byte, error) {
	if r == nil {
		return nil, fmt.Errorf("triage: read %s: nil reader", name)
	}
	// bytes.Buffer doubles its capacity (io.ReadAll grows by a quarter),
	// which copies far less for large inputs.
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(r, int64(limit)+1)); err != nil {
		return nil, fmt.Errorf("triage: read %s: %w", name, err)
	}
	if buf.Len() > limit {
		size := strconv.Itoa(limit) + " bytes"
		if limit%(1<<20) == 0 {
			size = strconv.Itoa(limit>>20) + " MiB"
		}
		return nil, &feeds.ParseError{Input: name, Err: fmt.Errorf("%w: a stack file may be at most %s", feeds.ErrTooLarge, size)}
	}
	return buf.Bytes(), nil
}

// stackLoader reads one stack file and everything it imports.
type stackLoader struct {
	fsys   fs.FS // nil: the operating system
	report *StackReport
	// active is the chain of files being read, outermost first, to catch
	// import loops.
	active []activeFile
	// cache and failed hold the files read so far by key, so that a file
	// imported twice is read once.
	cache  map[string]*Stack
	failed map[string]error
	// overLimit is set once the load has made too many components; it
	// ends the load.
	overLimit     error
	total         int // components made, against maxComponents
	maxComponents int
	maxBytes      int // cap on each file
}

type activeFile struct{ key, name string }

// key identifies the file name for loop detection and caching.
func (l *stackLoader) key(name string) string {
	if l.fsys != nil {
		return path.Clean(name)
	}
	if abs, err := filepath.Abs(name); err == nil {
		return abs
	}
	return filepath.Clean(name)
}

// resolve returns the name of the file an entry of the stack file name
// refers to by p.
func (l *stackLoader) resolve(name, p string) (string, error) {
	if l.fsys != nil {
		if path.IsAbs(p) {
			return "", fmt.Errorf("%q is an absolute path; in a file system paths are relative to the stack file", p)
		}
		full := path.Join(path.Dir(name), p)
		if !fs.ValidPath(full) {
			return "", fmt.Errorf("%q leaves the root of the file system", p)
		}
		return full, nil
	}
	if filepath.IsAbs(p) {
		return filepath.Clean(p), nil
	}
	return filepath.Join(filepath.Dir(name), p), nil
}

// open opens the file name for reading.
func (l *stackLoader) open(name string) (fs.File, error) {
	if l.fsys != nil {
		return l.fsys.Open(name)
	}
	return os.Open(name)
}

// parse reads data, the content of the file name, in whichever format it
// is, with name at the top of the import chain.
func (l *stackLoader) parse(data []byte, name string) (*Stack, error) {
	key := l.key(name)
	l.active = append(l.active, activeFile{key, name})
	defer func() { l.active = l.active[:len(l.active)-1] }()
	format, err := detectStackFormat(data, name)
	if err != nil {
		return nil, err
	}
	var s *Stack
	switch format {
	case stackCycloneDX:
		s, err = parseCycloneDX(data, name, l.report)
	case stackSPDX:
		s, err = parseSPDX(data, name, l.report)
	case stackCSV:
		s, err = parseStackCSV(data, name, l.maxComponents)
	default:
		s, err = l.parseStackFile(data, name)
	}
	if err != nil {
		return nil, err
	}
	if format != stackFile { // a stack file counts as it goes
		if err := l.grow(len(s.Components), name); err != nil {
			return nil, err
		}
	}
	l.cache[key] = s
	return s, nil
}

// grow counts n more components made while reading the file name. Every
// component counts, also each copy of a file imported more than once, so
// that imports of imports cannot multiply without bound.
// The first time the cap is passed is the only error the load reports.
func (l *stackLoader) grow(n int, name string) error {
	l.total += n
	if l.total > l.maxComponents && l.overLimit == nil {
		l.overLimit = &feeds.ParseError{Input: name, Err: fmt.Errorf("more than %d components, imports included", l.maxComponents)}
	}
	return l.overLimit
}

// load reads the file name imported by an entry, or returns it from the
// cache. Problems with the entry itself (the file cannot be opened, imports
// itself, nests too deep) are returned as an *entryError; problems inside
// the file name that file.
func (l *stackLoader) load(name string) (*Stack, error) {
	key := l.key(name)
	for i, a := range l.active {
		if a.key == key {
			chain := make([]string, 0, len(l.active)-i+1)
			for _, b := range l.active[i:] {
				chain = append(chain, b.name)
			}
			return nil, &entryError{&importLoopError{chain: append(chain, name)}}
		}
	}
	if s, ok := l.cache[key]; ok {
		return s, nil
	}
	if err, ok := l.failed[key]; ok {
		return nil, err
	}
	if len(l.active) >= maxStackImportDepth {
		return nil, &entryError{fmt.Errorf("imports nest more than %d deep", maxStackImportDepth)}
	}
	f, err := l.open(name)
	if err != nil {
		return nil, &entryError{err}
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, &entryError{fmt.Errorf("%s is a directory, not a file", name)}
	}
	data, err := readStack(f, name, l.maxBytes)
	var pe *feeds.ParseError
	switch {
	case err != nil && !errors.As(err, &pe):
		// An I/O error, such as a directory named as a file.
		return nil, &entryError{err}
	case err == nil:
		var s *Stack
		if s, err = l.parse(data, name); err == nil {
			return s, nil
		}
	}
	l.failed[key] = err
	return nil, err
}

// entryError is a problem with an entry of a stack file's sboms list.
type entryError struct{ err error }

func (e *entryError) Error() string { return e.err.Error() }
func (e *entryError) Unwrap() error { return e.err }

// importLoopError reports a stack file that imports itself.
type importLoopError struct{ chain []string }

func (e *importLoopError) Error() string {
	if len(e.chain) == 2 {
		return e.chain[0] + " imports itself"
	}
	return "import loop: " + strings.Join(e.chain, " → ")
}

// stackFormat is a format that detectStackFormat recognises.
type stackFormat int

const (
	stackFile stackFormat = iota // hand-written YAML or JSON
	stackCycloneDX
	stackSPDX
	stackCSV
)

// stackFormatsMsg says what a stack file may be, and notAStackMsg refuses
// a file that is none of that.
const (
	stackFormatsMsg = `want a YAML or JSON stack with "components" or "sboms", a CycloneDX or SPDX JSON SBOM, or CSV with a header row`
	notAStackMsg    = "not a stack file: " + stackFormatsMsg
)

// detectStackFormat tells the format of data from its content, or returns
// the one clear error for content that is no stack format at all.
func detectStackFormat(data []byte, name string) (stackFormat, error) {
	trimmed := sniff.TrimLeft(data)
	switch {
	case len(trimmed) == 0:
		return 0, &feeds.ParseError{Input: name, Err: errors.New("file is empty; " + stackFormatsMsg)}
	case trimmed[0] == '{':
		bomFormat, spdxVersion := jsonTopKeys(trimmed)
		switch {
		case bomFormat:
			return stackCycloneDX, nil
		case spdxVersion:
			return stackSPDX, nil
		}
		return stackFile, nil
	case trimmed[0] == '<':
		line, col := jsonin.Position(data, int64(len(data)-len(trimmed)))
		msg := "XML or HTML is " + notAStackMsg + " (CycloneDX XML is not supported: export JSON)"
		if sniff.HTML(trimmed) {
			msg = "got an HTML page; " + notAStackMsg
		}
		return 0, &feeds.ParseError{Input: name, Line: line, Column: col, Err: errors.New(msg)}
	}
	first, line := firstSignificantLine(data)
	if spdxTagValue.MatchString(first) {
		return 0, &feeds.ParseError{Input: name, Line: line, Column: 1, Err: errors.New("SPDX tag-value is not supported: give SPDX as JSON")}
	}
	if _, ok := csvHeader(first); ok {
		return stackCSV, nil
	}
	return stackFile, nil
}

var spdxTagValue = regexp.MustCompile(`^SPDXVersion:\s*SPDX-`)

// firstSignificantLine returns the first line of data that is neither blank
// nor a comment (starting with #, as encoding/csv has it), without its line
// ending, and its 1-based number.
func firstSignificantLine(data []byte) (string, int) {
	sc := bufio.NewScanner(bytes.NewReader(sniff.TrimBOM(data)))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) != "" && !strings.HasPrefix(sc.Text(), "#") {
			return strings.TrimSuffix(sc.Text(), "\r"), n
		}
	}
	return "", 0
}

// jsonTopKeys reports whether the JSON object in data has the keys
// bomFormat and spdxVersion at its top level, matched exactly. It reads
// only as far as needed and stops at the first syntax error, so a truncated
// SBOM is still recognised by the keys before the cut.
func jsonTopKeys(data []byte) (bomFormat, spdxVersion bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false, false
	}
	var skip json.RawMessage
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		switch tok {
		case "bomFormat":
			return true, false
		case "spdxVersion":
			return false, true
		}
		if err := dec.Decode(&skip); err != nil {
			return
		}
	}
	return
}

// errorList joins errs, at most maxStackErrors of them, into one error,
// dropping repeats (a file that fails to import fails the same way at every
// entry that imports it).
func errorList(name string, errs []error) error {
	seen := make(map[string]bool, len(errs))
	errs = slices.DeleteFunc(errs, func(e error) bool {
		msg := e.Error()
		dup := seen[msg]
		seen[msg] = true
		return dup
	})
	if len(errs) > maxStackErrors {
		errs = append(errs[:maxStackErrors:maxStackErrors], &feeds.ParseError{Input: name, Err: fmt.Errorf("too many errors; stopped after %d", maxStackErrors)})
	}
	return errors.Join(errs...)
}

// fromYAMLIn converts problems found by internal/yamlin.
func fromYAMLIn(l yamlin.ErrorList) []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = &feeds.ParseError{Input: e.File, Line: e.Line, Column: e.Column, Field: e.Path, Err: errors.New(e.Msg)}
	}
	return errs
}

// componentPos is where a component was read: the file, the line and column
// (zero when unknown) and the path of its entry ("components[3]").
type componentPos struct {
	file         string
	line, column int
	path         string
}

// where describes p for a message: "line 12", or the path.
func (p componentPos) where() string {
	if p.line > 0 {
		return "line " + strconv.Itoa(p.line)
	}
	return p.path
}

// validateAt runs s.Validate and reports each problem at the position of
// the component it is about; pos[i] is where s.Components[i] was read.
func validateAt(s *Stack, pos []componentPos) []error {
	err := s.Validate()
	if err == nil {
		return nil
	}
	var out []error
	for _, e := range flatten(err) {
		var ce *ComponentError
		if !errors.As(e, &ce) || ce.Index >= len(pos) {
			out = append(out, e)
			continue
		}
		msg := ce.Msg
		if ce.First >= 0 && ce.First < len(pos) {
			msg += " (first at " + pos[ce.First].where() + ")"
		}
		p := pos[ce.Index]
		out = append(out, &feeds.ParseError{Input: p.file, Line: p.line, Column: p.column, Field: p.path, Err: errors.New(msg)})
	}
	return out
}

// uniqueIDs makes the IDs of comps unique among themselves and the IDs in
// taken, in order: a later component whose ID is taken gets the first free
// "id#2", "id#3", …. It adds every final ID to taken and returns how many
// components it renamed.
func uniqueIDs(comps []Component, taken *idSet) int {
	renamed := 0
	for i := range comps {
		if id := taken.unique(comps[i].ID, "#"); id != comps[i].ID {
			comps[i].ID = id
			renamed++
		}
	}
	return renamed
}

// idSet hands out unique IDs.
type idSet struct {
	taken map[string]bool
	// next is where the search for a free suffix of a base ID resumes, so
	// that n repeats of one ID cost O(n), not O(n²).
	next map[string]int
}

func newIDSet() *idSet {
	return &idSet{taken: make(map[string]bool), next: make(map[string]int)}
}

// add marks id as taken.
func (s *idSet) add(id string) { s.taken[id] = true }

// unique returns base if it is free, else the first free of base+sep+"2",
// base+sep+"3", …, and marks what it returns as taken.
func (s *idSet) unique(base, sep string) string {
	id := base
	if s.taken[id] {
		n := max(s.next[base], 2)
		for s.taken[base+sep+strconv.Itoa(n)] {
			n++
		}
		id = base + sep + strconv.Itoa(n)
		s.next[base] = n + 1
	}
	s.taken[id] = true
	return id
}
