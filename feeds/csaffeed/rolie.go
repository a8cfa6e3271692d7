package csaffeed

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/internal/jsonin"
	"github.com/sigwatch/sigwatch/internal/timex"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/sniff"
)

// Link relations used by CSAF ROLIE feeds.
const (
	RelSelf      = "self"
	RelHash      = "hash"
	RelSignature = "signature"
)

// ROLIETLPScheme is the category scheme that carries a feed's TLP label in
// ROLIE service and feed documents.
const ROLIETLPScheme = "https://www.first.org/tlp/"

// ROLIEFeed is a CSAF ROLIE feed (CSAF 2.0 section 7.1.20, RFC 8322 in
// JSON).
type ROLIEFeed struct {
	// ID and Title are the feed's id and title, raw.
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
	// Links are the feed's links as published.
	Links []ROLIELink `json:"link,omitempty"`
	// Categories are the feed's categories; CSAF feeds carry
	// {scheme: "urn:ietf:params:rolie:category:information-type", term: "csaf"}.
	Categories []ROLIECategory `json:"category,omitempty"`
	// Updated is the feed's updated time in UTC; zero when absent.
	Updated time.Time `json:"updated,omitzero"`
	// Entries are the feed's entries in feed order (CISA: newest first).
	Entries []ROLIEEntry `json:"entry"`
	// Warnings describe problems that did not stop parsing, each with its
	// position (field path) or a count and the first occurrence: links
	// without "rel" (the CISA IT "ref" mistake), entries without id or
	// updated, IDs that do not match the file name, duplicates.
	Warnings []string `json:"warnings,omitempty"`
}

// TLP returns the label of the feed's first category with scheme
// ROLIETLPScheme, mapped as [ROLIEFeedRef.TLP] does. ok is false when the
// feed has no such category (CISA's feeds have none: the label is in the
// provider metadata and the feed title).
func (f *ROLIEFeed) TLP() (tlp feeds.TLP, ok bool) {
	for _, c := range f.Categories {
		if strings.EqualFold(strings.TrimSpace(c.Scheme), ROLIETLPScheme) {
			return distTLPLabel(c.Term)
		}
	}
	return feeds.TLPUnspecified, false
}

// ROLIEEntry is one entry of a ROLIE feed: one CSAF document.
type ROLIEEntry struct {
	// ID is the entry's id as published; CSAF providers use the document's
	// tracking ID, in its own case ("ICSA-24-298-03" for the file
	// icsa-24-298-03.json).
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
	// Links are the entry's links as published (self, hash, signature).
	Links []ROLIELink `json:"link,omitempty"`
	// Published and Updated are in UTC; zero when absent.
	Published time.Time `json:"published,omitzero"`
	Updated   time.Time `json:"updated,omitzero"`
	// Summary is summary.content (or summary when it is a plain string),
	// raw; "" when absent, as in CISA's OT feed.
	Summary string `json:"summary,omitempty"`
	// Content points at the CSAF document.
	Content ROLIEContent `json:"content"`
	// Format names the document's schema and version.
	Format ROLIEFormat `json:"format"`
}

// ROLIELink is a link of a ROLIE feed or entry.
type ROLIELink struct {
	// Rel is the link relation as published ("self", "hash",
	// "signature"); "" when absent.
	Rel string `json:"rel,omitempty"`
	// Ref is the non-standard "ref" member CISA's IT feed writes in place
	// of "rel" ({"ref": "hash"}); "" otherwise.
	Ref string `json:"ref,omitempty"`
	// Href is the target, raw.
	Href string `json:"href"`
}

// Relation returns the link's relation in lower case: Rel when present;
// otherwise inferred from the href suffix (".sha512" or ".sha256" → "hash",
// ".asc" → "signature"); otherwise Ref (the CISA IT mistake); otherwise "".
func (l ROLIELink) Relation() string {
	if r := strings.ToLower(strings.TrimSpace(l.Rel)); r != "" {
		return r
	}
	if r := relationFromSuffix(l.Href); r != "" {
		return r
	}
	return strings.ToLower(strings.TrimSpace(l.Ref))
}

