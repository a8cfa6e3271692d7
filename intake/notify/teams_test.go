package notify_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/intake/notify"
)

// teamsBody is a Teams webhook message with an Adaptive Card, as
// Microsoft's documentation describes it.
type teamsBody struct {
	Type        string `json:"type"`
	Attachments []struct {
		ContentType string  `json:"contentType"`
		ContentURL  *string `json:"contentUrl"`
		Content     struct {
			Schema  string            `json:"$schema"`
			Type    string            `json:"type"`
			Version string            `json:"version"`
			MSTeams map[string]string `json:"msteams"`
			Body    []teamsElem       `json:"body"`
			Actions []struct {
				Type  string `json:"type"`
				Title string `json:"title"`
				URL   string `json:"url"`
			} `json:"actions"`
		} `json:"content"`
	} `json:"attachments"`
}

type teamsElem struct {
	Type      string      `json:"type"`
	Text      string      `json:"text"`
	Weight    string      `json:"weight"`
	Size      string      `json:"size"`
	Wrap      bool        `json:"wrap"`
	IsSubtle  bool        `json:"isSubtle"`
	Separator bool        `json:"separator"`
	Items     []teamsElem `json:"items"`
	Facts     []teamsFact `json:"facts"`
}

type teamsFact struct {
	Title string `json:"title"`
	Value string `json:"value"`
}

func TestTeamsNotify(t *testing.T) {
	rec := newRecorder(t, answer(202, ""))
	tm := &notify.Teams{URL: rec.URL + "/workflows/abc/triggers/manual/paths/invoke"}
	d, err := tm.Notify(context.Background(), sample())
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != 202 || d.Ref != "202 Accepted" {
		t.Errorf("Delivery = %+v", d)
	}
	r := rec.only(t)
	if r.method != "POST" || r.path != "/workflows/abc/triggers/manual/paths/invoke" || r.header.Get("Content-Type") != "application/json" {
		t.Errorf("request %s %s %q", r.method, r.path, r.header.Get("Content-Type"))
	}
	var p teamsBody
	decodeStrict(t, r.body, &p)
	if p.Type != "message" || len(p.Attachments) != 1 {
		t.Fatalf("envelope = %+v", p)
	}
	a := p.Attachments[0]
	if a.ContentType != "application/vnd.microsoft.card.adaptive" || a.ContentURL != nil {
		t.Errorf("attachment contentType %q contentUrl %v", a.ContentType, a.ContentURL)
	}
	c := a.Content
	if c.Type != "AdaptiveCard" || c.Version != "1.4" || c.Schema != "http://adaptivecards.io/schemas/adaptive-card.json" {
		t.Errorf("card header %q %q %q", c.Type, c.Version, c.Schema)
	}
	want := []teamsElem{
		{Type: "TextBlock", Text: "P1 CVE-2024-3400: PAN-OS GlobalProtect command injection", Weight: "Bolder", Size: "Medium", Wrap: true},
		{Type: "Container", Separator: true, Items: []teamsElem{
			{Type: "TextBlock", Text: "PAN-OS GlobalProtect command injection", Weight: "Bolder", Wrap: true},
			{Type: "FactSet", Facts: []teamsFact{
				{"Case", "CVE-2024-3400"}, {"Priority", "P1"}, {"KEV", "yes \\(known exploited\\)"},
				{"Decision", "actionable"}, {"Due", "2026-03-04"}, {"Owner", "akhan"},
				{"Source", "cisa-kev"}, {"Group", "cisa"},
			}},
			{Type: "TextBlock", Text: "KEV-listed\nfirewall fw-edge-1 runs 10.2.9", Wrap: true},
			{Type: "TextBlock", Text: "[Advisory](https://security.paloaltonetworks.com/CVE-2024-3400) · [nvd.nist.gov](https://nvd.nist.gov/vuln/detail/CVE-2024-3400)", Wrap: true},
		}},
	}
	if diff := cmp.Diff(want, c.Body); diff != "" {
		t.Errorf("card body (-want +got):\n%s", diff)
	}
	if len(c.Actions) != 1 || c.Actions[0].Type != "Action.OpenUrl" || c.Actions[0].URL != "https://security.paloaltonetworks.com/CVE-2024-3400" {
		t.Errorf("actions = %+v", c.Actions)
	}
}

func TestTeamsAnswers(t *testing.T) {
	for _, tt := range []struct {
		name      string
		status    int
		body      string
		ok        bool
		permanent bool
	}{
		{"workflows_202", 202, "", true, false},
		{"legacy_200_1", 200, "1", true, false},
		{"legacy_delivery_failed", 200, "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429", false, false},
		{"bad_card_400", 400, "Summary or Text is required.", false, true},
		{"expired_url_404", 404, "", false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, answer(tt.status, tt.body))
			_, err := (&notify.Teams{URL: rec.URL}).Notify(context.Background(), sample())
			if tt.ok != (err == nil) || err != nil && notify.Permanent(err) != tt.permanent {
				t.Errorf("Notify = %v; want ok=%v permanent=%v", err, tt.ok, tt.permanent)
			}
			if err != nil && tt.body != "" && !strings.Contains(err.Error(), tt.body[:20]) {
				t.Errorf("error %v does not carry the body", err)
			}
		})
	}
}

func TestTeamsDigestCapped(t *testing.T) {
	rec := newRecorder(t, answer(202, ""))
	m := sample()
	m.Digest = true
	m.Items = nil
	for i := range 23 {
		m.Items = append(m.Items, notify.Item{CaseID: fmt.Sprintf("CVE-2026-%04d", i), Title: "t", Priority: "P4"})
	}
	if _, err := (&notify.Teams{URL: rec.URL}).Notify(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	var p teamsBody
	decodeStrict(t, rec.only(t).body, &p)
	body := p.Attachments[0].Content.Body
	// subject, count, 20 items, "and 3 more"
	if len(body) != 23 || body[1].Text != "23 items" || body[22].Text != "…and 3 more (see the e-mail or the case list)" {
		t.Errorf("digest card has %d elements: first %+v last %+v", len(body), body[1], body[len(body)-1])
	}
	if len(p.Attachments[0].Content.Actions) != 0 {
		t.Errorf("digest has actions: %+v", p.Attachments[0].Content.Actions)
	}
}
