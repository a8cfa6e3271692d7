// Package fetch performs the one HTTP operation every feed adapter needs: a
// GET with a context, a body size limit and typed errors.
//
// [Get] sends the request with a User-Agent (DefaultUserAgent unless
// [Options] says otherwise), an optional Accept and extra headers, and
// returns a [Response] whose body has been read in full. A nil *Options
// means all defaults: a new client with DefaultTimeout and a body limit of
// DefaultMaxBytes.
//
// # Errors
//
//   - a status outside 2xx (other than 304) is a *feeds.HTTPError carrying
//     the status and the Retry-After hint (see [ParseRetryAfter]);
//   - 304 Not Modified wraps [feeds.ErrNotModified];
//   - a body longer than MaxBytes wraps [feeds.ErrTooLarge];
//   - transport errors, including context cancellation and client timeouts,
//     are wrapped as "GET <url>: …" so errors.Is(err, context.Canceled)
//     works.
//
// URLs in errors have any password redacted (see [Redact]).
package fetch
