package feedhttp

import (
	"compress/gzip"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
)

// Defaults used when the corresponding Options field is zero.
const (
	DefaultUserAgent    = "sigwatch (+https://github.com/sigwatch/sigwatch)"
	DefaultTimeout      = 60 * time.Second
	DefaultMaxBytes     = 64 << 20
	DefaultRetries      = 2
	DefaultBackoff      = time.Second
	DefaultMaxRetryWait = 2 * time.Minute
	// maxRedirects matches net/http's own limit.
	maxRedirects = 10
)

// ErrBlocked reports a request refused by the private-address guard
// (Options.BlockPrivate).
var ErrBlocked = errors.New("feedhttp: destination address not allowed")

// Options configure a [Client]. The zero value and a nil *Options mean all
// defaults.
type Options struct {
	// HTTPClient sends the requests; bring your own for proxies, mTLS or
	// tests. Optional: nil means a client with DefaultTimeout. Its Timeout
	// bounds each attempt including the body.
	HTTPClient *http.Client
	// UserAgent is sent as User-Agent. Optional: "" means DefaultUserAgent.
	UserAgent string
	// MaxBytes caps a response body after gzip decoding. Optional: 0 or less
	// means DefaultMaxBytes (64 MiB).
	MaxBytes int64
	// Retries is how many times a failed attempt is repeated: on network
	// errors and on HTTP 429, 500, 502, 503 and 504. Optional: 0 means
	// DefaultRetries (2, so three attempts); negative means none.
	Retries int
	// Backoff is the wait before the first retry; it doubles for each
	// further retry, with up to 50 % random jitter added. A Retry-After
	// header replaces it. Optional: 0 means DefaultBackoff (1 s).
	Backoff time.Duration
	// MaxRetryWait is the longest Retry-After the client waits for. A
	// server asking for longer ends the retries with a *feeds.HTTPError
	// carrying the hint. Optional: 0 means DefaultMaxRetryWait (2 min).
	MaxRetryWait time.Duration
	// BlockPrivate refuses loopback, private, link-local, unspecified,
	// multicast and shared (CGNAT) destinations: checked on the URL, on
	// every redirect and on the address actually dialled after DNS
	// resolution, so a hostname that resolves to 127.0.0.1 is refused too.
	// Turn it on when feed URLs come from tenants or other untrusted input.
	// It needs HTTPClient.Transport to be nil or an *http.Transport. When
	// the transport uses a proxy, the dialled address is the proxy's: the
	// proxy must enforce its own policy.
	BlockPrivate bool
	// Allow lists address ranges BlockPrivate lets through (an internal
	// mirror, say). Optional.
	Allow []netip.Prefix
	// NoConditional turns off conditional requests. By default the client
	// remembers each URL's ETag and Last-Modified and sends them back, so
	// an unchanged feed answers 304 and Get returns feeds.ErrNotModified.
	NoConditional bool
	// Now is the clock used for Retry-After dates and FetchInfo.At.
	// Optional: nil means time.Now.
	Now func() time.Time
	// Progress, when set, is told how a response body download goes: the
	// URL, the bytes read off the wire so far and the total the server
	// announced (-1 when it did not), after every ProgressStep bytes and
	// once when the body has been read. It is called from the goroutine
	// running Get and must return quickly. Optional.
	Progress func(url string, read, total int64)
}

// ProgressStep is how many bytes are read between two calls of
// Options.Progress.
const ProgressStep = 256 << 10

// Client performs GET requests for feed adapters. It is safe for concurrent
// use; create one per Source (or share one) with [New].
type Client struct {
	hc           *http.Client
	setupErr     error
	userAgent    string
	maxBytes     int64
	retries      int
	backoff      time.Duration
	maxRetryWait time.Duration
	conditional  bool
	progress     func(url string, read, total int64)
	guard        *guard
	now          func() time.Time
	sleep        func(ctx context.Context, d time.Duration) error

	mu         sync.Mutex
	validators map[string]Validators
}

