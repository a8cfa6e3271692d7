package csaffeed

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/internal/jsonin"
	"github.com/sigwatch/sigwatch/internal/sniff"
)

// Defaults of [Options].
const (
	// DefaultName is the default source name.
	DefaultName = "csaf"
	// DefaultConcurrency is the default number of documents downloaded at
	// the same time.
	DefaultConcurrency = 4
)

// Extra keys the Source adds to every advisory (Parse does not set them).
const (
	// ExtraDocumentURL is the URL the advisory's CSAF document was
	// downloaded from.
	ExtraDocumentURL = "csaf.documentUrl"
	// ExtraDocumentSHA512 is the SHA-512 of the document as downloaded
	// (hex), so evidence can prove which bytes were read.
	ExtraDocumentSHA512 = "csaf.documentSha512"
	// ExtraHashVerified is "sha512" or "sha256" when the document was
	// checked against the provider's hash file (Options.VerifyHashes).
	ExtraHashVerified = "csaf.hashVerified"
)

// Options configure a [Source]. The zero value and a nil *Options mean all
// defaults, except that URL is required.
type Options struct {
	// Name is the source name. Optional: "" means DefaultName ("csaf").
	Name string
	// URL is where to start. Required. It may be
	//   - a provider-metadata.json URL: its ROLIE feeds (or, for a
	//     distribution without ROLIE feeds, its directory) are read;
	//   - a ROLIE feed URL;
	//   - a directory URL ending in "/": its changes.csv is read;
	//   - the URL of a changes.csv or index.txt: paths are resolved against
	//     its folder.
	// What a URL not ending in "/" is, is decided from the body, never from
	// the name: a JSON object with "feed" is a ROLIE feed, one with
	// provider-metadata fields is provider metadata, anything else is read
	// as changes.csv / index.txt.
	URL string
	// HTTP fetches. Optional: nil means feedhttp.New(nil), made once per
	// Source.
	HTTP *feedhttp.Client
	// VerifyHashes checks each downloaded document against its hash file
	// (the entry's "hash" link in a ROLIE feed; <document>.sha512, then
	// .sha256, in a directory) before parsing it. A missing hash file or a
	// mismatch is a failure of that document. OpenPGP signatures are not
	// checked (see the package documentation).
	VerifyHashes bool
	// TLP lists the labels of the feeds and directories to read when URL is
	// provider metadata. Optional: nil or empty means only TLP:CLEAR
	// (WHITE in CSAF 2.0). Add feeds.TLPUnspecified to read UNLABELED
	// feeds. A ROLIE feed's label is its tlp_label; a directory's is its
	// last folder name when that is a TLP label ("…/white/"); a directory
	// without one (Red Hat's) is read and each document is kept or left out
	// by its own distribution.tlp label (Report.SkippedDocuments). The default keeps restricted material (GREEN, AMBER, RED; the
	// feeds usually need credentials anyway) out of the tools sigwatch
	// feeds — tickets, evidence packs, chat — unless a deployment decides
	// it can honour the labels. A feed or directory given directly in URL
	// is read whatever its label: naming it is the choice. Documents keep
	// their own label in Advisory.TLP.
	TLP []feeds.TLP
	// Since skips entries whose update time (ROLIE "updated", changes.csv
	// timestamp) is before it. Entries without a time are kept. Optional:
	// the zero time means no limit.
	Since time.Time
	// MaxDocuments keeps only the newest N entries (after Since). Optional:
	// 0 or less means no limit. A first Fetch of CISA's OT feed downloads
	// 2,379 documents without a limit; later Fetches download only what
	// changed.
	MaxDocuments int
	// Concurrency is the number of documents downloaded at the same time.
	// Optional: 0 or less means DefaultConcurrency (4).
	Concurrency int
	// SkipBadDocuments changes what happens when a document cannot be
	// fetched, fails its hash check or does not parse. By default (false)
	// Fetch fails: it returns every such failure joined (each a
	// *DocumentError naming the URL) and no advisories, so a partial list
	// is never presented as complete. With SkipBadDocuments, Fetch returns
	// the advisories of the good documents and the failures are in
	// Report.Failed (use FetchWithReport to see them). Failures of the
	// listing itself (provider metadata, feed, changes.csv) always fail.
	SkipBadDocuments bool
}

