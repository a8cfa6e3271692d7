//lint:file-ignore ST1005 the kit's messages start with the name of the Source method they are about (Fetch, Name)

package feedtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sigwatch/sigwatch/feeds"
)

// ReservedExtraPrefixes are feeds.Advisory.Extra key prefixes that belong
// to sigwatch's own packages; an adapter must not set them.
var ReservedExtraPrefixes = []string{"intake.", "sigwatch.", "triage.", "evidence."}

// Harness describes the source under test.
type Harness struct {
	// New returns a new source under test. When Files is set, the source
	// must fetch from baseURL (a loopback server run by the kit) using
	// client; otherwise baseURL is "" and client nil. Required.
	New func(baseURL string, client *http.Client) (feeds.Source, error)
	// Files are the bodies the kit serves, by URL path ("/feed.xml"). They
	// should be real, valid inputs for the source. The server sends an
	// ETag, so a second Fetch on the same source may answer
	// feeds.ErrNotModified. Optional: nil skips the HTTP checks.
	Files map[string][]byte
	// Parse, when set, parses one input the way the adapter's Parse
	// function does; the kit feeds it the same hostile inputs. Optional.
	Parse func(r io.Reader) error
	// Timeout bounds every Fetch and Parse the kit makes, so a hang fails
	// the check instead of the test binary. Optional: 0 means 30 s.
	Timeout time.Duration
}

// check is one named conformance check.
type check struct {
	name string
	fn   func(k *kit) []error
}

var checks = []check{
	{"Name", (*kit).checkName},
	{"Fetch", (*kit).checkFetch},
	{"Deterministic", (*kit).checkDeterministic},
	{"Concurrent", (*kit).checkConcurrent},
	{"CancelledContext", (*kit).checkCancelled},
	{"HTTPErrors", (*kit).checkHTTPErrors},
	{"HostileFetch", (*kit).checkHostileFetch},
	{"HostileParse", (*kit).checkHostileParse},
}

// Run runs every check as a subtest of t.
func Run(t *testing.T, h Harness) {
	t.Helper()
	k, err := newKit(h)
	if err != nil {
		t.Fatal(err)
	}
	defer k.close()
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			for _, err := range c.fn(k) {
				t.Error(err)
			}
		})
	}
}

// Check runs every check and returns the violations joined, each prefixed
// with the check's name; nil means the source conforms.
func Check(h Harness) error {
	k, err := newKit(h)
	if err != nil {
		return err
	}
	defer k.close()
	var errs []error
	for _, c := range checks {
		for _, err := range c.fn(k) {
			errs = append(errs, fmt.Errorf("%s: %w", c.name, err))
		}
	}
	return errors.Join(errs...)
}

type kit struct {
	h       Harness
	srv     *httptest.Server
	mu      sync.Mutex
	hostile []byte // when non-nil, served for every path
	status  int    // when non-zero, served for every path
	block   chan struct{}
	hits    atomic.Int64
}

func newKit(h Harness) (*kit, error) {
	if h.New == nil {
		return nil, errors.New("feedtest: Harness.New is required")
	}
	if h.Timeout <= 0 {
		h.Timeout = 30 * time.Second
	}
	k := &kit{h: h, block: make(chan struct{})}
	if h.Files != nil {
		k.srv = httptest.NewServer(http.HandlerFunc(k.serve))
	}
	return k, nil
}

func (k *kit) close() {
	close(k.block)
	if k.srv != nil {
		k.srv.Close()
	}
}

func (k *kit) serve(w http.ResponseWriter, r *http.Request) {
	k.hits.Add(1)
	k.mu.Lock()
	hostile, status := k.hostile, k.status
	k.mu.Unlock()
	switch {
	case status == -1: // hang until the client gives up
		select {
		case <-r.Context().Done():
		case <-k.block:
		}
		return
	case status != 0:
		http.Error(w, "<html><body>error</body></html>", status)
		return
	case hostile != nil:
		w.Write(hostile)
		return
	}
	body, ok := k.h.Files[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	etag := fmt.Sprintf(`"%x"`, sha256.Sum256(body))
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(body)
}

// setMode makes the server answer every request with body (when non-nil)
// or status (when non-zero); both zero restores the files.
func (k *kit) setMode(body []byte, status int) {
	k.mu.Lock()
	k.hostile, k.status = body, status
	k.mu.Unlock()
}

func (k *kit) newSource() (feeds.Source, error) {
	var base string
	var client *http.Client
	if k.srv != nil {
		base, client = k.srv.URL, k.srv.Client()
	}
	src, err := k.h.New(base, client)
	if err != nil {
		return nil, fmt.Errorf("Harness.New: %w", err)
	}
	if src == nil {
		return nil, errors.New("Harness.New returned a nil source")
	}
	return src, nil
}

// fetch calls Fetch with the kit's timeout and turns a panic into an error.
func (k *kit) fetch(ctx context.Context, src feeds.Source) (advs []feeds.Advisory, err error) {
	ctx, cancel := context.WithTimeout(ctx, k.h.Timeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("Fetch %w: %v", errPanic, r)
			advs = nil
		}
	}()
	advs, err = src.Fetch(ctx)
	if ctx.Err() == context.DeadlineExceeded {
		return advs, fmt.Errorf("Fetch did not return within %v: %w", k.h.Timeout, errHang)
	}
	return advs, err
}

