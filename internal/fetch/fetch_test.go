package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
)

func TestGetOK(t *testing.T) {
	var gotUA, gotAccept, gotExtra string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotAccept, gotExtra = r.UserAgent(), r.Header.Get("Accept"), r.Header.Get("If-None-Match")
		w.Header().Set("ETag", `"v1"`)
		fmt.Fprint(w, `{"ok":true}`)
	}))
	defer srv.Close()

	resp, err := Get(context.Background(), srv.URL+"/feed.json", &Options{
		Client: srv.Client(),
		Accept: "application/json",
		Header: http.Header{"If-None-Match": {`"v0"`}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != `{"ok":true}` || resp.StatusCode != 200 || resp.Header.Get("ETag") != `"v1"` {
		t.Errorf("response = %+v", resp)
	}
	if resp.URL != srv.URL+"/feed.json" {
		t.Errorf("URL = %q", resp.URL)
	}
	if gotUA != DefaultUserAgent || gotAccept != "application/json" || gotExtra != `"v0"` {
		t.Errorf("request headers: UA %q, Accept %q, If-None-Match %q", gotUA, gotAccept, gotExtra)
	}
}

func TestGetErrors(t *testing.T) {
	now := time.Date(2025, 8, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		handler http.HandlerFunc
		opts    Options
		check   func(t *testing.T, err error)
	}{
		{
			name: "not_found",
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "<html>nope</html>", http.StatusNotFound)
			},
			check: func(t *testing.T, err error) {
				var he *feeds.HTTPError
				if !errors.As(err, &he) || he.StatusCode != 404 || he.RetryAfter != 0 {
					t.Fatalf("err = %#v, want HTTPError 404", err)
				}
			},
		},
		{
			name: "too_many_requests_seconds",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "120")
				w.WriteHeader(http.StatusTooManyRequests)
			},
			check: func(t *testing.T, err error) {
				var he *feeds.HTTPError
				if !errors.As(err, &he) || he.StatusCode != 429 || he.RetryAfter != 2*time.Minute {
					t.Fatalf("err = %#v, want HTTPError 429 retry 2m", err)
				}
			},
		},
		{
			name: "unavailable_http_date",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", now.Add(90*time.Second).Format(http.TimeFormat))
				w.WriteHeader(http.StatusServiceUnavailable)
			},
			opts: Options{Now: func() time.Time { return now }},
			check: func(t *testing.T, err error) {
				var he *feeds.HTTPError
				if !errors.As(err, &he) || he.StatusCode != 503 || he.RetryAfter != 90*time.Second {
					t.Fatalf("err = %#v, want HTTPError 503 retry 90s", err)
				}
			},
		},
		{
			name: "not_modified",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusNotModified)
			},
			check: func(t *testing.T, err error) {
				if !errors.Is(err, feeds.ErrNotModified) {
					t.Fatalf("err = %v, want ErrNotModified", err)
				}
			},
		},
		{
			name: "body_over_limit_chunked",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Write([]byte(strings.Repeat("x", 100)))
				w.(http.Flusher).Flush()
				w.Write([]byte(strings.Repeat("x", 100)))
			},
			opts: Options{MaxBytes: 150},
			check: func(t *testing.T, err error) {
				if !errors.Is(err, feeds.ErrTooLarge) {
					t.Fatalf("err = %v, want ErrTooLarge", err)
				}
			},
		},
		{
			name: "content_length_over_limit",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "1000")
				w.Write([]byte(strings.Repeat("x", 1000)))
			},
			opts: Options{MaxBytes: 999},
			check: func(t *testing.T, err error) {
				if !errors.Is(err, feeds.ErrTooLarge) || !strings.Contains(err.Error(), "Content-Length 1000") {
					t.Fatalf("err = %v, want ErrTooLarge from Content-Length", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			opts := tt.opts
			opts.Client = srv.Client()
			resp, err := Get(context.Background(), srv.URL, &opts)
			if err == nil {
				t.Fatalf("Get succeeded: %+v", resp)
			}
			tt.check(t, err)
		})
	}
}

func TestGetContextCancelled(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := Get(ctx, srv.URL, &Options{Client: srv.Client()})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if strings.Count(err.Error(), srv.URL) != 1 {
		t.Errorf("error %q should name the URL once", err)
	}
}

type countingTransport struct {
	n    atomic.Int32
	base http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.base.RoundTrip(r)
}

func TestGetUsesClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "{}")
	}))
	defer srv.Close()
	ct := &countingTransport{base: srv.Client().Transport}
	if _, err := Get(context.Background(), srv.URL, &Options{Client: &http.Client{Transport: ct}}); err != nil {
		t.Fatal(err)
	}
	if ct.n.Load() != 1 {
		t.Errorf("transport used %d times, want 1", ct.n.Load())
	}
}

func TestGetBadURL(t *testing.T) {
	_, err := Get(context.Background(), "://bad", nil)
	if err == nil || !strings.Contains(err.Error(), "GET ://bad") {
		t.Fatalf("err = %v", err)
	}
}

func TestRedactInErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
	}))
	defer srv.Close()
	u := strings.Replace(srv.URL, "http://", "http://user:secret@", 1)
	_, err := Get(context.Background(), u, &Options{Client: srv.Client()})
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Fatalf("err = %v, want an error without the password", err)
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