// Source reads the CSAF documents of a provider over HTTP: it discovers
// feeds from provider metadata, lists documents from ROLIE feeds or a
// directory's changes.csv, downloads them with bounded concurrency,
// optionally checks their hashes, and parses them with [Parse].
//
// A Source keeps the documents it parsed, keyed by URL and the entry's
// update time, and downloads a document again only when its entry's time
// changes (or has none). It also keeps the last listings so that a 304 Not
// Modified answer can be used. The cache holds only the documents of the
// last listing. A Source is safe for concurrent use; create it with [New].
type Source struct {
	name     string
	url      string
	http     *feedhttp.Client
	verify   bool
	tlp      map[feeds.TLP]bool
	since    time.Time
	max      int
	conc     int
	skipBad  bool
	mu       sync.Mutex
	docs     map[string]*distCachedDoc
	listings map[string]*distListing
	lastOK   bool
}

type distCachedDoc struct {
	updated    time.Time
	advisories []feeds.Advisory
	warnings   []string
}

// distListing is a parsed listing: provider metadata, a ROLIE feed or a
// changes file, with the URL relative references resolve against.
type distListing struct {
	base    string
	pm      *ProviderMetadata
	feed    *ROLIEFeed
	changes []Change
}

// New returns a Source configured by opts (nil means defaults; a Source
// without URL fails on Fetch).
func New(opts *Options) *Source {
	var o Options
	if opts != nil {
		o = *opts
	}
	s := &Source{
		name:     cmp.Or(o.Name, DefaultName),
		url:      strings.TrimSpace(o.URL),
		http:     o.HTTP,
		verify:   o.VerifyHashes,
		tlp:      map[feeds.TLP]bool{},
		since:    o.Since,
		max:      max(o.MaxDocuments, 0),
		conc:     o.Concurrency,
		skipBad:  o.SkipBadDocuments,
		docs:     map[string]*distCachedDoc{},
		listings: map[string]*distListing{},
	}
	if s.http == nil {
		s.http = feedhttp.New(nil)
	}
	if s.conc <= 0 {
		s.conc = DefaultConcurrency
	}
	for _, l := range o.TLP {
		if l == "WHITE" {
			l = feeds.TLPClear
		}
		s.tlp[l] = true
	}
	if len(s.tlp) == 0 {
		s.tlp[feeds.TLPClear] = true
	}
	return s
}

// Name returns the source name (Options.Name, default "csaf").
func (s *Source) Name() string { return s.name }

// Fetch returns the advisories of every listed document, as described at
// [Source.FetchWithReport].
func (s *Source) Fetch(ctx context.Context) ([]feeds.Advisory, error) {
	r, err := s.FetchWithReport(ctx)
	if err != nil {
		return nil, err
	}
	return r.Advisories, nil
}

// Report describes one Fetch: what was read, downloaded, reused, left out
// and what failed.
type Report struct {
	// Advisories are the advisories of all documents: documents ordered by
	// entry update time, newest first, then by URL; within a document in
	// Parse order. Advisory IDs are unique: when two documents give the
	// same ID (the same document listed at two URLs) the newer entry wins
	// and a warning is recorded. Each has Source set to the Source's name.
	Advisories []feeds.Advisory
	// Kind is "provider-metadata", "rolie" or "directory": what URL was.
	Kind string
	// Listings are the URLs of the feeds and changes files read.
	Listings []string
	// SkippedFeeds are the feeds and directories of the provider metadata
	// left out by the TLP filter, as "<url> (TLP label)".
	SkippedFeeds []string
	// SkippedDocuments are the documents of an unlabeled directory (see
	// Options.TLP) left out because of their own TLP label, as
	// "<url> (document TLP label …)".
	SkippedDocuments []string
	// Entries counts the distinct documents listed; Selected those kept
	// after Options.Since and Options.MaxDocuments.
	Entries, Selected int
	// Downloaded counts documents downloaded and parsed; Cached those
	// reused from an earlier Fetch without download.
	Downloaded, Cached int
	// Failed are the documents that failed, with Options.SkipBadDocuments.
	Failed []*DocumentError
	// Warnings are the listings' and documents' warnings, each prefixed
	// with the URL it concerns.
	Warnings []string
}

