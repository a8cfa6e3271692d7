package feedhttp_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
)

func ExampleClient_Get() {
	// A local test server stands in for a feed; nothing leaves loopback.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		fmt.Fprint(w, `{"vulnerabilities": []}`)
	}))
	defer srv.Close()
	c := feedhttp.New(&feedhttp.Options{HTTPClient: srv.Client()})

	resp, err := c.Get(context.Background(), srv.URL+"/feed.json", &feedhttp.Request{Accept: "application/json"})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(resp.StatusCode, string(resp.Body), resp.Info.Bytes, "bytes")

	// The second request is conditional: the feed has not changed.
	_, err = c.Get(context.Background(), srv.URL+"/feed.json", nil)
	fmt.Println(errors.Is(err, feeds.ErrNotModified))
	// Output:
	// 200 {"vulnerabilities": []} 23 bytes
	// true
}

func ExampleRedact() {
	fmt.Println(feedhttp.Redact("https://user:secret@feeds.example/kev.json"))
	// Output:
	// https://user:xxxxx@feeds.example/kev.json
}
