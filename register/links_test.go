package register_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/register"
)

// linkNow is the fixed clock of these tests. Its 999 ms lets a Retry-After
// HTTP date one second later ask for a 1 ms wait (dates have whole seconds).
var linkNow = time.Date(2026, 3, 1, 12, 0, 0, 999e6, time.UTC)

// httptestRoots trusts the certificate every httptest TLS server uses.
var httptestRoots = sync.OnceValue(func() *x509.CertPool {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	return pool
})

// trustingTransport returns a transport that trusts the httptest servers.
func trustingTransport() *http.Transport {
	return &http.Transport{TLSClientConfig: &tls.Config{RootCAs: httptestRoots()}}
}

// fastLinks returns options with tiny backoffs, the fixed clock and a
// client that trusts the test servers.
func fastLinks() *register.LinkOptions {
	return &register.LinkOptions{
		HTTPClient: &http.Client{Transport: trustingTransport()},
		Timeout:    2 * time.Second,
		Backoff:    time.Millisecond,
		Now:        func() time.Time { return linkNow },
	}
}

// counted wraps a handler and counts the requests it serves.
type counted struct {
	n atomic.Int64
	h http.HandlerFunc
}

func (c *counted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.n.Add(1)
	c.h(w, r)
}

// serve starts a loopback https:// server for h, closed at the end of the
// test. Feed channels must be https:// (http:// ones are judged insecure
// without a request).
func serve(t *testing.T, h http.HandlerFunc) (*httptest.Server, *counted) {
	t.Helper()
	c := &counted{h: h}
	srv := httptest.NewUnstartedServer(c)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, c
}

// servePlain starts a loopback http:// server for h.
func servePlain(t *testing.T, h http.HandlerFunc) (*httptest.Server, *counted) {
	t.Helper()
	c := &counted{h: h}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	return srv, c
}

func homeGroup(id, url string) register.Group {
	return register.Group{ID: id, Name: id, Kind: register.KindVendor, URL: url}
}

func channelGroup(id, kind, url string) register.Group {
	return register.Group{ID: id, Name: id, Kind: register.KindVendor,
		Channels: []register.Channel{{Kind: kind, URL: url}}}
}

func regOf(groups ...register.Group) *register.Register {
	return &register.Register{Groups: groups}
}

// checkLinks runs CheckLinks and fails the test on an error.
func checkLinks(t *testing.T, r *register.Register, opts *register.LinkOptions) []register.LinkResult {
	t.Helper()
	res, err := register.CheckLinks(context.Background(), r, opts)
	if err != nil {
		t.Fatalf("CheckLinks: %v", err)
	}
	return res
}

// ignoreDuration leaves out the one field that depends on the real clock.
var ignoreDuration = cmpopts.IgnoreFields(register.LinkResult{}, "Duration")

// wantFinding is the finding a result should give; a zero Code means none.
type wantFinding struct {
	code register.Code
	sev  register.Severity
	msg  string
}

func checkFinding(t *testing.T, got register.LinkResult, want wantFinding) {
	t.Helper()
	f, ok := got.Finding()
	if want.code == "" {
		if ok {
			t.Errorf("Finding() = %+v, want none", f)
		}
		return
	}
	if !ok {
		t.Fatalf("Finding() reported none, want %s", want.code)
	}
	wantF := register.Finding{Code: want.code, Severity: want.sev, Group: got.Group, Field: got.Field, Message: want.msg}
	if diff := cmp.Diff(wantF, f); diff != "" {
		t.Errorf("Finding() mismatch (-want +got):\n%s", diff)
	}
}

// TestCheckLinksStatus covers the HTTP statuses on a home page and a feed
// channel, each against its own loopback server.
func TestCheckLinksStatus(t *testing.T) {
	status := func(code int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", code) }
	}
	tests := []struct {
		name     string
		kind     string // channel kind; "" for the home page
		handler  http.HandlerFunc
		status   register.LinkStatus
		code     int
		attempts int
		err      string
		finding  wantFinding
	}{
		{
			name: "ok_home_page_html", handler: func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, "<!DOCTYPE html><html><title>Group</title></html>")
			},
			status: register.LinkOK, code: 200, attempts: 1,
		},
		{
			name: "ok_feed_json", kind: "kev", handler: func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, `{"vulnerabilities":[]}`)
			},
			status: register.LinkOK, code: 200, attempts: 1,
		},
		{
			name: "not_found_404", handler: status(404),
			status: register.LinkNotFound, code: 404, attempts: 1, err: "answers 404 Not Found",
			finding: wantFinding{register.CodeLinkNotFound, register.SeverityError,
				"g home page (url) URL answers 404 Not Found: the page is gone; find the group's current address or retire the entry"},
		},
		{
			name: "gone_410_channel", kind: "rss", handler: status(410),
			status: register.LinkNotFound, code: 410, attempts: 1, err: "answers 410 Gone",
			finding: wantFinding{register.CodeLinkNotFound, register.SeverityError,
				"g rss channel (channels[0].url) URL answers 410 Gone: the feed is gone; find its current address on the group's site or remove the channel"},
		},
		{
			name: "unauthorized_401", handler: status(401),
			status: register.LinkRestricted, code: 401, attempts: 1, err: "answers 401 Unauthorized",
			finding: wantFinding{register.CodeLinkRestricted, register.SeverityInfo,
				"g home page (url) URL answers 401 Unauthorized: members-only portals answer so; check by hand that the organisation's access still works"},
		},
		{
			name: "forbidden_403_channel", kind: "csaf", handler: status(403),
			status: register.LinkRestricted, code: 403, attempts: 1, err: "answers 403 Forbidden",
			finding: wantFinding{register.CodeLinkRestricted, register.SeverityInfo,
				"g csaf channel (channels[0].url) URL answers 403 Forbidden: members-only portals answer so; check by hand that the organisation's access still works"},
		},
		{
			// 418 is not retried: one attempt.
			name: "teapot_418", handler: status(418),
			status: register.LinkHTTPError, code: 418, attempts: 1, err: "answers 418 I'm a teapot",
			finding: wantFinding{register.CodeLinkHTTPError, register.SeverityWarning,
				"g home page (url) URL answers 418 I'm a teapot: check it by hand and again later; if it keeps failing, tell the group or find its current address"},
		},
		{
			// Not asked for (no validators sent), so an error; not a redirect.
			name: "unprompted_304", handler: status(304),
			status: register.LinkHTTPError, code: 304, attempts: 1, err: "answers 304 Not Modified",
			finding: wantFinding{register.CodeLinkHTTPError, register.SeverityWarning,
				"g home page (url) URL answers 304 Not Modified: check it by hand and again later; if it keeps failing, tell the group or find its current address"},
		},
		{
			// 500 is retried once (the default), then reported.
			name: "server_error_500", handler: status(500),
			status: register.LinkHTTPError, code: 500, attempts: 2, err: "answers 500 Internal Server Error (2 attempts)",
			finding: wantFinding{register.CodeLinkHTTPError, register.SeverityWarning,
				"g home page (url) URL answers 500 Internal Server Error (2 attempts): check it by hand and again later; if it keeps failing, tell the group or find its current address"},
		},
		{
			// A Retry-After beyond half the timeout ends the retries at once.
			name: "unavailable_503_retry_after_long", handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "3600")
				http.Error(w, "later", http.StatusServiceUnavailable)
			},
			status: register.LinkHTTPError, code: 503, attempts: 1,
			err: "answers 503 Service Unavailable, asking to retry after 1h0m0s",
			finding: wantFinding{register.CodeLinkHTTPError, register.SeverityWarning,
				"g home page (url) URL answers 503 Service Unavailable, asking to retry after 1h0m0s: check it by hand and again later; if it keeps failing, tell the group or find its current address"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := serve(t, tt.handler)
			u := srv.URL + "/page"
			g, field := homeGroup("g", u), "url"
			if tt.kind != "" {
				g, field = channelGroup("g", tt.kind, u), "channels[0].url"
			}
			got := checkLinks(t, regOf(g), fastLinks())
			want := []register.LinkResult{{
				Group: "g", Field: field, Kind: tt.kind, URL: u, Status: tt.status, StatusCode: tt.code,
				Attempts: tt.attempts, Error: tt.err, CheckedAt: linkNow,
			}}
			if diff := cmp.Diff(want, got, ignoreDuration); diff != "" {
				t.Fatalf("CheckLinks mismatch (-want +got):\n%s", diff)
			}
			if n := c.n.Load(); n != int64(tt.attempts) {
				t.Errorf("server saw %d requests, want %d", n, tt.attempts)
			}
			tt.finding.msg = strings.Replace(tt.finding.msg, "URL", u, 1)
			checkFinding(t, got[0], tt.finding)
		})
	}
}

