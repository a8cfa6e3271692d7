package notify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sigwatch/sigwatch/intake/notify"
)

// hostileClean is hostile as every notifier makes it one line.
const hostileClean = "<script>alert(1)</script> <!channel> =HYPERLINK(\"x\") Bcc: evil@x"

func hostileMessage() *notify.Message {
	m := sample()
	m.Subject = hostile
	m.To.Name = "Eve\r\nBcc: evil@x"
	it := &m.Items[0]
	it.Title = hostile
	it.Why = hostile + "\n<https://evil.example|click> [click](https://evil.example) {noformat}"
	it.Owner = "<@U123>"
	it.URL = "https://evil.example/x\r\nBcc: evil@x"
	return m
}

func TestHostileWebhook(t *testing.T) {
	rec := newRecorder(t, answer(204, ""))
	if _, err := (&notify.Webhook{URL: rec.URL, Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}).Notify(context.Background(), hostileMessage()); err != nil {
		t.Fatal(err)
	}
	body := rec.only(t).body
	// encoding/json escapes <, > and & as \u003c …, so no HTML survives
	// a receiver that pastes the body into a page.
	if bytes.ContainsAny(body, "<>\r") {
		t.Errorf("raw body has <, > or CR: %s", body)
	}
	var ev whEvent
	decodeStrict(t, body, &ev)
	if ev.Data.Subject != hostileClean || ev.Data.Items[0].Title != hostileClean {
		t.Errorf("subject %q title %q; want %q", ev.Data.Subject, ev.Data.Items[0].Title, hostileClean)
	}
}

func TestHostileSlack(t *testing.T) {
	rec := newRecorder(t, answer(200, "ok"))
	if _, err := (&notify.Slack{URL: rec.URL}).Notify(context.Background(), hostileMessage()); err != nil {
		t.Fatal(err)
	}
	var p slackBody
	decodeStrict(t, rec.only(t).body, &p)
	texts := []string{p.Text}
	for _, b := range p.Blocks {
		if b.Text != nil {
			texts = append(texts, b.Text.Text)
		}
		for _, e := range b.Elements {
			texts = append(texts, e.Text)
		}
	}
	for _, s := range texts {
		// The only '<' left are links we made to known-good URLs.
		rest := s
		for {
			i := strings.IndexByte(rest, '<')
			if i < 0 {
				break
			}
			if !strings.HasPrefix(rest[i:], "<https://nvd.nist.gov/") {
				t.Errorf("unescaped '<' in %q", s)
				break
			}
			rest = rest[i+1:]
		}
		for _, bad := range []string{"<!channel>", "<@U123>", "<script>", "<https://evil", "\r"} {
			if strings.Contains(s, bad) {
				t.Errorf("%q survives in %q", bad, s)
			}
		}
	}
	if !strings.Contains(p.Blocks[2].Text.Text, "*&lt;script&gt;alert(1)&lt;/script&gt; &lt;!channel&gt; =HYPERLINK(\"x\") Bcc: evil@x*\n") {
		t.Errorf("escaped title missing from %q", p.Blocks[2].Text.Text)
	}
}

func TestHostileTeams(t *testing.T) {
	rec := newRecorder(t, answer(202, ""))
	if _, err := (&notify.Teams{URL: rec.URL}).Notify(context.Background(), hostileMessage()); err != nil {
		t.Fatal(err)
	}
	var p teamsBody
	decodeStrict(t, rec.only(t).body, &p)
	c := p.Attachments[0].Content
	var texts []string
	var walk func([]teamsElem)
	walk = func(es []teamsElem) {
		for _, e := range es {
			texts = append(texts, e.Text)
			for _, f := range e.Facts {
				texts = append(texts, f.Value)
			}
			walk(e.Items)
		}
	}
	walk(c.Body)
	for _, s := range texts {
		// Outside the links we make, every Markdown-active character is
		// escaped.
		for i := 0; i < len(s); i++ {
			if s[i] == '\\' {
				i++
				continue
			}
			if strings.IndexByte("<>[]*_`", s[i]) >= 0 && !strings.HasPrefix(s, "[Advisory]") && !strings.HasPrefix(s, "[nvd.nist.gov]") {
				t.Errorf("unescaped %q at %d in %q", s[i], i, s)
				break
			}
		}
		if strings.Contains(s, "\r") {
			t.Errorf("CR in %q", s)
		}
	}
	wantTitle := `\<script\>alert\(1\)\</script\> \<\!channel\> =HYPERLINK\("x"\) Bcc: evil@x`
	if c.Body[0].Text != wantTitle || c.Body[1].Items[0].Text != wantTitle {
		t.Errorf("titles %q / %q; want %q", c.Body[0].Text, c.Body[1].Items[0].Text, wantTitle)
	}
	if len(c.Actions) != 0 {
		t.Errorf("a URL with CR LF became an action: %+v", c.Actions)
	}
}

