package sniff

import (
	"bytes"
)

// bom is the UTF-8 byte order mark.
const bom = "\xef\xbb\xbf"

// TrimBOM returns b without a leading UTF-8 byte order mark.
func TrimBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte(bom)) }

// TrimLeft returns b without a leading byte order mark and whitespace.
func TrimLeft(b []byte) []byte {
	return bytes.TrimLeft(TrimBOM(b), " \t\r\n\f\v")
}

// HTML reports whether b is an HTML document: after an optional byte order
// mark and whitespace it starts with "<!doctype html" or "<html"
// (case-insensitive), possibly after XML declarations and comments. Error
// pages served with status 200 in place of a feed look like this.
func HTML(b []byte) bool {
	b = TrimLeft(b)
	// Skip a bounded number of <?xml …?> declarations and <!-- … --> comments.
	for range 8 {
		switch {
		case hasPrefixFold(b, "<?xml"):
			i := bytes.Index(b, []byte("?>"))
			if i < 0 {
				return false
			}
			b = TrimLeft(b[i+2:])
		case bytes.HasPrefix(b, []byte("<!--")):
			i := bytes.Index(b, []byte("-->"))
			if i < 0 {
				return false
			}
			b = TrimLeft(b[i+3:])
		default:
			return isHTMLStart(b)
		}
	}
	return isHTMLStart(b)
}

func isHTMLStart(b []byte) bool {
	if hasPrefixFold(b, "<!doctype") {
		rest := bytes.TrimLeft(b[len("<!doctype"):], " \t\r\n")
		return hasPrefixFold(rest, "html")
	}
	if hasPrefixFold(b, "<html") {
		if len(b) == len("<html") {
			return true
		}
		switch b[len("<html")] {
		case '>', ' ', '\t', '\r', '\n', '/':
			return true
		}
	}
	return false
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && bytes.EqualFold(b[:len(prefix)], []byte(prefix))
}
