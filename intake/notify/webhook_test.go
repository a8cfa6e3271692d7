package notify_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/intake/notify"
)

// specVector is the Standard Webhooks test vector (testdata/standard-webhooks/SOURCES.md).
type specVector struct {
	Secret    string `json:"secret"`
	MsgID     string `json:"msg_id"`
	Timestamp int64  `json:"timestamp"`
	Payload   string `json:"payload"`
	Signature string `json:"signature"`
}

func loadVector(t *testing.T) specVector {
	t.Helper()
	b, err := os.ReadFile("testdata/standard-webhooks/vector.json")
	if err != nil {
		t.Fatal(err)
	}
	var v specVector
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSignSpecVector(t *testing.T) {
	v := loadVector(t)
	got, err := notify.Sign(v.Secret, v.MsgID, time.Unix(v.Timestamp, 0), []byte(v.Payload))
	if err != nil {
		t.Fatal(err)
	}
	if got != v.Signature {
		t.Errorf("Sign = %q, want the specification's %q", got, v.Signature)
	}
	// The reference libraries accept the secret without its prefix too.
	got, err = notify.Sign(strings.TrimPrefix(v.Secret, "whsec_"), v.MsgID, time.Unix(v.Timestamp, 0), []byte(v.Payload))
	if err != nil || got != v.Signature {
		t.Errorf("Sign without whsec_ = %q, %v; want %q", got, err, v.Signature)
	}
	h := http.Header{}
	h.Set("webhook-id", v.MsgID)
	h.Set("webhook-timestamp", strconv.FormatInt(v.Timestamp, 10))
	h.Set("webhook-signature", v.Signature)
	if err := notify.Verify(v.Secret, h, []byte(v.Payload), time.Unix(v.Timestamp+10, 0), 0); err != nil {
		t.Errorf("Verify(spec vector) = %v", err)
	}
}

func TestVerify(t *testing.T) {
	v := loadVector(t)
	now := time.Unix(v.Timestamp, 0)
	otherSecret := "whsec_" + base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	body := []byte(v.Payload)
	sigAt := func(secret string, ts time.Time, b []byte) string {
		s, err := notify.Sign(secret, v.MsgID, ts, b)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	headers := func(ts time.Time, sig string) http.Header {
		h := http.Header{}
		h.Set("webhook-id", v.MsgID)
		h.Set("webhook-timestamp", strconv.FormatInt(ts.Unix(), 10))
		h.Set("webhook-signature", sig)
		return h
	}
	wrong := "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="
	for _, tt := range []struct {
		name      string
		secret    string
		header    http.Header
		body      []byte
		now       time.Time
		tolerance time.Duration
		want      error
	}{
		{"valid", v.Secret, headers(now, v.Signature), body, now, 0, nil},
		{"tampered_body", v.Secret, headers(now, v.Signature), []byte(`{"test": 2432232315}`), now, 0, notify.ErrSignature},
		{"wrong_secret", otherSecret, headers(now, v.Signature), body, now, 0, notify.ErrSignature},
		{"signed_with_other_secret", v.Secret, headers(now, sigAt(otherSecret, now, body)), body, now, 0, notify.ErrSignature},
		{"too_old", v.Secret, headers(now, v.Signature), body, now.Add(6 * time.Minute), 0, notify.ErrTimestamp},
		{"too_new", v.Secret, headers(now, v.Signature), body, now.Add(-6 * time.Minute), 0, notify.ErrTimestamp},
		{"within_default_tolerance", v.Secret, headers(now, v.Signature), body, now.Add(4 * time.Minute), 0, nil},
		{"outside_custom_tolerance", v.Secret, headers(now, v.Signature), body, now.Add(31 * time.Second), 30 * time.Second, notify.ErrTimestamp},
		{"several_signatures_one_valid", v.Secret, headers(now, wrong+" v2,"+strings.TrimPrefix(v.Signature, "v1,")+" "+v.Signature+" "+wrong), body, now, 0, nil},
		{"several_signatures_none_valid", v.Secret, headers(now, wrong+" "+wrong), body, now, 0, notify.ErrSignature},
		{"right_value_wrong_version", v.Secret, headers(now, "v1a,"+strings.TrimPrefix(v.Signature, "v1,")), body, now, 0, notify.ErrSignature},
		{"garbage_signature", v.Secret, headers(now, "v1,!!!not-base64"), body, now, 0, notify.ErrSignature},
		{"timestamp_resigned_but_header_old", v.Secret, headers(now, sigAt(v.Secret, now.Add(time.Second), body)), body, now, 0, notify.ErrSignature},
		{"missing_id", v.Secret, func() http.Header { h := headers(now, v.Signature); h.Del("webhook-id"); return h }(), body, now, 0, notify.ErrSignature},
		{"missing_signature", v.Secret, func() http.Header { h := headers(now, v.Signature); h.Del("webhook-signature"); return h }(), body, now, 0, notify.ErrSignature},
		{"non_numeric_timestamp", v.Secret, func() http.Header { h := headers(now, v.Signature); h.Set("webhook-timestamp", "yesterday"); return h }(), body, now, 0, notify.ErrSignature},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := notify.Verify(tt.secret, tt.header, tt.body, tt.now, tt.tolerance)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
	if err := notify.Verify("whsec_%%%", headers(now, v.Signature), body, now, 0); err == nil || errors.Is(err, notify.ErrSignature) {
		t.Errorf("Verify with a malformed secret = %v, want a secret error", err)
	}
}

// whEvent is the webhook body as a receiver would declare it, from the
// schema in the package documentation.
type whEvent struct {
	Type      string `json:"type"`
	Timestamp string `json:"timestamp"`
	Data      struct {
		Schema  string `json:"schema"`
		ID      string `json:"id"`
		Subject string `json:"subject"`
		Digest  bool   `json:"digest"`
		To      struct {
			ID    string `json:"id"`
			Name  string `json:"name"`
			Email string `json:"email"`
		} `json:"to"`
		Items []whItem `json:"items"`
	} `json:"data"`
}

type whItem struct {
	CaseID     string   `json:"case_id"`
	Title      string   `json:"title"`
	Priority   string   `json:"priority"`
	Decision   string   `json:"decision"`
	Owner      string   `json:"owner"`
	Source     string   `json:"source"`
	Group      string   `json:"group"`
	Why        string   `json:"why"`
	URL        string   `json:"url"`
	Due        string   `json:"due"`
	KEV        bool     `json:"kev"`
	References []string `json:"references"`
}

func decodeStrict(t *testing.T, b []byte, v any) {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}

func TestWebhookNotify(t *testing.T) {
	secretKey := bytes.Repeat([]byte("k"), 32)
	secret := "whsec_" + base64.StdEncoding.EncodeToString(secretKey)
	rec := newRecorder(t, answer(http.StatusNoContent, ""))
	sendAt := t0.Add(90 * time.Second)
	w := &notify.Webhook{Label: "ops-webhook", URL: rec.URL + "/hooks/sigwatch", Secret: secret,
		Header: http.Header{"X-Api-Key": {"gw-key"}}, Now: func() time.Time { return sendAt }}
	if err := w.Validate(); err != nil {
		t.Fatal(err)
	}
	d, err := w.Notify(context.Background(), sample())
	if err != nil {
		t.Fatal(err)
	}
	if want := (notify.Delivery{Ref: "204 No Content", Status: 204, ID: "case-CVE-2024-3400-routed-1"}); d != want {
		t.Errorf("Delivery = %+v, want %+v", d, want)
	}
	if w.Name() != "ops-webhook" || (&notify.Webhook{}).Name() != "webhook" {
		t.Errorf("Name = %q / %q", w.Name(), (&notify.Webhook{}).Name())
	}
	r := rec.only(t)
	if r.method != http.MethodPost || r.path != "/hooks/sigwatch" {
		t.Errorf("request %s %s", r.method, r.path)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if r.header.Get("X-Api-Key") != "gw-key" {
		t.Errorf("extra header lost: %v", r.header)
	}
	if got := r.header.Get("webhook-id"); got != "case-CVE-2024-3400-routed-1" {
		t.Errorf("webhook-id = %q", got)
	}
	if got, want := r.header.Get("webhook-timestamp"), "1772442090"; got != want { // date -d 2026-03-02T09:01:30Z +%s
		t.Errorf("webhook-timestamp = %q, want %q (send time)", got, want)
	}
	// The signature, computed here with crypto/hmac directly.
	mac := hmac.New(sha256.New, secretKey)
	mac.Write([]byte("case-CVE-2024-3400-routed-1.1772442090."))
	mac.Write(r.body)
	if got, want := r.header.Get("webhook-signature"), "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)); got != want {
		t.Errorf("webhook-signature = %q, want %q", got, want)
	}
	if err := notify.Verify(secret, r.header, r.body, sendAt, 0); err != nil {
		t.Errorf("Verify(own delivery) = %v", err)
	}

	var ev whEvent
	decodeStrict(t, r.body, &ev)
	if ev.Type != "case.routed" || ev.Timestamp != "2026-03-02T09:00:00Z" {
		t.Errorf("type, timestamp = %q, %q", ev.Type, ev.Timestamp)
	}
	if ev.Data.Schema != "sigwatch.notify/v1" || ev.Data.ID != "case-CVE-2024-3400-routed-1" || ev.Data.Digest {
		t.Errorf("data header = %+v", ev.Data)
	}
	if ev.Data.To.ID != "akhan" || ev.Data.To.Email != "aisha.khan@example.com" || ev.Data.To.Name != "Aisha Khan" {
		t.Errorf("to = %+v", ev.Data.To)
	}
	want := []whItem{{
		CaseID: "CVE-2024-3400", Title: "PAN-OS GlobalProtect command injection", Priority: "P1",
		Decision: "actionable", Owner: "akhan", Source: "cisa-kev", Group: "cisa",
		Why: "KEV-listed\nfirewall fw-edge-1 runs 10.2.9", URL: "https://security.paloaltonetworks.com/CVE-2024-3400",
		Due: "2026-03-04T09:00:00Z", KEV: true, References: []string{"https://nvd.nist.gov/vuln/detail/CVE-2024-3400"},
	}}
	if diff := cmp.Diff(want, ev.Data.Items); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
}

func TestWebhookIDStableAndSafe(t *testing.T) {
	if got := notify.WebhookID("msg_p5jXN8AQM9LWM0D4loKWxJek"); got != "msg_p5jXN8AQM9LWM0D4loKWxJek" {
		t.Errorf("safe ID changed: %q", got)
	}
	// An ID with '.' (which separates the signed fields) is hashed.
	sum := sha256.Sum256([]byte("case:CVE-2024-3400.routed"))
	if got, want := notify.WebhookID("case:CVE-2024-3400.routed"), "msg_"+hex.EncodeToString(sum[:16]); got != want {
		t.Errorf("WebhookID = %q, want %q", got, want)
	}
	// The header is the same on every attempt, and the body keeps the original ID.
	rec := newRecorder(t, answer(200, ""))
	secret, err := notify.GenerateSecret()
	if err != nil {
		t.Fatal(err)
	}
	w := &notify.Webhook{URL: rec.URL, Secret: secret}
	m := sample()
	m.ID = "case:CVE-2024-3400.routed"
	for range 2 {
		if _, err := w.Notify(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, r := range rec.reqs {
		if got := r.header.Get("webhook-id"); got != "msg_"+hex.EncodeToString(sum[:16]) {
			t.Errorf("webhook-id = %q", got)
		}
		var ev whEvent
		decodeStrict(t, r.body, &ev)
		if ev.Data.ID != m.ID {
			t.Errorf("data.id = %q, want %q", ev.Data.ID, m.ID)
		}
	}
}

func TestWebhookConfigErrors(t *testing.T) {
	rec := newRecorder(t, answer(200, ""))
	good, _ := notify.GenerateSecret()
	for _, tt := range []struct {
		name string
		w    *notify.Webhook
		m    func(*notify.Message)
		want error
		text string
	}{
		{"empty_secret", &notify.Webhook{URL: rec.URL}, nil, notify.ErrConfig, "empty"},
		{"not_base64", &notify.Webhook{URL: rec.URL, Secret: "whsec_not base64!"}, nil, notify.ErrConfig, "base64"},
		{"too_short", &notify.Webhook{URL: rec.URL, Secret: "whsec_c2hvcnQ="}, nil, notify.ErrConfig, "decodes to 5 bytes"},
		{"no_url", &notify.Webhook{Secret: good}, nil, notify.ErrConfig, "URL is empty"},
		{"ftp_url", &notify.Webhook{URL: "ftp://example.com/x", Secret: good}, nil, notify.ErrConfig, "scheme"},
		{"no_id", &notify.Webhook{URL: rec.URL, Secret: good}, func(m *notify.Message) { m.ID = " " }, notify.ErrMessage, "no ID"},
		{"no_kind", &notify.Webhook{URL: rec.URL, Secret: good}, func(m *notify.Message) { m.Kind = "" }, notify.ErrMessage, "no Kind"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := sample()
			if tt.m != nil {
				tt.m(m)
			}
			_, err := tt.w.Notify(context.Background(), m)
			if !errors.Is(err, tt.want) || !notify.Permanent(err) || !strings.Contains(err.Error(), tt.text) {
				t.Errorf("Notify = %v; want permanent %v containing %q", err, tt.want, tt.text)
			}
		})
	}
	if len(rec.reqs) != 0 {
		t.Errorf("%d requests sent with a bad configuration", len(rec.reqs))
	}
	s, _ := notify.GenerateSecret()
	if k, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, "whsec_")); err != nil || len(k) != 32 || !strings.HasPrefix(s, "whsec_") {
		t.Errorf("GenerateSecret = %q (%d bytes, %v)", s, len(k), err)
	}
}
