// Package feedtest is a conformance kit for feeds.Source implementations,
// in the spirit of testing/slogtest: one call checks that an adapter keeps
// the contract intake relies on.
//
// [Run] runs each check as a subtest; [Check] returns the violations as
// one joined error. A [Harness] says how to build the source and, for
// sources that fetch over HTTP, which real input files to serve from a
// loopback server the kit runs. The checks:
//
//   - Name: non-empty, no white space, the same on every call and for
//     every source the harness builds.
//   - Fetch: valid input fetches without error; every advisory has an ID;
//     no ID repeats within one Fetch; Advisory.Source is empty or the
//     source's name (provenance belongs to intake, which stamps it);
//     no Extra key uses a prefix reserved for sigwatch's own packages
//     ([ReservedExtraPrefixes]).
//   - Deterministic: two sources fetching the same input return the same
//     advisories in the same order; a second Fetch on one source returns
//     the same again or feeds.ErrNotModified (the server sends an ETag).
//   - Concurrent: four simultaneous Fetches on one source succeed (run
//     the tests with -race).
//   - CancelledContext: a cancelled context gives an error wrapping
//     context.Canceled, before the request and while the server stalls.
//   - HTTPErrors: 404, 403 and 501 answers give a *feeds.HTTPError (501,
//     not 500, so that adapters retrying 5xx answers stay fast here).
//   - HostileFetch and HostileParse: empty, white-space, HTML, binary,
//     deeply nested JSON and XML, an XML entity-expansion bomb, an external
//     entity, wrong JSON types, truncations of each valid input and
//     invalid UTF-8 spliced into it (see [Hostile]) never panic or hang;
//     most must give an error, and an error never comes with advisories.
//
// Using it in an adapter's tests:
//
//	func TestConformance(t *testing.T) {
//		feed, _ := os.ReadFile("testdata/feed.json")
//		feedtest.Run(t, feedtest.Harness{
//			New: func(baseURL string, client *http.Client) (feeds.Source, error) {
//				return isacfeed.New(&isacfeed.Options{URL: baseURL + "/feed.json", HTTPClient: client}), nil
//			},
//			Files: map[string][]byte{"/feed.json": feed},
//			Parse: func(r io.Reader) error { _, err := isacfeed.Parse(r, "feed.json"); return err },
//		})
//	}
package feedtest
