// Package textx holds small text helpers for untrusted text, shared by the
// feed adapters, the notifiers, the KPI report and the command line.
//
// [Clip] shortens untrusted text before it goes into an error or warning
// message, so that a hostile feed cannot fill a log line, without splitting
// a UTF-8 sequence. [OneLine] keeps untrusted text on one line and drops
// the control and bidirectional formatting characters that could drive a
// terminal or make text read differently from what it is.
package textx
