package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/internal/textx"
)

// Teams posts an Adaptive Card (version 1.4) to a Microsoft Teams Workflows
// webhook ("Post to a channel when a webhook request is received") or a
// legacy Office 365 connector URL:
//
//	{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{…}}]}
//
// TextBlocks render a subset of Markdown, so every feed-derived string has
// the characters that subset (and CommonMark, which it follows) gives
// meaning to escaped with a backslash: a title cannot become a link, an
// image, emphasis, a list or an HTML tag. Links are made only from http and
// https URLs.
//
// Workflows answer 202 Accepted, legacy connectors 200 with the body "1";
// both are success. A legacy connector that answers 200 with "Webhook
// message delivery failed…" in the body failed, temporarily.
type Teams struct {
	// Label is the notifier's name in delivery records. Optional: defaults
	// to "teams".
	Label string
	// URL is the Workflows or connector URL (it holds a signature; errors
	// never show its path). Required.
	URL string
	// HTTPClient sends the request. Optional: defaults to a client with a
	// 30 s timeout that does not follow redirects.
	HTTPClient *http.Client
	// Now is the clock for Retry-After dates. Optional: defaults to time.Now.
	Now func() time.Time
}

// teamsMaxItems keeps a digest's card well under the 28 KB Teams accepts.
const teamsMaxItems = 20

// Name returns Label or "teams".
func (t *Teams) Name() string {
	if t.Label != "" {
		return t.Label
	}
	return "teams"
}

// Validate checks the configuration without sending anything.
func (t *Teams) Validate() error {
	_, err := checkURL(t.Name(), "URL", t.URL)
	return err
}

// Notify posts m as an Adaptive Card.
func (t *Teams) Notify(ctx context.Context, m *Message) (Delivery, error) {
	name := t.Name()
	if err := checkMessage(name, m, t.Validate); err != nil {
		return Delivery{}, err
	}
	body, err := json.Marshal(teamsMessage(m))
	if err != nil {
		return Delivery{}, permanentf(name, ErrMessage, "encode: %v", err)
	}
	res, err := post(ctx, t.HTTPClient, name, t.URL, nil, body, t.Now, nil)
	if err != nil {
		return Delivery{}, err
	}
	if text := string(res.body); strings.Contains(text, "Webhook message delivery failed") {
		return Delivery{}, &Error{Notifier: name, Status: res.status, Err: statusErr{res.status, "HTTP " + res.text + ": " + bodyText(res.body)}}
	}
	return Delivery{Ref: res.text, Status: res.status}, nil
}

type teamsEnvelope struct {
	Type        string            `json:"type"`
	Attachments []teamsAttachment `json:"attachments"`
}

type teamsAttachment struct {
	ContentType string    `json:"contentType"`
	ContentURL  *string   `json:"contentUrl"`
	Content     teamsCard `json:"content"`
}

type teamsCard struct {
	Schema  string           `json:"$schema"`
	Type    string           `json:"type"`
	Version string           `json:"version"`
	MSTeams map[string]any   `json:"msteams,omitempty"`
	Body    []map[string]any `json:"body"`
	Actions []map[string]any `json:"actions,omitempty"`
}

func teamsMessage(m *Message) teamsEnvelope {
	card := teamsCard{
		Schema:  "http://adaptivecards.io/schemas/adaptive-card.json",
		Type:    "AdaptiveCard",
		Version: "1.4",
		MSTeams: map[string]any{"width": "Full"},
	}
	card.Body = append(card.Body, map[string]any{
		"type": "TextBlock", "text": teamsEscape(clip(subjectOf(m), 300)),
		"weight": "Bolder", "size": "Medium", "wrap": true,
	})
	if len(m.Items) > 1 {
		card.Body = append(card.Body, map[string]any{
			"type": "TextBlock", "text": fmt.Sprintf("%d items", len(m.Items)), "isSubtle": true, "wrap": true,
		})
	}
	for i, it := range m.Items {
		if i == teamsMaxItems {
			card.Body = append(card.Body, map[string]any{
				"type": "TextBlock", "wrap": true, "isSubtle": true,
				"text": fmt.Sprintf("…and %d more (see the e-mail or the case list)", len(m.Items)-i),
			})
			break
		}
		card.Body = append(card.Body, teamsItem(it))
	}
	if len(m.Items) == 1 {
		if u := linkURL(m.Items[0].URL); u != "" {
			card.Actions = []map[string]any{{"type": "Action.OpenUrl", "title": "Open advisory", "url": u}}
		}
	}
	return teamsEnvelope{
		Type:        "message",
		Attachments: []teamsAttachment{{ContentType: "application/vnd.microsoft.card.adaptive", Content: card}},
	}
}