// DocumentError reports a document that could not be fetched, failed its
// hash check, or did not parse.
type DocumentError struct {
	// URL is the document's URL.
	URL string
	// Err is the cause: a *feeds.HTTPError, an error wrapping
	// ErrChecksumMismatch, a *feeds.ParseError, …
	Err error
}

// Error returns "csaffeed: document <url>: <cause>".
func (e *DocumentError) Error() string { return "csaffeed: document " + e.URL + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *DocumentError) Unwrap() error { return e.Err }

// distEntry is one document to read.
type distEntry struct {
	url     string
	hash    string // hash file URL, "" when unknown
	guessed bool   // hash URL derived from the document URL
	updated time.Time
	// checkTLP applies the TLP filter to the document's own label (a
	// directory of provider metadata whose folder name carries none).
	checkTLP bool
}

// maxJoinedErrors caps the document errors joined into Fetch's error.
const maxJoinedErrors = 20

// FetchWithReport does what Fetch does and also returns a [Report].
//
// Errors: ctx's error when it ends; an error wrapping feeds.ErrNotModified,
// unchanged from the HTTP layer, when the listing (provider metadata and
// every feed it names, a ROLIE feed, or changes.csv) answered 304 Not
// Modified after a successful Fetch; a *feeds.HTTPError or
// *feeds.ParseError (prefixed "csaffeed: ") when a listing cannot be read;
// and, unless Options.SkipBadDocuments is set, the failed documents'
// *DocumentError values joined with errors.Join (at most 20, then a count).
// After any failure the listings are fetched unconditionally next time, so
// nothing failed stays hidden behind a 304.
func (s *Source) FetchWithReport(ctx context.Context) (*Report, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.url == "" {
		return nil, errors.New("csaffeed: Options.URL is empty")
	}
	rep := &Report{}
	run := &distRun{s: s, rep: rep}
	entries, err := run.list(ctx)
	if err != nil {
		s.failed(run.listed)
		return nil, err
	}
	if run.allNotModified && s.wasOK() {
		return nil, run.notModified
	}

	// Deduplicate by URL (the newest entry wins), filter, order, cap.
	byURL := map[string]distEntry{}
	for _, e := range entries {
		if old, ok := byURL[e.url]; !ok || e.updated.After(old.updated) {
			byURL[e.url] = e
		}
	}
	rep.Entries = len(byURL)
	sel := make([]distEntry, 0, len(byURL))
	for _, e := range byURL {
		if !s.since.IsZero() && !e.updated.IsZero() && e.updated.Before(s.since) {
			continue
		}
		sel = append(sel, e)
	}
	slices.SortFunc(sel, func(a, b distEntry) int {
		if c := b.updated.Compare(a.updated); c != 0 {
			return c
		}
		return strings.Compare(a.url, b.url)
	})
	if s.max > 0 && len(sel) > s.max {
		sel = sel[:s.max]
	}
	rep.Selected = len(sel)

	// Download with bounded concurrency; each goroutine fills its slot.
	results := make([]distDocResult, len(sel))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.conc)
	for i := range sel {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			results[i] = s.document(gctx, sel[i])
			// A cancelled context stops everything; document failures do not.
			if err := results[i].err; err != nil && ctx.Err() != nil {
				return ctx.Err()
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		s.failed(run.listed)
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		s.failed(run.listed)
		return nil, err
	}

	var errs []error
	seenID := map[string]string{}
	keep := map[string]bool{}
	for i, r := range results {
		keep[sel[i].url] = true
		if r.err != nil {
			de := &DocumentError{URL: sel[i].url, Err: r.err}
			rep.Failed = append(rep.Failed, de)
			errs = append(errs, de)
			continue
		}
		if r.cached {
			rep.Cached++
		} else {
			rep.Downloaded++
		}
		if sel[i].checkTLP {
			if l, ok := s.disallowedTLP(r.advisories); !ok {
				rep.SkippedDocuments = append(rep.SkippedDocuments, fmt.Sprintf("%s (document TLP label %s)", sel[i].url, l))
				continue
			}
		}
		for _, w := range r.warnings {
			rep.Warnings = append(rep.Warnings, sel[i].url+": "+w)
		}
		for _, a := range r.advisories {
			if first, dup := seenID[a.ID]; dup {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s: advisory %s also in %s (newer entry); this copy is left out", sel[i].url, a.ID, first))
				continue
			}
			seenID[a.ID] = sel[i].url
			a.Source = s.name
			rep.Advisories = append(rep.Advisories, a)
		}
	}
	s.evict(keep)
	if len(errs) > 0 {
		s.failed(run.listed)
		if !s.skipBad {
			if len(errs) > maxJoinedErrors {
				n := len(errs)
				errs = append(errs[:maxJoinedErrors:maxJoinedErrors], fmt.Errorf("csaffeed: … and %d more documents failed", n-maxJoinedErrors))
			}
			return nil, errors.Join(errs...)
		}
		return rep, nil
	}
	s.mu.Lock()
	s.lastOK = true
	s.mu.Unlock()
	return rep, nil
}