// TestCheckLinksRetryAfter checks that a 503 with a short Retry-After is
// retried after the wait the server asked for and then succeeds.
func TestCheckLinksRetryAfter(t *testing.T) {
	var times []time.Time
	var mu sync.Mutex
	srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		first := len(times) == 1
		mu.Unlock()
		if first {
			// One second after linkNow's whole second: a 1 ms wait.
			w.Header().Set("Retry-After", linkNow.Truncate(time.Second).Add(time.Second).Format(http.TimeFormat))
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "<html>fine</html>")
	})
	opts := fastLinks()
	opts.Backoff = time.Minute // proves the Retry-After date replaced the backoff
	opts.Timeout = 5 * time.Second
	got := checkLinks(t, regOf(homeGroup("g", srv.URL)), opts)
	want := []register.LinkResult{{Group: "g", Field: "url", URL: srv.URL, Status: register.LinkOK,
		StatusCode: 200, Attempts: 2, CheckedAt: linkNow}}
	if diff := cmp.Diff(want, got, ignoreDuration); diff != "" {
		t.Fatalf("CheckLinks mismatch (-want +got):\n%s", diff)
	}
	if n := c.n.Load(); n != 2 {
		t.Fatalf("server saw %d requests, want 2", n)
	}
	if gap := times[1].Sub(times[0]); gap > time.Second {
		t.Errorf("retry came %v after the first attempt, want about 1 ms", gap)
	}
}

