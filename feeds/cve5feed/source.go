package cve5feed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
)

// DefaultURLTemplate is the CVE Services API endpoint that returns one CVE
// record; "{id}" is replaced by the CVE ID.
const DefaultURLTemplate = "https://cveawg.mitre.org/api/cve/{id}"

// DefaultConcurrency is how many records a Source fetches at once.
const DefaultConcurrency = 4

// ErrNotFound reports that the CVE Services API has no record for an ID
// (HTTP 404): the ID is unknown, reserved but not published, or mistyped.
// The error also wraps the *feeds.HTTPError.
var ErrNotFound = errors.New("cve5feed: CVE record not found")

// Options configure a [Source]. The zero value and a nil *Options mean all
// defaults; a Source without IDs fetches nothing.
type Options struct {
	// Name is the source name. Optional: "" means DefaultName ("cve5").
	Name string
	// IDs are the CVE IDs Fetch retrieves, in this order. They are
	// trimmed and upper-cased; duplicates are fetched once. Optional.
	IDs []string
	// URLTemplate is the record URL with "{id}" in place of the CVE ID
	// (path-escaped). Optional: "" means DefaultURLTemplate.
	URLTemplate string
	// HTTP fetches. Optional: nil means feedhttp.New(nil), made once per
	// Source.
	HTTP *feedhttp.Client
	// Concurrency is how many records are fetched at once. Optional: 0 or
	// less means DefaultConcurrency (4).
	Concurrency int
	// IgnoreNotFound leaves IDs the API does not know (HTTP 404) out of
	// Fetch's result instead of failing the whole Fetch. Optional: false
	// means a 404 fails Fetch with an error wrapping ErrNotFound.
	IgnoreNotFound bool
}

// Source fetches CVE records for a list of IDs from the CVE Services API
// and looks up single records for enrichment. It implements feeds.Source
// and is safe for concurrent use. Create it with [New].
type Source struct {
	name           string
	ids            []string
	template       string
	http           *feedhttp.Client
	concurrency    int
	ignoreNotFound bool

	mu sync.Mutex
	// bodies holds the last good body per URL, served again when a
	// conditional request answers 304 Not Modified.
	bodies map[string][]byte
}

// New returns a Source configured by opts (nil means all defaults).
func New(opts *Options) *Source {
	var o Options
	if opts != nil {
		o = *opts
	}
	s := &Source{
		name:           o.Name,
		template:       o.URLTemplate,
		http:           o.HTTP,
		concurrency:    o.Concurrency,
		ignoreNotFound: o.IgnoreNotFound,
		bodies:         map[string][]byte{},
	}
	if s.name == "" {
		s.name = DefaultName
	}
	if s.template == "" {
		s.template = DefaultURLTemplate
	}
	if s.http == nil {
		s.http = feedhttp.New(nil)
	}
	if s.concurrency <= 0 {
		s.concurrency = DefaultConcurrency
	}
	seen := map[string]bool{}
	for _, id := range o.IDs {
		id = strings.ToUpper(strings.TrimSpace(id))
		if !seen[id] {
			seen[id] = true
			s.ids = append(s.ids, id)
		}
	}
	return s
}

// Name returns the source name (Options.Name, default "cve5").
func (s *Source) Name() string { return s.name }

// recordURL returns the URL of id's record.
func (s *Source) recordURL(id string) (string, error) {
	if !cveIDPattern.MatchString(id) {
		return "", fmt.Errorf("cve5feed: invalid CVE ID %q: want CVE-YYYY-NNNN", clip(id))
	}
	if !strings.Contains(s.template, "{id}") {
		return "", fmt.Errorf("cve5feed: URLTemplate %q has no {id} placeholder", clip(s.template))
	}
	return strings.ReplaceAll(s.template, "{id}", url.PathEscape(id)), nil
}