func teamsItem(it Item) map[string]any {
	title := textx.OneLine(it.Title)
	if title == "" {
		title = textx.OneLine(it.CaseID)
	}
	items := []map[string]any{{
		"type": "TextBlock", "text": teamsEscape(clip(title, 300)), "weight": "Bolder", "wrap": true,
	}}
	var facts []map[string]any
	fact := func(label, v string) {
		if v = textx.OneLine(v); v != "" {
			facts = append(facts, map[string]any{"title": label, "value": teamsEscape(clip(v, 200))})
		}
	}
	fact("Case", it.CaseID)
	fact("Priority", it.Priority)
	if it.KEV {
		fact("KEV", "yes (known exploited)")
	}
	fact("Decision", it.Decision)
	if !it.Due.IsZero() {
		fact("Due", it.Due.UTC().Format("2006-01-02"))
	}
	fact("Owner", it.Owner)
	fact("Source", it.Source)
	fact("Group", it.Group)
	if len(facts) > 0 {
		items = append(items, map[string]any{"type": "FactSet", "facts": facts})
	}
	if why := multiLine(it.Why); why != "" {
		items = append(items, map[string]any{"type": "TextBlock", "text": teamsEscape(clip(why, 1200)), "wrap": true})
	}
	var links []string
	if u := linkURL(it.URL); u != "" {
		links = append(links, teamsLink("Advisory", u))
	}
	for i, r := range it.References {
		if i == 5 {
			break
		}
		if u := linkURL(r); u != "" {
			links = append(links, teamsLink(hostOf(u), u))
		}
	}
	if len(links) > 0 {
		items = append(items, map[string]any{"type": "TextBlock", "text": strings.Join(links, " · "), "wrap": true})
	}
	return map[string]any{"type": "Container", "separator": true, "items": items}
}

// teamsLink is a Markdown link whose text is escaped and whose URL cannot
// end the link early.
func teamsLink(text, u string) string {
	u = strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E").Replace(u)
	return "[" + teamsEscape(clip(text, 60)) + "](" + u + ")"
}

// teamsEscape backslash-escapes the ASCII punctuation that Markdown (the
// CommonMark subset Adaptive Cards render, and the {{DATE()}} functions)
// gives meaning to, so the text shows as typed. Line-start markers (#, -,
// +, "1.") are escaped on every line.
func teamsEscape(s string) string {
	var b strings.Builder
	lineStart := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '*', '_', '~', '`', '[', ']', '(', ')', '<', '>', '{', '}', '|', '&', '!', '#':
			b.WriteByte('\\')
		case '-', '+', '=':
			if lineStart {
				b.WriteByte('\\')
			}
		case '.':
			// "1." at a line start is an ordered list marker.
			if j := i - 1; j >= 0 && s[j] >= '0' && s[j] <= '9' && digitsFromLineStart(s, j) {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(c)
		switch c {
		case '\n':
			lineStart = true
		case ' ', '\t':
		default:
			lineStart = false
		}
	}
	return b.String()
}

// digitsFromLineStart reports whether s[..j] from the start of its line is
// all digits (and spaces before them).
func digitsFromLineStart(s string, j int) bool {
	for ; j >= 0 && s[j] != '\n'; j-- {
		if (s[j] < '0' || s[j] > '9') && s[j] != ' ' {
			return false
		}
	}
	return true
}
