// Package feedhttp is the HTTP layer every sigwatch feed adapter fetches
// through, and that custom adapters can use too: one polite GET with a
// context, a body size cap, conditional requests, retries and an optional
// guard against requests to internal addresses.
//
// A [Client] is created once per Source (or shared) with [New] and is safe
// for concurrent use. [Client.Get] returns a [Response] with the whole body,
// decoded and capped, and a [feeds.FetchInfo] describing the exchange
// (bytes, duration, status, attempts, validators); the same FetchInfo is
// reported to the observer a pipeline installs with
// [feeds.WithFetchObserver], so feed health is visible without adapters
// doing anything.
//
// # Politeness
//
//   - User-Agent: DefaultUserAgent unless Options.UserAgent says otherwise.
//   - Conditional GET: the client remembers each URL's ETag and
//     Last-Modified and sends them back. A 304 answer returns an error
//     wrapping [feeds.ErrNotModified] without reading or parsing anything.
//     Adapters call [Client.Forget] when a body fails to parse.
//   - Retries: network errors and HTTP 429, 500, 502, 503, 504 are retried
//     (Options.Retries, default 2) with exponential backoff and jitter; a
//     Retry-After header (seconds or an HTTP date) replaces the backoff,
//     and one longer than Options.MaxRetryWait ends the retries.
//   - gzip: the client asks for gzip and decodes it itself, so the size cap
//     (Options.MaxBytes, default 64 MiB) applies to the decoded body and a
//     gzip bomb stops at the cap.
//   - Guard: with Options.BlockPrivate, loopback, private, link-local,
//     unspecified, multicast and shared addresses are refused — on the URL,
//     on each redirect, and on the address actually dialled after DNS
//     resolution. Use it when feed URLs come from tenants.
//
// # Errors
//
//   - a status outside 2xx is a *feeds.HTTPError with the status and the
//     Retry-After hint;
//   - 304 after a conditional request wraps feeds.ErrNotModified;
//   - a body over the cap wraps feeds.ErrTooLarge;
//   - the guard's refusals wrap [ErrBlocked];
//   - transport errors, including cancellation and timeouts, are wrapped as
//     "GET <url>: …" so errors.Is(err, context.Canceled) works.
//
// URLs in errors and in FetchInfo have any password redacted ([Redact]).
package feedhttp
