package notify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/internal/textx"
)

// Message is one notification to one recipient about one or more cases; a
// digest has several items.
type Message struct {
	// ID is the idempotency key, stable across retries. The notifiers derive
	// the far end's identifier from it (webhook-id, Message-ID, a Jira
	// label). Required.
	ID string
	// Kind is what happened, lower-case and dotted: "case.routed",
	// "case.revised", "case.digest". The webhook sends it as the event type.
	Kind string
	// Time is when the message was created. The webhook's payload timestamp
	// and the e-mail's Date header use it; zero means the send time.
	Time time.Time
	To   Recipient
	// Subject is one line; the notifiers strip CR, LF and other control
	// characters. Empty means one derived from the first item.
	Subject string
	// Digest marks several low-priority items bundled into one message.
	Digest bool
	Items  []Item
}

// Recipient is the person (or team) told.
type Recipient struct {
	ID    string `json:"id,omitempty"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
}

// Item is one case as the message reports it. All text in it may come from
// a feed and is treated as hostile by every notifier.
type Item struct {
	CaseID   string `json:"case_id"`
	Title    string `json:"title,omitempty"`
	Priority string `json:"priority,omitempty"`
	Decision string `json:"decision,omitempty"`
	Owner    string `json:"owner,omitempty"`
	// Source is the feed source that delivered the advisory; Group the
	// register group whose channel it is.
	Source string `json:"source,omitempty"`
	Group  string `json:"group,omitempty"`
	// Why is the triage explanation; it may span several lines.
	Why string `json:"why,omitempty"`
	// URL links to the advisory or the case.
	URL        string    `json:"url,omitempty"`
	Due        time.Time `json:"due,omitzero"`
	KEV        bool      `json:"kev,omitempty"`
	References []string  `json:"references,omitempty"`
}

// Notifier sends notifications through one channel. Implementations must be
// safe for concurrent use. Retries, digests and routing are the caller's.
type Notifier interface {
	// Name identifies the notifier in delivery records ("slack",
	// "ops-webhook", ...).
	Name() string
	// Notify sends m once. It returns what the far end acknowledged. A
	// failure is an [*Error] saying whether a retry can help, or the
	// context's error when ctx ended first.
	Notify(ctx context.Context, m *Message) (Delivery, error)
}

// Delivery is what the far end acknowledged.
type Delivery struct {
	// Ref is the far end's reference: the Jira issue key, the SMTP server's
	// final reply text (which usually carries its queue ID), or the HTTP
	// status text.
	Ref string
	// Status is the HTTP status or the SMTP reply code.
	Status int
	// ID is the identifier the message was sent under: the webhook-id
	// header, the e-mail's Message-ID, or the Jira label derived from
	// Message.ID. Empty for Slack and Teams, which have none.
	ID string
}

// ErrConfig is wrapped by errors caused by a notifier's configuration
// (a missing URL, a malformed secret): a retry cannot help.
var ErrConfig = errors.New("notify: invalid configuration")

// ErrMessage is wrapped by errors caused by the message itself (no ID, a
// recipient without an e-mail address): a retry cannot help.
var ErrMessage = errors.New("notify: invalid message")

// Error is a failed delivery, classified for the caller's retry policy.
type Error struct {
	// Notifier is the Name of the notifier that failed.
	Notifier string
	// Permanent is true when retrying the same message cannot succeed: a
	// 4xx answer other than 408, 425 and 429, an SMTP 5yz reply, a
	// configuration or message error.
	Permanent bool
	// RetryAfter is the wait the far end asked for (Retry-After), or 0.
	RetryAfter time.Duration
	// Status is the HTTP status or SMTP reply code, 0 when there was none
	// (a network error, a configuration error).
	Status int
	Err    error
}

// Error implements the error interface.
func (e *Error) Error() string {
	kind := "temporary"
	if e.Permanent {
		kind = "permanent"
	}
	msg := fmt.Sprintf("notify: %s: %s failure: %v", e.Notifier, kind, e.Err)
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return msg
}

// Unwrap returns the underlying error, for errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.Err }

// Permanent reports whether err is an [*Error] that retrying cannot fix.
// A context error, or any other error, is not permanent.
func Permanent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Permanent
}

// RetryAfter returns the wait the far end asked for, or 0.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// Func returns a Notifier named name that calls fn: a fake for tests, or a
// one-off channel.
func Func(name string, fn func(ctx context.Context, m *Message) (Delivery, error)) Notifier {
	return funcNotifier{name, fn}
}

type funcNotifier struct {
	name string
	fn   func(ctx context.Context, m *Message) (Delivery, error)
}

func (f funcNotifier) Name() string { return f.name }
func (f funcNotifier) Notify(ctx context.Context, m *Message) (Delivery, error) {
	return f.fn(ctx, m)
}

// permanentf returns a permanent *Error wrapping sentinel with a message.
func permanentf(notifier string, sentinel error, format string, args ...any) *Error {
	return &Error{Notifier: notifier, Permanent: true, Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)}
}

// ctxError wraps the context's error; it is not an *Error, so callers see
// cancellation as such rather than as a delivery failure.
func ctxError(notifier string, err error) error {
	return fmt.Errorf("notify: %s: %w", notifier, err)
}

// checkMessage rejects messages no notifier can send.
// checkMessage refuses a message no notifier can send, then checks the
// notifier's configuration with validate (when not nil).
func checkMessage(notifier string, m *Message, validate func() error) error {
	switch {
	case m == nil:
		return permanentf(notifier, ErrMessage, "nil message")
	case strings.TrimSpace(m.ID) == "":
		return permanentf(notifier, ErrMessage, "message has no ID (the idempotency key)")
	case validate != nil:
		return validate()
	}
	return nil
}

// subjectOf is the message's one-line subject: Subject, else the first
// item's title or case ID, else the kind.
func subjectOf(m *Message) string {
	if s := textx.OneLine(m.Subject); s != "" {
		return s
	}
	if len(m.Items) > 0 {
		it := m.Items[0]
		s := textx.OneLine(it.Title)
		if id := textx.OneLine(it.CaseID); id != "" && !strings.Contains(s, id) {
			s = strings.TrimSpace(id + " " + s)
		}
		if len(m.Items) > 1 {
			s = fmt.Sprintf("%s (and %d more)", s, len(m.Items)-1)
		}
		if s != "" {
			return s
		}
	}
	if k := textx.OneLine(m.Kind); k != "" {
		return "sigwatch " + k
	}
	return "sigwatch notification"
}

// clock returns now or time.Now.
func clock(now func() time.Time) time.Time {
	if now != nil {
		return now()
	}
	return time.Now()
}

// defaultTimeout bounds one HTTP request when the caller brings no client.
const defaultTimeout = 30 * time.Second

// httpClient returns c or a client with a timeout that does not follow
// redirects (a webhook URL that redirects is a configuration to fix, and
// following a POST redirect silently turns it into a GET).
func httpClient(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return &http.Client{
		Timeout: defaultTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
