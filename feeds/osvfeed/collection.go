package osvfeed

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/jsonin"
	"github.com/sigwatch/sigwatch/internal/sniff"
)

// Default limits of ParseFS and ParseZip.
const (
	// DefaultMaxRecords caps the number of records (files or zip members
	// ending in ".json"): 1,000,000. osv.dev's largest ecosystem zip (npm,
	// mostly malicious-package reports) holds a few hundred thousand.
	DefaultMaxRecords = 1_000_000
	// DefaultMaxEntries caps the number of entries of a zip or directory
	// tree, of any kind: 2,000,000.
	DefaultMaxEntries = 2_000_000
	// DefaultMaxTotalBytes caps the uncompressed size of all records
	// together: 4 GiB.
	DefaultMaxTotalBytes = 4 << 30
)

// Limits bound ParseFS and ParseZip. The zero value and a nil *Limits mean
// the defaults.
type Limits struct {
	// MaxRecordBytes caps one record. Optional: 0 or less means
	// DefaultMaxRecordBytes (16 MiB).
	MaxRecordBytes int64
	// MaxRecords caps the number of records read. Optional: 0 or less
	// means DefaultMaxRecords (1,000,000).
	MaxRecords int
	// MaxEntries caps the number of zip members or directory entries of
	// any kind. Optional: 0 or less means DefaultMaxEntries (2,000,000).
	MaxEntries int
	// MaxTotalBytes caps the uncompressed size of all records together.
	// Optional: 0 or less means DefaultMaxTotalBytes (4 GiB).
	MaxTotalBytes int64
}