// TestCheckLinksRedirects covers redirect chains, recorded hop by hop.
func TestCheckLinksRedirects(t *testing.T) {
	mux := http.NewServeMux()
	redirect := func(from, to string, code int) {
		mux.HandleFunc(from, func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, code) })
	}
	ok := func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html>here</html>") }
	mux.HandleFunc("/new", ok)
	mux.HandleFunc("/temp-target", ok)
	mux.HandleFunc("/d", ok)
	mux.HandleFunc("/docs/", ok)
	redirect("/moved", "/new", 301)
	redirect("/temp", "/temp-target", http.StatusFound)
	redirect("/a", "/b", 308)
	redirect("/b", "/c", 308)
	redirect("/c", "/d", 308)
	redirect("/loop1", "/loop2", http.StatusFound)
	redirect("/loop2", "/loop1", http.StatusFound)
	redirect("/docs", "/docs/", 301)
	redirect("/to-missing", "/missing", 302)
	redirect("/perm-then-temp", "/temp", 301)
	redirect("/to-flaky", "/flaky", 302)
	var flaky atomic.Int64
	mux.HandleFunc("/flaky", func(w http.ResponseWriter, r *http.Request) {
		if flaky.Add(1) == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		ok(w, r)
	})
	mux.HandleFunc("/endless/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/endless/"), "%d", &n)
		http.Redirect(w, r, fmt.Sprintf("/endless/%d", n+1), http.StatusFound)
	})
	srv, c := serve(t, mux.ServeHTTP)
	s := srv.URL

	endlessHops := make([]register.Redirect, 10)
	chainText := s + "/endless/0"
	for i := range endlessHops {
		endlessHops[i] = register.Redirect{StatusCode: 302, To: fmt.Sprintf("%s/endless/%d", s, i+1)}
		chainText += fmt.Sprintf(" → 302 %s/endless/%d", s, i+1)
	}
	_ = chainText // too long to appear whole; checked by prefix below

	tests := []struct {
		name     string
		path     string
		want     register.LinkResult
		requests int64
		finding  wantFinding
	}{
		{
			name: "permanent_301", path: "/moved", requests: 2,
			want: register.LinkResult{Status: register.LinkMoved, StatusCode: 200, Attempts: 1, FinalURL: s + "/new",
				Redirects: []register.Redirect{{301, s + "/new"}}, Error: "moved permanently (301) to " + s + "/new"},
			finding: wantFinding{register.CodeLinkMoved, register.SeverityInfo,
				"g home page (url) " + s + "/moved moved permanently (301) to " + s + "/new: update the register to the new address"},
		},
		{
			name: "temporary_302", path: "/temp", requests: 2,
			want: register.LinkResult{Status: register.LinkOK, StatusCode: 200, Attempts: 1, FinalURL: s + "/temp-target",
				Redirects: []register.Redirect{{302, s + "/temp-target"}}},
		},
		{
			name: "chain_308_three_hops", path: "/a", requests: 4,
			want: register.LinkResult{Status: register.LinkMoved, StatusCode: 200, Attempts: 1, FinalURL: s + "/d",
				Redirects: []register.Redirect{{308, s + "/b"}, {308, s + "/c"}, {308, s + "/d"}},
				Error:     "moved permanently (308) to " + s + "/d"},
			finding: wantFinding{register.CodeLinkMoved, register.SeverityInfo,
				"g home page (url) " + s + "/a moved permanently (308) to " + s + "/d: update the register to the new address"},
		},
		{
			// The new address is the last permanent hop's target, not
			// where a later temporary redirect happens to point today.
			name: "permanent_then_temporary", path: "/perm-then-temp", requests: 3,
			want: register.LinkResult{Status: register.LinkMoved, StatusCode: 200, Attempts: 1, FinalURL: s + "/temp-target",
				Redirects: []register.Redirect{{301, s + "/temp"}, {302, s + "/temp-target"}},
				Error:     "moved permanently (301) to " + s + "/temp"},
			finding: wantFinding{register.CodeLinkMoved, register.SeverityInfo,
				"g home page (url) " + s + "/perm-then-temp moved permanently (301) to " + s + "/temp: update the register to the new address"},
		},
		{
			// Documented decision: a permanent trailing-slash redirect is a move.
			name: "trailing_slash_301", path: "/docs", requests: 2,
			want: register.LinkResult{Status: register.LinkMoved, StatusCode: 200, Attempts: 1, FinalURL: s + "/docs/",
				Redirects: []register.Redirect{{301, s + "/docs/"}}, Error: "moved permanently (301) to " + s + "/docs/"},
			finding: wantFinding{register.CodeLinkMoved, register.SeverityInfo,
				"g home page (url) " + s + "/docs moved permanently (301) to " + s + "/docs/: update the register to the new address"},
		},
		{
			name: "loop", path: "/loop1", requests: 2, // stopped at the repeat, not retried
			want: register.LinkResult{Status: register.LinkHTTPError, StatusCode: 302, Attempts: 1,
				Redirects: []register.Redirect{{302, s + "/loop2"}, {302, s + "/loop1"}},
				Error:     "redirects in a loop back to " + s + "/loop1 (" + s + "/loop1 → 302 " + s + "/loop2 → 302 " + s + "/loop1)"},
			finding: wantFinding{register.CodeLinkHTTPError, register.SeverityWarning,
				"g home page (url) " + s + "/loop1 redirects in a loop back to " + s + "/loop1 (" + s + "/loop1 → 302 " + s + "/loop2 → 302 " + s + "/loop1): check it by hand and again later; if it keeps failing, tell the group or find its current address"},
		},
		{
			// The retry follows the chain again; the result shows it once.
			name: "retry_after_redirect", path: "/to-flaky", requests: 4,
			want: register.LinkResult{Status: register.LinkOK, StatusCode: 200, Attempts: 2, FinalURL: s + "/flaky",
				Redirects: []register.Redirect{{302, s + "/flaky"}}},
		},
		{
			name: "redirect_to_404", path: "/to-missing", requests: 2,
			want: register.LinkResult{Status: register.LinkNotFound, StatusCode: 404, Attempts: 1, FinalURL: s + "/missing",
				Redirects: []register.Redirect{{302, s + "/missing"}},
				Error:     "redirects to " + s + "/missing, which answers 404 Not Found"},
			finding: wantFinding{register.CodeLinkNotFound, register.SeverityError,
				"g home page (url) " + s + "/to-missing redirects to " + s + "/missing, which answers 404 Not Found: the page is gone; find the group's current address or retire the entry"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := c.n.Load()
			u := s + tt.path
			got := checkLinks(t, regOf(homeGroup("g", u)), fastLinks())
			tt.want.Group, tt.want.Field, tt.want.URL, tt.want.CheckedAt = "g", "url", u, linkNow
			if diff := cmp.Diff([]register.LinkResult{tt.want}, got, ignoreDuration); diff != "" {
				t.Fatalf("CheckLinks mismatch (-want +got):\n%s", diff)
			}
			if n := c.n.Load() - before; n != tt.requests {
				t.Errorf("server saw %d requests, want %d", n, tt.requests)
			}
			checkFinding(t, got[0], tt.finding)
		})
	}

	t.Run("too_many", func(t *testing.T) {
		before := c.n.Load()
		got := checkLinks(t, regOf(homeGroup("g", s+"/endless/0")), fastLinks())
		if len(got) != 1 {
			t.Fatalf("got %d results, want 1", len(got))
		}
		r := got[0]
		if r.Status != register.LinkHTTPError || r.StatusCode != 302 || r.FinalURL != "" || r.Attempts != 1 {
			t.Errorf("got status %s, code %d, final %q, attempts %d; want http_error, 302, no final URL, 1 attempt",
				r.Status, r.StatusCode, r.FinalURL, r.Attempts)
		}
		if diff := cmp.Diff(endlessHops, r.Redirects); diff != "" {
			t.Errorf("Redirects mismatch (-want +got):\n%s", diff)
		}
		if want := "stopped after 10 redirects (" + s + "/endless/0 → 302 " + s + "/endless/1"; !strings.HasPrefix(r.Error, want) {
			t.Errorf("Error = %q, want prefix %q", r.Error, want)
		}
		if n := c.n.Load() - before; n != 10 {
			t.Errorf("server saw %d requests, want 10", n)
		}
		f, _ := r.Finding()
		if f.Code != register.CodeLinkHTTPError || f.Severity != register.SeverityWarning {
			t.Errorf("Finding() = %+v, want link-http-error warning", f)
		}
	})
}

