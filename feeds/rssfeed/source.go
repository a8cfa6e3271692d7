package rssfeed

import (
	"context"
	"errors"
	"fmt"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
)

// Accept is the Accept header a Source sends: the feed media types first,
// then generic XML and JSON.
const Accept = "application/rss+xml, application/atom+xml, application/rdf+xml, application/feed+json;q=0.9, " +
	"application/xml;q=0.8, text/xml;q=0.8, application/json;q=0.7, */*;q=0.1"

// Options configure a [Source]. The zero value and a nil *Options mean all
// defaults, but a Source needs a URL from Options.URL or Options.Preset.
type Options struct {
	// Name is the source name. Optional: "" means the preset's name, else
	// DefaultName ("rss"). Give every generic feed its own name.
	Name string
	// URL of the feed. Optional when Preset is set ("" means the preset's
	// URL, so a mirror can replace it); required otherwise.
	URL string
	// Preset supplies the URL, name, publisher, vendor and item rules.
	// Optional. Use [FromPreset] to pick a built-in preset by name.
	Preset *Preset
	// Publisher and Vendor override the preset's. Optional.
	Publisher string
	Vendor    string
	// Rules are tried before the preset's rules and the built-in rules.
	// Optional.
	Rules []ItemRule
	// StripParams are extra tracking query parameters to remove from links
	// (see ParseOptions.StripParams). Optional.
	StripParams []string
	// HTTP fetches. Optional: nil means feedhttp.New(nil), made once per
	// Source.
	HTTP *feedhttp.Client
	// MaxBytes caps the body passed to the parser. Optional: 0 or less
	// means DefaultMaxBytes. The HTTP client applies its own cap first.
	MaxBytes int64
	// MaxItems caps the number of items. Optional: 0 or less means
	// DefaultMaxItems.
	MaxItems int
}

// Source fetches one RSS, Atom, RSS 1.0 or JSON feed. It implements
// feeds.Source and is safe for concurrent use. Create it with [New] or
// [FromPreset].
type Source struct {
	name string
	url  string
	http *feedhttp.Client
	opts ParseOptions
	// parser holds the compiled rules, built once by New; parserErr is a
	// bad rule, reported by every Fetch.
	parser    *parser
	parserErr error
}

// New returns a Source configured by opts (nil means all defaults). A
// missing URL is reported by Fetch.
func New(opts *Options) *Source {
	var o Options
	if opts != nil {
		o = *opts
	}
	s := &Source{name: o.Name, url: o.URL, http: o.HTTP}
	if o.Preset != nil {
		s.opts = o.Preset.parseOptions()
		if s.name == "" {
			s.name = o.Preset.Name
		}
		if s.url == "" {
			s.url = o.Preset.URL
		}
	}
	if s.name == "" {
		s.name = DefaultName
	}
	if s.http == nil {
		s.http = feedhttp.New(nil)
	}
	if o.Publisher != "" {
		s.opts.Publisher = o.Publisher
	}
	if o.Vendor != "" {
		s.opts.Vendor = o.Vendor
	}
	s.opts.Rules = append(append([]ItemRule(nil), o.Rules...), s.opts.Rules...)
	s.opts.StripParams = o.StripParams
	s.opts.MaxBytes = o.MaxBytes
	s.opts.MaxItems = o.MaxItems
	s.opts.SourceName = s.name
	s.parser, s.parserErr = newParser("", &s.opts)
	return s
}

// Name returns the source name.
func (s *Source) Name() string { return s.name }

// URL returns the feed URL the Source fetches.
func (s *Source) URL() string { return s.url }

// Fetch downloads the feed and returns its advisories, each with Source set
// to Name(). Errors are described in the package documentation.
func (s *Source) Fetch(ctx context.Context) ([]feeds.Advisory, error) {
	f, err := s.FetchFeed(ctx)
	if err != nil {
		return nil, err
	}
	return f.Advisories, nil
}

// FetchFeed downloads and parses the feed, keeping its metadata and
// warnings.
func (s *Source) FetchFeed(ctx context.Context) (*Feed, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.url == "" {
		return nil, errors.New("rssfeed: no feed URL: set Options.URL or Options.Preset")
	}
	if s.parserErr != nil {
		return nil, s.parserErr
	}
	resp, err := s.http.Get(ctx, s.url, &feedhttp.Request{Accept: Accept})
	if err != nil {
		if errors.Is(err, feeds.ErrNotModified) {
			return nil, err
		}
		return nil, fmt.Errorf("rssfeed: %w", err)
	}
	f, err := s.parser.parseBytes(resp.Body, resp.URL)
	if err != nil {
		// Without this the server would answer 304 to the next request
		// and the broken body would never be fetched again.
		s.http.Forget(s.url)
		return nil, err
	}
	for i := range f.Advisories {
		f.Advisories[i].Source = s.name
	}
	return f, nil
}