func relationFromSuffix(href string) string {
	p := strings.ToLower(strings.TrimSpace(href))
	if u, err := url.Parse(p); err == nil {
		p = u.Path
	}
	switch {
	case strings.HasSuffix(p, ".sha512"), strings.HasSuffix(p, ".sha256"):
		return RelHash
	case strings.HasSuffix(p, ".asc"):
		return RelSignature
	}
	return ""
}

// ROLIECategory is a ROLIE category.
type ROLIECategory struct {
	Scheme string `json:"scheme,omitempty"`
	Term   string `json:"term"`
}

// ROLIEContent is an entry's content: the document's media type and URL.
type ROLIEContent struct {
	Type string `json:"type,omitempty"`
	Src  string `json:"src,omitempty"`
}

// ROLIEFormat names the schema of an entry's document.
type ROLIEFormat struct {
	Schema  string `json:"schema,omitempty"`
	Version string `json:"version,omitempty"`
}

// DocumentURL returns the URL of the entry's CSAF document as published
// (possibly relative to the feed): content.src, or the first "self" link
// when content has no src.
func (e *ROLIEEntry) DocumentURL() string {
	if s := strings.TrimSpace(e.Content.Src); s != "" {
		return e.Content.Src
	}
	for _, l := range e.Links {
		if l.Relation() == RelSelf {
			return l.Href
		}
	}
	return ""
}

// HashURL returns the URL of the entry's hash file: the link whose
// [ROLIELink.Relation] is "hash", preferring a .sha512 file when there are
// several; "" when there is none.
func (e *ROLIEEntry) HashURL() string {
	var first string
	for _, l := range e.Links {
		if l.Relation() != RelHash {
			continue
		}
		if strings.HasSuffix(strings.ToLower(strings.TrimSpace(l.Href)), ".sha512") {
			return l.Href
		}
		if first == "" {
			first = l.Href
		}
	}
	return first
}

// SignatureURL returns the URL of the entry's OpenPGP signature (the link
// whose Relation is "signature"); "" when there is none.
func (e *ROLIEEntry) SignatureURL() string {
	for _, l := range e.Links {
		if l.Relation() == RelSignature {
			return l.Href
		}
	}
	return ""
}

type wireROLIEDoc struct {
	Feed         *wireROLIEFeed  `json:"feed"`
	Service      json.RawMessage `json:"service"`
	Categories   json.RawMessage `json:"categories"`
	Document     json.RawMessage `json:"document"`
	CanonicalURL json.RawMessage `json:"canonical_url"`
}

type wireROLIEFeed struct {
	ID       *string          `json:"id"`
	Title    string           `json:"title"`
	Link     []ROLIELink      `json:"link"`
	Category []ROLIECategory  `json:"category"`
	Updated  *string          `json:"updated"`
	Entry    []wireROLIEEntry `json:"entry"`
}

type wireROLIEEntry struct {
	ID        *string         `json:"id"`
	Title     string          `json:"title"`
	Link      []ROLIELink     `json:"link"`
	Published *string         `json:"published"`
	Updated   *string         `json:"updated"`
	Summary   json.RawMessage `json:"summary"`
	Content   ROLIEContent    `json:"content"`
	Format    ROLIEFormat     `json:"format"`
}

