package notify_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/intake/notify"
)

// httpNotifiers builds every HTTP notifier against url with the fixed clock.
func httpNotifiers(url string) []notify.Notifier {
	return []notify.Notifier{
		&notify.Webhook{URL: url, Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", Now: fixedNow},
		&notify.Slack{URL: url, Now: fixedNow},
		&notify.Teams{URL: url, Now: fixedNow},
		&notify.Jira{BaseURL: url, Project: "SEC", Email: "a@b", Token: "t", Now: fixedNow},
	}
}

func TestHTTPStatusClasses(t *testing.T) {
	for _, tt := range []struct {
		status     int
		retryAfter string
		ok         bool
		permanent  bool
		wait       time.Duration
	}{
		{200, "", true, false, 0},
		{201, "", true, false, 0},
		{202, "", true, false, 0},
		{204, "", true, false, 0},
		{302, "", false, true, 0},
		{400, "", false, true, 0},
		{401, "", false, true, 0},
		{403, "", false, true, 0},
		{404, "", false, true, 0},
		{410, "", false, true, 0},
		{408, "", false, false, 0},
		{425, "", false, false, 0},
		{429, "7", false, false, 7 * time.Second},
		{429, t0.Add(30 * time.Second).Format(http.TimeFormat), false, false, 30 * time.Second},
		{429, "soon", false, false, 0},
		{500, "", false, false, 0},
		{502, "", false, false, 0},
		{503, "120", false, false, 2 * time.Minute},
		{504, "", false, false, 0},
	} {
		t.Run(fmt.Sprintf("%d_%s", tt.status, strings.ReplaceAll(strings.ReplaceAll(tt.retryAfter, " ", "_"), ":", "")), func(t *testing.T) {
			srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				if tt.status == 302 {
					w.Header().Set("Location", "https://hooks.example.com/new")
				}
				w.WriteHeader(tt.status)
			})
			for _, n := range httpNotifiers(srv.URL) {
				_, err := n.Notify(context.Background(), sample())
				if tt.ok {
					if err != nil {
						t.Errorf("%s: Notify = %v", n.Name(), err)
					}
					continue
				}
				var ne *notify.Error
				if !errors.As(err, &ne) {
					t.Fatalf("%s: Notify = %v; want *notify.Error", n.Name(), err)
				}
				if ne.Status != tt.status || ne.Permanent != tt.permanent || notify.Permanent(err) != tt.permanent ||
					notify.RetryAfter(err) != tt.wait || ne.Notifier != n.Name() {
					t.Errorf("%s: %v → status %d permanent %v retry-after %v; want %d %v %v",
						n.Name(), err, ne.Status, ne.Permanent, ne.RetryAfter, tt.status, tt.permanent, tt.wait)
				}
				if tt.status == 302 && !strings.Contains(err.Error(), "https://hooks.example.com/new") {
					t.Errorf("%s: redirect error does not name the new location: %v", n.Name(), err)
				}
			}
		})
	}
}

func TestHTTPConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/services/T/B/SECRETPATH"
	ln.Close()
	for _, n := range httpNotifiers(url) {
		_, err := n.Notify(context.Background(), sample())
		var ne *notify.Error
		if !errors.As(err, &ne) || ne.Permanent || ne.Status != 0 {
			t.Errorf("%s: Notify = %v; want a temporary *notify.Error", n.Name(), err)
		}
		if err != nil && strings.Contains(err.Error(), "SECRETPATH") {
			t.Errorf("%s: error shows the URL path: %v", n.Name(), err)
		}
	}
	srv := startSMTP(t, &smtpServer{})
	addr := srv.addr()
	srv.ln.Close()
	_, err = (&notify.SMTP{Addr: addr, From: "a@example.com"}).Notify(context.Background(), sample())
	if err == nil || notify.Permanent(err) {
		t.Errorf("smtp: Notify = %v; want temporary", err)
	}
}

func TestHTTPContextCancelled(t *testing.T) {
	release := make(chan struct{})
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	for _, n := range httpNotifiers(srv.URL) {
		// Cancelled before the call: nothing is sent.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := n.Notify(ctx, sample())
		var ne *notify.Error
		if !errors.Is(err, context.Canceled) || errors.As(err, &ne) {
			t.Errorf("%s: Notify(cancelled) = %v; want the context's error", n.Name(), err)
		}
		// Cancelled while the far end is thinking.
		ctx, cancel = context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		_, err = n.Notify(ctx, sample())
		if !errors.Is(err, context.Canceled) || notify.Permanent(err) {
			t.Errorf("%s: Notify(cancelled in flight) = %v; want the context's error", n.Name(), err)
		}
	}
	srv.mu.Lock()
	n := len(srv.reqs)
	srv.mu.Unlock()
	if n != 4 {
		t.Errorf("server saw %d requests, want 4 (only the in-flight ones)", n)
	}
}

func TestFuncNotifier(t *testing.T) {
	var got *notify.Message
	n := notify.Func("fake", func(_ context.Context, m *notify.Message) (notify.Delivery, error) {
		got = m
		return notify.Delivery{Ref: "ok"}, nil
	})
	m := sample()
	if d, err := n.Notify(context.Background(), m); err != nil || d.Ref != "ok" || got != m || n.Name() != "fake" {
		t.Errorf("Func notifier: %+v %v", d, err)
	}
	if notify.Permanent(errors.New("x")) || notify.RetryAfter(errors.New("x")) != 0 {
		t.Error("plain errors are classified")
	}
	wrapped := fmt.Errorf("intake: %w", &notify.Error{Notifier: "x", Permanent: true, RetryAfter: time.Second, Err: errors.New("y")})
	if !notify.Permanent(wrapped) || notify.RetryAfter(wrapped) != time.Second {
		t.Error("wrapped *Error not seen through")
	}
	if got := wrapped.Error(); got != "intake: notify: x: permanent failure: y (retry after 1s)" {
		t.Errorf("Error() = %q", got)
	}
}

func TestMessageRequired(t *testing.T) {
	srv := startSMTP(t, &smtpServer{})
	rec := newRecorder(t, answer(200, ""))
	all := append(httpNotifiers(rec.URL), &notify.SMTP{Addr: srv.addr(), From: "a@example.com"})
	for _, n := range all {
		if _, err := n.Notify(context.Background(), nil); !errors.Is(err, notify.ErrMessage) || !notify.Permanent(err) {
			t.Errorf("%s: Notify(nil) = %v", n.Name(), err)
		}
		if _, err := n.Notify(context.Background(), &notify.Message{Kind: "case.routed"}); !errors.Is(err, notify.ErrMessage) {
			t.Errorf("%s: Notify(no ID) = %v", n.Name(), err)
		}
	}
}