// TestCheckLinksUserCheckRedirect checks that the caller's CheckRedirect
// runs after the checker's, and that its refusal is reported.
func TestCheckLinksUserCheckRedirect(t *testing.T) {
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusFound)
			return
		}
		fmt.Fprint(w, "<html>ok</html>")
	})
	t.Run("kept", func(t *testing.T) {
		var calls atomic.Int64
		opts := fastLinks()
		opts.HTTPClient = &http.Client{Transport: trustingTransport(), CheckRedirect: func(req *http.Request, via []*http.Request) error {
			calls.Add(1)
			return nil
		}}
		got := checkLinks(t, regOf(homeGroup("g", srv.URL+"/old")), opts)
		if got[0].Status != register.LinkOK || len(got[0].Redirects) != 1 {
			t.Errorf("got %+v, want ok with one redirect recorded", got[0])
		}
		if calls.Load() != 1 {
			t.Errorf("user CheckRedirect called %d times, want 1", calls.Load())
		}
		if opts.HTTPClient.CheckRedirect == nil || opts.HTTPClient.Timeout != 0 {
			t.Errorf("the caller's client was changed")
		}
	})
	t.Run("use_last_response", func(t *testing.T) {
		opts := fastLinks()
		opts.HTTPClient = &http.Client{Transport: trustingTransport(), CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		got := checkLinks(t, regOf(homeGroup("g", srv.URL+"/old")), opts)
		want := []register.LinkResult{{Group: "g", Field: "url", URL: srv.URL + "/old", Status: register.LinkHTTPError,
			StatusCode: 302, Attempts: 1, CheckedAt: linkNow,
			Error: "answers 302 Found and the HTTP client's redirect policy did not follow it"}}
		if diff := cmp.Diff(want, got, ignoreDuration); diff != "" {
			t.Fatalf("CheckLinks mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("refused", func(t *testing.T) {
		opts := fastLinks()
		opts.Retries = -1
		opts.HTTPClient = &http.Client{Transport: trustingTransport(), CheckRedirect: func(*http.Request, []*http.Request) error { return errors.New("no redirects here") }}
		got := checkLinks(t, regOf(homeGroup("g", srv.URL+"/old")), opts)
		want := []register.LinkResult{{Group: "g", Field: "url", URL: srv.URL + "/old", Status: register.LinkHTTPError,
			Attempts: 1, CheckedAt: linkNow, Error: "redirect refused by the HTTP client's policy: no redirects here"}}
		if diff := cmp.Diff(want, got, ignoreDuration); diff != "" {
			t.Fatalf("CheckLinks mismatch (-want +got):\n%s", diff)
		}
	})
}

// TestCheckLinksParked covers parked and for-sale domains.
func TestCheckLinksParked(t *testing.T) {
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) }
	}
	tests := []struct {
		name   string
		kind   string
		body   string
		status register.LinkStatus
		err    string
	}{
		{"for_sale_marker", "", "<!doctype html><html><body><h1>This   Domain\n is for SALE!</h1></body></html>",
			register.LinkParked, `is a parked or for-sale domain: the page says "this domain is for sale"`},
		{"parked_free", "", "<html><p>This domain is PARKED FREE, courtesy of a registrar</p></html>",
			register.LinkParked, `is a parked or for-sale domain: the page says "parked free"`},
		{"parking_script", "", `<html><script src="https://www.SedoParking.com/frmpark/x.js"></script></html>`,
			register.LinkParked, "is a parked or for-sale domain: the page loads a script from the parking host sedoparking.com"},
		// A parked domain on a feed channel is parked, not merely not_feed.
		{"parked_feed_channel", "rss", "<html>Buy this domain today</html>",
			register.LinkParked, `is a parked or for-sale domain: the page says "buy this domain"`},
		// Markers count only in HTML pages: a feed may well discuss parking.
		{"feed_mentions_parking", "rss", `<?xml version="1.0"?><rss><channel><item><title>Domain parking abuse; this domain is for sale scams</title></item></channel></rss>`,
			register.LinkOK, ""},
		// Host names match whole: jordan.com is not dan.com.
		{"similar_host_name", "", `<html><a href="https://jordan.com/">jordan.com</a> dan.community</html>`,
			register.LinkOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := serve(t, page(tt.body))
			g, field := homeGroup("g", srv.URL), "url"
			if tt.kind != "" {
				g, field = channelGroup("g", tt.kind, srv.URL), "channels[0].url"
			}
			got := checkLinks(t, regOf(g), fastLinks())
			want := []register.LinkResult{{Group: "g", Field: field, Kind: tt.kind, URL: srv.URL, Status: tt.status,
				StatusCode: 200, Attempts: 1, Error: tt.err, CheckedAt: linkNow}}
			if diff := cmp.Diff(want, got, ignoreDuration); diff != "" {
				t.Fatalf("CheckLinks mismatch (-want +got):\n%s", diff)
			}
			if tt.status == register.LinkParked {
				what := "home page"
				if tt.kind != "" {
					what = tt.kind + " channel"
				}
				checkFinding(t, got[0], wantFinding{register.CodeLinkParked, register.SeverityError,
					fmt.Sprintf("g %s (%s) %s %s: the group is no longer at this address; find its current address or retire the entry", what, field, srv.URL, tt.err)})
			}
		})
	}

	t.Run("redirect_to_parking_host", func(t *testing.T) {
		parking, _ := serve(t, page("<html>Make an offer</html>"))
		old, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, parking.URL+"/lander?domain=old", http.StatusFound)
		})
		opts := fastLinks()
		parkingHost := parking.Listener.Addr().String()
		opts.ParkedHosts = []string{parkingHost}
		got := checkLinks(t, regOf(homeGroup("g", old.URL)), opts)
		want := []register.LinkResult{{Group: "g", Field: "url", URL: old.URL, Status: register.LinkParked,
			StatusCode: 200, Attempts: 1, FinalURL: parking.URL + "/lander?domain=old",
			Redirects: []register.Redirect{{302, parking.URL + "/lander?domain=old"}},
			Error:     "is a parked or for-sale domain: the address leads to the parking host " + parkingHost, CheckedAt: linkNow}}
		if diff := cmp.Diff(want, got, ignoreDuration); diff != "" {
			t.Fatalf("CheckLinks mismatch (-want +got):\n%s", diff)
		}
		// Without the override the same chain is a working temporary redirect.
		opts.ParkedHosts = nil
		if got := checkLinks(t, regOf(homeGroup("g", old.URL)), opts); got[0].Status != register.LinkOK {
			t.Errorf("without ParkedHosts: status %s, want ok", got[0].Status)
		}
	})
}

// TestCheckLinksSameURLOnce checks that a URL used several times is fetched
// once, and that each occurrence is judged for what it is: an HTML page is
// fine as a home page and not_feed as a kev or rss channel, but fine as a
// manual or web channel.
func TestCheckLinksSameURLOnce(t *testing.T) {
	srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "\ufeff <!-- x --><!DOCTYPE html><html><title>Advisories</title></html>")
	})
	u := srv.URL + "/advisories"
	r := regOf(
		register.Group{ID: "a", Name: "A", Kind: register.KindVendor, URL: u,
			Channels: []register.Channel{{Kind: "manual"}, {Kind: "rss", URL: u}}},
		register.Group{ID: "b", Name: "B", Kind: register.KindCERT,
			Channels: []register.Channel{{Kind: "kev", URL: u}, {Kind: "web", URL: u}, {Kind: "Manual", URL: u}}},
	)
	got := checkLinks(t, r, fastLinks())
	res := func(group, field, kind string, st register.LinkStatus, errText string) register.LinkResult {
		return register.LinkResult{Group: group, Field: field, Kind: kind, URL: u, Status: st, StatusCode: 200,
			Attempts: 1, Error: errText, CheckedAt: linkNow}
	}
	const notFeed = "answers with an HTML page, not a feed"
	want := []register.LinkResult{
		res("a", "url", "", register.LinkOK, ""),
		res("a", "channels[1].url", "rss", register.LinkNotFeed, notFeed),
		res("b", "channels[0].url", "kev", register.LinkNotFeed, notFeed),
		res("b", "channels[1].url", "web", register.LinkOK, ""),
		res("b", "channels[2].url", "Manual", register.LinkOK, ""),
	}
	if diff := cmp.Diff(want, got, ignoreDuration); diff != "" {
		t.Fatalf("CheckLinks mismatch (-want +got):\n%s", diff)
	}
	if n := c.n.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
	if got[1].Duration != got[0].Duration {
		t.Errorf("occurrences of one fetch have durations %v and %v", got[0].Duration, got[1].Duration)
	}
	checkFinding(t, got[2], wantFinding{register.CodeLinkNotFeed, register.SeverityWarning,
		"b kev channel (channels[0].url) " + u + " answers with an HTML page, not a feed: the feed moved or the URL is a web page; find the feed's own URL on the group's site"})
}