func (l *Limits) withDefaults() Limits {
	var o Limits
	if l != nil {
		o = *l
	}
	if o.MaxRecordBytes <= 0 {
		o.MaxRecordBytes = DefaultMaxRecordBytes
	}
	if o.MaxRecords <= 0 {
		o.MaxRecords = DefaultMaxRecords
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.MaxTotalBytes <= 0 {
		o.MaxTotalBytes = DefaultMaxTotalBytes
	}
	return o
}

// Database is a set of OSV records read from a directory or zip.
type Database struct {
	// Advisories are the records' advisories sorted by ID (byte order),
	// one per ID.
	Advisories []feeds.Advisory `json:"advisories"`
	// Files holds, for each advisory, the file or zip member it came from
	// (same index as Advisories).
	Files []string `json:"files"`
	// Skipped lists the files or members that were not read because their
	// names do not end in ".json", sorted.
	Skipped []string `json:"skipped,omitempty"`
	// Warnings are the records' warnings in file-name order (including
	// those of a duplicate that was not kept) followed by duplicate-ID
	// warnings.
	Warnings []string `json:"warnings,omitempty"`
}

// Lookup returns the advisory with the given ID.
func (d *Database) Lookup(id string) (*feeds.Advisory, bool) {
	i, ok := slices.BinarySearchFunc(d.Advisories, id, func(a feeds.Advisory, id string) int {
		return strings.Compare(a.ID, id)
	})
	if !ok {
		return nil, false
	}
	return &d.Advisories[i], true
}

// member is one record to read.
type member struct {
	name string // as shown in errors: "<archive>/<member>" or the file path
	open func() (io.ReadCloser, error)
	size int64 // declared size, -1 when unknown
}

// ParseZip reads an OSV database zip as osv.dev publishes it
// (https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip):
// every member whose name ends in ".json" is one record; directories are
// ignored and other members are listed in Database.Skipped. r and size are
// the archive, as for zip.NewReader; name identifies it in errors, which
// name the member as "<name>/<member>".
//
// The limits are checked against the sizes the archive declares before
// anything is decompressed, and reading a member stops at its declared size
// (archive/zip enforces it), so a zip bomb fails fast with an error wrapping
// feeds.ErrTooLarge. Member names that are absolute, contain "..", a
// backslash or a NUL, or repeat another member's name are errors. Records
// are parsed concurrently; the result does not depend on scheduling. ctx is
// checked between records.
func ParseZip(ctx context.Context, r io.ReaderAt, size int64, name string, limits *Limits) (*Database, error) {
	lim := limits.withDefaults()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	head := make([]byte, 512)
	n, _ := r.ReadAt(head, 0)
	head = head[:max(min(int64(n), size), 0)]
	if !bytes.HasPrefix(head, []byte("PK")) && sniff.HTML(head) {
		return nil, &feeds.ParseError{Input: name, Line: 1, Column: 1, Err: sniff.NotFeed("got an HTML page, not a zip archive")}
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, &feeds.ParseError{Input: name, Err: sniff.NotFeed("not a zip archive: " + err.Error())}
	}
	if len(zr.File) > lim.MaxEntries {
		return nil, fmt.Errorf("osvfeed: %s: %d entries, more than the limit of %d: %w", name, len(zr.File), lim.MaxEntries, feeds.ErrTooLarge)
	}
	var members []member
	var skipped []string
	seen := make(map[string]bool, len(zr.File))
	var total int64
	for _, f := range zr.File {
		if err := checkMemberName(f.Name); err != nil {
			return nil, &feeds.ParseError{Input: name + "/" + clip(f.Name), Err: err}
		}
		if seen[f.Name] {
			return nil, &feeds.ParseError{Input: name + "/" + clip(f.Name), Err: errors.New("member name repeats an earlier member")}
		}
		seen[f.Name] = true
		if f.FileInfo().IsDir() {
			continue
		}
		if !strings.HasSuffix(f.Name, ".json") {
			skipped = append(skipped, f.Name)
			continue
		}
		mname := name + "/" + f.Name
		if f.UncompressedSize64 > uint64(lim.MaxRecordBytes) {
			return nil, fmt.Errorf("osvfeed: %s: %d bytes uncompressed, more than the record limit of %d: %w", mname, f.UncompressedSize64, lim.MaxRecordBytes, feeds.ErrTooLarge)
		}
		total += int64(f.UncompressedSize64)
		if total > lim.MaxTotalBytes {
			return nil, fmt.Errorf("osvfeed: %s: more than %d bytes uncompressed in total: %w", name, lim.MaxTotalBytes, feeds.ErrTooLarge)
		}
		if len(members) == lim.MaxRecords {
			return nil, fmt.Errorf("osvfeed: %s: more than %d records: %w", name, lim.MaxRecords, feeds.ErrTooLarge)
		}
		members = append(members, member{name: mname, open: f.Open, size: int64(f.UncompressedSize64)})
	}
	slices.Sort(skipped)
	// Archive order is arbitrary: parse in name order, as ParseFS does, so
	// that errors, warnings and duplicate tie-breaks follow file names.
	slices.SortStableFunc(members, func(a, b member) int { return strings.Compare(a.name, b.name) })
	return parseMembers(ctx, name, members, skipped, lim)
}

// checkMemberName rejects zip member names that would escape a directory
// if extracted, or that cannot name a file.
func checkMemberName(n string) error {
	switch {
	case n == "":
		return errors.New("empty member name")
	case strings.ContainsAny(n, "\\\x00"):
		return errors.New("unsafe member name: contains a backslash or NUL")
	case strings.HasPrefix(n, "/"):
		return errors.New("unsafe member name: absolute path")
	}
	for _, part := range strings.Split(n, "/") {
		if part == ".." {
			return errors.New(`unsafe member name: contains ".."`)
		}
	}
	return nil
}

// ParseFS reads every file whose name ends in ".json" under root in fsys
// (root "." for all of it), each as one OSV record, in lexical path order.
// Other files are listed in Database.Skipped. Errors and warnings name
// files by their path in fsys. Files larger than the record limit wrap
// feeds.ErrTooLarge. ctx is checked between files.
func ParseFS(ctx context.Context, fsys fs.FS, root string, limits *Limits) (*Database, error) {
	lim := limits.withDefaults()
	root = cleanRoot(root)
	var members []member
	var skipped []string
	var total int64
	entries := 0
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if entries++; entries > lim.MaxEntries {
			return fmt.Errorf("osvfeed: %s: more than %d entries: %w", root, lim.MaxEntries, feeds.ErrTooLarge)
		}
		if d.IsDir() {
			return nil
		}
		if !strings.HasSuffix(d.Name(), ".json") || !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			skipped = append(skipped, p)
			return nil
		}
		size := int64(-1)
		if info, err := d.Info(); err == nil && info.Mode().IsRegular() {
			size = info.Size()
			if size > lim.MaxRecordBytes {
				return fmt.Errorf("osvfeed: %s: %d bytes, more than the record limit of %d: %w", p, size, lim.MaxRecordBytes, feeds.ErrTooLarge)
			}
			if total += size; total > lim.MaxTotalBytes {
				return fmt.Errorf("osvfeed: %s: more than %d bytes in total: %w", root, lim.MaxTotalBytes, feeds.ErrTooLarge)
			}
		}
		if len(members) == lim.MaxRecords {
			return fmt.Errorf("osvfeed: %s: more than %d records: %w", root, lim.MaxRecords, feeds.ErrTooLarge)
		}
		members = append(members, member{name: p, open: func() (io.ReadCloser, error) { return fsys.Open(p) }, size: size})
		return nil
	})
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			return nil, err
		}
		return nil, prefix(err)
	}
	return parseMembers(ctx, root, members, skipped, lim)
}

