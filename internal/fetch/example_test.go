package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/fetch"
)

func ExampleGet() {
	// A local test server stands in for a feed; nothing leaves loopback.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.json":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"vulnerabilities": []}`)
		default:
			w.Header().Set("Retry-After", "120")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		}
	}))
	defer srv.Close()
	opts := &fetch.Options{Client: srv.Client(), Accept: "application/json"}

	resp, err := fetch.Get(context.Background(), srv.URL+"/feed.json", opts)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(resp.StatusCode, string(resp.Body))

	// Unsuccessful statuses come back as *feeds.HTTPError. Its URL holds
	// the server's port, which varies, so print only the other fields.
	_, err = fetch.Get(context.Background(), srv.URL+"/busy.json", opts)
	var he *feeds.HTTPError
	if errors.As(err, &he) {
		fmt.Println(he.StatusCode, he.RetryAfter)
	}
	// Output:
	// 200 {"vulnerabilities": []}
	// 429 2m0s
}

func ExampleRedact() {
	fmt.Println(fetch.Redact("https://user:secret@feeds.example/kev.json"))
	// Output:
	// https://user:xxxxx@feeds.example/kev.json
}
