package intake_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"

	"github.com/sigwatch/sigwatch/feeds/kevfeed"
)

// TestRunRecordsFetchHealth runs the real KEV adapter against a loopback
// server twice: the first run fetches the catalog and records the HTTP
// exchange; the second is answered 304 and is a success with nothing to do.
func TestRunRecordsFetchHealth(t *testing.T) {
	body, err := os.ReadFile("../feeds/kevfeed/testdata/known_exploited_vulnerabilities_2025-08-21.json")
	if err != nil {
		t.Fatal(err)
	}
	var conditional atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"2025.08.21"` {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"2025.08.21"`)
		w.Write(body)
	}))
	defer srv.Close()

	clk := newClock()
	p := newPipeline(t, clk, kevfeed.New(&kevfeed.Options{URL: srv.URL + "/kev.json", HTTPClient: srv.Client()}))
	res, err := p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sr := res.Sources[0]
	if sr.Err != nil || sr.Count != 1401 || sr.NotModified || res.New != 1401 {
		t.Fatalf("first run: %+v, new %d", sr, res.New)
	}
	if len(sr.Fetches) != 1 {
		t.Fatalf("first run recorded %d fetches, want 1", len(sr.Fetches))
	}
	fi := sr.Fetches[0]
	if fi.URL != srv.URL+"/kev.json" || fi.StatusCode != 200 || fi.Bytes != int64(len(body)) || fi.ETag != `"2025.08.21"` || fi.Attempts != 1 {
		t.Errorf("FetchInfo = %+v", fi)
	}

	res, err = p.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sr = res.Sources[0]
	if sr.Err != nil || !sr.NotModified || sr.Count != 0 || res.New != 0 || res.Updated != 0 || res.Err() != nil {
		t.Fatalf("second run: %+v (err %v)", sr, res.Err())
	}
	if len(sr.Fetches) != 1 || !sr.Fetches[0].NotModified || sr.Fetches[0].StatusCode != 304 || conditional.Load() != 1 {
		t.Errorf("second run fetches = %+v", sr.Fetches)
	}
	if n := len(allCases(t, p)); n != 1401 {
		t.Errorf("%d cases after the 304, want the 1401 from the first run", n)
	}
}
