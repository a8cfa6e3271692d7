package feedhttp

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
)

// newTestClient returns a client for srv whose waits are recorded instead
// of slept, so retry tests take no wall time.
func newTestClient(srv *httptest.Server, o *Options) (*Client, *[]time.Duration) {
	if o == nil {
		o = &Options{}
	}
	if o.HTTPClient == nil && srv != nil {
		o.HTTPClient = srv.Client()
	}
	c := New(o)
	var waits []time.Duration
	var mu sync.Mutex
	c.sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
		return ctx.Err()
	}
	return c, &waits
}

func TestGetOK(t *testing.T) {
	var gotUA, gotAccept, gotAE, gotExtra string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotAccept, gotAE, gotExtra = r.UserAgent(), r.Header.Get("Accept"), r.Header.Get("Accept-Encoding"), r.Header.Get("X-Tenant")
		fmt.Fprint(w, `{"ok":true}`)
	}))
	defer srv.Close()
	c, _ := newTestClient(srv, nil)

	var observed []feeds.FetchInfo
	ctx := feeds.WithFetchObserver(context.Background(), func(fi feeds.FetchInfo) { observed = append(observed, fi) })
	resp, err := c.Get(ctx, srv.URL+"/feed.json", &Request{Accept: "application/json", Header: http.Header{"X-Tenant": {"acme"}}})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != `{"ok":true}` || resp.StatusCode != 200 || resp.URL != srv.URL+"/feed.json" {
		t.Errorf("response = %+v", resp)
	}
	if gotUA != DefaultUserAgent || gotAccept != "application/json" || gotAE != "gzip" || gotExtra != "acme" {
		t.Errorf("request headers: UA %q, Accept %q, Accept-Encoding %q, X-Tenant %q", gotUA, gotAccept, gotAE, gotExtra)
	}
	if len(observed) != 1 {
		t.Fatalf("observer called %d times, want 1", len(observed))
	}
	fi := observed[0]
	if fi.URL != srv.URL+"/feed.json" || fi.StatusCode != 200 || fi.Bytes != 11 || fi.WireBytes != 11 || fi.Attempts != 1 || fi.Error != "" || fi.At.IsZero() {
		t.Errorf("FetchInfo = %+v", fi)
	}
	if resp.Info != fi {
		t.Errorf("Response.Info = %+v, observer got %+v", resp.Info, fi)
	}
}

func TestConditionalGet(t *testing.T) {
	const etag, lastMod = `"abc"`, "Mon, 25 Aug 2025 17:04:19 GMT"
	var hits atomic.Int32
	var gotINM, gotIMS []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		mu.Lock()
		gotINM = append(gotINM, r.Header.Get("If-None-Match"))
		gotIMS = append(gotIMS, r.Header.Get("If-Modified-Since"))
		mu.Unlock()
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		fmt.Fprint(w, "body")
	}))
	defer srv.Close()
	c, _ := newTestClient(srv, nil)
	ctx := context.Background()
	u := srv.URL + "/kev.json"

	if _, err := c.Get(ctx, u, nil); err != nil {
		t.Fatal(err)
	}
	if got := c.Validators(u); got != (Validators{ETag: etag, LastModified: lastMod}) {
		t.Errorf("stored validators = %+v", got)
	}
	var fi feeds.FetchInfo
	_, err := c.Get(feeds.WithFetchObserver(ctx, func(i feeds.FetchInfo) { fi = i }), u, nil)
	if !errors.Is(err, feeds.ErrNotModified) {
		t.Fatalf("second Get: err = %v, want ErrNotModified", err)
	}
	if !fi.NotModified || fi.StatusCode != 304 || fi.Attempts != 1 {
		t.Errorf("FetchInfo for 304 = %+v", fi)
	}
	// 304 is not retried and keeps the validators.
	if c.Validators(u).ETag != etag {
		t.Error("validators lost after 304")
	}
	if _, err := c.Get(ctx, u, &Request{Unconditional: true}); err != nil {
		t.Errorf("unconditional Get: %v", err)
	}
	c.Forget(u)
	if _, err := c.Get(ctx, u, nil); err != nil {
		t.Errorf("Get after Forget: %v", err)
	}
	wantINM := []string{"", etag, "", ""}
	wantIMS := []string{"", lastMod, "", ""}
	if fmt.Sprint(gotINM) != fmt.Sprint(wantINM) || fmt.Sprint(gotIMS) != fmt.Sprint(wantIMS) {
		t.Errorf("If-None-Match sent %q, want %q; If-Modified-Since sent %q, want %q", gotINM, wantINM, gotIMS, wantIMS)
	}

	// NoConditional never sends validators.
	nc, _ := newTestClient(srv, &Options{NoConditional: true})
	for range 2 {
		if _, err := nc.Get(ctx, u, nil); err != nil {
			t.Errorf("NoConditional Get: %v", err)
		}
	}
}

