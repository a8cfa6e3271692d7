package kevfeed

import (
	"bytes"
	"context"
	_ "embed"
	"net/http"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/fetch"
)

// Options configure a [Source]. The zero value and a nil *Options mean all
// defaults.
type Options struct {
	// URL of the JSON catalog. Optional: "" means DefaultURL.
	URL string
	// HTTPClient sends the requests; bring your own for proxies, retries,
	// mTLS or tests. Optional: nil means a client with a 60 s timeout, made
	// once per Source.
	HTTPClient *http.Client
	// MaxBytes caps the response body. Optional: 0 or less means
	// DefaultMaxBytes (64 MiB).
	MaxBytes int64
	// Name is the source name returned by Name. Optional: "" means
	// DefaultName ("cisa-kev"). Advisories keep Source "cisa-kev"; intake
	// overwrites it with the name.
	Name string
	// UserAgent is sent with every request. Optional: "" means
	// "sigwatch (+https://github.com/sigwatch/sigwatch)".
	UserAgent string
}

// Source fetches the live KEV catalog over HTTP. It implements feeds.Source
// and is safe for concurrent use. Create it with [New].
type Source struct {
	name      string
	url       string
	client    *http.Client
	maxBytes  int64
	userAgent string
}

// New returns a Source configured by opts (nil means all defaults).
func New(opts *Options) *Source {
	var o Options
	if opts != nil {
		o = *opts
	}
	s := &Source{
		name:      o.Name,
		url:       o.URL,
		client:    o.HTTPClient,
		maxBytes:  o.MaxBytes,
		userAgent: o.UserAgent,
	}
	if s.name == "" {
		s.name = DefaultName
	}
	if s.url == "" {
		s.url = DefaultURL
	}
	if s.client == nil {
		s.client = fetch.NewClient()
	}
	if s.maxBytes <= 0 {
		s.maxBytes = DefaultMaxBytes
	}
	if s.userAgent == "" {
		s.userAgent = fetch.DefaultUserAgent
	}
	return s
}

// Name returns the source name (Options.Name, default "cisa-kev").
func (s *Source) Name() string { return s.name }

// Fetch downloads the catalog and returns its advisories. Errors are
// described in the package documentation.
func (s *Source) Fetch(ctx context.Context) ([]feeds.Advisory, error) {
	cat, err := s.FetchCatalog(ctx)
	if err != nil {
		return nil, err
	}
	return cat.Advisories, nil
}

// FetchCatalog downloads and parses the catalog, keeping its version,
// release time and warnings.
func (s *Source) FetchCatalog(ctx context.Context) (*Catalog, error) {
	resp, err := fetch.Get(ctx, s.url, &fetch.Options{
		Client:    s.client,
		MaxBytes:  s.maxBytes,
		UserAgent: s.userAgent,
		Accept:    "application/json",
	})
	if err != nil {
		return nil, prefix(err)
	}
	return parse(bytes.NewReader(resp.Body), resp.URL, s.maxBytes)
}

//go:embed data/known_exploited_vulnerabilities.json
var snapshotJSON []byte

// snapshotName names the embedded catalog in error messages.
const snapshotName = "kevfeed/data/known_exploited_vulnerabilities.json"

// Snapshot parses the catalog release embedded in the package
// (catalogVersion 2025.08.25, 1404 entries; provenance in data/README.md).
// Each call returns a new Catalog the caller may modify.
func Snapshot() (*Catalog, error) {
	return Parse(bytes.NewReader(snapshotJSON), snapshotName)
}

// SnapshotSource returns a feeds.Source named "cisa-kev" whose Fetch returns
// the embedded snapshot without network access, for demos and tests.
func SnapshotSource() feeds.Source {
	return feeds.SourceFunc(DefaultName, func(ctx context.Context) ([]feeds.Advisory, error) {
		cat, err := Snapshot()
		if err != nil {
			return nil, err
		}
		return cat.Advisories, nil
	})
}
