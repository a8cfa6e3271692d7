package notify

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/internal/textx"
)

// WebhookSchema names the version of the webhook payload's data. It
// changes only when a field is removed or changes meaning; fields may be
// added within a version.
const WebhookSchema = "sigwatch.notify/v1"

// WebhookEvent is the JSON body the [Webhook] notifier posts, in the shape
// the Standard Webhooks specification recommends.
type WebhookEvent struct {
	// Type is Message.Kind: "case.routed", "case.revised", "case.digest".
	Type string `json:"type"`
	// Timestamp is when the event occurred (Message.Time), not when this
	// attempt was sent (the webhook-timestamp header says that).
	Timestamp time.Time   `json:"timestamp"`
	Data      WebhookData `json:"data"`
}

// WebhookData is the event's data.
type WebhookData struct {
	// Schema is [WebhookSchema].
	Schema string `json:"schema"`
	// ID is Message.ID, the idempotency key (also sent, or derived into,
	// the webhook-id header).
	ID      string    `json:"id"`
	Subject string    `json:"subject"`
	Digest  bool      `json:"digest,omitempty"`
	To      Recipient `json:"to"`
	Items   []Item    `json:"items"`
}

// Standard Webhooks header names.
const (
	HeaderWebhookID        = "webhook-id"
	HeaderWebhookTimestamp = "webhook-timestamp"
	HeaderWebhookSignature = "webhook-signature"
)

// DefaultTolerance is the clock skew [Verify] accepts when given 0.
const DefaultTolerance = 5 * time.Minute

// ErrSignature is returned by [Verify] when no signature matches, or the
// signature headers are missing or malformed.
var ErrSignature = errors.New("notify: webhook signature does not verify")

// ErrTimestamp is returned by [Verify] when webhook-timestamp is outside the
// tolerance (a replay, or a badly wrong clock).
var ErrTimestamp = errors.New("notify: webhook timestamp outside tolerance")

// Webhook posts a signed JSON event ([WebhookEvent]) to URL, following the
// Standard Webhooks specification (https://www.standardwebhooks.com): the
// headers webhook-id, webhook-timestamp and webhook-signature, the latter
// "v1," and the base64 HMAC-SHA256 of "id.timestamp.body" keyed with the
// secret. Receivers check it with [Verify] or any Standard Webhooks library.
//
// Any 2xx answer is success.
type Webhook struct {
	// Label is the notifier's name in delivery records. Optional: defaults
	// to "webhook".
	Label string
	// URL receives the POST. Required.
	URL string
	// Secret is the signing secret: "whsec_" followed by the base64 of 24
	// to 64 random bytes ([GenerateSecret] makes one). The prefix may be
	// left off. Required; a malformed secret is an [ErrConfig] error.
	Secret string
	// Header holds extra request headers (an API gateway's key, say).
	// Optional.
	Header http.Header
	// HTTPClient sends the request. Optional: defaults to a client with a
	// 30 s timeout that does not follow redirects.
	HTTPClient *http.Client
	// Now is the clock for webhook-timestamp. Optional: defaults to time.Now.
	Now func() time.Time
}

// Name returns Label or "webhook".
func (w *Webhook) Name() string {
	if w.Label != "" {
		return w.Label
	}
	return "webhook"
}

// Validate checks the configuration without sending anything, so a bad
// secret or URL is found at start-up.
func (w *Webhook) Validate() error {
	if _, err := checkURL(w.Name(), "URL", w.URL); err != nil {
		return err
	}
	if _, err := decodeSecret(w.Secret); err != nil {
		return permanentf(w.Name(), ErrConfig, "%v", err)
	}
	return nil
}

// Notify posts m as a [WebhookEvent]. Message.Kind is required: it is the
// event type.
func (w *Webhook) Notify(ctx context.Context, m *Message) (Delivery, error) {
	name := w.Name()
	if err := checkMessage(name, m, w.Validate); err != nil {
		return Delivery{}, err
	}
	key, _ := decodeSecret(w.Secret)
	kind := textx.OneLine(m.Kind)
	if kind == "" {
		return Delivery{}, permanentf(name, ErrMessage, "message %q has no Kind (the webhook event type)", m.ID)
	}
	now := clock(w.Now)
	at := m.Time
	if at.IsZero() {
		at = now
	}
	ev := WebhookEvent{
		Type:      kind,
		Timestamp: at.UTC(),
		Data: WebhookData{
			Schema:  WebhookSchema,
			ID:      m.ID,
			Subject: subjectOf(m),
			Digest:  m.Digest,
			To:      m.To,
			Items:   make([]Item, len(m.Items)),
		},
	}
	for i, it := range m.Items {
		it.Title = textx.OneLine(it.Title)
		if !it.Due.IsZero() {
			it.Due = it.Due.UTC()
		}
		ev.Data.Items[i] = it
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return Delivery{}, permanentf(name, ErrMessage, "encode: %v", err)
	}
	id := WebhookID(m.ID)
	header := w.Header.Clone()
	if header == nil {
		header = http.Header{}
	}
	header.Set(HeaderWebhookID, id)
	header.Set(HeaderWebhookTimestamp, strconv.FormatInt(now.Unix(), 10))
	header.Set(HeaderWebhookSignature, sign(key, id, now.Unix(), body))
	header.Set("Content-Type", "application/json")
	res, err := post(ctx, w.HTTPClient, name, w.URL, header, body, w.Now, nil)
	if err != nil {
		return Delivery{}, err
	}
	return Delivery{Ref: res.text, Status: res.status, ID: id}, nil
}