func TestUnsolicited304IsAnError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotModified)
	}))
	defer srv.Close()
	c, _ := newTestClient(srv, nil)
	_, err := c.Get(context.Background(), srv.URL, nil)
	var he *feeds.HTTPError
	if !errors.As(err, &he) || he.StatusCode != 304 || errors.Is(err, feeds.ErrNotModified) {
		t.Fatalf("err = %v, want HTTPError 304 (nothing was cached to reuse)", err)
	}
}

// sequence serves the given statuses in order, then 200 "ok".
func sequence(t *testing.T, steps ...func(w http.ResponseWriter)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i < len(steps) {
			steps[i](w)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func status(code int, retryAfter string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		http.Error(w, http.StatusText(code), code)
	}
}

func TestRetries(t *testing.T) {
	now := time.Date(2025, 8, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name         string
		steps        []func(http.ResponseWriter)
		opts         Options
		wantErr      int // HTTP status of the final error; 0 = success
		wantAttempts int
		check        func(t *testing.T, waits []time.Duration)
	}{
		{
			name:         "429 with Retry-After seconds",
			steps:        []func(http.ResponseWriter){status(429, "1")},
			wantAttempts: 2,
			check: func(t *testing.T, waits []time.Duration) {
				if len(waits) != 1 || waits[0] != time.Second {
					t.Errorf("waits = %v, want [1s] from Retry-After", waits)
				}
			},
		},
		{
			name:         "503 with Retry-After date",
			steps:        []func(http.ResponseWriter){status(503, "Mon, 25 Aug 2025 12:00:30 GMT")},
			opts:         Options{Now: func() time.Time { return now }},
			wantAttempts: 2,
			check: func(t *testing.T, waits []time.Duration) {
				if len(waits) != 1 || waits[0] != 30*time.Second {
					t.Errorf("waits = %v, want [30s] from the Retry-After date", waits)
				}
			},
		},
		{
			name:         "500 then success uses backoff",
			steps:        []func(http.ResponseWriter){status(500, ""), status(502, "")},
			opts:         Options{Backoff: 100 * time.Millisecond},
			wantAttempts: 3,
			check: func(t *testing.T, waits []time.Duration) {
				// 100ms then 200ms, each plus up to 50 % jitter.
				if len(waits) != 2 || waits[0] < 100*time.Millisecond || waits[0] > 150*time.Millisecond ||
					waits[1] < 200*time.Millisecond || waits[1] > 300*time.Millisecond {
					t.Errorf("waits = %v, want ~[100ms 200ms] plus jitter", waits)
				}
			},
		},
		{
			name:         "retries exhausted",
			steps:        []func(http.ResponseWriter){status(500, ""), status(500, ""), status(500, ""), status(500, "")},
			wantErr:      500,
			wantAttempts: 3,
		},
		{
			name:         "Retry-After longer than MaxRetryWait gives up",
			steps:        []func(http.ResponseWriter){status(429, "3600")},
			wantErr:      429,
			wantAttempts: 1,
		},
		{
			name:         "404 is not retried",
			steps:        []func(http.ResponseWriter){status(404, "")},
			wantErr:      404,
			wantAttempts: 1,
		},
		{
			name:         "retries disabled",
			steps:        []func(http.ResponseWriter){status(503, "1")},
			opts:         Options{Retries: -1},
			wantErr:      503,
			wantAttempts: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, hits := sequence(t, tt.steps...)
			o := tt.opts
			c, waits := newTestClient(srv, &o)
			resp, err := c.Get(context.Background(), srv.URL, nil)
			if tt.wantErr == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if string(resp.Body) != "ok" || resp.Info.Attempts != tt.wantAttempts {
					t.Errorf("body %q, attempts %d; want ok, %d", resp.Body, resp.Info.Attempts, tt.wantAttempts)
				}
			} else {
				var he *feeds.HTTPError
				if !errors.As(err, &he) || he.StatusCode != tt.wantErr {
					t.Fatalf("err = %v, want HTTP %d", err, tt.wantErr)
				}
			}
			if int(hits.Load()) != tt.wantAttempts {
				t.Errorf("server saw %d requests, want %d", hits.Load(), tt.wantAttempts)
			}
			if tt.check != nil {
				tt.check(t, *waits)
			}
		})
	}
}

