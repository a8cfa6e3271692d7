package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
)

// Defaults used when the corresponding Options field is zero.
const (
	DefaultUserAgent = "sigwatch (+https://github.com/sigwatch/sigwatch)"
	DefaultTimeout   = 60 * time.Second
	DefaultMaxBytes  = 64 << 20
)

// Options configure [Get]. A nil *Options means all defaults.
type Options struct {
	// Client sends the request. Optional: nil means a new client with
	// DefaultTimeout (adapters should create one per Source with
	// [NewClient] and pass it, so connections are reused).
	Client *http.Client
	// MaxBytes caps the response body. Optional: 0 or less means
	// DefaultMaxBytes.
	MaxBytes int64
	// UserAgent is sent as User-Agent. Optional: "" means DefaultUserAgent.
	UserAgent string
	// Accept is sent as Accept when not empty.
	Accept string
	// Header holds extra request headers (for example If-None-Match).
	// Optional.
	Header http.Header
	// Now returns the current time, used to turn a Retry-After HTTP date
	// into a duration. Optional: nil means time.Now.
	Now func() time.Time
}

// Response is a successful (2xx) response with its body read in full.
type Response struct {
	// URL is the final URL after redirects, with any password redacted.
	URL        string
	StatusCode int
	Header     http.Header
	Body       []byte
}

// NewClient returns a new *http.Client with DefaultTimeout.
func NewClient() *http.Client { return &http.Client{Timeout: DefaultTimeout} }

// Get fetches rawURL. See the package documentation for the errors.
func Get(ctx context.Context, rawURL string, opts *Options) (*Response, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Client == nil {
		o.Client = NewClient()
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	o.MaxBytes = min(o.MaxBytes, math.MaxInt64-1) // MaxBytes+1 below must not overflow
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	shown := Redact(rawURL)

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", shown, unwrapURLError(err))
	}
	for k, vs := range o.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("User-Agent", o.UserAgent)
	if o.Accept != "" {
		req.Header.Set("Accept", o.Accept)
	}

	resp, err := o.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", shown, unwrapURLError(err))
	}
	defer resp.Body.Close()
	if resp.Request != nil && resp.Request.URL != nil {
		shown = resp.Request.URL.Redacted()
	}

	switch {
	case resp.StatusCode == http.StatusNotModified:
		return nil, fmt.Errorf("GET %s: %w", shown, feeds.ErrNotModified)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		// Drain a little so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, &feeds.HTTPError{
			URL:        shown,
			StatusCode: resp.StatusCode,
			RetryAfter: ParseRetryAfter(resp.Header.Get("Retry-After"), o.Now()),
		}
	}

	if resp.ContentLength > o.MaxBytes {
		return nil, fmt.Errorf("GET %s: %w: Content-Length %d exceeds %d bytes", shown, feeds.ErrTooLarge, resp.ContentLength, o.MaxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, o.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: read body: %w", shown, unwrapURLError(err))
	}
	if int64(len(body)) > o.MaxBytes {
		return nil, fmt.Errorf("GET %s: %w: more than %d bytes", shown, feeds.ErrTooLarge, o.MaxBytes)
	}
	return &Response{URL: shown, StatusCode: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// ParseRetryAfter interprets a Retry-After header value: a number of
// seconds or an HTTP date (relative to now). It returns zero for an empty,
// malformed or past value; huge values are capped instead of overflowing.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(math.MaxInt64/time.Second) {
			return time.Duration(math.MaxInt64)
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// Redact returns rawURL with any password replaced by "xxxxx".
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.User == nil {
		return rawURL
	}
	return u.Redacted()
}

// unwrapURLError drops the *url.Error layer, whose message repeats the
// method and URL that our own wrapping already gives.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}
