package register

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/internal/sniff"
	"github.com/sigwatch/sigwatch/internal/textx"
)

// LinkStatus is what the link checker concluded about one URL.
type LinkStatus string

// Link statuses.
const (
	LinkOK          LinkStatus = "ok"
	LinkMoved       LinkStatus = "moved"       // permanent redirect to another URL; the final URL works
	LinkNotFound    LinkStatus = "not_found"   // 404, 410
	LinkHTTPError   LinkStatus = "http_error"  // 5xx and 4xx other than 401, 403, 404, 410
	LinkRestricted  LinkStatus = "restricted"  // 401, 403
	LinkUnreachable LinkStatus = "unreachable" // DNS failure, connection refused or reset
	LinkTLS         LinkStatus = "tls"         // certificate or handshake failure
	LinkTimeout     LinkStatus = "timeout"
	LinkParked      LinkStatus = "parked"   // parked or for-sale domain
	LinkNotFeed     LinkStatus = "not_feed" // a feed channel answering with an HTML page
	LinkInsecure    LinkStatus = "insecure" // a feed channel over plain http:// (checked without a request)
)

// Redirect is one hop of a redirect chain.
type Redirect struct {
	// StatusCode is the redirect status (301, 302, 303, 307, 308).
	StatusCode int `json:"status"`
	// To is where the hop led (password redacted).
	To string `json:"to"`
}

// LinkResult is the outcome of checking one URL of the register.
type LinkResult struct {
	// Group is the ID of the group the URL belongs to.
	Group string `json:"group"`
	// Field is where the URL is in the group: "url" or "channels[N].url"
	// (N counts from 0).
	Field string `json:"field"`
	// Kind is the channel's kind ("kev", "rss", "manual"); empty for the
	// group's home page.
	Kind string `json:"kind,omitempty"`
	// URL is the URL as written in the register (password redacted).
	URL    string     `json:"url"`
	Status LinkStatus `json:"status"`
	// StatusCode is the HTTP status of the last response; zero when none arrived.
	StatusCode int `json:"statusCode,omitempty"`
	// Attempts is the number of requests sent for the URL (more than one
	// after retries); zero when the URL was judged without a request.
	Attempts int `json:"attempts,omitempty"`
	// FinalURL is where the redirects ended, when there were any.
	FinalURL  string     `json:"finalUrl,omitempty"`
	Redirects []Redirect `json:"redirects,omitempty"`
	// Error describes the failure for people ("answers 404 Not Found",
	// "is unreachable: connection refused"); empty when Status is ok,
	// except "not checked: mailto" for a mailto: URL.
	Error string `json:"error,omitempty"`
	// CheckedAt is when the check started.
	CheckedAt time.Time     `json:"checkedAt"`
	Duration  time.Duration `json:"duration"`
}

// Link checker defaults, used when the corresponding LinkOptions field is zero.
const (
	DefaultLinkTimeout     = 15 * time.Second
	DefaultLinkConcurrency = 8
	DefaultLinkRetries     = 1
	DefaultLinkBackoff     = 500 * time.Millisecond
	// LinkMaxBytes caps the body read from each URL: enough to recognise
	// a parked page or an HTML page in place of a feed. A longer body
	// means the link is alive.
	LinkMaxBytes = 1 << 20
)

// errNotHTTP is the Error of a URL that is not an absolute http(s) URL.
const errNotHTTP = "is not an absolute http(s) URL"

// errMailto is the Error of a mailto: URL, which is not checked.
const errMailto = "not checked: mailto"

const (
	maxLinkHops = 10      // redirects followed, as net/http does
	clipError   = 300     // bytes of hostile text kept in messages
	clipURL     = 2048    // bytes of a redirect target kept
	parkedText  = 2 << 10 // visible text of a page short enough for the parking phrases to count
)

// parkedMarkers are phrases that parking and domain-sale pages show. They
// are searched case-insensitively, with runs of white space folded to one
// space, in 2xx bodies that are short HTML pages (never in feeds: an
// advisory about domain parking is not a parked domain).
var parkedMarkers = []string{
	"this domain is for sale",
	"this domain may be for sale",
	"buy this domain",
	"domain parking",
	"parked free",
	"is parked free, courtesy of",
}

// parkedHosts are parking and domain-sale services. A final URL on one of
// these hosts (or a subdomain) marks a parked domain, and so does an HTML
// page that loads a script or frame from one, or refreshes to one.
var parkedHosts = []string{
	"sedoparking.com",
	"parkingcrew.net",
	"bodis.com",
	"dan.com",
	"afternic.com",
	"hugedomains.com",
}