// disallowedTLP checks the documents' advisories against the TLP filter
// and returns the first label not allowed.
func (s *Source) disallowedTLP(advs []feeds.Advisory) (string, bool) {
	for _, a := range advs {
		if !s.tlp[a.TLP] {
			return cmp.Or(string(a.TLP), "none"), false
		}
	}
	return "", true
}

// failed makes the next Fetch read the listings unconditionally.
func (s *Source) failed(listed []string) {
	s.mu.Lock()
	s.lastOK = false
	s.mu.Unlock()
	s.http.Forget(s.url)
	for _, u := range listed {
		s.http.Forget(u)
	}
}

func (s *Source) wasOK() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastOK
}

// evict drops cached documents that are not in keep.
func (s *Source) evict(keep map[string]bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	maps.DeleteFunc(s.docs, func(u string, _ *distCachedDoc) bool { return !keep[u] })
}

// distRun is the state of one Fetch's listing phase.
type distRun struct {
	s              *Source
	rep            *Report
	listed         []string
	allNotModified bool
	notModified    error
}

// get fetches a listing. On 304 it returns the cached parse (nm true);
// when there is none it fetches again unconditionally.
func (r *distRun) get(ctx context.Context, u, accept string) (body []byte, base string, cached *distListing, err error) {
	r.listed = append(r.listed, u)
	resp, err := r.s.http.Get(ctx, u, &feedhttp.Request{Accept: accept})
	if errors.Is(err, feeds.ErrNotModified) {
		r.s.mu.Lock()
		l := r.s.listings[u]
		r.s.mu.Unlock()
		if l != nil {
			if r.notModified == nil {
				r.notModified = err
			}
			return nil, l.base, l, nil
		}
		resp, err = r.s.http.Get(ctx, u, &feedhttp.Request{Accept: accept, Unconditional: true})
	}
	if err != nil {
		return nil, "", nil, distPrefix(err)
	}
	r.allNotModified = false
	base = u
	if resp.URL != "" && !strings.Contains(u, "@") {
		base = resp.URL
	}
	return resp.Body, base, nil, nil
}

func (r *distRun) store(u string, l *distListing) {
	r.s.mu.Lock()
	r.s.listings[u] = l
	r.s.mu.Unlock()
}

// forget drops a listing whose body failed to parse.
func (r *distRun) forget(u string) {
	r.s.http.Forget(u)
	r.s.mu.Lock()
	delete(r.s.listings, u)
	r.s.mu.Unlock()
}

const (
	distAcceptJSON = "application/json"
	distAcceptText = "text/csv, text/plain;q=0.9, */*;q=0.5"
)

// list reads the listings and returns the entries.
func (r *distRun) list(ctx context.Context) ([]distEntry, error) {
	r.allNotModified = true
	root := r.s.url
	if strings.HasSuffix(distURLPath(root), "/") {
		r.rep.Kind = "directory"
		return r.directory(ctx, root)
	}
	body, base, cached, err := r.get(ctx, root, distAcceptJSON)
	if err != nil {
		return nil, err
	}
	if cached == nil {
		cached, err = r.classify(body, base, root)
		if err != nil {
			r.forget(root)
			return nil, err
		}
		r.store(root, cached)
	}
	switch {
	case cached.pm != nil:
		r.rep.Kind = "provider-metadata"
		return r.provider(ctx, cached.pm, cached.base)
	case cached.feed != nil:
		r.rep.Kind = "rolie"
		r.rep.Listings = append(r.rep.Listings, root)
		return r.rolieEntries(cached.feed, cached.base, root)
	default:
		r.rep.Kind = "directory"
		r.rep.Listings = append(r.rep.Listings, root)
		return r.changeEntries(cached.changes, distFolder(cached.base), root)
	}
}

