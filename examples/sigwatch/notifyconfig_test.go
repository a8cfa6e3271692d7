package main

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/notify"
	"github.com/sigwatch/sigwatch/internal/yamlin"
	"github.com/sigwatch/sigwatch/triage"
)

// testSecret is a Standard Webhooks secret: whsec_ and the base64 of 24
// bytes "sigwatch-test-secret-024".
const testSecret = "whsec_c2lnd2F0Y2gtdGVzdC1zZWNyZXQtMDI0"

// fakeEnv is an environment for parseNotifyConfig.
func fakeEnv(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}
}

const fullNotifyConfig = `notifiers:
  - {name: ops-hook, kind: webhook, url: "https://hooks.example.org/sigwatch", secret_env: SIGWATCH_WEBHOOK_SECRET}
  - {name: chat, kind: slack, url_env: SLACK_WEBHOOK_URL}
  - {name: teams, kind: teams, url_env: TEAMS_WEBHOOK_URL}
  - {name: mail, kind: smtp, addr: "smtp.example.org:587", from: "sigwatch@example.org",
     username_env: SMTP_USER, password_env: SMTP_PASSWORD, starttls: required}
  - {name: tickets, kind: jira, base_url: "https://example.atlassian.net", project: SEC,
     issue_type: Task, email_env: JIRA_EMAIL, token_env: JIRA_TOKEN, priority_map: {P1: Highest}}
routes:
  - {owner: netops, priorities: [P1, P2], notifier: chat}
  - {notifier: mail, to: {email: soc@example.org}}
digest: {priorities: [P4], every: 24h, at: "08:00"}
`

var fullEnv = map[string]string{
	"SIGWATCH_WEBHOOK_SECRET": testSecret,
	"SLACK_WEBHOOK_URL":       "https://hooks.slack.com/services/T000/B000/XXXX",
	"TEAMS_WEBHOOK_URL":       "https://example.webhook.office.com/webhookb2/abc",
	"SMTP_USER":               "sigwatch",
	"SMTP_PASSWORD":           "hunter2",
	"JIRA_EMAIL":              "bot@example.org",
	"JIRA_TOKEN":              "jira-token",
}

