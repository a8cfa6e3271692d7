package feeds

import (
	"context"
	"time"
)

// FetchInfo describes one HTTP exchange an adapter made, so that a pipeline
// can show feed health: what was asked, what came back, how big and how slow.
type FetchInfo struct {
	// URL is the requested URL, with any password redacted.
	URL string `json:"url"`
	// FinalURL is the URL after redirects, when it differs.
	FinalURL string `json:"finalUrl,omitempty"`
	// At is when the request started.
	At time.Time `json:"at"`
	// Duration covers all attempts, including waits between retries.
	Duration time.Duration `json:"duration"`
	// Attempts is the number of requests sent (1 without retries).
	Attempts int `json:"attempts"`
	// StatusCode is the status of the last response; zero when no response
	// arrived.
	StatusCode int `json:"status,omitempty"`
	// Bytes is the size of the body after content decoding.
	Bytes int64 `json:"bytes"`
	// WireBytes is the size of the body as transferred (compressed).
	WireBytes int64 `json:"wireBytes,omitempty"`
	// NotModified reports a 304 answer to a conditional request.
	NotModified bool `json:"notModified,omitempty"`
	// ETag and LastModified are the validators the server returned.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"lastModified,omitempty"`
	// Error is the failure, empty on success.
	Error string `json:"error,omitempty"`
}

type observerKey struct{}

// WithFetchObserver returns a context that makes [ObserveFetch] call fn.
// A pipeline uses it to learn about every HTTP exchange a source makes
// during one Fetch. fn may be called concurrently.
func WithFetchObserver(ctx context.Context, fn func(FetchInfo)) context.Context {
	return context.WithValue(ctx, observerKey{}, fn)
}

// ObserveFetch reports info to the observer installed with
// [WithFetchObserver], if any. HTTP layers call it once per logical request
// (after retries).
func ObserveFetch(ctx context.Context, info FetchInfo) {
	if fn, ok := ctx.Value(observerKey{}).(func(FetchInfo)); ok && fn != nil {
		fn(info)
	}
}