// LinkOptions configure [CheckLinks]. A nil *LinkOptions means all defaults.
type LinkOptions struct {
	// HTTPClient sends the requests (proxies, mTLS, tests). Optional: nil
	// means a client whose Timeout is the Timeout below. The client is
	// copied, not changed; its CheckRedirect, if any, is kept and called
	// after the checker's own, which records each hop.
	HTTPClient *http.Client
	// Timeout bounds each URL's check, all attempts and waits included.
	// Optional: 0 means DefaultLinkTimeout (15 s).
	Timeout time.Duration
	// Concurrency is how many URLs are checked at once. Optional: 0 means
	// DefaultLinkConcurrency (8).
	Concurrency int
	// Retries is how many times a URL is tried again after a network error
	// or HTTP 429, 500, 502, 503 or 504 (as feedhttp.Options.Retries).
	// Optional: 0 means DefaultLinkRetries (1); negative means none.
	Retries int
	// Backoff is the wait before the first retry, as feedhttp.Options.Backoff.
	// A Retry-After header replaces it; one longer than half the Timeout
	// ends the retries. Optional: 0 means DefaultLinkBackoff (500 ms).
	Backoff time.Duration
	// BlockPrivate refuses loopback, private and link-local destinations
	// (feedhttp.Options.BlockPrivate); turn it on for registers that come
	// from tenants. A refused URL is reported unreachable. Allow lists
	// ranges let through anyway.
	BlockPrivate bool
	Allow        []netip.Prefix
	// UserAgent is sent as User-Agent. Optional: "" means
	// feedhttp.DefaultUserAgent.
	UserAgent string
	// ParkedHosts are added to the built-in list of parking and
	// domain-sale hosts (see [CheckLinks]). An entry with a port
	// ("127.0.0.1:8080") matches that host and port only, which is how
	// tests mark a loopback server as a parking service.
	ParkedHosts []string
	// Now is the clock for CheckedAt (and for Retry-After dates).
	// Optional: nil means time.Now.
	Now func() time.Time
}

// CheckLinks checks every URL in the register: each group's home page
// (Field "url") and each channel's URL (Field "channels[N].url"). Empty
// URLs are skipped (a manual channel usually has none; [Check] reports a
// group with no URL at all). A mailto: URL (a mailing list's address) is
// not checked: its result is ok, with Error "not checked: mailto" and no
// finding. A nil register gives no results and no error. A URL that
// appears several times is fetched once, and each occurrence gets its own
// result. Results are in register order.
//
// Each URL is fetched with one GET through [feedhttp] (its retries,
// size cap, user agent and optional private-address guard), never HEAD:
// many servers answer HEAD wrongly (405, 404 or a different redirect) while
// GET is what feed readers and people use. At most LinkMaxBytes of the body
// are read.
//
// The status of a result:
//
//   - ok: a 2xx answer, directly or after temporary redirects (302, 303,
//     307; recorded in Redirects and FinalURL). A body longer than
//     LinkMaxBytes is ok too: the link is alive.
//   - moved: the redirect chain contains a permanent redirect (301, 308)
//     and ends in a 2xx answer. Every permanent redirect to a different
//     URL counts, including one that only adds or removes a trailing slash
//     or upgrades http:// to https:// on the same host: the register
//     should hold the address the site itself calls permanent (and an
//     https:// one). The new address is the target of the last permanent
//     hop. A chain that ends back at the register's URL (A →301 B →302 A,
//     which a server setting a cookie may send with a cookie jar) is ok:
//     the register's URL works.
//   - parked: a 2xx answer from a parked or for-sale domain. Security
//     sites write about parking and domain sales, so a name or phrase in
//     a page's text is weak evidence; the checker needs one of:
//     the final URL is on a parking or domain-sale host (sedoparking.com,
//     parkingcrew.net, bodis.com, dan.com, afternic.com, hugedomains.com,
//     LinkOptions.ParkedHosts, or a subdomain of one); or an HTML page
//     loads a script, iframe or frame from such a host (its src
//     attribute) or refreshes to one (meta refresh) — links, images and
//     text naming the hosts do not count; or a short HTML page, under
//     2 KiB of visible text (outside tags, comments, scripts and styles,
//     white space folded), says "this domain is for sale", "this domain
//     may be for sale", "buy this domain", "domain parking" or "parked
//     free" (case-insensitive, anywhere in the page, scripts included:
//     parking pages often write their text with script). On a longer
//     page the phrases alone count for nothing: a real home page may
//     well discuss parked domains.
//   - not_feed: a feed channel (any kind but "manual" and "web") answers
//     2xx with an HTML page. A home page being HTML is of course fine.
//   - not_found: 404 or 410. restricted: 401 or 403 (members-only
//     portals answer so). http_error: any other status outside 2xx,
//     after retries; also a redirect loop, a chain of 10 redirects, a
//     2xx answer whose body was cut short or cannot be decoded (the site
//     is alive, but the whole body does not arrive), and a URL that is
//     not an absolute http(s) URL (judged without a request).
//   - unreachable: the host is not in DNS, the connection is refused or
//     reset, or the private-address guard refused the address.
//   - tls: a certificate error (unknown authority, expired or not yet
//     valid, wrong host) or another TLS handshake failure.
//   - timeout: no complete answer within Timeout.
//   - insecure: a feed channel over plain http://, judged without a
//     request (its content can be changed on the way; use https://).
//
// When one answer fits several statuses, the most severe wins: parked,
// then not_feed, then moved. [LinkResult.Finding] turns a result into a
// [Finding].
//
// CheckLinks returns an error only when ctx is cancelled or its deadline
// passes: a dead link is a result, not an error. The results of the checks
// that finished are still returned, in register order.
func CheckLinks(ctx context.Context, r *Register, opts *LinkOptions) ([]LinkResult, error) {
	if r == nil {
		return nil, nil
	}
	lc := newLinkChecker(opts)
	targets := linkTargets(r)

	results := make([]LinkResult, len(targets))
	done := make([]bool, len(targets))
	type fetch struct {
		url     string
		targets []int
		out     fetchOutcome
	}
	var fetches []*fetch
	byURL := map[string]*fetch{}
	for i, t := range targets {
		if res, ok := lc.judgeWithoutRequest(t); ok {
			results[i], done[i] = res, true
			continue
		}
		f := byURL[t.url]
		if f == nil {
			f = &fetch{url: t.url}
			byURL[t.url] = f
			fetches = append(fetches, f)
		}
		f.targets = append(f.targets, i)
	}

	var g errgroup.Group
	g.SetLimit(lc.concurrency)
	for _, f := range fetches {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error {
			f.out = lc.fetch(ctx, f.url)
			return nil
		})
	}
	_ = g.Wait() // the goroutines return no errors

	for _, f := range fetches {
		if !f.out.done {
			continue
		}
		for _, i := range f.targets {
			results[i], done[i] = lc.classify(targets[i], &f.out), true
		}
	}
	if err := ctx.Err(); err != nil {
		var finished []LinkResult
		for i := range results {
			if done[i] {
				finished = append(finished, results[i])
			}
		}
		return finished, fmt.Errorf("register: check links: %w", err)
	}
	return results, nil
}