// Validators are the cache validators a server sent for a URL.
type Validators struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"lastModified,omitempty"`
}

// IsZero reports whether v holds no validator.
func (v Validators) IsZero() bool { return v.ETag == "" && v.LastModified == "" }

// Request holds per-request settings. A nil *Request means defaults.
type Request struct {
	// Accept is sent as Accept when not empty.
	Accept string
	// Header holds extra request headers.
	Header http.Header
	// Unconditional sends the request without stored validators.
	Unconditional bool
}

// Response is a successful (2xx) response with its body read and decoded.
type Response struct {
	// URL is the final URL after redirects, with any password redacted.
	URL        string
	StatusCode int
	Header     http.Header
	// Body is the decoded body, at most Options.MaxBytes long.
	Body []byte
	// Info describes the exchange (also reported to feeds.ObserveFetch).
	Info feeds.FetchInfo
}

// New returns a Client configured by opts (nil means all defaults).
func New(opts *Options) *Client {
	var o Options
	if opts != nil {
		o = *opts
	}
	c := &Client{
		hc:           o.HTTPClient,
		userAgent:    o.UserAgent,
		maxBytes:     o.MaxBytes,
		retries:      o.Retries,
		backoff:      o.Backoff,
		maxRetryWait: o.MaxRetryWait,
		conditional:  !o.NoConditional,
		progress:     o.Progress,
		now:          o.Now,
		sleep:        sleepCtx,
		validators:   map[string]Validators{},
	}
	if c.hc == nil {
		c.hc = &http.Client{Timeout: DefaultTimeout}
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	if c.maxBytes <= 0 {
		c.maxBytes = DefaultMaxBytes
	}
	c.maxBytes = min(c.maxBytes, math.MaxInt64-1) // maxBytes+1 below must not overflow
	switch {
	case c.retries == 0:
		c.retries = DefaultRetries
	case c.retries < 0:
		c.retries = 0
	}
	if c.backoff <= 0 {
		c.backoff = DefaultBackoff
	}
	if c.maxRetryWait <= 0 {
		c.maxRetryWait = DefaultMaxRetryWait
	}
	if c.now == nil {
		c.now = time.Now
	}
	if o.BlockPrivate {
		c.guard = &guard{allow: o.Allow}
		c.hc, c.setupErr = c.guard.wrap(c.hc)
	}
	return c
}

// Forget drops the validators stored for rawURL, so the next Get of it is
// unconditional. Adapters call it when a fetched body fails to parse:
// otherwise the server would answer 304 and the broken body would never be
// fetched again.
func (c *Client) Forget(rawURL string) {
	c.mu.Lock()
	delete(c.validators, rawURL)
	c.mu.Unlock()
}

// Validators returns the validators stored for rawURL, for callers that
// persist them across restarts.
func (c *Client) Validators(rawURL string) Validators {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.validators[rawURL]
}

// SetValidators stores validators for rawURL, for example ones persisted by
// a previous process. A zero v is the same as Forget.
func (c *Client) SetValidators(rawURL string, v Validators) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v.IsZero() {
		delete(c.validators, rawURL)
		return
	}
	c.validators[rawURL] = v
}

// Get fetches rawURL. See the package documentation for retries,
// conditional requests and errors. Every call is reported to the observer
// installed with feeds.WithFetchObserver.
func (c *Client) Get(ctx context.Context, rawURL string, req *Request) (*Response, error) {
	var r Request
	if req != nil {
		r = *req
	}
	info := feeds.FetchInfo{URL: Redact(rawURL), At: c.now().UTC()}
	start := time.Now()
	resp, err := c.get(ctx, rawURL, &r, &info)
	info.Duration = time.Since(start)
	if err != nil {
		info.Error = err.Error()
	}
	feeds.ObserveFetch(ctx, info)
	if err != nil {
		return nil, err
	}
	resp.Info = info
	return resp, nil
}

func (c *Client) get(ctx context.Context, rawURL string, r *Request, info *feeds.FetchInfo) (*Response, error) {
	shown := info.URL
	if c.setupErr != nil {
		return nil, fmt.Errorf("GET %s: %w", shown, c.setupErr)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", shown, unwrapURLError(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("GET %s: unsupported URL scheme %q (want http or https)", shown, u.Scheme)
	}
	if c.guard != nil {
		if err := c.guard.checkURL(u); err != nil {
			return nil, fmt.Errorf("GET %s: %w", shown, err)
		}
	}
	var sent Validators
	if c.conditional && !r.Unconditional {
		sent = c.Validators(rawURL)
	}

	for attempt := 0; ; attempt++ {
		info.Attempts = attempt + 1
		resp, retryAfter, err := c.attempt(ctx, rawURL, r, sent, info)
		if err == nil {
			if c.conditional {
				v := Validators{ETag: info.ETag, LastModified: info.LastModified}
				c.SetValidators(rawURL, v)
			}
			return resp, nil
		}
		if !retryable(ctx, err) || attempt >= c.retries {
			return nil, err
		}
		wait := retryAfter
		if wait == 0 {
			wait = c.backoff << min(attempt, 20)
			wait += time.Duration(rand.Int64N(int64(wait)/2 + 1))
		} else if wait > c.maxRetryWait {
			return nil, err // the server asks for longer than we wait
		}
		if serr := c.sleep(ctx, wait); serr != nil {
			return nil, fmt.Errorf("GET %s: waiting to retry after %v: %w", shown, err, serr)
		}
	}
}

// attempt sends one request. It returns the server's Retry-After hint with
// retryable HTTP errors.
func (c *Client) attempt(ctx context.Context, rawURL string, r *Request, sent Validators, info *feeds.FetchInfo) (*Response, time.Duration, error) {
	shown := info.URL
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("GET %s: %w", shown, unwrapURLError(err))
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("User-Agent", c.userAgent)
	// Asking for gzip ourselves turns off the transport's transparent
	// decoding, so the size cap applies to the decoded body.
	req.Header.Set("Accept-Encoding", "gzip")
	if r.Accept != "" {
		req.Header.Set("Accept", r.Accept)
	}
	if sent.ETag != "" {
		req.Header.Set("If-None-Match", sent.ETag)
	}
	if sent.LastModified != "" {
		req.Header.Set("If-Modified-Since", sent.LastModified)
	}

	// What an earlier attempt saw does not describe this one.
	info.StatusCode, info.FinalURL, info.ETag, info.LastModified = 0, "", "", ""
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, 0, &transportError{url: shown, err: unwrapURLError(err)}
	}
	defer resp.Body.Close()
	info.StatusCode = resp.StatusCode
	if resp.Request != nil && resp.Request.URL != nil {
		if final := resp.Request.URL.Redacted(); final != shown {
			info.FinalURL = final
			shown = final
		}
	}
	info.ETag = resp.Header.Get("ETag")
	info.LastModified = resp.Header.Get("Last-Modified")

	switch {
	case resp.StatusCode == http.StatusNotModified && !sent.IsZero():
		info.NotModified = true
		return nil, 0, fmt.Errorf("GET %s: %w", shown, feeds.ErrNotModified)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		// Drain a little so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		ra := ParseRetryAfter(resp.Header.Get("Retry-After"), c.now())
		return nil, ra, &feeds.HTTPError{URL: shown, StatusCode: resp.StatusCode, RetryAfter: ra}
	}

	body, err := c.readBody(resp, info)
	if err != nil {
		return nil, 0, fmt.Errorf("GET %s: %w", shown, err)
	}
	return &Response{URL: shown, StatusCode: resp.StatusCode, Header: resp.Header, Body: body}, 0, nil
}

// readBody reads and decodes the body within the size cap.
func (c *Client) readBody(resp *http.Response, info *feeds.FetchInfo) ([]byte, error) {
	wire := &countingReader{r: resp.Body}
	if c.progress != nil {
		url := ""
		if resp.Request != nil && resp.Request.URL != nil {
			url = resp.Request.URL.Redacted()
		}
		total, report := resp.ContentLength, c.progress
		wire.progress = func(n int64) { report(url, n, total) }
		defer func() { wire.progress(wire.n) }()
	}
	var src io.Reader = wire
	switch enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
		if resp.ContentLength > c.maxBytes {
			return nil, fmt.Errorf("%w: Content-Length %d exceeds %d bytes", feeds.ErrTooLarge, resp.ContentLength, c.maxBytes)
		}
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(wire)
		if err != nil {
			return nil, fmt.Errorf("gzip body: %w", unwrapURLError(err))
		}
		defer zr.Close()
		src = zr
	default:
		return nil, fmt.Errorf("unsupported Content-Encoding %q", enc)
	}
	body, err := io.ReadAll(io.LimitReader(src, c.maxBytes+1))
	info.WireBytes = wire.n
	info.Bytes = int64(len(body))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", unwrapURLError(err))
	}
	if int64(len(body)) > c.maxBytes {
		return nil, fmt.Errorf("%w: more than %d bytes", feeds.ErrTooLarge, c.maxBytes)
	}
	return body, nil
}

type countingReader struct {
	r        io.Reader
	n        int64
	progress func(read int64) // nil: no reports
	reported int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.progress != nil && c.n-c.reported >= ProgressStep {
		c.reported = c.n
		c.progress(c.n)
	}
	return n, err
}

// transportError marks a failure before any HTTP response arrived.
type transportError struct {
	url string
	err error
}

func (e *transportError) Error() string { return fmt.Sprintf("GET %s: %v", e.url, e.err) }
func (e *transportError) Unwrap() error { return e.err }

// retryable reports whether another attempt may succeed.
func retryable(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var he *feeds.HTTPError
	if errors.As(err, &he) {
		switch he.StatusCode {
		case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
			http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
		return false
	}
	var te *transportError
	if !errors.As(err, &te) {
		return false // not-modified, too large, decoding errors
	}
	var certErr *tls.CertificateVerificationError
	switch {
	case errors.Is(err, ErrBlocked), errors.As(err, &certErr), errors.Is(err, context.Canceled):
		return false
	}
	return true
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
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

// guard implements Options.BlockPrivate.
type guard struct {
	allow []netip.Prefix
}

// blockedRanges are refused in addition to what netip.Addr's predicates
// catch: "this network", shared address space (RFC 6598) and benchmarking
// (RFC 2544).
var blockedRanges = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("198.18.0.0/15"),
}

func (g *guard) allowed(a netip.Addr) error {
	a = a.Unmap()
	for _, p := range g.allow {
		if p.Contains(a) {
			return nil
		}
	}
	bad := a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() || !a.IsValid()
	for _, p := range blockedRanges {
		bad = bad || p.Contains(a)
	}
	if bad {
		return fmt.Errorf("%w: %s", ErrBlocked, a)
	}
	return nil
}

// checkURL refuses IP-literal hosts in blocked ranges before any dial, and
// "localhost" names.
func (g *guard) checkURL(u *url.URL) error {
	host := u.Hostname()
	if a, err := netip.ParseAddr(host); err == nil {
		return g.allowed(a)
	}
	if h := strings.ToLower(strings.TrimSuffix(host, ".")); h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return fmt.Errorf("%w: %s", ErrBlocked, host)
	}
	return nil
}

// wrap returns a copy of hc whose transport checks every dialled address
// and whose redirect policy checks every redirect target.
func (g *guard) wrap(hc *http.Client) (*http.Client, error) {
	var tr *http.Transport
	switch t := hc.Transport.(type) {
	case nil:
		tr = http.DefaultTransport.(*http.Transport).Clone()
	case *http.Transport:
		tr = t.Clone()
	default:
		return hc, fmt.Errorf("feedhttp: BlockPrivate needs an *http.Transport, the client has a %T", hc.Transport)
	}
	//lint:ignore SA1019 the deprecated DialTLS is checked so that it cannot bypass the guard
	if tr.DialTLSContext != nil || tr.DialTLS != nil {
		return hc, errors.New("feedhttp: BlockPrivate cannot guard a transport with a custom DialTLS function")
	}
	dialer := &net.Dialer{
		Timeout:   30 * time.Second,
		KeepAlive: 30 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("%w: cannot check %q", ErrBlocked, address)
			}
			return g.allowed(ap.Addr())
		},
	}
	base := tr.DialContext
	if base == nil {
		tr.DialContext = dialer.DialContext
	} else {
		// A custom dialer would bypass Control: resolve and check first.
		tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			if err := g.checkHost(ctx, addr); err != nil {
				return nil, err
			}
			return base(ctx, network, addr)
		}
	}
	out := *hc
	out.Transport = tr
	prev := hc.CheckRedirect
	out.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := g.checkURL(req.URL); err != nil {
			return err
		}
		if prev != nil {
			return prev(req, via)
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		return nil
	}
	return &out, nil
}

// checkHost resolves addr's host and checks every address.
func (g *guard) checkHost(ctx context.Context, addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%w: cannot check %q", ErrBlocked, addr)
	}
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return err
	}
	for _, ip := range ips {
		if err := g.allowed(ip); err != nil {
			return err
		}
	}
	return nil
}
