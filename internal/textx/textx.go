package textx

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

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

// OneLine makes untrusted text safe for a single-line field or terminal
// line: invalid UTF-8 becomes U+FFFD; line breaks, tabs and runs of other
// whitespace become one space; control characters and the bidirectional
// formatting characters that [Invisible] reports are dropped; the result is
// trimmed.
func OneLine(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case Invisible(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// Invisible reports control characters and the bidirectional formatting
// characters (LRM, RLM, ALM, the embeddings, overrides and isolates, and
// the byte order mark) that can make text read differently from what it
// is. OneLine drops them; whitespace among the control characters (tab,
// line breaks) is its caller's business.
func Invisible(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r == '\u200E', r == '\u200F', r == '\u061C',
		'\u202A' <= r && r <= '\u202E',
		'\u2066' <= r && r <= '\u2069',
		r == '\uFEFF':
		return true
	}
	return false
}
