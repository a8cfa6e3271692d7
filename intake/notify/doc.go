// Package notify sends intake's notifications: one [Message] to one
// recipient, once, through one [Notifier], with the failure classified so
// the caller knows whether to retry. Retries, digests, routing and the
// record of each delivery on its case belong to package intake, which
// imports this one.
//
// # Notifiers
//
//   - [Webhook]: a JSON event ([WebhookEvent]) signed the Standard Webhooks
//     way; receivers check it with [Verify].
//   - [Slack]: a Slack incoming webhook, mrkdwn section blocks.
//   - [Teams]: a Microsoft Teams Workflows (or legacy connector) webhook, an
//     Adaptive Card 1.4.
//   - [SMTP]: one e-mail through an SMTP server, STARTTLS and AUTH PLAIN.
//   - [Jira]: one issue through the Jira REST API version 2.
//   - [Func]: a notifier from a function, for tests and one-off channels.
//
// Each is a struct of exported fields whose zero values mean defaults; a
// Validate method checks the configuration at start-up, and Notify checks
// it again on every call. All are safe for concurrent use and keep no
// state between calls. The HTTP notifiers take an optional *http.Client;
// the default has a 30 s timeout and does not follow redirects (a 3xx is a
// permanent error naming the new location).
//
// # Text
//
// [Text] renders a message as plain text, one block per item; the e-mail
// and the Jira description are this text. Feed-derived text is hostile:
// every notifier makes subjects and titles one line (CR, LF and other
// control characters removed), escapes what its far end would interpret
// (Slack's &, <, >; Markdown in Teams cards; wiki markup in Jira), and
// builds e-mail headers so that no value can add a header.
//
// # Errors
//
// A failed Notify returns an [*Error]: Permanent when retrying the same
// message cannot help (HTTP 4xx other than 408, 425 and 429; a 3xx; SMTP
// 5yz; a configuration error wrapping [ErrConfig]; a message error wrapping
// [ErrMessage]), temporary otherwise (HTTP 408, 425, 429 and 5xx; SMTP 4yz;
// connection refused, reset or timed out), with RetryAfter set from a
// Retry-After header (delay seconds or HTTP date). [Permanent] and
// [RetryAfter] read them through any wrapping. When ctx is cancelled or its
// deadline passes, Notify returns the context's error (wrapped, so
// errors.Is(err, context.Canceled) holds) rather than an *Error.
//
// # Webhook payload
//
// The webhook body is one JSON object, compact, in the shape the Standard
// Webhooks specification recommends; data.schema names its version
// ([WebhookSchema], "sigwatch.notify/v1"). Fields may be added within a
// version; none is removed or changes meaning.
//
//	{
//	  "type": "case.routed",               // Message.Kind
//	  "timestamp": "2026-03-02T09:00:00Z", // Message.Time, RFC 3339 UTC
//	  "data": {
//	    "schema": "sigwatch.notify/v1",
//	    "id": "…",                         // Message.ID, the idempotency key
//	    "subject": "…",
//	    "digest": true,                    // omitted when false
//	    "to": {"id": "akhan", "name": "Aisha Khan", "email": "…"},
//	    "items": [{
//	      "case_id": "CVE-2024-3400", "title": "…", "priority": "P1",
//	      "decision": "actionable", "owner": "akhan", "source": "cisa-kev",
//	      "group": "cisa", "why": "…", "url": "https://…",
//	      "due": "2026-03-04T09:00:00Z", "kev": true, "references": ["https://…"]
//	    }]
//	  }
//	}
//
// Empty fields other than case_id are omitted. The headers are webhook-id ([WebhookID] of
// Message.ID, the same on every retry), webhook-timestamp (unix seconds of
// this attempt) and webhook-signature ("v1," and the base64 HMAC-SHA256 of
// "id.timestamp.body" keyed with the base64-decoded secret that follows
// "whsec_"). [Verify] accepts a request when the timestamp is within the
// tolerance and any of the space-separated signatures matches.
package notify