// classify parses a body fetched from Options.URL.
func (r *distRun) classify(body []byte, base, name string) (*distListing, error) {
	if distTopLevel(body) == '{' {
		var probe struct {
			Feed     *struct{} `json:"feed"`
			Document *struct{} `json:"document"`
		}
		if err := jsonin.Unmarshal(body, name, &probe); err != nil {
			return nil, err
		}
		switch {
		case probe.Feed != nil:
			f, err := ParseROLIE(bytes.NewReader(body), name)
			if err != nil {
				return nil, err
			}
			return &distListing{base: base, feed: f}, nil
		case probe.Document != nil:
			return nil, jsonin.ErrorAt(body, name, "", sniff.NotFeed("this is a single CSAF document, not provider metadata, a ROLIE feed or a directory listing; read it with csaffeed.Parse"))
		}
		pm, err := ParseProviderMetadata(bytes.NewReader(body), name)
		if err != nil {
			return nil, err
		}
		return &distListing{base: base, pm: pm}, nil
	}
	ch, err := ParseChanges(bytes.NewReader(body), name)
	if err != nil {
		return nil, err
	}
	return &distListing{base: base, changes: ch}, nil
}

// provider reads the feeds (or directories) of provider metadata. A
// distribution with ROLIE feeds is read through them; its directory_url, if
// any, is not read as well. A distribution with only a directory_url is read
// through changes.csv.
func (r *distRun) provider(ctx context.Context, pm *ProviderMetadata, base string) ([]distEntry, error) {
	for _, w := range pm.Warnings {
		r.rep.Warnings = append(r.rep.Warnings, r.s.url+": "+w)
	}
	var entries []distEntry
	used := 0
	for i, d := range pm.Distributions {
		if d.ROLIE != nil && len(d.ROLIE.Feeds) > 0 {
			for j, f := range d.ROLIE.Feeds {
				u, err := distResolve(base, f.URL)
				if err != nil {
					return nil, fmt.Errorf("csaffeed: %s: distributions[%d].rolie.feeds[%d].url: %w", r.s.url, i, j, err)
				}
				if tlp, known := f.TLP(); !known || !r.s.tlp[tlp] {
					r.rep.SkippedFeeds = append(r.rep.SkippedFeeds, fmt.Sprintf("%s (TLP label %q)", u, f.TLPLabel))
					continue
				}
				used++
				es, err := r.rolie(ctx, u)
				if err != nil {
					return nil, err
				}
				entries = append(entries, es...)
			}
			continue
		}
		if d.DirectoryURL == "" {
			continue
		}
		u, err := distResolve(base, d.DirectoryURL)
		if err != nil {
			return nil, fmt.Errorf("csaffeed: %s: distributions[%d].directory_url: %w", r.s.url, i, err)
		}
		if !strings.HasSuffix(distURLPath(u), "/") {
			u += "/"
		}
		tlp, known := distDirTLP(u)
		if known && !r.s.tlp[tlp] {
			r.rep.SkippedFeeds = append(r.rep.SkippedFeeds, fmt.Sprintf("%s (TLP label from the folder name: %s)", u, cmp.Or(string(tlp), "UNLABELED")))
			continue
		}
		used++
		es, err := r.directory(ctx, u)
		if err != nil {
			return nil, err
		}
		if !known {
			// No label to go by: filter on each document's own label.
			for k := range es {
				es[k].checkTLP = true
			}
		}
		entries = append(entries, es...)
	}
	if used == 0 {
		return nil, fmt.Errorf("csaffeed: %s: no feed or directory with an allowed TLP label (left out: %s)",
			r.s.url, cmp.Or(strings.Join(r.rep.SkippedFeeds, ", "), "none listed"))
	}
	return entries, nil
}

// rolie reads one ROLIE feed.
func (r *distRun) rolie(ctx context.Context, u string) ([]distEntry, error) {
	r.rep.Listings = append(r.rep.Listings, u)
	body, base, l, err := r.get(ctx, u, distAcceptJSON)
	if err != nil {
		return nil, err
	}
	if l == nil {
		f, err := ParseROLIE(bytes.NewReader(body), u)
		if err != nil {
			r.forget(u)
			return nil, err
		}
		l = &distListing{base: base, feed: f}
		r.store(u, l)
	}
	return r.rolieEntries(l.feed, l.base, u)
}

