package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/internal/textx"
)

// Slack posts to a Slack incoming webhook: a "text" fallback (what
// notifications and old clients show) and "blocks", one mrkdwn section per
// item. Every feed-derived string has &, < and > escaped as Slack requires,
// so a title such as "<!channel>" or "<https://evil|click>" shows as typed
// and neither pings anyone nor becomes a link. Links are made only from
// http and https URLs.
//
// Slack answers 200 "ok"; failures are text bodies ("invalid_payload",
// "no_service", "channel_is_archived"), which the error carries.
type Slack struct {
	// Label is the notifier's name in delivery records. Optional: defaults
	// to "slack".
	Label string
	// URL is the incoming webhook URL (it holds the secret; errors never
	// show its path). Required.
	URL string
	// HTTPClient sends the request. Optional: defaults to a client with a
	// 30 s timeout that does not follow redirects.
	HTTPClient *http.Client
	// Now is the clock for Retry-After dates. Optional: defaults to time.Now.
	Now func() time.Time
}

// Slack limits (https://docs.slack.dev/reference/block-kit/blocks): 50
// blocks a message, 3000 characters a section's text.
const (
	slackMaxItems   = 24 // a heading, a divider and a section each, a closing context
	slackMaxSection = 3000
	slackMaxText    = 4000
)

// Name returns Label or "slack".
func (s *Slack) Name() string {
	if s.Label != "" {
		return s.Label
	}
	return "slack"
}

// Validate checks the configuration without sending anything.
func (s *Slack) Validate() error {
	_, err := checkURL(s.Name(), "URL", s.URL)
	return err
}

type slackText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type slackBlock struct {
	Type     string      `json:"type"`
	Text     *slackText  `json:"text,omitempty"`
	Elements []slackText `json:"elements,omitempty"`
}

type slackPayload struct {
	Text   string       `json:"text"`
	Blocks []slackBlock `json:"blocks"`
}

// Notify posts m.
func (s *Slack) Notify(ctx context.Context, m *Message) (Delivery, error) {
	name := s.Name()
	if err := checkMessage(name, m, s.Validate); err != nil {
		return Delivery{}, err
	}
	body, err := json.Marshal(slackMessage(m))
	if err != nil {
		return Delivery{}, permanentf(name, ErrMessage, "encode: %v", err)
	}
	res, err := post(ctx, s.HTTPClient, name, s.URL, nil, body, s.Now, nil)
	if err != nil {
		return Delivery{}, err
	}
	return Delivery{Ref: res.text, Status: res.status}, nil
}

func slackMessage(m *Message) slackPayload {
	subject := slackEscape(clip(subjectOf(m), 300))
	p := slackPayload{Text: subject}
	head := "*" + subject + "*"
	if len(m.Items) > 1 {
		head += fmt.Sprintf("\n%d items", len(m.Items))
	}
	p.Blocks = append(p.Blocks, slackBlock{Type: "section", Text: &slackText{"mrkdwn", head}})
	var fallback []string
	for i, it := range m.Items {
		if i == slackMaxItems {
			p.Blocks = append(p.Blocks, slackBlock{Type: "context", Elements: []slackText{{"mrkdwn",
				fmt.Sprintf("…and %d more (see the e-mail or the case list)", len(m.Items)-i)}}})
			break
		}
		p.Blocks = append(p.Blocks, slackBlock{Type: "divider"})
		p.Blocks = append(p.Blocks, slackBlock{Type: "section", Text: &slackText{"mrkdwn", slackItem(it)}})
		fallback = append(fallback, slackEscape(clip(itemLine(it), 300)))
	}
	if len(fallback) > 0 {
		p.Text = clipEscaped(p.Text+": "+strings.Join(fallback, "; "), slackMaxText)
	}
	return p
}

// itemLine is a one-line summary of an item: case ID, title, priority.
func itemLine(it Item) string {
	parts := []string{textx.OneLine(it.CaseID)}
	if t := textx.OneLine(it.Title); t != "" && t != parts[0] {
		parts = append(parts, t)
	}
	if p := textx.OneLine(it.Priority); p != "" {
		parts = append(parts, "("+p+")")
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}

func slackItem(it Item) string {
	var b strings.Builder
	title := textx.OneLine(it.Title)
	if title == "" {
		title = textx.OneLine(it.CaseID)
	}
	title = slackEscape(clip(title, 300))
	if u := linkURL(it.URL); u != "" {
		// In <url|text> the text ends at '>', which slackEscape removed.
		fmt.Fprintf(&b, "*<%s|%s>*\n", slackEscape(strings.ReplaceAll(u, "|", "%7C")), title)
	} else {
		fmt.Fprintf(&b, "*%s*\n", title)
	}
	var facts []string
	add := func(label, v string) {
		if v = textx.OneLine(v); v != "" {
			facts = append(facts, label+" "+slackEscape(clip(v, 100)))
		}
	}
	add("", it.CaseID)
	add("*Priority:*", it.Priority)
	if it.KEV {
		facts = append(facts, "*KEV*")
	}
	add("*Decision:*", it.Decision)
	if !it.Due.IsZero() {
		facts = append(facts, "*Due:* "+it.Due.UTC().Format("2006-01-02"))
	}
	add("*Owner:*", it.Owner)
	for i := range facts {
		facts[i] = strings.TrimSpace(facts[i])
	}
	b.WriteString(strings.Join(facts, " · "))
	if why := multiLine(it.Why); why != "" {
		b.WriteString("\n*Why:* ")
		b.WriteString(slackEscape(clip(why, 1200)))
	}
	var src []string
	if v := textx.OneLine(it.Source); v != "" {
		src = append(src, "*Source:* "+slackEscape(clip(v, 100)))
	}
	if v := textx.OneLine(it.Group); v != "" {
		src = append(src, "*Group:* "+slackEscape(clip(v, 100)))
	}
	if len(src) > 0 {
		b.WriteString("\n" + strings.Join(src, " · "))
	}
	var refs []string
	for _, r := range it.References {
		if len(refs) == 5 {
			refs = append(refs, fmt.Sprintf("and %d more", len(it.References)-5))
			break
		}
		if u := linkURL(r); u != "" {
			refs = append(refs, fmt.Sprintf("<%s|%s>", slackEscape(strings.ReplaceAll(u, "|", "%7C")), slackEscape(clip(hostOf(u), 60))))
		}
	}
	if len(refs) > 0 {
		b.WriteString("\n*References:* " + strings.Join(refs, ", "))
	}
	return clipEscaped(b.String(), slackMaxSection)
}

// slackEscape applies Slack's escaping rule for message text: & < > become
// &amp; &lt; &gt;. Nothing else is special to Slack's parser of mentions
// and links.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// clipEscaped cuts escaped text to at most n runes without splitting an
// entity such as &amp; or a <url|text> link.
func clipEscaped(s string, n int) string {
	c := clip(s, n)
	if c == s {
		return s
	}
	body := strings.TrimSuffix(c, "…")
	if i := strings.LastIndexByte(body, '&'); i >= 0 && !strings.Contains(body[i:], ";") {
		body = body[:i]
	}
	if i := strings.LastIndexByte(body, '<'); i >= 0 && !strings.Contains(body[i:], ">") {
		body = body[:i]
	}
	return body + "…"
}

// linkURL returns raw as an absolute http or https URL fit to link to, or
// "" when it is not one.
func linkURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > 2000 || strings.ContainsFunc(raw, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return ""
	}
	return u.String()
}

func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	return p.Host
}
