package textx

import (
	"testing"
	"unicode/utf8"
)

func TestClip(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"longer than ten", 10, "longer tha…"},
		{"caf\u00e9 au lait", 4, "caf…"}, // é is bytes 3-4: cutting at 4 would split it
		{"caf\u00e9 au lait", 5, "café…"},
		{"\u65e5\u672c\u8a9e", 4, "日…"},
		{"x", 0, "…"},
		{"x", -1, "…"},
	} {
		got := Clip(tt.in, tt.n)
		if got != tt.want || !utf8.ValidString(got) {
			t.Errorf("Clip(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