func (r *distRun) rolieEntries(f *ROLIEFeed, base, name string) ([]distEntry, error) {
	for _, w := range f.Warnings {
		r.rep.Warnings = append(r.rep.Warnings, name+": "+w)
	}
	out := make([]distEntry, 0, len(f.Entries))
	for i := range f.Entries {
		e := &f.Entries[i]
		doc, err := distResolve(base, e.DocumentURL())
		if err != nil {
			return nil, fmt.Errorf("csaffeed: %s: feed.entry[%d]: document URL: %w", name, i, err)
		}
		de := distEntry{url: doc, updated: e.Updated}
		if h := e.HashURL(); strings.TrimSpace(h) != "" {
			if de.hash, err = distResolve(base, h); err != nil {
				return nil, fmt.Errorf("csaffeed: %s: feed.entry[%d]: hash URL: %w", name, i, err)
			}
		} else {
			de.hash, de.guessed = doc+".sha512", true
		}
		out = append(out, de)
	}
	return out, nil
}

// directory reads <dir>changes.csv.
func (r *distRun) directory(ctx context.Context, dir string) ([]distEntry, error) {
	u := dir + "changes.csv"
	if p, err := url.Parse(dir); err == nil {
		u = p.JoinPath("changes.csv").String()
	}
	r.rep.Listings = append(r.rep.Listings, u)
	body, _, l, err := r.get(ctx, u, distAcceptText)
	if err != nil {
		return nil, err
	}
	if l == nil {
		ch, err := ParseChanges(bytes.NewReader(body), u)
		if err != nil {
			r.forget(u)
			return nil, err
		}
		l = &distListing{base: dir, changes: ch}
		r.store(u, l)
	}
	return r.changeEntries(l.changes, dir, u)
}

func (r *distRun) changeEntries(ch []Change, dir, name string) ([]distEntry, error) {
	out := make([]distEntry, 0, len(ch))
	for _, c := range ch {
		doc, err := ResolvePath(dir, c.Path)
		if err != nil {
			return nil, fmt.Errorf("csaffeed: %s:%d: %w", name, c.Line, err)
		}
		out = append(out, distEntry{url: doc, hash: doc + ".sha512", guessed: true, updated: c.Updated})
	}
	return out, nil
}

// distURLPath returns the path of a URL ("" when it does not parse).
func distURLPath(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return p.Path
}

// distFolder returns the URL of the folder containing u (u up to its last
// "/").
func distFolder(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	p.RawQuery, p.Fragment = "", ""
	return p.ResolveReference(&url.URL{Path: "./"}).String()
}

// distDirTLP infers a directory's TLP label from its last folder name
// ("…/csaf/white/"), the layout CISA and the CSAF specification use.
func distDirTLP(dir string) (feeds.TLP, bool) {
	p := strings.TrimSuffix(distURLPath(dir), "/")
	seg := p[strings.LastIndex(p, "/")+1:]
	switch strings.ToLower(seg) {
	case "white", "clear", "green", "amber", "red", "unlabeled":
		return distTLPLabel(seg)
	}
	return feeds.TLPUnspecified, false
}

type distDocResult struct {
	advisories []feeds.Advisory
	warnings   []string
	cached     bool
	err        error
}

