// Command customfeed is the code of docs/writing-a-feed-adapter.md: a
// feeds.Source for a MISP feed, the format many ISACs and CERTs share
// events in, written the way every sigwatch adapter is written.
//
// The walk-through has three steps, marked in misp.go: the wire types, pure
// parse functions (testable without HTTP, positioned errors, never a
// partial result), and a Source that fetches through feeds/feedhttp so
// conditional GET, retries, gzip, the size cap and feed-health reporting
// come for free. main_test.go runs the feeds/feedtest conformance kit over
// it against a loopback server.
//
// Run it on the bundled synthetic feed (served on loopback, no network):
//
//	go run ./examples/customfeed
//
// or on a real MISP feed:
//
//	go run ./examples/customfeed -url https://isac.example/misp-feed -name finance-isac
package main