// WebhookID is the webhook-id header sent for a message ID: the ID itself
// when it is 1 to 128 characters of letters, digits, '_' and '-', otherwise
// "msg_" and 32 hex digits of its SHA-256. The specification asks that the
// ID carry no '.', which separates the signed fields. The body's data.id
// always carries Message.ID unchanged.
func WebhookID(messageID string) string {
	ok := len(messageID) > 0 && len(messageID) <= 128
	for i := 0; ok && i < len(messageID); i++ {
		c := messageID[i]
		ok = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
	}
	if ok {
		return messageID
	}
	sum := sha256.Sum256([]byte(messageID))
	return "msg_" + hex.EncodeToString(sum[:16])
}

// GenerateSecret returns a new signing secret: "whsec_" and the base64 of
// 32 random bytes.
func GenerateSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("notify: generate secret: %w", err)
	}
	return "whsec_" + base64.StdEncoding.EncodeToString(b), nil
}

// Sign returns the webhook-signature value for one message: "v1," and the
// base64 HMAC-SHA256 of "id.timestamp.body" keyed with the decoded secret.
func Sign(secret, id string, timestamp time.Time, body []byte) (string, error) {
	key, err := decodeSecret(secret)
	if err != nil {
		return "", err
	}
	return sign(key, id, timestamp.Unix(), body), nil
}

func sign(key []byte, id string, ts int64, body []byte) string {
	return "v1," + base64.StdEncoding.EncodeToString(mac(key, id, ts, body))
}

func mac(key []byte, id string, ts int64, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(id))
	h.Write([]byte{'.'})
	h.Write([]byte(strconv.FormatInt(ts, 10)))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// decodeSecret reads "whsec_<base64>" (prefix optional) into key bytes.
func decodeSecret(secret string) ([]byte, error) {
	s := strings.TrimSpace(secret)
	if s == "" {
		return nil, errors.New("webhook secret is empty (want whsec_ and base64)")
	}
	s = strings.TrimPrefix(s, "whsec_")
	key, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("webhook secret is not whsec_ followed by standard base64: %v", err)
	}
	if len(key) < 24 || len(key) > 64 {
		return nil, fmt.Errorf("webhook secret decodes to %d bytes; Standard Webhooks wants 24 to 64", len(key))
	}
	return key, nil
}

// Verify checks a received webhook: the webhook-id, webhook-timestamp and
// webhook-signature headers against body and secret. The timestamp must be
// within tolerance of now (0 means [DefaultTolerance]); any one of the
// space-separated "v1," signatures may match (several are sent while a
// secret is rotated). Comparison is constant-time.
//
// It returns nil, [ErrTimestamp], or an error wrapping [ErrSignature]; a
// malformed secret is an error of its own.
func Verify(secret string, header http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	key, err := decodeSecret(secret)
	if err != nil {
		return fmt.Errorf("notify: verify: %w", err)
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	id := header.Get(HeaderWebhookID)
	tsText := header.Get(HeaderWebhookTimestamp)
	sigs := header.Get(HeaderWebhookSignature)
	switch {
	case id == "":
		return fmt.Errorf("%w: missing %s header", ErrSignature, HeaderWebhookID)
	case tsText == "":
		return fmt.Errorf("%w: missing %s header", ErrSignature, HeaderWebhookTimestamp)
	case sigs == "":
		return fmt.Errorf("%w: missing %s header", ErrSignature, HeaderWebhookSignature)
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %s %q is not unix seconds", ErrSignature, HeaderWebhookTimestamp, clip(textx.OneLine(tsText), 40))
	}
	// The distance between two int64s fits a uint64 exactly.
	n := now.Unix()
	skew := uint64(ts) - uint64(n)
	if ts < n {
		skew = uint64(n) - uint64(ts)
	}
	if skew > uint64(tolerance/time.Second) {
		return fmt.Errorf("%w: %s is %d, now is %d", ErrTimestamp, HeaderWebhookTimestamp, ts, now.Unix())
	}
	want := mac(key, id, ts, body)
	for sig := range strings.FieldsSeq(sigs) {
		version, value, ok := strings.Cut(sig, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(value)
		if err != nil {
			continue
		}
		if hmac.Equal(got, want) {
			return nil
		}
	}
	return fmt.Errorf("%w: no v1 signature matches", ErrSignature)
}