// Finding turns a result into the finding [Check] reports, with the code
// and severity documented on the CodeLink constants; ok is false for
// LinkOK. The message names the group, the field and the URL, says what
// was found and what to do.
func (l LinkResult) Finding() (f Finding, ok bool) {
	home := l.Field == "url"
	var code Code
	var sev Severity
	var advice string
	switch l.Status {
	case LinkOK:
		return Finding{}, false
	case LinkNotFound:
		code, sev = CodeLinkNotFound, SeverityError
		advice = pick(home, "the page is gone; find the group's current address or retire the entry",
			"the feed is gone; find its current address on the group's site or remove the channel")
	case LinkUnreachable:
		code, sev = CodeLinkUnreachable, SeverityError
		advice = pick(home, "check the address; if the site is gone, find the group's current address or retire the entry",
			"check the address; if the feed is gone, find its current address or remove the channel")
	case LinkTLS:
		code, sev = CodeLinkTLS, SeverityError
		advice = "the site's certificate cannot be trusted, so neither can what it serves; tell the group, or find its current address"
	case LinkTimeout:
		code, sev = CodeLinkTimeout, SeverityWarning
		advice = "check again later; if it keeps failing, find the group's current address"
	case LinkHTTPError:
		code, sev = CodeLinkHTTPError, SeverityWarning
		advice = "check it by hand and again later; if it keeps failing, tell the group or find its current address"
		if l.Error == errNotHTTP {
			advice = "write the full address, starting with https://"
		}
	case LinkRestricted:
		code, sev = CodeLinkRestricted, SeverityInfo
		advice = "members-only portals answer so; check by hand that the organisation's access still works"
	case LinkMoved:
		code, sev = CodeLinkMoved, SeverityInfo
		advice = "update the register to the new address"
	case LinkParked:
		code, sev = CodeLinkParked, SeverityError
		advice = "the group is no longer at this address; find its current address or retire the entry"
	case LinkNotFeed:
		code, sev = CodeLinkNotFeed, SeverityWarning
		advice = "the feed moved or the URL is a web page; find the feed's own URL on the group's site"
	case LinkInsecure:
		code, sev = CodeLinkInsecure, SeverityWarning
		advice = "anyone on the path can change what arrives; use the https:// address"
	default:
		code, sev = CodeLinkHTTPError, SeverityWarning
		advice = "check it by hand"
	}
	what := "home page"
	if !home {
		what = "channel"
		if l.Kind != "" {
			what = textx.Clip(l.Kind, 40) + " channel"
		}
	}
	problem := l.Error
	if problem == "" {
		problem = "failed the link check (" + string(l.Status) + ")"
	}
	msg := fmt.Sprintf("%s %s (%s) %s %s: %s", l.Group, what, l.Field, textx.Clip(l.URL, clipError), problem, advice)
	return Finding{Code: code, Severity: sev, Group: l.Group, Field: l.Field, Message: msg}, true
}