// errHang and errPanic mark the kit's own findings, so that an adapter's
// error message that happens to contain these words is not mistaken for one.
var (
	errHang  = errors.New("hang")
	errPanic = errors.New("panicked")
)

func (k *kit) checkName() []error {
	src, err := k.newSource()
	if err != nil {
		return []error{err}
	}
	name := src.Name()
	var errs []error
	switch {
	case name == "":
		errs = append(errs, errors.New("Name() is empty"))
	case strings.TrimSpace(name) != name || strings.IndexFunc(name, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		errs = append(errs, fmt.Errorf("Name() %q contains spaces or control characters", name))
	case !utf8.ValidString(name):
		errs = append(errs, fmt.Errorf("Name() %q is not valid UTF-8", name))
	}
	if again := src.Name(); again != name {
		errs = append(errs, fmt.Errorf("Name() changed between calls: %q, then %q", name, again))
	}
	if _, err := k.fetch(context.Background(), src); err == nil {
		if after := src.Name(); after != name {
			errs = append(errs, fmt.Errorf("Name() changed after Fetch: %q, then %q", name, after))
		}
	}
	if other, err := k.newSource(); err == nil && other.Name() != name {
		errs = append(errs, fmt.Errorf("two sources from the same harness have different names: %q and %q", name, other.Name()))
	}
	return errs
}

// validate checks one Fetch result.
func validate(name string, advs []feeds.Advisory) []error {
	var errs []error
	seen := map[string]bool{}
	for i, a := range advs {
		where := fmt.Sprintf("advisory %d (%q)", i, a.ID)
		if strings.TrimSpace(a.ID) == "" {
			errs = append(errs, fmt.Errorf("advisory %d has no ID", i))
		}
		if key := strings.ToUpper(strings.TrimSpace(a.ID)); seen[key] {
			errs = append(errs, fmt.Errorf("%s: duplicate ID in one Fetch", where))
		} else {
			seen[key] = true
		}
		if a.Source != "" && a.Source != name {
			errs = append(errs, fmt.Errorf("%s: Source %q, want empty or the source name %q", where, a.Source, name))
		}
		for key := range a.Extra {
			for _, p := range ReservedExtraPrefixes {
				if strings.HasPrefix(key, p) {
					errs = append(errs, fmt.Errorf("%s: Extra key %q uses the reserved prefix %q", where, key, p))
				}
			}
		}
		if len(errs) > 20 {
			return append(errs, errors.New("too many errors"))
		}
	}
	return errs
}

func (k *kit) checkFetch() []error {
	src, err := k.newSource()
	if err != nil {
		return []error{err}
	}
	advs, err := k.fetch(context.Background(), src)
	if err != nil {
		return []error{fmt.Errorf("Fetch of valid input failed: %w", err)}
	}
	return validate(src.Name(), advs)
}

func (k *kit) checkDeterministic() []error {
	var runs [][]feeds.Advisory
	for range 2 {
		src, err := k.newSource()
		if err != nil {
			return []error{err}
		}
		advs, err := k.fetch(context.Background(), src)
		if err != nil {
			return []error{fmt.Errorf("Fetch: %w", err)}
		}
		runs = append(runs, advs)
	}
	if !reflect.DeepEqual(runs[0], runs[1]) {
		return []error{fmt.Errorf("two fresh sources fetched different results from the same input (%d and %d advisories)%s",
			len(runs[0]), len(runs[1]), firstDifference(runs[0], runs[1]))}
	}
	// The same source again: the same result, or "not modified".
	src, err := k.newSource()
	if err != nil {
		return []error{err}
	}
	first, err := k.fetch(context.Background(), src)
	if err != nil {
		return []error{fmt.Errorf("Fetch: %w", err)}
	}
	second, err := k.fetch(context.Background(), src)
	switch {
	case errors.Is(err, feeds.ErrNotModified):
	case err != nil:
		return []error{fmt.Errorf("second Fetch on the same source: %w", err)}
	case !reflect.DeepEqual(first, second):
		return []error{fmt.Errorf("second Fetch on the same source differs%s", firstDifference(first, second))}
	}
	return nil
}

func firstDifference(a, b []feeds.Advisory) string {
	for i := range min(len(a), len(b)) {
		if !reflect.DeepEqual(a[i], b[i]) {
			return fmt.Sprintf(": first at index %d (%q vs %q)", i, a[i].ID, b[i].ID)
		}
	}
	return ""
}

func (k *kit) checkConcurrent() []error {
	src, err := k.newSource()
	if err != nil {
		return []error{err}
	}
	const n = 4
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			advs, err := k.fetch(context.Background(), src)
			if err != nil && !errors.Is(err, feeds.ErrNotModified) {
				errs[i] = fmt.Errorf("concurrent Fetch %d: %w", i, err)
				return
			}
			if v := validate(src.Name(), advs); len(v) > 0 {
				errs[i] = fmt.Errorf("concurrent Fetch %d: %w", i, errors.Join(v...))
			}
		})
	}
	wg.Wait()
	return slices.DeleteFunc(errs, func(e error) bool { return e == nil })
}