// TestCheckLinksWithoutRequest covers what is judged from the URL alone.
func TestCheckLinksWithoutRequest(t *testing.T) {
	srv, c := servePlain(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "{}") })
	if !strings.HasPrefix(srv.URL, "http://") {
		t.Fatalf("server URL %q is not http://", srv.URL)
	}
	r := regOf(
		channelGroup("plain", "rss", srv.URL+"/feed.xml"),
		channelGroup("relative", "csaf", "www.example.org/provider-metadata.json"),
		homeGroup("ftp", "ftp://ftp.example.org/pub/"),
		homeGroup("nohost", "https:///path"),
		channelGroup("pass", "osv", "http://user:secret@feeds.example.org/osv.zip"),
	)
	got := checkLinks(t, r, fastLinks())
	const notHTTP = "is not an absolute http(s) URL"
	want := []register.LinkResult{
		{Group: "plain", Field: "channels[0].url", Kind: "rss", URL: srv.URL + "/feed.xml", Status: register.LinkInsecure,
			Error: "is fetched over plain http://", CheckedAt: linkNow},
		{Group: "relative", Field: "channels[0].url", Kind: "csaf", URL: "www.example.org/provider-metadata.json",
			Status: register.LinkHTTPError, Error: notHTTP, CheckedAt: linkNow},
		{Group: "ftp", Field: "url", URL: "ftp://ftp.example.org/pub/", Status: register.LinkHTTPError, Error: notHTTP, CheckedAt: linkNow},
		{Group: "nohost", Field: "url", URL: "https:///path", Status: register.LinkHTTPError, Error: notHTTP, CheckedAt: linkNow},
		{Group: "pass", Field: "channels[0].url", Kind: "osv", URL: "http://user:xxxxx@feeds.example.org/osv.zip",
			Status: register.LinkInsecure, Error: "is fetched over plain http://", CheckedAt: linkNow},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("CheckLinks mismatch (-want +got):\n%s", diff)
	}
	if n := c.n.Load(); n != 0 {
		t.Errorf("server saw %d requests, want none", n)
	}
	checkFinding(t, got[0], wantFinding{register.CodeLinkInsecure, register.SeverityWarning,
		"plain rss channel (channels[0].url) " + srv.URL + "/feed.xml is fetched over plain http://: anyone on the path can change what arrives; use the https:// address"})
	checkFinding(t, got[1], wantFinding{register.CodeLinkHTTPError, register.SeverityWarning,
		"relative csaf channel (channels[0].url) www.example.org/provider-metadata.json is not an absolute http(s) URL: write the full address, starting with https://"})
	if f, _ := got[4].Finding(); strings.Contains(f.Message, "secret") {
		t.Errorf("finding shows the password: %s", f.Message)
	}
}

// TestCheckLinksNetwork covers failures below HTTP: a closed port, a server
// that does not answer in time, the private-address guard. (A name that
// does not resolve: TestCheckLinksDNSNotFound.)
func TestCheckLinksNetwork(t *testing.T) {
	t.Run("closed_port", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		u := "http://" + l.Addr().String() + "/"
		l.Close()
		got := checkLinks(t, regOf(homeGroup("g", u)), fastLinks())
		want := []register.LinkResult{{Group: "g", Field: "url", URL: u, Status: register.LinkUnreachable,
			Attempts: 2, Error: "is unreachable: connection refused", CheckedAt: linkNow}}
		if diff := cmp.Diff(want, got, ignoreDuration); diff != "" {
			t.Fatalf("CheckLinks mismatch (-want +got):\n%s", diff)
		}
		checkFinding(t, got[0], wantFinding{register.CodeLinkUnreachable, register.SeverityError,
			"g home page (url) " + u + " is unreachable: connection refused: check the address; if the site is gone, find the group's current address or retire the entry"})
	})

	t.Run("timeout", func(t *testing.T) {
		release := make(chan struct{})
		srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		})
		defer close(release)
		opts := fastLinks()
		opts.Timeout = 200 * time.Millisecond
		start := time.Now()
		got := checkLinks(t, regOf(homeGroup("g", srv.URL)), opts)
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("CheckLinks took %v with a 200ms timeout", took)
		}
		want := []register.LinkResult{{Group: "g", Field: "url", URL: srv.URL, Status: register.LinkTimeout,
			Attempts: 1, Error: "did not answer within 200ms", CheckedAt: linkNow}}
		if diff := cmp.Diff(want, got, ignoreDuration); diff != "" {
			t.Fatalf("CheckLinks mismatch (-want +got):\n%s", diff)
		}
		if got[0].Duration < 200*time.Millisecond {
			t.Errorf("Duration = %v, want at least the timeout", got[0].Duration)
		}
		if n := c.n.Load(); n != 1 {
			t.Errorf("server saw %d requests, want 1 (no retry once the time is up)", n)
		}
		checkFinding(t, got[0], wantFinding{register.CodeLinkTimeout, register.SeverityWarning,
			"g home page (url) " + srv.URL + " did not answer within 200ms: check again later; if it keeps failing, find the group's current address"})
	})

	t.Run("blocked", func(t *testing.T) {
		srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html></html>") })
		opts := fastLinks()
		opts.BlockPrivate = true
		got := checkLinks(t, regOf(homeGroup("g", srv.URL)), opts)
		want := []register.LinkResult{{Group: "g", Field: "url", URL: srv.URL, Status: register.LinkUnreachable,
			Attempts: 0, CheckedAt: linkNow,
			Error: "is blocked by the private-address guard: feedhttp: destination address not allowed: 127.0.0.1"}}
		if diff := cmp.Diff(want, got, ignoreDuration); diff != "" {
			t.Fatalf("CheckLinks mismatch (-want +got):\n%s", diff)
		}
		if n := c.n.Load(); n != 0 {
			t.Errorf("server saw %d requests, want none", n)
		}
		opts.Allow = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
		if got := checkLinks(t, regOf(homeGroup("g", srv.URL)), opts); got[0].Status != register.LinkOK {
			t.Errorf("with Allow 127.0.0.0/8: status %s (%s), want ok", got[0].Status, got[0].Error)
		}
	})
}

// quietTLS starts a TLS server that does not log handshake errors.
func quietTLS(t *testing.T, cert *tls.Certificate) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html>secure</html>")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if cert != nil {
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{*cert}}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// expiredCert makes a self-signed certificate for 127.0.0.1 that expired
// on 2020-01-02, and a pool that trusts it.
func expiredCert(t *testing.T) (*tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "expired test"},
		NotBefore:             time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

type tlsCase struct {
	name   string
	url    func() string
	client *http.Client
	status register.LinkStatus
	err    string
	// retried: the failure is not recognised as TLS until after the
	// exchange, so feedhttp retries it as a network error.
	retried bool
}

// TestCheckLinksTLS covers certificate and handshake failures. Each is
// final: no retry.
func TestCheckLinksTLS(t *testing.T) {
	trusting := func(pool *x509.CertPool) *http.Client {
		return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	}
	var tests []tlsCase
	untrusted := quietTLS(t, nil)
	tests = append(tests, tlsCase{"unknown_authority", func() string { return untrusted.URL }, &http.Client{Transport: &http.Transport{}},
		register.LinkTLS, "fails TLS: the certificate is signed by an unknown authority (self-signed, or a missing intermediate certificate)", false})

	// httptest's certificate is for example.com, 127.0.0.1 and ::1: trusted,
	// but not for the name localhost.
	pool := x509.NewCertPool()
	pool.AddCert(untrusted.Certificate())
	tests = append(tests, tlsCase{"wrong_host", func() string { return strings.Replace(untrusted.URL, "127.0.0.1", "localhost", 1) }, trusting(pool),
		register.LinkTLS, "fails TLS: x509: certificate is valid for " + strings.Join(untrusted.Certificate().DNSNames, ", ") + ", not localhost", false})

	cert, expiredPool := expiredCert(t)
	expired := quietTLS(t, cert)
	tests = append(tests, tlsCase{"expired", func() string { return expired.URL }, trusting(expiredPool),
		register.LinkTLS, "fails TLS: the certificate expired on 2020-01-02", false})

	plain, _ := servePlain(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "plain") })
	tests = append(tests, tlsCase{"not_tls", func() string { return strings.Replace(plain.URL, "http://", "https://", 1) }, &http.Client{},
		register.LinkTLS, "fails TLS: the server does not speak TLS on this port (it answered in plain HTTP)", true})

	// The same servers with a client that trusts them work.
	tests = append(tests, tlsCase{"trusted", func() string { return untrusted.URL }, untrusted.Client(), register.LinkOK, "", false})

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := tt.url()
			opts := fastLinks()
			opts.HTTPClient = tt.client
			got := checkLinks(t, regOf(homeGroup("g", u)), opts)
			want := []register.LinkResult{{Group: "g", Field: "url", URL: u, Status: tt.status, Attempts: 1,
				Error: tt.err, CheckedAt: linkNow}}
			if tt.status == register.LinkOK {
				want[0].StatusCode = 200
			}
			if tt.retried {
				want[0].Attempts = 2
			}
			if diff := cmp.Diff(want, got, ignoreDuration); diff != "" {
				t.Fatalf("CheckLinks mismatch (-want +got):\n%s", diff)
			}
			if tt.status == register.LinkTLS {
				checkFinding(t, got[0], wantFinding{register.CodeLinkTLS, register.SeverityError,
					"g home page (url) " + u + " " + tt.err + ": the site's certificate cannot be trusted, so neither can what it serves; tell the group, or find its current address"})
			}
		})
	}
}