func pick(home bool, forHome, forChannel string) string {
	if home {
		return forHome
	}
	return forChannel
}

// linkTarget is one URL occurrence in the register.
type linkTarget struct {
	group, field, kind string
	url                string
	feed               bool // a feed channel: not manual, not web
}

func linkTargets(r *Register) []linkTarget {
	var ts []linkTarget
	for _, g := range r.Groups {
		if u := strings.TrimSpace(g.URL); u != "" {
			ts = append(ts, linkTarget{group: g.ID, field: "url", url: u})
		}
		for j, c := range g.Channels {
			u := strings.TrimSpace(c.URL)
			if u == "" {
				continue
			}
			k := strings.ToLower(strings.TrimSpace(c.Kind))
			ts = append(ts, linkTarget{
				group: g.ID, field: "channels[" + strconv.Itoa(j) + "].url", kind: c.Kind, url: u,
				feed: k != "manual" && k != "web",
			})
		}
	}
	return ts
}

type linkChecker struct {
	fc          *feedhttp.Client
	now         func() time.Time
	timeout     time.Duration
	concurrency int
	parked      []string
}

func newLinkChecker(opts *LinkOptions) *linkChecker {
	var o LinkOptions
	if opts != nil {
		o = *opts
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultLinkTimeout
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultLinkConcurrency
	}
	switch {
	case o.Retries == 0:
		o.Retries = DefaultLinkRetries
	case o.Retries < 0:
		o.Retries = -1 // feedhttp: negative means none
	}
	if o.Backoff <= 0 {
		o.Backoff = DefaultLinkBackoff
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	var hc http.Client
	if o.HTTPClient != nil {
		hc = *o.HTTPClient
	} else {
		hc.Timeout = o.Timeout
	}
	hc.CheckRedirect = recordRedirects(hc.CheckRedirect, hc.Jar != nil)
	lc := &linkChecker{
		now:         o.Now,
		timeout:     o.Timeout,
		concurrency: o.Concurrency,
		parked:      append(append([]string(nil), parkedHosts...), o.ParkedHosts...),
	}
	lc.fc = feedhttp.New(&feedhttp.Options{
		HTTPClient:    &hc,
		UserAgent:     o.UserAgent,
		MaxBytes:      LinkMaxBytes,
		Retries:       o.Retries,
		Backoff:       o.Backoff,
		MaxRetryWait:  max(o.Timeout/2, time.Millisecond),
		BlockPrivate:  o.BlockPrivate,
		Allow:         o.Allow,
		NoConditional: true,
		Now:           o.Now,
	})
	return lc
}

// judgeWithoutRequest decides the URLs that need no request: not an
// absolute http(s) URL, a feed channel over plain http, or a mailto: URL
// (not checked).
func (lc *linkChecker) judgeWithoutRequest(t linkTarget) (LinkResult, bool) {
	res := LinkResult{Group: t.group, Field: t.field, Kind: t.kind, URL: feedhttp.Redact(t.url), CheckedAt: lc.now().UTC()}
	u, err := url.Parse(t.url)
	if err == nil && u.Scheme == "mailto" { // url.Parse lower-cases the scheme
		res.Status, res.Error = LinkOK, errMailto
		return res, true
	}
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		res.Status, res.Error = LinkHTTPError, errNotHTTP
		return res, true
	}
	if t.feed && u.Scheme == "http" {
		res.Status, res.Error = LinkInsecure, "is fetched over plain http://"
		return res, true
	}
	return LinkResult{}, false
}

// hopsKey carries a *hopRecorder in a request's context.
type hopsKey struct{}

// hopRecorder collects one URL's redirect chain. It belongs to one check
// and is written only by the goroutine running that check's requests.
type hopRecorder struct {
	hops []Redirect
	// stopped says why redirects were no longer followed: a loop or too
	// many hops; empty when the chain ended by itself.
	stopped string
}

// policyError marks an error returned by the user's CheckRedirect.
type policyError struct{ err error }

func (e *policyError) Error() string {
	return "redirect refused by the HTTP client's policy: " + e.err.Error()
}
func (e *policyError) Unwrap() error { return e.err }