// ParseROLIE reads a CSAF ROLIE feed ({"feed": {…}}) from r. name identifies
// the input (a file name or URL) in errors and warnings.
//
// Entries keep feed order. Each entry must have a document URL (content.src
// or a "self" link) that parses as a URL; its published and updated times,
// when present, must parse (0–9 fractional digits, Z or an offset). Problems
// that leave the feed usable go into Warnings (see [ROLIEFeed]). Errors are
// *feeds.ParseError values with the position and field path; a body that is
// not a ROLIE feed (HTML, a ROLIE service or category document, provider
// metadata, a CSAF document) wraps feeds.ErrNotFeed.
func ParseROLIE(r io.Reader, name string) (*ROLIEFeed, error) {
	data, err := jsonin.Read(r, name, DistributionMaxBytes)
	if err != nil {
		return nil, distPrefix(err)
	}
	return parseROLIEData(data, name)
}

// distWarnings aggregates repeated warnings: each kind is reported once
// with its count and first occurrence, in order of first occurrence.
type distWarnings struct {
	order []string
	count map[string]int
	first map[string]string
}

func (w *distWarnings) add(kind, where string) {
	if w.count == nil {
		w.count, w.first = map[string]int{}, map[string]string{}
	}
	if w.count[kind] == 0 {
		w.order = append(w.order, kind)
		w.first[kind] = where
	}
	w.count[kind]++
}

func (w *distWarnings) list() []string {
	var out []string
	for _, k := range w.order {
		if n := w.count[k]; n == 1 {
			out = append(out, fmt.Sprintf("%s: %s", w.first[k], k))
		} else {
			out = append(out, fmt.Sprintf("%s (%d times, first at %s)", k, n, w.first[k]))
		}
	}
	return out
}

