package csaffeed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/sigwatch/sigwatch/internal/jsonin"
)

// DirResult is the outcome of [ParseFS]: what could be read, what could
// not, and what was left aside. All three lists are in lexical path order.
type DirResult struct {
	// Documents are the CSAF documents read. Each Document.Name is the
	// file's path in the file system given to ParseFS.
	Documents []*Document
	// Errors are the files that look like CSAF documents, or like nothing
	// known, but could not be read: a *feeds.ParseError whose Input is the
	// path, or an error wrapping the I/O failure that names the path.
	Errors []error
	// Skipped are the files that are clearly not CSAF documents.
	Skipped []SkippedFile
}

// SkippedFile is a file ParseFS did not parse, with the reason.
type SkippedFile struct {
	Path   string
	Reason string
}

// Err returns the per-file errors joined, nil when there are none.
func (r *DirResult) Err() error { return errors.Join(r.Errors...) }

// ParseFS reads every CSAF document under root in fsys (a directory
// mirror of a provider, or a folder of downloads), in lexical path order.
// nil opts means default limits.
//
// Files whose name does not end in ".json" (case-insensitive) are listed
// in Skipped ("changes.csv", "index.txt", ".sha512", ".asc"). JSON files
// that are recognisably something else are also skipped, with the reason:
// ROLIE feeds ("feed"), ROLIE service and category documents ("service",
// "categories"), provider metadata ("canonical_url" with "distributions",
// "publisher" or "role"), aggregator metadata ("aggregator") and JSON
// schemas ("$schema"). Every other file is parsed with ParseWithOptions;
// one that fails lands in Errors and the walk goes on.
//
// The returned error is non-nil only when root cannot be walked or ctx
// ends; ctx is checked before each file.
func ParseFS(ctx context.Context, fsys fs.FS, root string, opts *ParseOptions) (*DirResult, error) {
	var o ParseOptions
	if opts != nil {
		o = *opts
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxBranchDepth <= 0 {
		o.MaxBranchDepth = DefaultMaxBranchDepth
	}
	res := &DirResult{}
	err := fs.WalkDir(fsys, root, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			res.Errors = append(res.Errors, fmt.Errorf("csaffeed: %s: %w", p, err))
			if de != nil && de.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if de.IsDir() {
			return nil
		}
		if !strings.EqualFold(path.Ext(p), ".json") {
			res.Skipped = append(res.Skipped, SkippedFile{Path: p, Reason: "not a .json file"})
			return nil
		}
		doc, skip, err := parseFSFile(fsys, p, &o)
		switch {
		case err != nil:
			res.Errors = append(res.Errors, err)
		case skip != "":
			res.Skipped = append(res.Skipped, SkippedFile{Path: p, Reason: skip})
		default:
			res.Documents = append(res.Documents, doc)
		}
		return nil
	})
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			return nil, err
		}
		return nil, fmt.Errorf("csaffeed: walk %s: %w", root, err)
	}
	return res, nil
}

// parseFSFile reads one .json file; skip is the reason for leaving it aside.
func parseFSFile(fsys fs.FS, p string, o *ParseOptions) (doc *Document, skip string, err error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, "", fmt.Errorf("csaffeed: %w", err)
	}
	defer f.Close()
	data, err := jsonin.Read(f, p, o.MaxBytes)
	if err != nil {
		return nil, "", docPrefix(err)
	}
	if kind := notDocumentKind(data); kind != "" {
		return nil, "not a CSAF document: " + kind, nil
	}
	doc, err = parseBytes(data, p, o)
	return doc, "", err
}

// notDocumentKind names the kind of a JSON file that is clearly not a CSAF
// document, judging by its top-level keys; "" means "try to parse it".
func notDocumentKind(data []byte) string {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return ""
	}
	has := func(k string) bool { _, ok := top[k]; return ok }
	switch {
	case has("document"):
		return ""
	case has("feed"):
		return "ROLIE feed"
	case has("service"):
		return "ROLIE service document"
	case has("categories"):
		return "ROLIE category document"
	case has("canonical_url") && (has("distributions") || has("publisher") || has("role")):
		return "provider metadata"
	case has("aggregator"):
		return "aggregator metadata"
	case has("$schema"):
		return "JSON schema"
	}
	return ""
}