// Fetch retrieves the records of Options.IDs and returns their advisories
// in the order of the IDs, with Source set to Name(). Any failure fails the
// whole Fetch (a 404 too, unless Options.IgnoreNotFound). When every record
// answered 304 Not Modified, Fetch returns the error wrapping
// feeds.ErrNotModified; when only some did, their last bodies are parsed
// again so the result is complete.
func (s *Source) Fetch(ctx context.Context) ([]feeds.Advisory, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := len(s.ids)
	recs := make([]*Record, n)
	errs := make([]error, n)
	notModified := make([]bool, n)
	sem := make(chan struct{}, s.concurrency)
	var wg sync.WaitGroup
	for i, id := range s.ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			defer func() { <-sem }()
			recs[i], notModified[i], errs[i] = s.fetch(ctx, id, false)
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var failures []error
	allNotModified := n > 0
	var firstNotModified error
	for i, err := range errs {
		if err == nil {
			if !notModified[i] {
				allNotModified = false
			}
			continue
		}
		if errors.Is(err, feeds.ErrNotModified) {
			if firstNotModified == nil {
				firstNotModified = err
			}
			continue
		}
		allNotModified = false
		if s.ignoreNotFound && errors.Is(err, ErrNotFound) {
			continue
		}
		failures = append(failures, err)
	}
	if len(failures) > 0 {
		return nil, errors.Join(failures...)
	}
	if allNotModified && firstNotModified != nil {
		return nil, firstNotModified
	}
	out := make([]feeds.Advisory, 0, n)
	for i := range recs {
		if recs[i] == nil {
			continue
		}
		a := recs[i].Advisory
		a.Source = s.name
		out = append(out, a)
	}
	return out, nil
}

// fetch gets and parses one record. For Fetch, a 304 answer is returned
// as the feeds.ErrNotModified error when this Source has the body cached
// (notModified then reports it and rec holds the cached record); lookup
// asks for a record in every case.
func (s *Source) fetch(ctx context.Context, id string, lookup bool) (rec *Record, notModified bool, err error) {
	u, err := s.recordURL(id)
	if err != nil {
		return nil, false, err
	}
	resp, err := s.http.Get(ctx, u, &feedhttp.Request{Accept: "application/json"})
	if errors.Is(err, feeds.ErrNotModified) {
		s.mu.Lock()
		body := s.bodies[u]
		s.mu.Unlock()
		if body != nil {
			rec, perr := parseData(bytes.Clone(body), u)
			if perr == nil {
				if lookup {
					return rec, true, nil
				}
				return rec, true, err
			}
		}
		// Nothing to serve: ask again without validators.
		resp, err = s.http.Get(ctx, u, &feedhttp.Request{Accept: "application/json", Unconditional: true})
	}
	if err != nil {
		var he *feeds.HTTPError
		if errors.As(err, &he) && he.StatusCode == http.StatusNotFound {
			return nil, false, fmt.Errorf("%w: %s (%w)", ErrNotFound, id, err)
		}
		return nil, false, prefix(err)
	}
	rec, err = parseReaderBytes(resp.Body, resp.URL)
	if err != nil {
		s.http.Forget(u)
		return nil, false, err
	}
	if rec.Advisory.ID != id {
		s.http.Forget(u)
		return nil, false, fmt.Errorf("cve5feed: %s: asked for %s, got the record of %s", resp.URL, id, rec.Advisory.ID)
	}
	s.mu.Lock()
	s.bodies[u] = resp.Body
	s.mu.Unlock()
	return rec, false, nil
}

func parseReaderBytes(body []byte, name string) (*Record, error) {
	return parseReader(bytes.NewReader(body), name, DefaultMaxBytes)
}

// Lookup fetches the record of one CVE and returns its advisory, with
// Source set to Name(). It is meant for enrichment: a KEV entry names a
// CVE, and its CVE record carries the affected products and versions. An
// unknown ID gives an error wrapping ErrNotFound. A 304 answer to a
// conditional request is served from the last body this Source fetched.
func (s *Source) Lookup(ctx context.Context, id string) (*feeds.Advisory, error) {
	rec, err := s.LookupRecord(ctx, id)
	if err != nil {
		return nil, err
	}
	a := rec.Advisory
	return &a, nil
}

// LookupRecord is Lookup returning the whole Record, with its warnings.
func (s *Source) LookupRecord(ctx context.Context, id string) (*Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rec, _, err := s.fetch(ctx, strings.ToUpper(strings.TrimSpace(id)), true)
	if err != nil {
		return nil, err
	}
	rec.Advisory.Source = s.name
	return rec, nil
}
