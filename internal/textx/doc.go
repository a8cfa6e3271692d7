// Package textx holds small text helpers shared by the feed adapters.
//
// [Clip] shortens untrusted text before it goes into an error or warning
// message, so that a hostile feed cannot fill a log line, without splitting
// a UTF-8 sequence.
package textx