// recordRedirects returns a CheckRedirect that records each hop in the
// request context's recorder, stops loops and long chains, then defers to
// the user's policy.
func recordRedirects(user func(*http.Request, []*http.Request) error, hasJar bool) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if rec, ok := req.Context().Value(hopsKey{}).(*hopRecorder); ok {
			if len(via) == 1 { // a new attempt starts a new chain
				rec.hops, rec.stopped = rec.hops[:0], ""
			}
			status := 0
			if req.Response != nil {
				status = req.Response.StatusCode
			}
			to := textx.Clip(req.URL.Redacted(), clipURL)
			rec.hops = append(rec.hops, Redirect{StatusCode: status, To: to})
			if len(via) >= maxLinkHops {
				rec.stopped = fmt.Sprintf("stopped after %d redirects", maxLinkHops)
				return http.ErrUseLastResponse
			}
			// Without a cookie jar a server cannot change its answer
			// for a URL we already asked: coming back is a loop.
			if !hasJar {
				next := req.URL.String()
				for _, v := range via {
					if v.URL.String() == next {
						rec.stopped = "redirects in a loop back to " + to
						return http.ErrUseLastResponse
					}
				}
			}
		}
		if user == nil {
			return nil
		}
		err := user(req, via)
		if err == nil {
			return nil
		}
		if rec, ok := req.Context().Value(hopsKey{}).(*hopRecorder); ok && len(rec.hops) > 0 {
			rec.hops = rec.hops[:len(rec.hops)-1] // the hop was not followed
		}
		if errors.Is(err, http.ErrUseLastResponse) {
			return err
		}
		return &policyError{err}
	}
}

// fetchOutcome is what one GET of a URL produced, before classification.
type fetchOutcome struct {
	done      bool // false: cancelled before a conclusion
	checkedAt time.Time
	duration  time.Duration
	info      feeds.FetchInfo
	hops      []Redirect
	stopped   string
	status    int // status of a 2xx answer or of an HTTP error
	err       error
	html      bool   // the 2xx body is an HTML page
	parked    string // why the answer looks parked; empty when not
}

func (lc *linkChecker) fetch(ctx context.Context, rawURL string) fetchOutcome {
	out := fetchOutcome{checkedAt: lc.now().UTC()}
	rec := &hopRecorder{}
	cctx, cancel := context.WithTimeout(ctx, lc.timeout)
	defer cancel()
	cctx = context.WithValue(cctx, hopsKey{}, rec)
	cctx = feeds.WithFetchObserver(cctx, func(fi feeds.FetchInfo) {
		out.info = fi
		feeds.ObserveFetch(ctx, fi) // the caller's observer, if any
	})
	start := time.Now()
	resp, err := lc.fc.Get(cctx, rawURL, nil)
	out.duration = time.Since(start)
	out.hops, out.stopped = rec.hops, rec.stopped
	if err != nil && ctx.Err() != nil {
		return out // cancelled by the caller: no conclusion
	}
	out.done = true
	out.err = err
	if err == nil {
		out.status = resp.StatusCode
		out.html = sniff.HTML(resp.Body)
		out.parked = lc.parkedReason(resp.URL, resp.Body, out.html)
		return out
	}
	var he *feeds.HTTPError
	if errors.As(err, &he) {
		out.status = he.StatusCode
	} else if errors.Is(err, feeds.ErrTooLarge) {
		out.status = out.info.StatusCode
	}
	return out
}

// classify turns a fetch into the result for one occurrence of its URL.
func (lc *linkChecker) classify(t linkTarget, out *fetchOutcome) LinkResult {
	res := LinkResult{
		Group: t.group, Field: t.field, Kind: t.kind, URL: feedhttp.Redact(t.url),
		StatusCode: out.status, Attempts: out.info.Attempts,
		CheckedAt: out.checkedAt, Duration: out.duration,
	}
	if len(out.hops) > 0 {
		res.Redirects = append([]Redirect(nil), out.hops...)
		if out.stopped == "" {
			res.FinalURL = res.Redirects[len(res.Redirects)-1].To
		}
	}
	after := ""
	if res.FinalURL != "" && res.FinalURL != res.URL {
		after = "redirects to " + textx.Clip(res.FinalURL, clipError) + ", which "
	}

	err := out.err
	var he *feeds.HTTPError
	switch {
	case err == nil || errors.Is(err, feeds.ErrTooLarge):
		switch movedTo := permanentTarget(res.Redirects); {
		case out.parked != "":
			res.Status, res.Error = LinkParked, "is a parked or for-sale domain: "+out.parked
		case t.feed && out.html:
			res.Status, res.Error = LinkNotFeed, after+"answers with an HTML page, not a feed"
		case movedTo != "" && !sameURL(movedTo, res.URL) && !sameURL(res.FinalURL, res.URL):
			res.Status = LinkMoved
			res.Error = fmt.Sprintf("moved permanently (%d) to %s", permanentStatus(res.Redirects), textx.Clip(movedTo, clipError))
		default:
			res.Status = LinkOK
		}
	case out.stopped != "":
		res.Status, res.Error = LinkHTTPError, out.stopped+" ("+chain(res.URL, res.Redirects)+")"
	case errors.As(err, &he):
		res.Status = statusFor(he.StatusCode)
		text := after + "answers " + statusText(he.StatusCode)
		if isRedirect(he.StatusCode) {
			text += " and the HTTP client's redirect policy did not follow it"
			res.Status = LinkHTTPError
		}
		if out.info.Attempts > 1 {
			text += fmt.Sprintf(" (%d attempts)", out.info.Attempts)
		}
		if he.RetryAfter > 0 && (he.StatusCode == http.StatusTooManyRequests || he.StatusCode == http.StatusServiceUnavailable) {
			text += ", asking to retry after " + he.RetryAfter.String()
		}
		res.Error = text
	default:
		res.Status, res.Error = lc.transportFailure(err, out)
		res.StatusCode = 0
		if res.Status == LinkHTTPError && out.info.StatusCode >= 200 && out.info.StatusCode <= 299 {
			res.StatusCode = out.info.StatusCode
		}
	}
	res.Error = textx.Clip(res.Error, clipError)
	return res
}