// TestCheckLinksLargeBody checks that a body over the cap means alive.
func TestCheckLinksLargeBody(t *testing.T) {
	big := strings.Repeat("x", register.LinkMaxBytes+1)
	for _, declared := range []bool{true, false} {
		t.Run(fmt.Sprintf("content_length_%v", declared), func(t *testing.T) {
			srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if !declared {
					w.Header().Set("Content-Type", "application/json")
					w.(http.Flusher).Flush() // chunked: no Content-Length
				}
				io.WriteString(w, big)
			})
			got := checkLinks(t, regOf(channelGroup("g", "kev", srv.URL)), fastLinks())
			want := []register.LinkResult{{Group: "g", Field: "channels[0].url", Kind: "kev", URL: srv.URL,
				Status: register.LinkOK, StatusCode: 200, Attempts: 1, CheckedAt: linkNow}}
			if diff := cmp.Diff(want, got, ignoreDuration); diff != "" {
				t.Fatalf("CheckLinks mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCheckLinksHostile checks that a hostile server's text is clipped.
func TestCheckLinksHostile(t *testing.T) {
	long := "/" + strings.Repeat("a", 5000)
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			http.Redirect(w, r, long, http.StatusFound)
			return
		}
		http.NotFound(w, r)
	})
	got := checkLinks(t, regOf(homeGroup("g", srv.URL+"/")), fastLinks())
	r := got[0]
	if r.Status != register.LinkNotFound {
		t.Fatalf("status %s, want not_found", r.Status)
	}
	if len(r.Error) > 310 || !strings.HasSuffix(r.Error, "…") {
		t.Errorf("Error is %d bytes, want it clipped to about 300: %q", len(r.Error), r.Error)
	}
	if len(r.Redirects) != 1 || len(r.Redirects[0].To) > 2060 || len(r.FinalURL) > 2060 {
		t.Errorf("redirect target kept at %d bytes, want it clipped to about 2 KiB", len(r.Redirects[0].To))
	}
	if f, _ := r.Finding(); len(f.Message) > 800 {
		t.Errorf("finding message is %d bytes", len(f.Message))
	}
}

// TestCheckLinksCancel checks that a cancelled context ends the run with an
// error and the results that were finished.
func TestCheckLinksCancel(t *testing.T) {
	fast, _ := serve(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html></html>") })
	started := make(chan struct{})
	var once sync.Once
	slow, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(started) })
		<-r.Context().Done()
	})
	unused, unusedCount := serve(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html></html>") })
	r := regOf(
		homeGroup("fast", fast.URL),
		homeGroup("slow", slow.URL),
		channelGroup("plain", "rss", "http://feeds.example.org/rss"),
		homeGroup("later", unused.URL),
	)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		cancel()
	}()
	opts := fastLinks()
	opts.Concurrency = 1 // fast, then slow, then (not) later
	opts.Timeout = 10 * time.Second
	got, err := register.CheckLinks(ctx, r, opts)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("CheckLinks error = %v, want context.Canceled", err)
	}
	var gotGroups []string
	for _, res := range got {
		gotGroups = append(gotGroups, res.Group+":"+string(res.Status))
	}
	if diff := cmp.Diff([]string{"fast:ok", "plain:insecure"}, gotGroups); diff != "" {
		t.Errorf("finished results mismatch (-want +got):\n%s", diff)
	}
	if n := unusedCount.n.Load(); n != 0 {
		t.Errorf("a check started after the cancellation (%d requests)", n)
	}

	t.Run("already_cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		got, err := register.CheckLinks(ctx, r, fastLinks())
		if !errors.Is(err, context.Canceled) || len(got) != 1 || got[0].Group != "plain" {
			t.Errorf("got %v, %+v; want context.Canceled and only the result judged without a request", err, got)
		}
	})
}

// TestCheckLinksConcurrency checks the limit on URLs checked at once.
func TestCheckLinksConcurrency(t *testing.T) {
	var inFlight, peak atomic.Int64
	srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		inFlight.Add(-1)
		fmt.Fprint(w, "<html></html>")
	})
	var groups []register.Group
	for i := range 12 {
		groups = append(groups, homeGroup(fmt.Sprintf("g%02d", i), fmt.Sprintf("%s/%d", srv.URL, i)))
	}
	opts := fastLinks()
	opts.Concurrency = 3
	got := checkLinks(t, regOf(groups...), opts)
	for i, r := range got {
		if r.Group != groups[i].ID || r.Status != register.LinkOK {
			t.Errorf("result %d: %s %s, want %s ok (register order)", i, r.Group, r.Status, groups[i].ID)
		}
	}
	if c.n.Load() != 12 {
		t.Errorf("server saw %d requests, want 12", c.n.Load())
	}
	if p := peak.Load(); p > 3 || p < 2 {
		t.Errorf("peak concurrency %d, want 2 or 3 with Concurrency 3", p)
	}
}

// TestCheckLinksRequest checks what reaches the server and the caller's
// fetch observer.
func TestCheckLinksRequest(t *testing.T) {
	var ua, method string
	srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) {
		ua, method = r.UserAgent(), r.Method
		fmt.Fprint(w, "<html></html>")
	})
	var seen []feeds.FetchInfo
	ctx := feeds.WithFetchObserver(context.Background(), func(fi feeds.FetchInfo) { seen = append(seen, fi) })
	opts := fastLinks()
	opts.UserAgent = "sigwatch-test/1"
	if _, err := register.CheckLinks(ctx, regOf(homeGroup("g", srv.URL)), opts); err != nil {
		t.Fatal(err)
	}
	if ua != "sigwatch-test/1" || method != http.MethodGet {
		t.Errorf("server saw %s with User-Agent %q, want GET with sigwatch-test/1", method, ua)
	}
	if len(seen) != 1 || seen[0].URL != srv.URL || seen[0].StatusCode != 200 {
		t.Errorf("caller's observer saw %+v, want one fetch of %s with status 200", seen, srv.URL)
	}
}

