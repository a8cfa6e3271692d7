package register_test

import (
	"maps"
	"testing"

	"github.com/sigwatch/sigwatch/register"
)

func TestSourceKinds(t *testing.T) {
	r := &register.Register{Groups: []register.Group{
		{ID: "cisa", Channels: []register.Channel{{Kind: "kev"}}},
		{ID: "ncsc", Channels: []register.Channel{{Kind: "RSS", Source: "ncsc-all"}, {Kind: "manual", Source: "ncsc-briefings"}}},
		{ID: "other", Channels: []register.Channel{{Kind: "csaf", Source: "ncsc-all"}}}, // same source: the first wins
	}}
	want := map[string]string{"cisa-kev": "kev", "ncsc-all": "rss", "ncsc-briefings": "manual"}
	if got := r.SourceKinds(); !maps.Equal(got, want) {
		t.Fatalf("SourceKinds = %v, want %v", got, want)
	}
}
