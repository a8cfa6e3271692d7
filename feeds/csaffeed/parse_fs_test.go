package csaffeed

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/feeds"
)

func TestParseFSRealTree(t *testing.T) {
	res, err := ParseFS(context.Background(), os.DirFS(docDir), ".", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 0 {
		t.Errorf("Errors = %v", res.Errors)
	}
	var names []string
	for _, d := range res.Documents {
		names = append(names, d.Name)
	}
	var want []string
	for _, tc := range realDocs {
		want = append(want, tc.file)
	}
	slices.Sort(want) // realDocs is in lexical order already; ParseFS promises it
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
	var skipped []string
	for _, s := range res.Skipped {
		if !strings.HasPrefix(s.Path, "golden/") {
			skipped = append(skipped, s.Path+": "+s.Reason)
		}
	}
	wantSkipped := []string{
		"cisa/IT/changes.csv: not a .json file",
		"cisa/IT/cisa-csaf-it-feed-tlp-white.json: not a CSAF document: ROLIE feed",
		"cisa/IT/index.txt: not a .json file",
		"oasis-examples/ROLIE/example-01-category.json: not a CSAF document: ROLIE category document",
		"oasis-examples/ROLIE/example-01-service.json: not a CSAF document: ROLIE service document",
		"oasis-examples/aggregator/example-01-aggregator.json: not a CSAF document: aggregator metadata",
		"oasis-examples/provider-metadata/example-01-provider-metadata.json: not a CSAF document: provider metadata",
	}
	if diff := cmp.Diff(wantSkipped, skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
}

func TestParseFSErrors(t *testing.T) {
	good := docJSON("", "")
	fsys := fstest.MapFS{
		"a/good.json":      {Data: []byte(good)},
		"a/broken.json":    {Data: []byte(good[:40])},
		"a/page.json":      {Data: []byte("<html><body>oops</body></html>")},
		"a/other.json":     {Data: []byte(`{"hello":"world"}`)},
		"a/x.json.sha512":  {Data: []byte("abc  x.json\n")},
		"b/UPPER.JSON":     {Data: []byte(good)},
		"b/nested/z.json":  {Data: []byte(strings.Replace(good, "X-1", "X-2", 1))},
		"b/nested/yy.json": {Data: []byte(`{"document":{"tracking":{"id":"Y"}},"vulnerabilities":"none"}`)},
	}
	res, err := ParseFS(context.Background(), fsys, ".", nil)
	if err != nil {
		t.Fatal(err)
	}
	var docs []string
	for _, d := range res.Documents {
		docs = append(docs, d.Name+"="+d.ID)
	}
	if diff := cmp.Diff([]string{"a/good.json=X-1", "b/UPPER.JSON=X-1", "b/nested/z.json=X-2"}, docs); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
	wantErr := []string{"a/broken.json:", "a/other.json:1:1: not a CSAF document", "a/page.json:1:1: got an HTML page", "b/nested/yy.json:1:"}
	if len(res.Errors) != len(wantErr) {
		t.Fatalf("Errors = %v", res.Errors)
	}
	for i, e := range res.Errors {
		var pe *feeds.ParseError
		if !errors.As(e, &pe) || !strings.HasPrefix(e.Error(), wantErr[i]) {
			t.Errorf("error %d = %v, want a ParseError starting %q", i, e, wantErr[i])
		}
	}
	if res.Err() == nil {
		t.Error("Err() = nil")
	}
	if diff := cmp.Diff([]SkippedFile{{Path: "a/x.json.sha512", Reason: "not a .json file"}}, res.Skipped); diff != "" {
		t.Errorf("Skipped (-want +got):\n%s", diff)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ParseFS(ctx, fsys, ".", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
	if _, err := ParseFS(context.Background(), fsys, "missing", nil); err == nil || !strings.HasPrefix(err.Error(), "csaffeed: walk missing") {
		t.Errorf("missing root: err = %v", err)
	}
}
