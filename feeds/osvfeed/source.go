package osvfeed

import (
	"bytes"
	"context"
	"errors"
	"net/url"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
)

// BucketURL is the base of osv.dev's public export bucket; an ecosystem's
// zip is at BucketURL + "/" + <Ecosystem> + "/all.zip".
const BucketURL = "https://osv-vulnerabilities.storage.googleapis.com"

// DefaultMaxZipBytes is the body cap of the HTTP client a Source makes for
// itself (Options.HTTP nil): 1 GiB, above the largest osv.dev ecosystem
// zip. A client passed in Options.HTTP keeps its own cap (feedhttp's
// default is 64 MiB, enough for Go, PyPI or AlmaLinux but not for npm).
const DefaultMaxZipBytes = 1 << 30

// EcosystemURL returns the URL of an ecosystem's all.zip in osv.dev's
// bucket: EcosystemURL("Go") is
// https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip. The
// ecosystem is path-escaped ("Red Hat" → "Red%20Hat"); a release suffix
// ("AlmaLinux:9") selects that release's zip where osv.dev publishes one.
func EcosystemURL(ecosystem string) string {
	return BucketURL + "/" + url.PathEscape(ecosystem) + "/all.zip"
}

// Options configure a [Source]. The zero value and a nil *Options mean the
// defaults, but a Source needs Ecosystem or URL to fetch anything.
type Options struct {
	// Name is the source name. Optional: "" means DefaultName ("osv").
	// Give each Source its own name when a pipeline fetches several
	// ecosystems.
	Name string
	// Ecosystem selects osv.dev's zip of one ecosystem ("Go", "PyPI",
	// "AlmaLinux:9"): the URL is EcosystemURL(Ecosystem). Ignored when URL
	// is set.
	Ecosystem string
	// URL of an OSV zip to fetch, such as a mirror of osv.dev's bucket.
	// Optional: "" means EcosystemURL(Ecosystem).
	URL string
	// HTTP fetches. Optional: nil means a feedhttp client with MaxBytes
	// DefaultMaxZipBytes, made once per Source.
	HTTP *feedhttp.Client
	// Limits bound the zip's contents. Optional: nil means the defaults
	// of [Limits].
	Limits *Limits
	// TLP is set on every advisory. Optional: "" means feeds.TLPClear
	// when the data comes from osv.dev's bucket (URL empty) and
	// feeds.TLPUnspecified otherwise, as a mirror or private OSV database
	// has its own rules.
	TLP feeds.TLP
}

// Source fetches one OSV zip over HTTP. It implements feeds.Source and is
// safe for concurrent use. Create it with [New].
type Source struct {
	name   string
	url    string
	http   *feedhttp.Client
	limits *Limits
	tlp    feeds.TLP
}

// New returns a Source configured by opts (nil means all defaults).
func New(opts *Options) *Source {
	var o Options
	if opts != nil {
		o = *opts
	}
	s := &Source{name: o.Name, url: o.URL, http: o.HTTP, tlp: o.TLP}
	if o.Limits != nil {
		l := *o.Limits
		s.limits = &l
	}
	if s.name == "" {
		s.name = DefaultName
	}
	if s.url == "" && o.Ecosystem != "" {
		s.url = EcosystemURL(o.Ecosystem)
		if s.tlp == "" {
			s.tlp = feeds.TLPClear
		}
	}
	if s.http == nil {
		s.http = feedhttp.New(&feedhttp.Options{MaxBytes: DefaultMaxZipBytes})
	}
	return s
}

// Name returns the source name (Options.Name, default "osv").
func (s *Source) Name() string { return s.name }

// URL returns the URL the Source fetches; "" when neither Ecosystem nor URL
// was given.
func (s *Source) URL() string { return s.url }

// Fetch downloads the zip and returns its advisories sorted by ID, with
// Source set to Name(). An unchanged zip answers 304 and Fetch returns an
// error wrapping feeds.ErrNotModified.
func (s *Source) Fetch(ctx context.Context) ([]feeds.Advisory, error) {
	db, err := s.FetchDatabase(ctx)
	if err != nil {
		return nil, err
	}
	return db.Advisories, nil
}

// FetchDatabase is Fetch keeping the file names, skipped members and
// warnings.
func (s *Source) FetchDatabase(ctx context.Context) (*Database, error) {
	if s.url == "" {
		return nil, errors.New("osvfeed: source " + s.name + " has no Ecosystem or URL")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	resp, err := s.http.Get(ctx, s.url, &feedhttp.Request{Accept: "application/zip"})
	if err != nil {
		return nil, err // feedhttp's errors name the URL; ErrNotModified passes unchanged
	}
	name := resp.URL
	if name == "" {
		name = s.url
	}
	db, err := ParseZip(ctx, bytes.NewReader(resp.Body), int64(len(resp.Body)), name, s.limits)
	if err != nil {
		if ctx.Err() == nil {
			s.http.Forget(s.url)
		}
		return nil, err
	}
	for i := range db.Advisories {
		a := &db.Advisories[i]
		a.Source = s.name
		if s.tlp != "" {
			a.TLP = s.tlp
		}
	}
	return db, nil
}