// TestCheckLinksDefaults checks that nil options and an empty register work.
func TestCheckLinksDefaults(t *testing.T) {
	got, err := register.CheckLinks(context.Background(), &register.Register{}, nil)
	if err != nil || len(got) != 0 {
		t.Fatalf("empty register: %v, %v", got, err)
	}
	srv, _ := servePlain(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html></html>") })
	got, err = register.CheckLinks(context.Background(), regOf(homeGroup("g", srv.URL)), nil)
	if err != nil || len(got) != 1 || got[0].Status != register.LinkOK {
		t.Fatalf("nil options: %+v, %v", got, err)
	}
	if d := time.Since(got[0].CheckedAt); got[0].CheckedAt.Location() != time.UTC || d < 0 || d > time.Minute {
		t.Errorf("CheckedAt = %v, want about now in UTC", got[0].CheckedAt)
	}
	if _, ok := got[0].Finding(); ok {
		t.Errorf("an ok link gives a finding")
	}
}

// FuzzCheckLinksResponse feeds hostile answers (status, Location,
// Content-Type, body) to the checker, on a home page and a feed channel.
// The result must be well formed: a known status, clipped text, a finding
// exactly when the status is not ok.
func FuzzCheckLinksResponse(f *testing.F) {
	f.Add(200, "", "text/html", []byte("<html>This domain is for sale</html>"))
	f.Add(301, "/x", "", []byte(""))
	f.Add(302, "https://sedoparking.com/", "", []byte(""))
	f.Add(404, "", "text/plain", []byte("gone"))
	f.Add(503, "", "", []byte("\x00\xff"))
	f.Add(200, "", "application/json", []byte(`{"a":1}`))
	f.Add(308, "//\u00e9.invalid/%zz", "", []byte(""))
	f.Add(200, "", "text/html", []byte(`<html><frame src=//dan.com/x><meta http-equiv=refresh content="0;url='https://bodis.com`))
	f.Add(200, "", "text/html", []byte(`<html><script src="https://sedoparking.com/a.js"></script><iframe src='`))

	type answer struct {
		status        int
		location, typ string
		body          []byte
	}
	var current atomic.Pointer[answer]
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := current.Load()
		if a.location != "" {
			w.Header().Set("Location", a.location)
		}
		if a.typ != "" {
			w.Header().Set("Content-Type", a.typ)
		}
		w.WriteHeader(a.status)
		w.Write(a.body)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	valid := map[register.LinkStatus]bool{}
	for _, s := range []register.LinkStatus{register.LinkOK, register.LinkMoved, register.LinkNotFound,
		register.LinkHTTPError, register.LinkRestricted, register.LinkUnreachable, register.LinkTLS,
		register.LinkTimeout, register.LinkParked, register.LinkNotFeed, register.LinkInsecure} {
		valid[s] = true
	}
	// Redirects may point anywhere: dial only the test server, never the
	// internet.
	tr := trustingTransport()
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr != srv.Listener.Addr().String() {
			return nil, fmt.Errorf("test: dial %s refused", addr)
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	opts := fastLinks()
	opts.HTTPClient = &http.Client{Transport: tr}
	opts.Retries = -1
	opts.Timeout = time.Second
	r := regOf(register.Group{ID: "g", Name: "g", Kind: register.KindVendor, URL: srv.URL + "/home",
		Channels: []register.Channel{{Kind: "rss", URL: srv.URL + "/feed"}}})

	f.Fuzz(func(t *testing.T, status int, location, typ string, body []byte) {
		if status < 200 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		strip := func(s string) string {
			return strings.Map(func(r rune) rune {
				if r < 0x20 || r == 0x7f {
					return -1
				}
				return r
			}, s)
		}
		current.Store(&answer{status: status, location: strip(location), typ: strip(typ), body: body})
		got, err := register.CheckLinks(context.Background(), r, opts)
		if err != nil {
			t.Fatalf("CheckLinks: %v", err)
		}
		if len(got) != 2 {
			t.Fatalf("got %d results, want 2", len(got))
		}
		for _, res := range got {
			if !valid[res.Status] {
				t.Errorf("unknown status %q", res.Status)
			}
			if len(res.Error) > 310 || len(res.Redirects) > 10 || len(res.FinalURL) > 2060 {
				t.Errorf("unclipped result: error %d bytes, %d redirects, final URL %d bytes",
					len(res.Error), len(res.Redirects), len(res.FinalURL))
			}
			f, ok := res.Finding()
			if ok != (res.Status != register.LinkOK) || (ok && (f.Code == "" || f.Severity == "" || f.Group != "g")) {
				t.Errorf("Finding() = %+v, %v for status %s", f, ok, res.Status)
			}
			if (res.Status == register.LinkOK) != (res.Error == "") {
				t.Errorf("status %s with error %q", res.Status, res.Error)
			}
		}
	})
}

// securityHomePage is a long home page of a real security site that talks
// about parking and domain sales in its text and links to sale sites: it
// is not parked. Its visible text is well over 2 KiB.
func securityHomePage(extra string) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="en"><head><title>Example Threat Research</title>
<script src="https://cdn.example.net/app.js"></script><style>p{margin:0}</style></head><body>
<nav><a href="/">Home</a> <a href="/blog/">Blog</a> <a href="/advisories/">Advisories</a></nav>
<h1>Example Threat Research</h1>
<p>Typosquatting campaigns abuse domain parking networks to reach victims who mistype a brand.</p>
<p>Many of the lookalike domains we track were bought via <a href="https://dan.com/">dan.com</a> and bodis.com; this domain is for sale pages are a common first stage.</p>
`)
	for i := range 24 {
		fmt.Fprintf(&b, "<p>Report %d: we follow phishing kits, malicious advertising and supply-chain attacks, and publish indicators for defenders every week.</p>\n", i)
	}
	b.WriteString(extra)
	b.WriteString("</body></html>")
	return b.String()
}

// TestCheckLinksParkedEvidence checks which evidence marks a page parked:
// a parking host counts in the final URL and in what the page loads
// (script, iframe or frame src, meta refresh), never in its text; the
// marker phrases count on short pages only.
func TestCheckLinksParkedEvidence(t *testing.T) {
	// About 3.4 KB of visible text (counted with a python3 regexp that
	// strips tags and folds white space), in under 64 KiB of HTML.
	if n := len(securityHomePage("")); n > 64<<10 || n < 3<<10 {
		t.Fatalf("test page is %d bytes", n)
	}
	tests := []struct {
		name string
		body string
		err  string // "" means ok
	}{
		// The false positives of the old check: now ok.
		{"security_site_text", securityHomePage(""), ""},
		{"security_site_links_to_sale_hosts", securityHomePage(`<a href="https://www.sedoparking.com/">Sedo</a><img src="https://afternic.com/logo.png">`), ""},
		{"short_page_names_hosts_in_text", "<html><p>Domains bought via dan.com and bodis.com are resold.</p></html>", ""},
		{"host_in_script_text", `<html><script>var ref = "https://bodis.com/x";</script><p>hi</p></html>`, ""},
		{"host_in_comment", `<html><!-- <script src="https://bodis.com/x.js"></script> --><p>hi</p></html>`, ""},
		// Real parked pages: still parked, whatever the length.
		{"script_src_long_page", securityHomePage(`<script type="text/javascript" src='//www.SedoParking.com/frmpark/x.js'></script>`),
			"is a parked or for-sale domain: the page loads a script from the parking host sedoparking.com"},
		{"iframe_src", `<html><body><iframe width=100% src="https://dan.com/buy-domain/example.org?redirected=true"></iframe></body></html>`,
			"is a parked or for-sale domain: the page loads an iframe from the parking host dan.com"},
		{"frameset_unquoted", `<html><frameset rows="100%"><frame src=http://ww1.parkingcrew.net/?d=example.org></frameset></html>`,
			"is a parked or for-sale domain: the page loads a frame from the parking host parkingcrew.net"},
		{"meta_refresh", `<html><head><meta http-equiv="Refresh" content="0; URL='https://www.hugedomains.com/domain_profile.cfm?d=example'"></head></html>`,
			"is a parked or for-sale domain: the page refreshes to the parking host hugedomains.com"},
		// A short page whose text is rendered by script: the phrase counts.
		{"short_page_marker_in_script", `<html><head><title>example.org</title><script>document.write("This domain may be for sale")</script></head><body><div id="r"></div></body></html>`,
			`is a parked or for-sale domain: the page says "this domain may be for sale"`},
		// A long page with a phrase and nothing else: an article, not parked.
		{"long_page_marker_only", securityHomePage("<p>Buy this domain, they said.</p>"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := serve(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, tt.body) })
			got := checkLinks(t, regOf(homeGroup("g", srv.URL)), fastLinks())
			want := []register.LinkResult{{Group: "g", Field: "url", URL: srv.URL, Status: register.LinkOK,
				StatusCode: 200, Attempts: 1, CheckedAt: linkNow}}
			if tt.err != "" {
				want[0].Status, want[0].Error = register.LinkParked, tt.err
			}
			if diff := cmp.Diff(want, got, ignoreDuration); diff != "" {
				t.Fatalf("CheckLinks mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCheckLinksDNSNotFound injects a DNS failure through the transport:
// no resolver is asked, so the test neither touches the network nor skips.
func TestCheckLinksDNSNotFound(t *testing.T) {
	const u = "https://feeds.example.org/feed.json"
	var dials atomic.Int64
	tr := trustingTransport()
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		host, _, _ := net.SplitHostPort(addr)
		return nil, &net.OpError{Op: "dial", Net: network,
			Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
	}
	opts := fastLinks()
	opts.HTTPClient = &http.Client{Transport: tr}
	got := checkLinks(t, regOf(channelGroup("g", "kev", u)), opts)
	want := []register.LinkResult{{Group: "g", Field: "channels[0].url", Kind: "kev", URL: u,
		Status: register.LinkUnreachable, Attempts: 2, CheckedAt: linkNow,
		Error: "is unreachable: host feeds.example.org not found in DNS"}}
	if diff := cmp.Diff(want, got, ignoreDuration); diff != "" {
		t.Fatalf("CheckLinks mismatch (-want +got):\n%s", diff)
	}
	if n := dials.Load(); n != 2 {
		t.Errorf("transport dialled %d times, want 2 (one retry)", n)
	}
	checkFinding(t, got[0], wantFinding{register.CodeLinkUnreachable, register.SeverityError,
		"g kev channel (channels[0].url) " + u + " is unreachable: host feeds.example.org not found in DNS: check the address; if the feed is gone, find its current address or remove the channel"})
}

// TestCheckLinksTruncatedBody checks that a 2xx answer whose body is cut
// short is an http_error (a warning: the site is alive), not unreachable.
func TestCheckLinksTruncatedBody(t *testing.T) {
	srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		io.WriteString(w, "<html")
	})
	got := checkLinks(t, regOf(homeGroup("g", srv.URL)), fastLinks())
	const errText = "answers 200 OK but the body was cut short (the connection closed before the whole body arrived)"
	want := []register.LinkResult{{Group: "g", Field: "url", URL: srv.URL, Status: register.LinkHTTPError,
		StatusCode: 200, Attempts: 1, CheckedAt: linkNow, Error: errText}}
	if diff := cmp.Diff(want, got, ignoreDuration); diff != "" {
		t.Fatalf("CheckLinks mismatch (-want +got):\n%s", diff)
	}
	if n := c.n.Load(); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
	checkFinding(t, got[0], wantFinding{register.CodeLinkHTTPError, register.SeverityWarning,
		"g home page (url) " + srv.URL + " " + errText + ": check it by hand and again later; if it keeps failing, tell the group or find its current address"})
}

// TestCheckLinksRedirectBackWithJar checks that with a cookie jar a chain
// A →301 B →302 A that ends at A is ok: the register's URL works.
func TestCheckLinksRedirectBackWithJar(t *testing.T) {
	srv, c := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/a" && r.Header.Get("Cookie") == "":
			http.SetCookie(w, &http.Cookie{Name: "consent", Value: "1", Path: "/"})
			http.Redirect(w, r, "/b", http.StatusMovedPermanently)
		case r.URL.Path == "/b":
			http.Redirect(w, r, "/a", http.StatusFound)
		default:
			io.WriteString(w, "<html>home</html>")
		}
	})
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	opts := fastLinks()
	opts.HTTPClient = &http.Client{Transport: trustingTransport(), Jar: jar}
	u := srv.URL + "/a"
	got := checkLinks(t, regOf(homeGroup("g", u)), opts)
	want := []register.LinkResult{{Group: "g", Field: "url", URL: u, Status: register.LinkOK, StatusCode: 200,
		Attempts: 1, FinalURL: u, Redirects: []register.Redirect{{301, srv.URL + "/b"}, {302, u}}, CheckedAt: linkNow}}
	if diff := cmp.Diff(want, got, ignoreDuration); diff != "" {
		t.Fatalf("CheckLinks mismatch (-want +got):\n%s", diff)
	}
	if n := c.n.Load(); n != 3 {
		t.Errorf("server saw %d requests, want 3", n)
	}
	checkFinding(t, got[0], wantFinding{})
}