func TestHostileSMTP(t *testing.T) {
	srv := startSMTP(t, &smtpServer{})
	if _, err := (&notify.SMTP{Addr: srv.addr(), From: "sigwatch@example.com"}).Notify(context.Background(), hostileMessage()); err != nil {
		t.Fatal(err)
	}
	var rcpts []string
	for _, l := range srv.transcript() {
		if strings.HasPrefix(l, "RCPT") {
			rcpts = append(rcpts, l)
		}
	}
	if !slices.Equal(rcpts, []string{"RCPT TO:<aisha.khan@example.com>"}) {
		t.Errorf("RCPT commands: %q", rcpts)
	}
	msg, body := parseMail(t, srv.received()[0].data)
	var keys []string
	for k := range msg.Header {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"Auto-Submitted", "Content-Transfer-Encoding", "Content-Type", "Date", "From", "Message-Id", "Mime-Version", "Subject", "To", "X-Sigwatch-Kind"}
	if !slices.Equal(keys, want) {
		t.Errorf("headers %q; want %q", keys, want)
	}
	var dec mime.WordDecoder
	if subj, err := dec.DecodeHeader(msg.Header.Get("Subject")); err != nil || subj != hostileClean {
		t.Errorf("Subject = %q (%v); want %q", subj, err, hostileClean)
	}
	if to := msg.Header.Get("To"); to != `"Eve Bcc: evil@x" <aisha.khan@example.com>` {
		t.Errorf("To = %q", to)
	}
	if strings.Contains(body, "\r") || !strings.Contains(body, hostileClean+"\n") {
		t.Errorf("body:\n%s", body)
	}
}

func TestHostileJira(t *testing.T) {
	rec := newRecorder(t, answer(201, `{"key":"SEC-9"}`))
	if _, err := (&notify.Jira{BaseURL: rec.URL, Project: "SEC"}).Notify(context.Background(), hostileMessage()); err != nil {
		t.Fatal(err)
	}
	var c jiraCreate
	decodeStrict(t, rec.only(t).body, &c)
	if c.Fields.Summary != hostileClean || utf8.RuneCountInString(c.Fields.Summary) > 255 {
		t.Errorf("summary = %q", c.Fields.Summary)
	}
	d := c.Fields.Description
	if strings.Count(d, "{noformat}") != 2 || strings.Contains(d, "\r") {
		t.Errorf("description escapes its block or has CR:\n%s", d)
	}
}

func TestHostileText(t *testing.T) {
	m := hostileMessage()
	m.Items[0].References = []string{"a\x00b", "\u202Eevil\u202C", "\xff\xfe"}
	out := notify.Text(m)
	if strings.ContainsAny(out, "\x00\r\u202E\u202C") || !utf8.ValidString(out) {
		t.Errorf("Text kept a control character or invalid UTF-8: %q", out)
	}
	for _, want := range []string{"References: ab\n", "            evil\n", "            \uFFFD\n", "URL:        https://evil.example/x Bcc: evil@x\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("Text lacks %q:\n%s", want, out)
		}
	}
	// Text is data, not markup: JSON-encoding it is lossless.
	b, _ := json.Marshal(out)
	var back string
	if err := json.Unmarshal(b, &back); err != nil || back != out {
		t.Errorf("round trip: %v", err)
	}
}