func parseROLIEData(data []byte, name string) (*ROLIEFeed, error) {
	var w wireROLIEDoc
	if err := jsonin.Unmarshal(data, name, &w); err != nil {
		return nil, err
	}
	if err := distCheckObject(data, name, "ROLIE feed"); err != nil {
		return nil, err
	}
	if w.Feed == nil {
		msg := `not a ROLIE feed: no "feed" object`
		switch {
		case w.Service != nil:
			msg = "not a ROLIE feed: this is a ROLIE service document"
		case w.Categories != nil:
			msg = "not a ROLIE feed: this is a ROLIE category document"
		case w.CanonicalURL != nil:
			msg = "not a ROLIE feed: this is CSAF provider metadata"
		case w.Document != nil:
			msg = "not a ROLIE feed: this is a CSAF document"
		}
		return nil, jsonin.ErrorAt(data, name, "", sniff.NotFeed(msg))
	}
	wf := w.Feed
	f := &ROLIEFeed{Title: wf.Title, Links: wf.Link, Categories: wf.Category}
	var warns distWarnings

	if wf.ID == nil || strings.TrimSpace(*wf.ID) == "" {
		warns.add(`feed has no "id"`, "feed.id")
	}
	if wf.ID != nil {
		f.ID = *wf.ID
	}
	if wf.Updated == nil || strings.TrimSpace(*wf.Updated) == "" {
		warns.add(`feed has no "updated" time`, "feed.updated")
	} else {
		t, err := timex.Parse(*wf.Updated)
		if err != nil {
			return nil, jsonin.ErrorAt(data, name, "feed.updated", err)
		}
		f.Updated = t
	}
	csafCategory := false
	for _, c := range wf.Category {
		if strings.EqualFold(strings.TrimSpace(c.Term), "csaf") {
			csafCategory = true
		}
	}
	if !csafCategory {
		warns.add(`feed has no category with term "csaf"`, "feed.category")
	}
	checkLinks := func(links []ROLIELink, field string) {
		for j, l := range links {
			lf := fmt.Sprintf("%s.link[%d]", field, j)
			if strings.TrimSpace(l.Rel) == "" {
				if l.Ref != "" {
					warns.add(fmt.Sprintf(`link has "ref": %q instead of "rel"; relation %q taken from the href`, distClip(l.Ref), l.Relation()), lf)
				} else {
					warns.add(fmt.Sprintf(`link has no "rel"; relation %q taken from the href`, l.Relation()), lf)
				}
			}
			if err := distCheckURL(l.Href); err != nil {
				warns.add("link with an unusable href: "+err.Error(), lf+".href")
			}
		}
	}
	checkLinks(wf.Link, "feed")

	f.Entries = make([]ROLIEEntry, 0, len(wf.Entry))
	seenID := make(map[string]int, len(wf.Entry))
	seenURL := make(map[string]int, len(wf.Entry))
	for i := range wf.Entry {
		we := &wf.Entry[i]
		field := fmt.Sprintf("feed.entry[%d]", i)
		e := ROLIEEntry{Title: we.Title, Links: we.Link, Content: we.Content, Format: we.Format}
		if we.ID != nil {
			e.ID = *we.ID
		}
		if strings.TrimSpace(e.ID) == "" {
			warns.add(`entry has no "id"`, field)
		} else if j, dup := seenID[e.ID]; dup {
			warns.add("duplicate entry id", fmt.Sprintf("%s (id %q, first at feed.entry[%d])", field, distClip(e.ID), j))
		} else {
			seenID[e.ID] = i
		}
		if we.Published != nil && strings.TrimSpace(*we.Published) != "" {
			t, err := timex.Parse(*we.Published)
			if err != nil {
				return nil, jsonin.ErrorAt(data, name, field+".published", err)
			}
			e.Published = t
		}
		if we.Updated == nil || strings.TrimSpace(*we.Updated) == "" {
			warns.add(`entry has no "updated" time (the Source downloads it on every Fetch)`, field)
		} else {
			t, err := timex.Parse(*we.Updated)
			if err != nil {
				return nil, jsonin.ErrorAt(data, name, field+".updated", err)
			}
			e.Updated = t
		}
		summary, err := rolieSummary(we.Summary)
		if err != nil {
			return nil, jsonin.ErrorAt(data, name, field+".summary", err)
		}
		e.Summary = summary
		checkLinks(we.Link, field)

		doc := e.DocumentURL()
		switch {
		case strings.TrimSpace(doc) == "":
			return nil, jsonin.ErrorAt(data, name, field, errors.New(`entry has no document URL (no "content.src" and no "self" link)`))
		case e.Content.Src != "":
			if err := distCheckURL(doc); err != nil {
				return nil, jsonin.ErrorAt(data, name, field+".content.src", err)
			}
		default:
			if err := distCheckURL(doc); err != nil {
				return nil, jsonin.ErrorAt(data, name, field+".link", err)
			}
		}
		if e.Content.Src != "" {
			for _, l := range e.Links {
				if l.Relation() == RelSelf && strings.TrimSpace(l.Href) != strings.TrimSpace(e.Content.Src) {
					warns.add(`"self" link differs from "content.src"; content.src is used`, field)
					break
				}
			}
		}
		if j, dup := seenURL[strings.TrimSpace(doc)]; dup {
			warns.add("duplicate document URL", fmt.Sprintf("%s (first at feed.entry[%d])", field, j))
		} else {
			seenURL[strings.TrimSpace(doc)] = i
		}
		if id := strings.TrimSpace(e.ID); id != "" {
			if base := distBaseName(strings.TrimSpace(doc)); base != "" && !strings.EqualFold(base, FileName(id)) {
				warns.add("entry id does not match the document file name (CSAF 2.0 section 5.1: id in lower case + .json; case is ignored)",
					fmt.Sprintf("%s (id %q, file %q)", field, distClip(id), distClip(base)))
			}
		}
		f.Entries = append(f.Entries, e)
	}
	f.Warnings = warns.list()
	return f, nil
}

// rolieSummary reads an entry's summary: {"content": "…"} as in the CSAF
// specification, a plain string, null or absent.
func rolieSummary(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var obj struct {
		Content *string `json:"content"`
	}
	if err := json.Unmarshal(raw, &obj); err != nil {
		return "", errors.New(`summary must be an object {"content": "…"} or a string`)
	}
	if obj.Content == nil {
		return "", nil
	}
	return *obj.Content, nil
}