func TestRetryAfterHintKept(t *testing.T) {
	srv, _ := sequence(t, status(429, "3600"))
	c, _ := newTestClient(srv, nil)
	_, err := c.Get(context.Background(), srv.URL, nil)
	var he *feeds.HTTPError
	if !errors.As(err, &he) || he.RetryAfter != time.Hour {
		t.Fatalf("err = %v, want HTTPError with RetryAfter 1h", err)
	}
}

func TestRetryWaitHonoursCancel(t *testing.T) {
	srv, hits := sequence(t, status(503, "5"), status(503, "5"))
	c := New(&Options{HTTPClient: srv.Client()}) // real sleep
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := c.Get(ctx, srv.URL, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled while waiting", err)
	}
	if hits.Load() != 1 {
		t.Errorf("%d requests, want 1", hits.Load())
	}
}

func TestSlowBodyTimesOut(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		fmt.Fprint(w, "[")
		w.(http.Flusher).Flush()
		select { // never finishes the body
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer srv.Close()
	hc := srv.Client()
	hc.Timeout = 200 * time.Millisecond
	c, _ := newTestClient(nil, &Options{HTTPClient: hc, Retries: -1})
	_, err := c.Get(context.Background(), srv.URL, nil)
	if err == nil || !strings.Contains(err.Error(), "read body") || !strings.Contains(err.Error(), srv.URL) {
		t.Fatalf("err = %v, want a body read timeout naming the URL", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("err = %v is not a timeout", err)
	}
}

func TestTooLarge(t *testing.T) {
	big := strings.Repeat("x", 2000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/chunked" {
			w.(http.Flusher).Flush() // forces chunked encoding: no Content-Length
		}
		fmt.Fprint(w, big)
	}))
	defer srv.Close()
	c, _ := newTestClient(srv, &Options{MaxBytes: 1000})
	for _, path := range []string{"/sized", "/chunked"} {
		_, err := c.Get(context.Background(), srv.URL+path, nil)
		if !errors.Is(err, feeds.ErrTooLarge) {
			t.Errorf("%s: err = %v, want ErrTooLarge", path, err)
		}
	}
	c2, _ := newTestClient(srv, &Options{MaxBytes: 2000})
	if resp, err := c2.Get(context.Background(), srv.URL+"/chunked", nil); err != nil || len(resp.Body) != 2000 {
		t.Errorf("exactly MaxBytes: err %v", err)
	}
}

func gzipped(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGzip(t *testing.T) {
	plain := []byte(strings.Repeat(`{"cveID":"CVE-2021-44228"},`, 200))
	bomb := gzipped(t, make([]byte, 8<<20)) // 8 MiB of zeros, ~8 KiB compressed
	packed := gzipped(t, plain)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
				t.Error("client did not ask for gzip")
			}
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(packed)
		case "/bomb":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb)
		case "/broken":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(packed[:len(packed)/2])
		case "/br":
			w.Header().Set("Content-Encoding", "br")
			w.Write(plain)
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(srv, &Options{MaxBytes: 1 << 20, Retries: -1})
	ctx := context.Background()

	resp, err := c.Get(ctx, srv.URL+"/feed", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(resp.Body, plain) {
		t.Errorf("decoded body differs: %d bytes, want %d", len(resp.Body), len(plain))
	}
	if resp.Info.Bytes != int64(len(plain)) || resp.Info.WireBytes != int64(len(packed)) {
		t.Errorf("Bytes %d WireBytes %d, want %d and %d", resp.Info.Bytes, resp.Info.WireBytes, len(plain), len(packed))
	}
	if _, err := c.Get(ctx, srv.URL+"/bomb", nil); !errors.Is(err, feeds.ErrTooLarge) {
		t.Errorf("gzip bomb: err = %v, want ErrTooLarge", err)
	}
	if _, err := c.Get(ctx, srv.URL+"/broken", nil); err == nil || !strings.Contains(err.Error(), "unexpected EOF") {
		t.Errorf("truncated gzip: err = %v", err)
	}
	if _, err := c.Get(ctx, srv.URL+"/br", nil); err == nil || !strings.Contains(err.Error(), `unsupported Content-Encoding "br"`) {
		t.Errorf("unrequested encoding: err = %v", err)
	}
}

