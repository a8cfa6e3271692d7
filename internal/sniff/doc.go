// Package sniff recognises what a body is from its first bytes, never from a
// file extension or Content-Type (formats.md, section 0).
//
// [HTML] detects HTML error pages served in place of a feed; [TrimBOM] and
// [TrimLeft] strip a UTF-8 byte order mark (and leading whitespace) before
// looking at the content.
package sniff
