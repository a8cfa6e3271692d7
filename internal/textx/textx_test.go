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

func TestOneLine(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain", "plain"},
		{"  two\r\nlines\n\n", "two lines"},                          // breaks fold to one space; trimmed
		{"tab\tand\vform\ffeed", "tab and form feed"},                // all whitespace folds
		{"a\u2028b\u2029c\u0085d", "a b c d"},                        // Unicode line separators and NEL
		{"esc\x1b[31mred\x1b[0m", "esc[31mred[0m"},                   // ESC dropped: no terminal control
		{"bell\x07nul\x00", "bellnul"},                               // other C0 controls dropped
		{"c1\u009bx", "c1x"},                                         // C1 control (CSI) dropped
		{"file\u202Egnp.exe", "filegnp.exe"},                         // RLO override dropped
		{"\u2066iso\u2069 \u200Elrm\u200F \uFEFFbom", "iso lrm bom"}, // isolates, marks, BOM
		{"bad\xffutf8", "bad\uFFFDutf8"},                             // invalid UTF-8 shown, not passed on
		{"café 日本", "café 日本"},                                       // ordinary text untouched
		{"", ""},
	} {
		if got := OneLine(tt.in); got != tt.want {
			t.Errorf("OneLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