// parseMembers parses the members concurrently, each result in its own
// slot, and merges them in member order.
func parseMembers(ctx context.Context, name string, members []member, skipped []string, lim Limits) (*Database, error) {
	recs := make([]*Record, len(members))
	errs := make([]error, len(members))
	// firstFail is the lowest index that failed so far. Only the first
	// error in member order is returned, so members after it need not be
	// parsed; every member before it still is, whatever the scheduling.
	var firstFail atomic.Int64
	firstFail.Store(int64(len(members)))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := range members {
		if ctx.Err() != nil || int64(i) > firstFail.Load() {
			break
		}
		g.Go(func() error {
			if ctx.Err() != nil || int64(i) > firstFail.Load() {
				return nil
			}
			recs[i], errs[i] = readMember(&members[i], lim.MaxRecordBytes)
			if errs[i] != nil {
				for cur := firstFail.Load(); int64(i) < cur && !firstFail.CompareAndSwap(cur, int64(i)); cur = firstFail.Load() {
				}
			}
			return nil
		})
	}
	_ = g.Wait() // the goroutines report through errs
	// Cancellation of ctx wins over a parse error.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}

	db := &Database{Skipped: skipped}
	if len(members) == 0 {
		db.Warnings = append(db.Warnings, name+": no records: no file name ends in .json")
	}
	type item struct {
		rec  *Record
		file string
	}
	byID := make(map[string]int, len(recs))
	items := make([]item, 0, len(recs))
	var dupWarnings []string
	for i, rec := range recs {
		db.Warnings = append(db.Warnings, rec.Warnings...)
		id := rec.Advisory.ID
		j, dup := byID[id]
		if !dup {
			byID[id] = len(items)
			items = append(items, item{rec, members[i].name})
			continue
		}
		kept := items[j]
		if rec.Advisory.Modified.After(kept.rec.Advisory.Modified) {
			items[j] = item{rec, members[i].name}
			dupWarnings = append(dupWarnings, fmt.Sprintf("%s: duplicate id %s (also in %s); kept this record, modified later", members[i].name, id, kept.file))
		} else {
			dupWarnings = append(dupWarnings, fmt.Sprintf("%s: duplicate id %s (also in %s); kept %s", members[i].name, id, kept.file, kept.file))
		}
	}
	db.Warnings = append(db.Warnings, dupWarnings...)
	slices.SortFunc(items, func(a, b item) int {
		return cmp.Or(strings.Compare(a.rec.Advisory.ID, b.rec.Advisory.ID), strings.Compare(a.file, b.file))
	})
	db.Advisories = make([]feeds.Advisory, len(items))
	db.Files = make([]string, len(items))
	for i, it := range items {
		db.Advisories[i] = it.rec.Advisory
		db.Files[i] = it.file
	}
	return db, nil
}

func readMember(m *member, limit int64) (*Record, error) {
	rc, err := m.open()
	if err != nil {
		return nil, fmt.Errorf("osvfeed: open %s: %w", m.name, err)
	}
	defer rc.Close()
	data, err := jsonin.Read(rc, m.name, limit)
	if err != nil {
		return nil, prefix(err)
	}
	return parseData(data, m.name)
}

// cleanRoot is path.Clean for fs.FS roots ("" means ".").
func cleanRoot(root string) string {
	if root == "" {
		return "."
	}
	return path.Clean(root)
}