// document returns the advisories of one document, from the cache when its
// entry has not changed.
func (s *Source) document(ctx context.Context, e distEntry) distDocResult {
	// Cached entries are never modified, only replaced, so c can be read
	// without the lock.
	s.mu.Lock()
	c := s.docs[e.url]
	s.mu.Unlock()
	if c != nil && !e.updated.IsZero() && c.updated.Equal(e.updated) {
		return distDocResult{advisories: distCloneAdvisories(c.advisories), warnings: c.warnings, cached: true}
	}
	// With a cached parse, ask conditionally: an entry whose time changed
	// while the document did not is answered 304 and reused.
	resp, err := s.http.Get(ctx, e.url, &feedhttp.Request{Accept: distAcceptJSON, Unconditional: c == nil})
	if errors.Is(err, feeds.ErrNotModified) {
		if c != nil {
			s.mu.Lock()
			s.docs[e.url] = &distCachedDoc{updated: e.updated, advisories: c.advisories, warnings: c.warnings}
			s.mu.Unlock()
			return distDocResult{advisories: distCloneAdvisories(c.advisories), warnings: c.warnings, cached: true}
		}
		resp, err = s.http.Get(ctx, e.url, &feedhttp.Request{Accept: distAcceptJSON, Unconditional: true})
	}
	if err != nil {
		return distDocResult{err: err}
	}
	sum := sha512.Sum512(resp.Body)
	verified := ""
	if s.verify {
		if verified, err = s.checkHash(ctx, e, resp.Body); err != nil {
			s.http.Forget(e.url)
			return distDocResult{err: err}
		}
	}
	doc, err := Parse(bytes.NewReader(resp.Body), e.url)
	if err != nil {
		s.http.Forget(e.url)
		return distDocResult{err: err}
	}
	advs := doc.Advisories
	for i := range advs {
		if advs[i].Extra == nil {
			advs[i].Extra = map[string]string{}
		}
		advs[i].Extra[ExtraDocumentURL] = e.url
		advs[i].Extra[ExtraDocumentSHA512] = hex.EncodeToString(sum[:])
		if verified != "" {
			advs[i].Extra[ExtraHashVerified] = verified
		}
	}
	s.mu.Lock()
	s.docs[e.url] = &distCachedDoc{updated: e.updated, advisories: advs, warnings: doc.Warnings}
	s.mu.Unlock()
	return distDocResult{advisories: distCloneAdvisories(advs), warnings: doc.Warnings}
}

// checkHash fetches the entry's hash file and verifies body against it. It
// returns "sha512" or "sha256".
func (s *Source) checkHash(ctx context.Context, e distEntry, body []byte) (string, error) {
	u := e.hash
	resp, err := s.http.Get(ctx, u, &feedhttp.Request{Unconditional: true})
	var he *feeds.HTTPError
	if e.guessed && errors.As(err, &he) && he.StatusCode == http.StatusNotFound {
		u = strings.TrimSuffix(u, ".sha512") + ".sha256"
		resp, err = s.http.Get(ctx, u, &feedhttp.Request{Unconditional: true})
	}
	if err != nil {
		return "", fmt.Errorf("hash file: %w", err)
	}
	if strings.HasSuffix(strings.ToLower(distURLPath(u)), ".sha256") {
		return "sha256", VerifySHA256(body, resp.Body, e.url)
	}
	return "sha512", VerifySHA512(body, resp.Body, e.url)
}

// distCloneAdvisories deep-copies advisories so that callers cannot change
// the Source's cache.
func distCloneAdvisories(in []feeds.Advisory) []feeds.Advisory {
	out := make([]feeds.Advisory, len(in))
	for i, a := range in {
		a.Aliases = slices.Clone(a.Aliases)
		a.Related = slices.Clone(a.Related)
		a.Scores = slices.Clone(a.Scores)
		a.Exploitation.Statements = slices.Clone(a.Exploitation.Statements)
		if k := a.Exploitation.KEV; k != nil {
			kc := *k
			a.Exploitation.KEV = &kc
		}
		if v := a.Exploitation.SSVC; v != nil {
			vc := *v
			a.Exploitation.SSVC = &vc
		}
		if v := a.Exploitation.EPSS; v != nil {
			vc := *v
			a.Exploitation.EPSS = &vc
		}
		if a.Affected != nil {
			aff := make([]feeds.Affected, len(a.Affected))
			for j, af := range a.Affected {
				af.CPEs = slices.Clone(af.CPEs)
				af.Versions = slices.Clone(af.Versions)
				if af.Ranges != nil {
					rs := make([]feeds.Range, len(af.Ranges))
					for k, r := range af.Ranges {
						r.Events = slices.Clone(r.Events)
						rs[k] = r
					}
					af.Ranges = rs
				}
				aff[j] = af
			}
			a.Affected = aff
		}
		a.Weaknesses = slices.Clone(a.Weaknesses)
		a.References = slices.Clone(a.References)
		if a.Remediations != nil {
			rems := make([]feeds.Remediation, len(a.Remediations))
			for j, r := range a.Remediations {
				r.Products = slices.Clone(r.Products)
				rems[j] = r
			}
			a.Remediations = rems
		}
		a.Notes = slices.Clone(a.Notes)
		a.Tags = slices.Clone(a.Tags)
		a.Extra = maps.Clone(a.Extra)
		out[i] = a
	}
	return out
}
