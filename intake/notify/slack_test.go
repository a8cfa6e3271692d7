package notify_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/intake/notify"
)

// slackBody is an incoming-webhook payload as Slack's documentation
// describes it.
type slackBody struct {
	Text   string `json:"text"`
	Blocks []struct {
		Type string `json:"type"`
		Text *struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"text"`
		Elements []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"elements"`
	} `json:"blocks"`
}

func TestSlackNotify(t *testing.T) {
	rec := newRecorder(t, answer(200, "ok"))
	s := &notify.Slack{URL: rec.URL + "/services/T000/B000/XXXX"}
	d, err := s.Notify(context.Background(), sample())
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != 200 || d.Ref != "200 OK" {
		t.Errorf("Delivery = %+v", d)
	}
	r := rec.only(t)
	if r.method != "POST" || r.path != "/services/T000/B000/XXXX" || r.header.Get("Content-Type") != "application/json" {
		t.Errorf("request %s %s %q", r.method, r.path, r.header.Get("Content-Type"))
	}
	var p slackBody
	decodeStrict(t, r.body, &p)
	wantText := "P1 CVE-2024-3400: PAN-OS GlobalProtect command injection: CVE-2024-3400 PAN-OS GlobalProtect command injection (P1)"
	if p.Text != wantText {
		t.Errorf("text = %q, want %q", p.Text, wantText)
	}
	var types []string
	for _, b := range p.Blocks {
		types = append(types, b.Type)
	}
	if diff := cmp.Diff([]string{"section", "divider", "section"}, types); diff != "" {
		t.Fatalf("block types (-want +got):\n%s", diff)
	}
	if got := p.Blocks[0].Text; got.Type != "mrkdwn" || got.Text != "*P1 CVE-2024-3400: PAN-OS GlobalProtect command injection*" {
		t.Errorf("head = %+v", got)
	}
	want := "*<https://security.paloaltonetworks.com/CVE-2024-3400|PAN-OS GlobalProtect command injection>*\n" +
		"CVE-2024-3400 · *Priority:* P1 · *KEV* · *Decision:* actionable · *Due:* 2026-03-04 · *Owner:* akhan\n" +
		"*Why:* KEV-listed\nfirewall fw-edge-1 runs 10.2.9\n" +
		"*Source:* cisa-kev · *Group:* cisa\n" +
		"*References:* <https://nvd.nist.gov/vuln/detail/CVE-2024-3400|nvd.nist.gov>"
	if got := p.Blocks[2].Text; got.Type != "mrkdwn" || got.Text != want {
		t.Errorf("item section:\n%s\nwant:\n%s", got.Text, want)
	}
}

func TestSlackDigestFitsLimits(t *testing.T) {
	rec := newRecorder(t, answer(200, "ok"))
	m := sample()
	m.Digest = true
	m.Subject = "Weekly digest"
	m.Items = nil
	for i := range 50 {
		m.Items = append(m.Items, notify.Item{CaseID: fmt.Sprintf("CVE-2026-%04d", i), Title: strings.Repeat("&", 2000), Priority: "P4",
			Why: strings.Repeat("<why> ", 1000)})
	}
	if _, err := (&notify.Slack{URL: rec.URL}).Notify(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	var p slackBody
	decodeStrict(t, rec.only(t).body, &p)
	if len(p.Blocks) > 50 {
		t.Errorf("%d blocks; Slack takes at most 50", len(p.Blocks))
	}
	last := p.Blocks[len(p.Blocks)-1]
	if last.Type != "context" || len(last.Elements) != 1 || last.Elements[0].Text != "…and 26 more (see the e-mail or the case list)" {
		t.Errorf("last block = %+v", last)
	}
	for i, b := range p.Blocks {
		if b.Text == nil {
			continue
		}
		if n := len([]rune(b.Text.Text)); n > 3000 {
			t.Errorf("block %d has %d characters; Slack takes at most 3000", i, n)
		}
		// Clipping never leaves half an entity.
		if s := b.Text.Text; strings.Count(s, "&") != strings.Count(s, "&amp;")+strings.Count(s, "&lt;")+strings.Count(s, "&gt;") {
			t.Errorf("block %d has a broken entity: %q", i, s[len(s)-20:])
		}
	}
}

func TestSlackErrorBodies(t *testing.T) {
	for _, tt := range []struct {
		status    int
		body      string
		permanent bool
	}{
		{400, "invalid_payload", true},
		{403, "action_prohibited", true},
		{404, "no_service", true},
		{410, "channel_is_archived", true},
		{500, "rollup_error", false},
	} {
		t.Run(tt.body, func(t *testing.T) {
			rec := newRecorder(t, answer(tt.status, tt.body))
			_, err := (&notify.Slack{URL: rec.URL}).Notify(context.Background(), sample())
			if err == nil || notify.Permanent(err) != tt.permanent || !strings.Contains(err.Error(), tt.body) {
				t.Errorf("Notify = %v; want permanent=%v mentioning %q", err, tt.permanent, tt.body)
			}
			if strings.Contains(err.Error(), rec.URL) {
				t.Errorf("error shows the webhook URL: %v", err)
			}
		})
	}
}

func TestSlackLinksOnlyWeb(t *testing.T) {
	rec := newRecorder(t, answer(200, "ok"))
	m := sample()
	m.Items[0].URL = "javascript:alert(1)"
	m.Items[0].References = []string{"https://example.com/a|b>c", "file:///etc/passwd"}
	if _, err := (&notify.Slack{URL: rec.URL}).Notify(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	var p slackBody
	decodeStrict(t, rec.only(t).body, &p)
	sec := p.Blocks[2].Text.Text
	if strings.Contains(sec, "javascript") || strings.Contains(sec, "file:") {
		t.Errorf("non-web URL linked: %q", sec)
	}
	if !strings.HasPrefix(sec, "*PAN-OS GlobalProtect command injection*\n") {
		t.Errorf("title without link = %q", sec)
	}
	if !strings.Contains(sec, "<https://example.com/a%7Cb%3Ec|example.com>") {
		t.Errorf("reference link not made safe: %q", sec)
	}
}