func (k *kit) checkCancelled() []error {
	src, err := k.newSource()
	if err != nil {
		return []error{err}
	}
	var errs []error
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	advs, err := k.fetch(ctx, src)
	switch {
	case err == nil:
		errs = append(errs, fmt.Errorf("Fetch with a cancelled context succeeded with %d advisories", len(advs)))
	case !errors.Is(err, context.Canceled):
		errs = append(errs, fmt.Errorf("Fetch with a cancelled context: error %q does not wrap context.Canceled", err))
	}
	if k.srv == nil {
		return errs
	}
	// Cancelled while the server stalls.
	k.setMode(nil, -1)
	defer k.setMode(nil, 0)
	src, err = k.newSource()
	if err != nil {
		return append(errs, err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err = k.fetch(ctx, src)
	switch {
	case errors.Is(err, errHang):
		errs = append(errs, fmt.Errorf("Fetch ignored cancellation while the server stalled: %w", err))
	case err == nil:
		errs = append(errs, errors.New("Fetch succeeded although the server never answered"))
	case !errors.Is(err, context.Canceled):
		errs = append(errs, fmt.Errorf("Fetch cancelled during a request: error %q does not wrap context.Canceled", err))
	}
	return errs
}

func (k *kit) checkHTTPErrors() []error {
	if k.srv == nil {
		return nil
	}
	var errs []error
	for _, status := range []int{http.StatusNotFound, http.StatusForbidden, http.StatusNotImplemented} {
		k.setMode(nil, status)
		src, err := k.newSource()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		advs, err := k.fetch(context.Background(), src)
		var he *feeds.HTTPError
		switch {
		case err == nil:
			errs = append(errs, fmt.Errorf("HTTP %d: Fetch succeeded with %d advisories", status, len(advs)))
		case !errors.As(err, &he):
			errs = append(errs, fmt.Errorf("HTTP %d: error %q is not a *feeds.HTTPError", status, err))
		case he.StatusCode != status:
			errs = append(errs, fmt.Errorf("HTTP %d: HTTPError has status %d", status, he.StatusCode))
		}
	}
	k.setMode(nil, 0)
	return errs
}

// Hostile returns the hostile inputs the kit uses, derived from the valid
// inputs given: empty, whitespace, an HTML error page, binary noise, deep
// nesting in JSON and XML, an XML entity-expansion bomb and an external
// entity, truncations of each valid input, and each valid input with
// invalid UTF-8 spliced in. Adapter authors can reuse them in their own
// tests.
func Hostile(valid ...[]byte) []Input { return hostileInputs(valid) }

// Input is one hostile input. MustFail inputs must give an error; the
// others must merely not panic or hang.
type Input struct {
	Name     string
	Body     []byte
	MustFail bool
}

func hostileInputs(valid [][]byte) []Input {
	noise := make([]byte, 4096)
	for i := range noise {
		noise[i] = byte(i*7919 + i/13)
	}
	hs := []Input{
		{"empty", []byte{}, true},
		{"whitespace", []byte(" \n\t\n"), true},
		{"html", []byte("<!DOCTYPE html>\n<html><head><title>503</title></head><body>Service Unavailable</body></html>"), true},
		{"binary", noise, true},
		{"deep JSON", []byte(strings.Repeat("[", 100000) + strings.Repeat("]", 100000)), true},
		{"deep JSON object", []byte(strings.Repeat(`{"a":`, 50000) + "1" + strings.Repeat("}", 50000)), true},
		{"deep XML", []byte(`<?xml version="1.0"?>` + strings.Repeat("<a>", 100000) + strings.Repeat("</a>", 100000)), true},
		{"billion laughs", []byte(billionLaughs), false},
		{"external entity", []byte(externalEntity), false},
		{"JSON null", []byte("null"), false},
		{"JSON wrong type", []byte(`{"vulnerabilities":"x","items":7,"entry":false,"product_tree":[],"affected":"a"}`), false},
	}
	for i, v := range valid {
		if len(v) < 2 {
			continue
		}
		hs = append(hs,
			Input{fmt.Sprintf("valid input %d truncated at half", i), v[:len(v)/2], true},
			Input{fmt.Sprintf("valid input %d truncated by one byte", i), trimLast(v), false},
			Input{fmt.Sprintf("valid input %d with invalid UTF-8", i), spliceInvalidUTF8(v), false},
		)
	}
	return hs
}

// trimLast drops trailing white space and the last byte before it.
func trimLast(v []byte) []byte {
	t := bytes.TrimRightFunc(v, unicode.IsSpace)
	if len(t) == 0 {
		return t
	}
	return t[:len(t)-1]
}

// spliceInvalidUTF8 puts invalid bytes in the middle of the first string
// value or text node after the midpoint.
func spliceInvalidUTF8(v []byte) []byte {
	mid := len(v) / 2
	i := bytes.IndexAny(v[mid:], "\">")
	if i < 0 {
		return append(slices.Clone(v), 0xff, 0xfe)
	}
	at := mid + i + 1
	out := slices.Clone(v[:at])
	out = append(out, 0xff, 0xfe, 0xc3, 0x28)
	return append(out, v[at:]...)
}

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><guid>x</guid></item></channel></rss>`

const externalEntity = `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title><guid>x</guid></item></channel></rss>`

func (k *kit) checkHostileFetch() []error {
	if k.srv == nil {
		return nil
	}
	defer k.setMode(nil, 0)
	var errs []error
	for _, h := range hostileInputs(k.validFiles()) {
		k.setMode(h.Body, 0)
		src, err := k.newSource()
		if err != nil {
			return append(errs, err)
		}
		advs, err := k.fetch(context.Background(), src)
		errs = append(errs, judge(h, "Fetch", advs, err)...)
		if err == nil {
			errs = append(errs, prefixAll(h.Name, validate(src.Name(), advs))...)
		}
	}
	return errs
}

func (k *kit) checkHostileParse() []error {
	if k.h.Parse == nil {
		return nil
	}
	var errs []error
	for _, h := range hostileInputs(k.validFiles()) {
		err := k.parse(h.Body)
		errs = append(errs, judge(h, "Parse", nil, err)...)
	}
	return errs
}

func (k *kit) parse(body []byte) (err error) {
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("Parse %w: %v", errPanic, r)
			}
		}()
		done <- k.h.Parse(bytes.NewReader(body))
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(k.h.Timeout):
		return fmt.Errorf("Parse did not return within %v: %w", k.h.Timeout, errHang)
	}
}

func judge(h Input, op string, advs []feeds.Advisory, err error) []error {
	switch {
	case errors.Is(err, errPanic) || errors.Is(err, errHang):
		return []error{fmt.Errorf("%s: %w", h.Name, err)}
	case err != nil && strings.TrimSpace(err.Error()) == "":
		return []error{fmt.Errorf("%s: %s returned an error with an empty message", h.Name, op)}
	case err == nil && h.MustFail:
		return []error{fmt.Errorf("%s: %s succeeded (%d advisories); want an error", h.Name, op, len(advs))}
	case err != nil && advs != nil:
		return []error{fmt.Errorf("%s: %s returned %d advisories with its error", h.Name, op, len(advs))}
	}
	return nil
}

func prefixAll(p string, errs []error) []error {
	for i, e := range errs {
		errs[i] = fmt.Errorf("%s: %w", p, e)
	}
	return errs
}

func (k *kit) validFiles() [][]byte {
	paths := make([]string, 0, len(k.h.Files))
	for p := range k.h.Files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	out := make([][]byte, 0, len(paths))
	for _, p := range paths {
		out = append(out, k.h.Files[p])
	}
	return out
}
