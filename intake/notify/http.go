package notify

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/internal/textx"
)

// maxResponse caps how much of an answer is read; the rest is drained up
// to maxDrain so the connection can be reused, then dropped.
const (
	maxResponse = 64 << 10
	maxDrain    = 256 << 10
)

// httpResult is a far end's answer.
type httpResult struct {
	status int
	text   string // "200 OK"
	header http.Header
	body   []byte
}

// checkURL validates a notifier's endpoint.
func checkURL(notifier, field, raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, permanentf(notifier, ErrConfig, "%s is empty", field)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, permanentf(notifier, ErrConfig, "%s: %v", field, err)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, permanentf(notifier, ErrConfig, "%s: scheme %q is not http or https", field, u.Scheme)
	}
	if u.Host == "" {
		return nil, permanentf(notifier, ErrConfig, "%s has no host", field)
	}
	return u, nil
}

// post sends body to u and returns the answer. A 2xx answer returns a nil
// error; any other answer returns the result and a classified *Error whose
// text is detail (or the answer's body when detail is nil). A network
// failure is temporary; a cancelled ctx returns the context's error.
func post(ctx context.Context, client *http.Client, notifier, u string, header http.Header, body []byte, now func() time.Time, detail func(*httpResult) string) (*httpResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, ctxError(notifier, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return nil, permanentf(notifier, ErrConfig, "request: %v", err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "sigwatch-notify/1")
	}
	resp, err := httpClient(client).Do(req)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return nil, ctxError(notifier, cerr)
		}
		return nil, &Error{Notifier: notifier, Err: fmt.Errorf("POST %s: %w", redactURL(u), unwrapURLError(err))}
	}
	defer resp.Body.Close()
	res := &httpResult{status: resp.StatusCode, text: resp.Status, header: resp.Header}
	// The status is what counts; a body cut short by the network is read
	// as far as it goes.
	res.body, _ = io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
	if resp.StatusCode/100 == 2 {
		return res, nil
	}
	msg := ""
	if detail != nil {
		msg = detail(res)
	} else {
		msg = bodyText(res.body)
	}
	return res, statusError(notifier, res, msg, clock(now))
}

// statusError classifies a non-2xx answer: 408, 425, 429 and 5xx are
// temporary, every other status permanent (a redirect too: the URL needs
// updating). Retry-After is honoured on any status.
func statusError(notifier string, res *httpResult, msg string, now time.Time) *Error {
	e := &Error{Notifier: notifier, Status: res.status, Permanent: !temporaryStatus(res.status)}
	e.RetryAfter = parseRetryAfter(res.header.Get("Retry-After"), now)
	text := "HTTP " + res.text
	if res.status/100 == 3 {
		text += fmt.Sprintf(" (redirect to %q; update the URL)", textx.OneLine(clip(res.header.Get("Location"), 200)))
	}
	if msg != "" {
		text += ": " + msg
	}
	e.Err = statusErr{status: res.status, text: text}
	return e
}

// statusErr is the text of a failed HTTP answer.
type statusErr struct {
	status int
	text   string
}

func (e statusErr) Error() string { return e.text }

// temporaryStatus reports the statuses worth retrying.
func temporaryStatus(code int) bool {
	switch {
	case code == http.StatusRequestTimeout, code == http.StatusTooEarly, code == http.StatusTooManyRequests:
		return true
	case code >= 500 && code <= 599:
		return true
	}
	return false
}

// parseRetryAfter reads a Retry-After value: delay seconds or an HTTP date
// (RFC 9110 section 10.2.3). Anything else, or a time already past, is 0.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		const maxSeconds = int64((1<<63 - 1) / int64(time.Second))
		if n > maxSeconds {
			n = maxSeconds
		}
		return time.Duration(n) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	if d := t.Sub(now); d > 0 {
		return d.Round(time.Second)
	}
	return 0
}

// bodyText is a far end's answer made safe for an error message.
func bodyText(b []byte) string {
	return clip(textx.OneLine(string(b)), 300)
}

// redactURL keeps a URL's scheme, host and path prefix out of errors: chat
// webhook URLs carry their secret in the path.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(invalid URL)"
	}
	return u.Scheme + "://" + u.Host + "/…"
}

// unwrapURLError drops *url.Error's copy of the URL (which may hold a
// secret) and keeps the cause.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

// isLoopbackHost reports "localhost" and loopback IP addresses.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
