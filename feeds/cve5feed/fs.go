package cve5feed

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/sigwatch/sigwatch/feeds"
)

// maxFileErrors is how many per-file errors ParseFS reports one by one;
// further failures are counted in a final error.
const maxFileErrors = 100

// Set is the result of [ParseFS].
type Set struct {
	// Records are the parsed records in lexical path order, one per CVE ID
	// (see ParseFS for duplicates).
	Records []*Record `json:"records"`
	// Warnings are the warnings of every record, each prefixed with its
	// file name, and one per skipped file or duplicate ID.
	Warnings []string `json:"warnings,omitempty"`
}

// Advisories returns the advisories of s.Records, in the same order.
func (s *Set) Advisories() []feeds.Advisory {
	out := make([]feeds.Advisory, len(s.Records))
	for i, r := range s.Records {
		out[i] = r.Advisory
	}
	return out
}

// ParseFS parses every CVE record below root in fsys: the cvelistV5 layout
// (cves/<year>/<Nxxx>/CVE-….json) as well as flat folders. Files are read in
// lexical path order (fs.WalkDir), so the result is deterministic.
//
// Only files whose names end in ".json" are read; directories whose names
// start with "." (.git, .github) are skipped. A JSON file that is not a CVE
// record, such as the delta.json and deltaLog.json files of cvelistV5, is
// skipped with a warning. When two files hold the same CVE ID, the record
// with the later dateUpdated is kept (the first in path order on a tie) and
// a warning names both files.
//
// A file that fails to parse does not stop the walk: ParseFS returns the
// Set of every record that parsed together with an error joining the
// per-file errors (each a *feeds.ParseError naming the file; at most 100 are
// listed, then a count). Callers that need all or nothing check the error;
// others may use the Set. ctx is checked before each file; when it ends,
// ParseFS returns nil and the context's error.
func ParseFS(ctx context.Context, fsys fs.FS, root string) (*Set, error) {
	set := &Set{}
	var errs []error
	failed := 0
	index := map[string]int{}
	walkErr := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if err != nil {
			if p == root {
				return err
			}
			failed++
			if len(errs) < maxFileErrors {
				errs = append(errs, fmt.Errorf("cve5feed: %s: %w", p, err))
			}
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(strings.ToLower(d.Name()), ".json") || !d.Type().IsRegular() {
			return nil
		}
		rec, err := parseFSFile(fsys, p)
		switch {
		case err != nil && errors.Is(err, feeds.ErrNotFeed):
			set.Warnings = append(set.Warnings, fmt.Sprintf("%s: skipped: %v", p, err))
			return nil
		case err != nil:
			failed++
			if len(errs) < maxFileErrors {
				errs = append(errs, err)
			}
			return nil
		}
		for _, w := range rec.Warnings {
			set.Warnings = append(set.Warnings, p+": "+w)
		}
		id := rec.Advisory.ID
		if i, dup := index[id]; dup {
			prev := set.Records[i]
			if rec.Advisory.Modified.After(prev.Advisory.Modified) {
				set.Warnings = append(set.Warnings, fmt.Sprintf("%s: %s also in %s; kept this newer record (dateUpdated)", p, id, prev.Input))
				set.Records[i] = rec
			} else {
				set.Warnings = append(set.Warnings, fmt.Sprintf("%s: %s also in %s; kept %s (not older)", p, id, prev.Input, path.Base(prev.Input)))
			}
			return nil
		}
		index[id] = len(set.Records)
		set.Records = append(set.Records, rec)
		return nil
	})
	if walkErr != nil {
		if cerr := ctx.Err(); cerr != nil && errors.Is(walkErr, cerr) {
			return nil, walkErr
		}
		return nil, fmt.Errorf("cve5feed: walk %s: %w", root, walkErr)
	}
	if failed > len(errs) {
		errs = append(errs, fmt.Errorf("cve5feed: %d more files failed", failed-len(errs)))
	}
	return set, errors.Join(errs...)
}

func parseFSFile(fsys fs.FS, name string) (*Record, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("cve5feed: %w", err)
	}
	defer f.Close()
	return parseReader(f, name, DefaultMaxBytes)
}