// TestCheckLinksMailto checks that a mailing list's mailto: address is
// skipped without a request and without a finding.
func TestCheckLinksMailto(t *testing.T) {
	r := regOf(
		homeGroup("list", "mailto:oss-security@lists.openwall.com"),
		channelGroup("ml", "mailing-list", "MAILTO:announce@example.org?subject=subscribe"),
	)
	got := checkLinks(t, r, fastLinks())
	want := []register.LinkResult{
		{Group: "list", Field: "url", URL: "mailto:oss-security@lists.openwall.com", Status: register.LinkOK,
			Error: "not checked: mailto", CheckedAt: linkNow},
		{Group: "ml", Field: "channels[0].url", Kind: "mailing-list", URL: "MAILTO:announce@example.org?subject=subscribe",
			Status: register.LinkOK, Error: "not checked: mailto", CheckedAt: linkNow},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("CheckLinks mismatch (-want +got):\n%s", diff)
	}
	for _, res := range got {
		checkFinding(t, res, wantFinding{})
	}
}

// TestCheckLinksNilRegister checks that a nil register gives no results.
func TestCheckLinksNilRegister(t *testing.T) {
	got, err := register.CheckLinks(context.Background(), nil, nil)
	if err != nil || got != nil {
		t.Fatalf("CheckLinks(nil) = %v, %v; want nil, nil", got, err)
	}
}