// statusFor maps an HTTP error status to a link status.
func statusFor(code int) LinkStatus {
	switch code {
	case http.StatusNotFound, http.StatusGone:
		return LinkNotFound
	case http.StatusUnauthorized, http.StatusForbidden:
		return LinkRestricted
	}
	return LinkHTTPError
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return strconv.Itoa(code) + " " + t
	}
	return "HTTP " + strconv.Itoa(code)
}

// sameURL reports whether a and b name the same resource: scheme and host
// compared without case, an empty path taken as "/", the fragment ignored.
// a may be "" (no final URL): then it is not the same.
func sameURL(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	if errA != nil || errB != nil {
		return false
	}
	norm := func(u *url.URL) string {
		p := u.EscapedPath()
		if p == "" {
			p = "/"
		}
		return strings.ToLower(u.Scheme) + "://" + u.User.String() + "@" + strings.ToLower(u.Host) + p + "?" + u.RawQuery + "|" + u.Opaque
	}
	return norm(ua) == norm(ub)
}

// permanentTarget returns the target of the last permanent hop, or "".
func permanentTarget(hops []Redirect) string {
	for i := len(hops) - 1; i >= 0; i-- {
		if isPermanent(hops[i].StatusCode) {
			return hops[i].To
		}
	}
	return ""
}

func permanentStatus(hops []Redirect) int {
	for i := len(hops) - 1; i >= 0; i-- {
		if isPermanent(hops[i].StatusCode) {
			return hops[i].StatusCode
		}
	}
	return 0
}

func isRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

func isPermanent(code int) bool {
	return code == http.StatusMovedPermanently || code == http.StatusPermanentRedirect
}

// chain renders a redirect chain: "a → 302 b → 301 a".
func chain(from string, hops []Redirect) string {
	var b strings.Builder
	b.WriteString(textx.Clip(from, 100))
	for _, h := range hops {
		fmt.Fprintf(&b, " → %d %s", h.StatusCode, textx.Clip(h.To, 100))
	}
	return b.String()
}

