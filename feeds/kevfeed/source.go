package kevfeed

import (
	"bytes"
	"context"
	_ "embed"
	"net/http"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
)

// Options configure a [Source]. The zero value and a nil *Options mean all
// defaults.
type Options struct {
	// URL of the JSON catalog. Optional: "" means DefaultURL.
	URL string
	// HTTP fetches the catalog. Optional: nil means a feedhttp.Client made
	// once per Source from HTTPClient, MaxBytes and UserAgent (conditional
	// GET, retries and gzip included).
	HTTP *feedhttp.Client
	// HTTPClient sends the requests when HTTP is nil; bring your own for
	// proxies, mTLS or tests. Optional: nil means a client with a 60 s
	// timeout.
	HTTPClient *http.Client
	// MaxBytes caps the response body. Optional: 0 or less means
	// DefaultMaxBytes (64 MiB).
	MaxBytes int64
	// Name is the source name returned by Name and set as each fetched
	// advisory's Source. Optional: "" means DefaultName ("cisa-kev").
	Name string
	// UserAgent is sent with every request. Optional: "" means
	// "sigwatch (+https://github.com/sigwatch/sigwatch)".
	UserAgent string
}

// Source fetches the live KEV catalog over HTTP. It implements feeds.Source
// and is safe for concurrent use. Create it with [New].
type Source struct {
	name     string
	url      string
	http     *feedhttp.Client
	maxBytes int64
}

// New returns a Source configured by opts (nil means all defaults).
func New(opts *Options) *Source {
	var o Options
	if opts != nil {
		o = *opts
	}
	s := &Source{name: o.Name, url: o.URL, http: o.HTTP, maxBytes: o.MaxBytes}
	if s.name == "" {
		s.name = DefaultName
	}
	if s.url == "" {
		s.url = DefaultURL
	}
	if s.maxBytes <= 0 {
		s.maxBytes = DefaultMaxBytes
	}
	if s.http == nil {
		s.http = feedhttp.New(&feedhttp.Options{HTTPClient: o.HTTPClient, MaxBytes: s.maxBytes, UserAgent: o.UserAgent})
	}
	return s
}

// Name returns the source name (Options.Name, default "cisa-kev").
func (s *Source) Name() string { return s.name }

// Fetch downloads the catalog and returns its advisories, each with Source
// set to Name. When the catalog has not changed since the previous Fetch
// it returns an error wrapping feeds.ErrNotModified. Errors are described
// in the package documentation.
func (s *Source) Fetch(ctx context.Context) ([]feeds.Advisory, error) {
	cat, err := s.FetchCatalog(ctx)
	if err != nil {
		return nil, err
	}
	return cat.Advisories, nil
}

// FetchCatalog downloads and parses the catalog, keeping its version,
// release time and warnings. Advisories have Source set to Name.
func (s *Source) FetchCatalog(ctx context.Context) (*Catalog, error) {
	resp, err := s.http.Get(ctx, s.url, &feedhttp.Request{Accept: "application/json"})
	if err != nil {
		return nil, prefix(err)
	}
	cat, err := parse(bytes.NewReader(resp.Body), resp.URL, s.maxBytes)
	if err != nil {
		s.http.Forget(s.url) // fetch the whole body again next time
		return nil, err
	}
	for i := range cat.Advisories {
		cat.Advisories[i].Source = s.name
	}
	return cat, nil
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