func TestNotifyConfigFull(t *testing.T) {
	cfg, err := parseNotifyConfig(strings.NewReader(fullNotifyConfig), "notify.yaml", fakeEnv(fullEnv))
	if err != nil {
		t.Fatal(err)
	}
	o := cfg.opts
	if len(o.Notifiers) != 5 {
		t.Fatalf("%d notifiers, want 5", len(o.Notifiers))
	}
	wh, ok := o.Notifiers[0].(*notify.Webhook)
	if !ok || wh.Name() != "ops-hook" || wh.URL != "https://hooks.example.org/sigwatch" || wh.Secret != testSecret {
		t.Errorf("webhook %#v", o.Notifiers[0])
	}
	sl, ok := o.Notifiers[1].(*notify.Slack)
	if !ok || sl.Name() != "chat" || sl.URL != fullEnv["SLACK_WEBHOOK_URL"] {
		t.Errorf("slack %#v", o.Notifiers[1])
	}
	tm, ok := o.Notifiers[2].(*notify.Teams)
	if !ok || tm.Name() != "teams" || tm.URL != fullEnv["TEAMS_WEBHOOK_URL"] {
		t.Errorf("teams %#v", o.Notifiers[2])
	}
	sm, ok := o.Notifiers[3].(*notify.SMTP)
	if !ok || sm.Name() != "mail" || sm.Addr != "smtp.example.org:587" || sm.From != "sigwatch@example.org" ||
		sm.Username != "sigwatch" || sm.Password != "hunter2" || sm.StartTLS != notify.StartTLSRequired {
		t.Errorf("smtp %#v", o.Notifiers[3])
	}
	jr, ok := o.Notifiers[4].(*notify.Jira)
	if !ok || jr.Name() != "tickets" || jr.BaseURL != "https://example.atlassian.net" || jr.Project != "SEC" ||
		jr.IssueType != "Task" || jr.Email != "bot@example.org" || jr.Token != "jira-token" || jr.PriorityMap["P1"] != "Highest" {
		t.Errorf("jira %#v", o.Notifiers[4])
	}
	wantRoutes := []intake.Route{
		{Owner: "netops", Priorities: []triage.Priority{triage.P1, triage.P2}, Notifier: "chat"},
		{Notifier: "mail", To: &notify.Recipient{Email: "soc@example.org"}},
	}
	if d := cmp.Diff(wantRoutes, o.Routes); d != "" {
		t.Errorf("routes (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]triage.Priority{triage.P4}, o.DigestPriorities); d != "" || o.DigestEvery != 24*time.Hour || o.DigestAt != 8*time.Hour {
		t.Errorf("digest %v every %v at %v", o.DigestPriorities, o.DigestEvery, o.DigestAt)
	}
	// The options are accepted by the pipeline as they are.
	if _, err := intake.New(nil, mustEngine(t), &intake.Options{Notify: o}); err != nil {
		t.Errorf("intake.New refuses the options: %v", err)
	}
}

func mustEngine(t *testing.T) *triage.Engine {
	t.Helper()
	e, err := triage.New(&triage.Stack{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestNotifyConfigDigest(t *testing.T) {
	for _, tt := range []struct {
		name      string
		digest    string
		prios     []triage.Priority
		every, at time.Duration
	}{
		{"none", "", nil, 0, 0},
		{"no_digest_by_priority", "digest: {priorities: []}", []triage.Priority{}, 24 * time.Hour, 8 * time.Hour},
		{"midnight", `digest: {at: "00:00"}`, nil, 24 * time.Hour, 0},
		{"twice_a_day", "digest: {priorities: [p3, P4], every: 12h, at: \"06:30\"}", []triage.Priority{triage.P3, triage.P4}, 12 * time.Hour, 6*time.Hour + 30*time.Minute},
		{"days", "digest: {every: 7d}", nil, 7 * 24 * time.Hour, 8 * time.Hour},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := "notifiers: [{name: hook, kind: webhook, url: \"https://h.example\", secret_env: S}]\n" + tt.digest + "\n"
			cfg, err := parseNotifyConfig(strings.NewReader(in), "n.yaml", fakeEnv(map[string]string{"S": testSecret}))
			if err != nil {
				t.Fatal(err)
			}
			o := cfg.opts
			if d := cmp.Diff(tt.prios, o.DigestPriorities); d != "" || (tt.prios == nil) != (o.DigestPriorities == nil) {
				t.Errorf("priorities (-want +got):\n%s (nil: %v)", d, o.DigestPriorities == nil)
			}
			if o.DigestEvery != tt.every || o.DigestAt != tt.at {
				t.Errorf("every %v at %v, want %v at %v", o.DigestEvery, o.DigestAt, tt.every, tt.at)
			}
		})
	}
}

func TestNotifyConfigErrors(t *testing.T) {
	env := map[string]string{"S": testSecret, "URL": "https://hooks.slack.com/services/T/B/tok", "EMPTY": "  ",
		"BADURL": "hooks.slack.com/services/T/B/SECRETTOKEN", "BADSECRET": "whsec_c2hvcnQ="}
	for _, tt := range []struct {
		name, in string
		want     []string
	}{
		{"missing_env", `notifiers:
  - {name: hook, kind: webhook, url: "https://h.example", secret_env: SIGWATCH_WEBHOOK_SECRET}
`, []string{`n.yaml:2:71: notifiers[0].secret_env: environment variable SIGWATCH_WEBHOOK_SECRET is not set`}},
		{"empty_env", `notifiers:
  - {name: chat, kind: slack, url_env: EMPTY}
`, []string{`n.yaml:2:40: notifiers[0].url_env: environment variable EMPTY is empty`}},
		{"unknown_key", `notifiers:
  - name: hook
    kind: webhook
    url: "https://h.example"
    secrt_env: S
`, []string{
			`n.yaml:2:5: notifiers[0]: a webhook needs secret_env: the environment variable holding its signing secret (whsec_…)`,
			`n.yaml:5:5: notifiers[0].secrt_env: unknown field "secrt_env" (did you mean "secret_env"?)`}},
		{"unknown_kind", `notifiers:
  - {name: x, kind: webhok}
`, []string{`n.yaml:2:21: notifiers[0].kind: unknown notifier kind "webhok" (did you mean "webhook"?); want one of webhook, slack, teams, smtp, jira`}},
		{"duplicate_names", `notifiers:
  - {name: chat, kind: slack, url_env: URL}
  - {name: chat, kind: teams, url_env: URL}
`, []string{`n.yaml:3:12: notifiers[1].name: notifier name "chat" is used twice (first at line 2)`}},
		{"route_to_unknown", `notifiers:
  - {name: chat, kind: slack, url_env: URL}
routes:
  - {notifier: chta}
  - {notifier: chat, priorities: [P5]}
`, []string{
			`n.yaml:4:16: routes[0].notifier: no notifier is named "chta" (did you mean "chat"?); the notifiers are "chat"`,
			`n.yaml:5:35: routes[1].priorities[0]: unknown priority "P5"; want P1, P2, P3 or P4`}},
		{"slack_url_in_file", `notifiers:
  - {name: chat, kind: slack, url: "https://hooks.slack.com/services/T/B/tok"}
`, []string{
			`n.yaml:2:5: notifiers[0]: a slack notifier needs url_env: the environment variable holding its incoming-webhook URL (the URL carries a token, so it is not written in the file)`,
			`n.yaml:2:36: notifiers[0].url: a slack incoming-webhook URL carries its token: keep it out of the file, in an environment variable named by url_env`}},
		{"key_of_other_kind", `notifiers:
  - {name: chat, kind: slack, url_env: URL, project: SEC}
`, []string{`n.yaml:2:54: notifiers[0].project: project does not apply to a notifier of kind slack (its keys: name, kind, url_env)`}},
		{"bad_url_not_echoed", `notifiers:
  - {name: chat, kind: slack, url_env: BADURL}
`, []string{`n.yaml:2:40: notifiers[0].url_env: the value of BADURL is not an http or https URL`}},
		{"bad_secret", `notifiers:
  - {name: hook, kind: webhook, url: "https://h.example", secret_env: BADSECRET}
`, []string{`n.yaml:2:71: notifiers[0].secret_env: the value of BADSECRET: webhook secret decodes to 5 bytes; Standard Webhooks wants 24 to 64`}},
		{"bad_env_name", `notifiers:
  - {name: hook, kind: webhook, url: "https://h.example", secret_env: "my secret"}
`, []string{`n.yaml:2:71: notifiers[0].secret_env: "my secret" is not an environment variable name`}},
		{"smtp_checks", `notifiers:
  - {name: mail, kind: smtp, addr: "smtp.example.org", from: "x@example.org", starttls: sometimes}
`, []string{`n.yaml:2:89: notifiers[0].starttls: unknown starttls policy "sometimes"; want required, opportunistic or never`}},
		{"smtp_validate", `notifiers:
  - {name: mail, kind: smtp, addr: "smtp.example.org", from: "x@example.org"}
`, []string{`n.yaml:2:5: notifiers[0]: Addr "smtp.example.org" is not host:port`}},
		{"jira_credentials", `notifiers:
  - {name: t, kind: jira, base_url: "https://x.atlassian.net", project: SEC, email_env: S}
`, []string{`n.yaml:2:5: notifiers[0]: give both email_env and token_env`}},
		{"digest", `notifiers: [{name: chat, kind: slack, url_env: URL}]
digest: {every: soon, at: "25:00", priorities: [urgent]}
`, []string{
			`n.yaml:2:17: digest.every: "soon" is not a duration such as 24h, 90m or 1d`,
			`n.yaml:2:27: digest.at: "25:00" is not a time of day HH:MM (UTC)`,
			`n.yaml:2:49: digest.priorities[0]: unknown priority "urgent"; want P1, P2, P3 or P4`}},
		{"no_notifiers", "routes: []\n", []string{`n.yaml: notifiers: no notifiers: want a list with at least one {name, kind}`}},
		{"empty", "# nothing\n", []string{`n.yaml: file is empty; want a map with a "notifiers" list`}},
		{"syntax", "notifiers: [\n", []string{`n.yaml:2: invalid YAML: did not find expected node content`}},
		{"wrong_shape", "notifiers: {name: x}\n", []string{`n.yaml:1:12: notifiers: want a list, got a map`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseNotifyConfig(strings.NewReader(tt.in), "n.yaml", fakeEnv(env))
			if err == nil {
				t.Fatal("no error")
			}
			var list yamlin.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %T is not a yamlin.ErrorList: %v", err, err)
			}
			var got []string
			for _, e := range list {
				got = append(got, e.Error())
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("errors (-want +got):\n%s", d)
			}
			for _, secret := range []string{"SECRETTOKEN", "services/T/B/tok", testSecret} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error echoes a secret: %v", err)
				}
			}
		})
	}
}

func FuzzParseNotifyConfig(f *testing.F) {
	f.Add(fullNotifyConfig)
	f.Add("notifiers: [{name: a, kind: webhook, url: \"http://x\", secret_env: S}]\nroutes: [{notifier: a, to: {id: x}}]\n")
	f.Add("digest: {priorities: [], every: 1d}\nnotifiers: [{name: j, kind: jira, priority_map: {P1: [x]}}]")
	f.Add("notifiers: &a [*a]")
	env := fakeEnv(map[string]string{"S": testSecret, "SLACK_WEBHOOK_URL": "https://h/x", "SIGWATCH_WEBHOOK_SECRET": testSecret})
	f.Fuzz(func(t *testing.T, in string) {
		cfg, err := parseNotifyConfig(strings.NewReader(in), "f.yaml", env)
		if err != nil {
			var list yamlin.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %T is not a non-empty yamlin.ErrorList: %v", err, err)
			}
			return
		}
		if len(cfg.opts.Notifiers) == 0 {
			t.Fatal("a config without notifiers was accepted")
		}
		if _, err := intake.New(nil, mustEngine(t), &intake.Options{Notify: cfg.opts}); err != nil {
			t.Fatalf("accepted config refused by intake.New: %v", err)
		}
	})
}