// transportFailure classifies an error from which no usable HTTP answer
// came: timeouts, DNS, connection and TLS failures.
func (lc *linkChecker) transportFailure(err error, out *fetchOutcome) (LinkStatus, string) {
	var (
		dnsErr   *net.DNSError
		netErr   net.Error
		opErr    *net.OpError
		policy   *policyError
		unknown  x509.UnknownAuthorityError
		invalid  x509.CertificateInvalidError
		hostname x509.HostnameError
		verify   *tls.CertificateVerificationError
		record   tls.RecordHeaderError
		alert    tls.AlertError
		ech      *tls.ECHRejectionError
	)
	switch {
	case errors.Is(err, feedhttp.ErrBlocked):
		return LinkUnreachable, "is blocked by the private-address guard: " + inner(err)
	case errors.As(err, &policy):
		return LinkHTTPError, policy.Error()
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return LinkUnreachable, "is unreachable: host " + dnsErr.Name + " not found in DNS"
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		return LinkTimeout, "did not answer within " + lc.timeout.String()
	case errors.As(err, &dnsErr):
		return LinkUnreachable, "is unreachable: DNS lookup of " + dnsErr.Name + " failed: " + dnsErr.Err
	case errors.As(err, &invalid):
		return LinkTLS, "fails TLS: " + certInvalid(invalid)
	case errors.As(err, &unknown):
		return LinkTLS, "fails TLS: the certificate is signed by an unknown authority (self-signed, or a missing intermediate certificate)"
	case errors.As(err, &hostname):
		return LinkTLS, "fails TLS: " + hostname.Error()
	case errors.As(err, &verify):
		return LinkTLS, "fails TLS: certificate rejected: " + verify.Err.Error()
	case errors.As(err, &record):
		return LinkTLS, "fails TLS: the server does not speak TLS on this port"
	case errors.As(err, &alert), errors.As(err, &ech):
		return LinkTLS, "fails the TLS handshake: " + inner(err)
	case errors.As(err, &opErr) && opErr.Op == "remote error":
		// crypto/tls reports an alert from the server as an OpError
		// with this Op; the alert type itself is unexported.
		return LinkTLS, "fails the TLS handshake: the server sent " + opErr.Err.Error()
	case errors.Is(err, syscall.ECONNREFUSED):
		return LinkUnreachable, "is unreachable: connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return LinkUnreachable, "is unreachable: connection reset"
	case strings.Contains(inner(err), "server gave HTTP response to HTTPS client"):
		// net/http turns the tls.RecordHeaderError into this plain error.
		return LinkTLS, "fails TLS: the server does not speak TLS on this port (it answered in plain HTTP)"
	case strings.HasPrefix(inner(err), "tls: "):
		// Local handshake failures (no shared version or cipher) are
		// plain errors from crypto/tls, with no type to test.
		return LinkTLS, "fails the TLS handshake: " + inner(err)
	case out.info.StatusCode >= 200 && out.info.StatusCode <= 299:
		// The server answered: it is alive, but the body did not arrive
		// whole (or could not be decoded).
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return LinkHTTPError, "answers " + statusText(out.info.StatusCode) + " but the body was cut short (the connection closed before the whole body arrived)"
		}
		return LinkHTTPError, "answers " + statusText(out.info.StatusCode) + " but the body cannot be read: " + inner(err)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return LinkUnreachable, "is unreachable: the server closed the connection without answering"
	case errors.As(err, &opErr):
		return LinkUnreachable, "is unreachable: " + inner(err)
	}
	return LinkHTTPError, "the request failed: " + inner(err)
}

// inner returns err's message without feedhttp's "GET <url>: " prefix,
// which the finding already names.
func inner(err error) string {
	if u := errors.Unwrap(err); u != nil {
		return u.Error()
	}
	return err.Error()
}

func certInvalid(e x509.CertificateInvalidError) string {
	if e.Reason == x509.Expired && e.Cert != nil {
		if time.Now().Before(e.Cert.NotBefore) {
			return "the certificate is not valid before " + e.Cert.NotBefore.UTC().Format(time.DateOnly)
		}
		return "the certificate expired on " + e.Cert.NotAfter.UTC().Format(time.DateOnly)
	}
	return "the certificate is invalid: " + e.Error()
}

// parkedReason says why a 2xx answer looks like a parked or for-sale
// domain; "" when it does not.
func (lc *linkChecker) parkedReason(finalURL string, body []byte, html bool) string {
	if u, err := url.Parse(finalURL); err == nil {
		if p := lc.parkingHost(u); p != "" {
			return "the address leads to the parking host " + p
		}
	}
	if !html {
		return ""
	}
	page := bytes.ToLower(body)
	loads, text := scanHTML(page)
	for _, l := range loads {
		u, err := url.Parse(strings.TrimSpace(l.url))
		if err != nil || u.Host == "" || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") {
			continue // a relative URL stays on the page's own host
		}
		if p := lc.parkingHost(u); p != "" {
			if l.what == "meta" {
				return "the page refreshes to the parking host " + p
			}
			return "the page loads " + l.what + " from the parking host " + p
		}
	}
	if text >= parkedText {
		return "" // a real page may discuss parked and for-sale domains
	}
	page = foldSpace(page)
	for _, m := range parkedMarkers {
		if bytes.Contains(page, []byte(m)) {
			return fmt.Sprintf("the page says %q", m)
		}
	}
	return ""
}

// parkingHost returns the entry of the parking list that u's host is on
// (the host itself or a subdomain; host and port for an entry with a
// port), or "".
func (lc *linkChecker) parkingHost(u *url.URL) string {
	host := strings.ToLower(u.Hostname())
	hostPort := strings.ToLower(u.Host)
	for _, p := range lc.parked {
		p = strings.ToLower(strings.TrimSpace(p))
		switch {
		case p == "":
		case strings.Contains(p, ":"):
			if hostPort == p {
				return p
			}
		case host == p || strings.HasSuffix(host, "."+p):
			return p
		}
	}
	return ""
}

// pageLoad is a URL an HTML page loads by itself: the src of a script,
// iframe or frame, or the target of a meta refresh.
type pageLoad struct {
	what string // "a script", "an iframe", "a frame" or "meta" (refresh)
	url  string
}

