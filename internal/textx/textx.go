package textx

import "unicode/utf8"

// Clip returns s when it is at most n bytes long; otherwise its first n
// bytes or fewer, cut at the start of a UTF-8 sequence, followed by "…".
func Clip(s string, n int) string {
	if n < 0 {
		n = 0
	}
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