func TestGuardRefusesLoopback(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "secret") }))
	defer srv.Close()
	c, _ := newTestClient(nil, &Options{BlockPrivate: true})
	for _, u := range []string{
		srv.URL,
		strings.Replace(srv.URL, "127.0.0.1", "[::ffff:127.0.0.1]", 1),
		strings.Replace(srv.URL, "127.0.0.1", "localhost", 1),
		"http://169.254.169.254/latest/meta-data/",
		"http://10.1.2.3/feed",
		"http://[::1]:1/feed",
	} {
		_, err := c.Get(context.Background(), u, nil)
		if !errors.Is(err, ErrBlocked) {
			t.Errorf("%s: err = %v, want ErrBlocked", u, err)
		}
	}
}

// TestGuardChecksRedirects serves a feed on 127.0.0.2, which the guard is
// told to allow, that redirects to a server on 127.0.0.1.
func TestGuardChecksRedirects(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("the redirect target was reached")
	}))
	defer target.Close()
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.2 here: %v", err)
	}
	front := httptest.NewUnstartedServer(http.RedirectHandler(target.URL+"/internal", http.StatusFound))
	front.Listener.Close()
	front.Listener = ln
	front.Start()
	defer front.Close()

	c, _ := newTestClient(nil, &Options{BlockPrivate: true, Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.2/32")}, Retries: -1})
	_, err = c.Get(context.Background(), front.URL+"/feed", nil)
	if !errors.Is(err, ErrBlocked) || !strings.Contains(err.Error(), "127.0.0.1") {
		t.Fatalf("err = %v, want ErrBlocked naming 127.0.0.1", err)
	}

	// Without the redirect the allowed address is reachable.
	ok := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "feed") }))
	ln2, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Fatal(err)
	}
	ok.Listener.Close()
	ok.Listener = ln2
	ok.Start()
	defer ok.Close()
	if _, err := c.Get(context.Background(), ok.URL, nil); err != nil {
		t.Errorf("allowed address: %v", err)
	}
}