// scanHTML reads a lower-cased HTML page: the URLs it loads by itself and
// the length of its visible text (outside tags, comments, scripts and
// styles, each run of white space counted as one byte). It is a
// tolerant scanner, not a parser: good enough to tell a parking page's
// loaded scripts and frames from names in its text, and linear in the
// page's length.
func scanHTML(b []byte) (loads []pageLoad, text int) {
	space := true
	for i := 0; i < len(b); {
		c := b[i]
		if c != '<' || i+1 == len(b) {
			if isSpaceByte(c) {
				if !space {
					text++
				}
				space = true
			} else {
				text++
				space = false
			}
			i++
			continue
		}
		next := b[i+1]
		switch {
		case bytes.HasPrefix(b[i:], []byte("<!--")):
			end := bytes.Index(b[i+4:], []byte("-->"))
			if end < 0 {
				return loads, text
			}
			i += 4 + end + 3
		case next == '!' || next == '?' || next == '/':
			end := bytes.IndexByte(b[i:], '>')
			if end < 0 {
				return loads, text
			}
			i += end + 1
		case next >= 'a' && next <= 'z':
			name, attrs, end := scanTag(b, i+1)
			i = end
			switch name {
			case "script", "iframe", "frame":
				if src, ok := attrs["src"]; ok {
					what := map[string]string{"script": "a script", "iframe": "an iframe", "frame": "a frame"}[name]
					loads = append(loads, pageLoad{what: what, url: src})
				}
			case "meta":
				if strings.TrimSpace(attrs["http-equiv"]) == "refresh" {
					if u := refreshURL(attrs["content"]); u != "" {
						loads = append(loads, pageLoad{what: "meta", url: u})
					}
				}
			}
			if name == "script" || name == "style" {
				end := bytes.Index(b[i:], []byte("</"+name))
				if end < 0 {
					return loads, text
				}
				i += end
			}
		default: // a lone '<' is text
			text++
			space = false
			i++
		}
	}
	return loads, text
}

// scanTag reads the tag whose name starts at b[i]: its name, its
// attributes (the first of each name wins, as in browsers) and the index
// after its closing '>' (len(b) when it has none).
func scanTag(b []byte, i int) (name string, attrs map[string]string, end int) {
	start := i
	for i < len(b) && !isSpaceByte(b[i]) && b[i] != '/' && b[i] != '>' {
		i++
	}
	name = string(b[start:i])
	attrs = map[string]string{}
	for i < len(b) {
		for i < len(b) && (isSpaceByte(b[i]) || b[i] == '/') {
			i++
		}
		if i >= len(b) {
			break
		}
		if b[i] == '>' {
			return name, attrs, i + 1
		}
		ks := i
		for i < len(b) && !isSpaceByte(b[i]) && b[i] != '/' && b[i] != '>' && (b[i] != '=' || i == ks) {
			i++
		}
		key := string(b[ks:i])
		for i < len(b) && isSpaceByte(b[i]) {
			i++
		}
		val := ""
		if i < len(b) && b[i] == '=' {
			i++
			for i < len(b) && isSpaceByte(b[i]) {
				i++
			}
			if i < len(b) && (b[i] == '"' || b[i] == '\'') {
				q := b[i]
				vs := i + 1
				ve := bytes.IndexByte(b[vs:], q)
				if ve < 0 {
					return name, attrs, len(b)
				}
				val, i = string(b[vs:vs+ve]), vs+ve+1
			} else {
				vs := i
				for i < len(b) && !isSpaceByte(b[i]) && b[i] != '>' {
					i++
				}
				val = string(b[vs:i])
			}
		}
		if _, seen := attrs[key]; !seen {
			attrs[key] = val
		}
	}
	return name, attrs, len(b)
}

// refreshURL returns the URL of a meta refresh's content ("0; url=x",
// "0;URL='x'", "0, x"); "" when it has none.
func refreshURL(content string) string {
	_, rest, ok := strings.Cut(content, ";")
	if !ok {
		if _, rest, ok = strings.Cut(content, ","); !ok {
			return ""
		}
	}
	rest = strings.TrimSpace(rest)
	if after, ok := strings.CutPrefix(rest, "url"); ok {
		if v, ok := strings.CutPrefix(strings.TrimSpace(after), "="); ok {
			rest = strings.TrimSpace(v)
		}
	}
	return strings.Trim(rest, `"' `)
}

func isSpaceByte(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '\f', '\v':
		return true
	}
	return false
}

// foldSpace replaces each run of white space with one space.
func foldSpace(b []byte) []byte {
	out := b[:0]
	space := false
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n', '\f', '\v':
			if !space {
				out = append(out, ' ')
			}
			space = true
		default:
			out = append(out, c)
			space = false
		}
	}
	return out
}
