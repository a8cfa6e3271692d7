package notify

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func FuzzText(f *testing.F) {
	f.Add("CVE-2024-3400", "<script>alert(1)</script>\r\nBcc: x", "P1", "line one\r\nline two\n\n\nthree", "https://x.example/\x00", "id-1")
	f.Add("", "", "", "", "", "")
	f.Add("\xff", "\u202Eevil\u2028x\u0085y", "\t", "\r\r\r", "{noformat}", "a.b")
	f.Fuzz(func(t *testing.T, caseID, title, prio, why, ref, id string) {
		m := &Message{ID: id, Subject: title, Items: []Item{
			{CaseID: caseID, Title: title, Priority: prio, Why: why, URL: ref, References: []string{ref, why}, Due: time.Unix(int64(len(why))*86400, 0)},
			{CaseID: title, Why: caseID},
		}}
		out := Text(m)
		if strings.ContainsAny(out, "\x00\r") {
			t.Fatalf("NUL or CR in %q", out)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 in %q", out)
		}
		if out != Text(m) {
			t.Fatal("not deterministic")
		}
		// The message's other renderings hold up too.
		if s := subjectOf(m); strings.ContainsAny(s, "\r\n\x00") {
			t.Fatalf("subject %q", s)
		}
		if _, err := json.Marshal(slackMessage(m)); err != nil {
			t.Fatal(err)
		}
		if _, err := json.Marshal(teamsMessage(m)); err != nil {
			t.Fatal(err)
		}
		if d := jiraDescription(m); strings.Count(strings.ToLower(d), "{noformat") != 2 {
			t.Fatalf("description leaves its block: %q", d)
		}
	})
}

// slackUnescape reverses slackEscape.
func slackUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">").Replace(s)
}

func FuzzSlackEscape(f *testing.F) {
	for _, s := range []string{"<!channel>", "<https://evil|click>", "&amp;lt;", "a & b > c < d", "&&;;<<>>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := slackEscape(s)
		if strings.ContainsAny(e, "<>") {
			t.Fatalf("slackEscape(%q) = %q keeps < or >", s, e)
		}
		for i := 0; i < len(e); i++ {
			if e[i] == '&' && !strings.HasPrefix(e[i:], "&amp;") && !strings.HasPrefix(e[i:], "&lt;") && !strings.HasPrefix(e[i:], "&gt;") {
				t.Fatalf("bare & at %d in %q", i, e)
			}
		}
		if back := slackUnescape(e); back != s {
			t.Fatalf("unescape(escape(%q)) = %q", s, back)
		}
		// Clipping escaped text never splits an entity.
		for _, n := range []int{1, 2, 5, 10} {
			c := strings.TrimSuffix(clipEscaped(e, n), "…")
			if i := strings.LastIndexByte(c, '&'); i >= 0 && !strings.Contains(c[i:], ";") {
				t.Fatalf("clipEscaped(%q, %d) splits an entity: %q", e, n, c)
			}
		}
	})
}

// markdownUnescape applies CommonMark's backslash escapes.
func markdownUnescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func FuzzTeamsEscape(f *testing.F) {
	for _, s := range []string{"[click](https://evil)", "**bold** _it_", "1. item\n- item\n# head", "\\*", "{{DATE(2017-02-14T06:00:00Z, SHORT)}}", "<at>x</at> &amp;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := teamsEscape(s)
		if back := markdownUnescape(e); back != s {
			t.Fatalf("unescape(escape(%q)) = %q via %q", s, back, e)
		}
		for i := 0; i < len(e); i++ {
			if e[i] == '\\' {
				i++
				continue
			}
			if strings.IndexByte("*_~`[]()<>{}|&!#\\", e[i]) >= 0 {
				t.Fatalf("teamsEscape(%q) = %q leaves %q at %d", s, e, e[i], i)
			}
		}
	})
}

func FuzzVerify(f *testing.F) {
	f.Add("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", []byte(`{"test": 2432232314}`), int64(1614265330))
	f.Add("whsec_", "", "-9223372036854775808", "v1, v1,, ,", []byte{}, int64(-1<<63))
	f.Add("x", "a.b", "99999999999999999999", "v1a,abc", []byte("\x00"), int64(1<<62))
	f.Fuzz(func(t *testing.T, secret, id, ts, sig string, body []byte, now int64) {
		h := http.Header{}
		h.Set(HeaderWebhookID, id)
		h.Set(HeaderWebhookTimestamp, ts)
		h.Set(HeaderWebhookSignature, sig)
		if Verify(secret, h, body, time.Unix(now, 0), 0) == nil {
			// Accepted: the timestamp must be within 5 minutes of now.
			if sent, err := strconv.ParseInt(ts, 10, 64); err != nil || (sent < now && uint64(now)-uint64(sent) > 300) || (sent > now && uint64(sent)-uint64(now) > 300) {
				t.Fatalf("accepted timestamp %q at now %d", ts, now)
			}
		}
		// What Sign produces, Verify accepts.
		good, err := Sign(secret, id, time.Unix(now, 0), body)
		if err != nil || id == "" {
			return
		}
		h.Set(HeaderWebhookTimestamp, strconv.FormatInt(now, 10))
		h.Set(HeaderWebhookSignature, sig+" "+good)
		if err := Verify(secret, h, body, time.Unix(now, 0), 0); err != nil {
			t.Fatalf("Verify(Sign(...)) = %v", err)
		}
	})
}

func FuzzJiraErrorText(f *testing.F) {
	f.Add([]byte(`{"errorMessages":["a\nb"],"errors":{"summary":"x\r\ny"}}`))
	f.Add([]byte(`<html>`))
	f.Add([]byte(`{"errors":{"a":1}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		s := jiraErrorText(body)
		if strings.ContainsAny(s, "\r\n\x00") || !utf8.ValidString(s) {
			t.Fatalf("jiraErrorText(%q) = %q", body, s)
		}
	})
}

func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"7", "Mon, 02 Mar 2026 09:00:30 GMT", "-1", "99999999999999999999", "Sunday, 06-Nov-94 08:49:37 GMT", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if d := parseRetryAfter(v, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)); d < 0 {
			t.Fatalf("parseRetryAfter(%q) = %v", v, d)
		}
	})
}