// TestGuardChecksDialledAddress exercises the dial-time check that catches
// hostnames resolving to internal addresses (DNS rebinding included).
func TestGuardChecksDialledAddress(t *testing.T) {
	g := &guard{}
	hc, err := g.wrap(&http.Client{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, err = hc.Transport.(*http.Transport).DialContext(context.Background(), "tcp", ln.Addr().String())
	if !errors.Is(err, ErrBlocked) {
		t.Fatalf("dial %s: err = %v, want ErrBlocked", ln.Addr(), err)
	}
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestGuardNeedsHTTPTransport(t *testing.T) {
	c := New(&Options{BlockPrivate: true, HTTPClient: &http.Client{Transport: roundTripperFunc(func(*http.Request) (*http.Response, error) {
		t.Error("custom transport used despite the guard")
		return nil, errors.New("no")
	})}})
	_, err := c.Get(context.Background(), "https://feeds.example/", nil)
	if err == nil || !strings.Contains(err.Error(), "BlockPrivate needs an *http.Transport") {
		t.Fatalf("err = %v", err)
	}
}

func TestGuardAddresses(t *testing.T) {
	g := &guard{}
	for _, s := range []string{"127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
		"0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:10.0.0.1", "198.18.0.1"} {
		if err := g.allowed(netip.MustParseAddr(s)); !errors.Is(err, ErrBlocked) {
			t.Errorf("%s allowed, want blocked", s)
		}
	}
	for _, s := range []string{"8.8.8.8", "104.16.0.1", "2606:4700::1", "172.32.0.1", "100.128.0.1"} {
		if err := g.allowed(netip.MustParseAddr(s)); err != nil {
			t.Errorf("%s blocked: %v", s, err)
		}
	}
}

func TestCancelledContext(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c, waits := newTestClient(srv, nil)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := c.Get(ctx, srv.URL, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if strings.Count(err.Error(), srv.URL) != 1 {
		t.Errorf("error %q should name the URL once", err)
	}
	if len(*waits) != 0 {
		t.Errorf("retried after cancellation: waits %v", *waits)
	}
}

func TestBadURLs(t *testing.T) {
	c := New(nil)
	for _, u := range []string{"://bad", "file:///etc/passwd", "ftp://feeds.example/x"} {
		if _, err := c.Get(context.Background(), u, nil); err == nil || !strings.HasPrefix(err.Error(), "GET "+u) {
			t.Errorf("%s: err = %v", u, err)
		}
	}
}

func TestRedactInErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
	}))
	defer srv.Close()
	c, _ := newTestClient(srv, nil)
	u := strings.Replace(srv.URL, "http://", "http://user:secret@", 1)
	var fi feeds.FetchInfo
	_, err := c.Get(feeds.WithFetchObserver(context.Background(), func(i feeds.FetchInfo) { fi = i }), u, nil)
	if err == nil || strings.Contains(err.Error(), "secret") || strings.Contains(fi.URL, "secret") || strings.Contains(fi.Error, "secret") {
		t.Fatalf("err = %v, info %+v: want no password", err, fi)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 8, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"-5", 0},
		{" 30 ", 30 * time.Second},
		{"soon", 0},
		{"Mon, 25 Aug 2025 12:01:00 GMT", time.Minute},
		{"Mon, 25 Aug 2025 11:00:00 GMT", 0},
		{"99999999999999999", time.Duration(1<<63 - 1)},
	}
	for _, tt := range tests {
		if got := ParseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// A retry that fails before any response must not report the status of
// the attempt before it.
func TestFetchInfoDescribesLastAttempt(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("ETag", `"a"`)
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close() // no response at all
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(srv, &Options{Retries: 1})
	var observed []feeds.FetchInfo
	ctx := feeds.WithFetchObserver(context.Background(), func(fi feeds.FetchInfo) { observed = append(observed, fi) })
	if _, err := c.Get(ctx, srv.URL, nil); err == nil {
		t.Fatal("Get succeeded, want the connection error")
	}
	if len(observed) != 1 {
		t.Fatalf("observer called %d times", len(observed))
	}
	if fi := observed[0]; fi.Attempts != 2 || fi.StatusCode != 0 || fi.ETag != "" || fi.Error == "" {
		t.Errorf("FetchInfo = %+v, want 2 attempts, no status, no ETag, an error", fi)
	}
}

// TestProgress: a 2 MiB body with a Content-Length is reported while it
// downloads — each report at least ProgressStep bytes after the one before
// — and once at the end; a chunked body reports a total of -1.
func TestProgress(t *testing.T) {
	const size = 2 << 20
	body := bytes.Repeat([]byte("x"), size)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/chunked" {
			w.Write(body[:1000]) // no Content-Length: chunked
			w.(http.Flusher).Flush()
			w.Write(body[1000:2000])
			return
		}
		w.Header().Set("Content-Length", fmt.Sprint(size))
		w.Write(body)
	}))
	defer srv.Close()
	type call struct {
		url         string
		read, total int64
	}
	var calls []call
	c, _ := newTestClient(srv, &Options{Progress: func(url string, read, total int64) { calls = append(calls, call{url, read, total}) }})
	if _, err := c.Get(context.Background(), srv.URL+"/big", nil); err != nil {
		t.Fatal(err)
	}
	if len(calls) < 2 {
		t.Fatalf("progress calls %+v, want at least one before the end", calls)
	}
	last := calls[len(calls)-1]
	if last != (call{srv.URL + "/big", size, size}) {
		t.Errorf("last progress call %+v, want the whole body", last)
	}
	prev := int64(0)
	for i, cl := range calls[:len(calls)-1] {
		if cl.read-prev < ProgressStep || cl.read > size || cl.total != size {
			t.Errorf("progress call %d: %+v (previous at %d)", i, cl, prev)
		}
		prev = cl.read
	}
	calls = nil
	if _, err := c.Get(context.Background(), srv.URL+"/chunked", nil); err != nil {
		t.Fatal(err)
	}
	if len(calls) != 1 || calls[0].read != 2000 || calls[0].total != -1 {
		t.Errorf("chunked: progress calls %+v, want one with 2000 of -1", calls)
	}
}
