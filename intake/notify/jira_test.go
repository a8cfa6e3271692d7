package notify_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/intake/notify"
)

// jiraCreate is the create-issue request as Jira's REST v2 documentation
// describes it.
type jiraCreate struct {
	Fields struct {
		Project struct {
			Key string `json:"key"`
		} `json:"project"`
		IssueType struct {
			Name string `json:"name"`
		} `json:"issuetype"`
		Summary     string   `json:"summary"`
		Description string   `json:"description"`
		Labels      []string `json:"labels"`
		Priority    *struct {
			Name string `json:"name"`
		} `json:"priority"`
		DueDate    string `json:"duedate"`
		Components []struct {
			Name string `json:"name"`
		} `json:"components"`
	} `json:"fields"`
}

// sampleText is Text(sample()), written out by hand.
const sampleText = `PAN-OS GlobalProtect command injection
Case:       CVE-2024-3400
Priority:   P1
KEV:        yes (known exploited)
Decision:   actionable
Due:        2026-03-04
Owner:      akhan
Why:        KEV-listed
            firewall fw-edge-1 runs 10.2.9
Source:     cisa-kev
Group:      cisa
URL:        https://security.paloaltonetworks.com/CVE-2024-3400
References: https://nvd.nist.gov/vuln/detail/CVE-2024-3400

--
sigwatch message case-CVE-2024-3400-routed-1
`

func TestJiraCreate(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"id":"10000","key":"SEC-24","self":"https://example.atlassian.net/rest/api/2/issue/10000"}`))
	})
	j := &notify.Jira{
		BaseURL: rec.URL + "/", Project: "SEC", Email: "bot@example.com", Token: "tok",
		Labels:      []string{"vuln mgmt", "sigwatch"},
		PriorityMap: map[string]string{"P1": "Highest"},
		SetDueDate:  true,
		Fields:      map[string]any{"components": []map[string]string{{"name": "Security"}}, "summary": "not this"},
	}
	if err := j.Validate(); err != nil {
		t.Fatal(err)
	}
	d, err := j.Notify(context.Background(), sample())
	if err != nil {
		t.Fatal(err)
	}
	if want := (notify.Delivery{Ref: "SEC-24", Status: 201, ID: "sigwatch-627a35caddef6d87"}); d != want {
		t.Errorf("Delivery = %+v, want %+v", d, want)
	}
	if got := notify.JiraLabel("case-CVE-2024-3400-routed-1"); got != "sigwatch-627a35caddef6d87" { // python3 hashlib
		t.Errorf("JiraLabel = %q", got)
	}
	r := rec.only(t)
	if r.method != "POST" || r.path != "/rest/api/2/issue" {
		t.Errorf("request %s %s", r.method, r.path)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if got := r.header.Get("Authorization"); got != "Basic Ym90QGV4YW1wbGUuY29tOnRvaw==" { // base64 of bot@example.com:tok
		t.Errorf("Authorization = %q", got)
	}
	var c jiraCreate
	decodeStrict(t, r.body, &c)
	f := c.Fields
	if f.Project.Key != "SEC" || f.IssueType.Name != "Task" {
		t.Errorf("project %q issuetype %q", f.Project.Key, f.IssueType.Name)
	}
	if f.Summary != "P1 CVE-2024-3400: PAN-OS GlobalProtect command injection" {
		t.Errorf("summary = %q", f.Summary)
	}
	if want := "{noformat}\n" + sampleText + "{noformat}"; f.Description != want {
		t.Errorf("description:\n%s\nwant:\n%s", f.Description, want)
	}
	if diff := cmp.Diff([]string{"vuln-mgmt", "sigwatch", "sigwatch-627a35caddef6d87"}, f.Labels); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
	if f.Priority == nil || f.Priority.Name != "Highest" || f.DueDate != "2026-03-04" {
		t.Errorf("priority %+v duedate %q", f.Priority, f.DueDate)
	}
	if len(f.Components) != 1 || f.Components[0].Name != "Security" {
		t.Errorf("components = %+v", f.Components)
	}
}

func TestJiraBearerAndDefaults(t *testing.T) {
	rec := newRecorder(t, answer(201, `{"id":"1","key":"OPS-1","self":"x"}`))
	m := sample()
	m.Items[0].Priority = "P9" // not mapped
	d, err := (&notify.Jira{BaseURL: rec.URL, Project: "OPS", IssueType: "Bug", BearerToken: "pat-123",
		PriorityMap: map[string]string{"P1": "Highest"}}).Notify(context.Background(), m)
	if err != nil || d.Ref != "OPS-1" {
		t.Fatalf("Notify = %+v, %v", d, err)
	}
	r := rec.only(t)
	if got := r.header.Get("Authorization"); got != "Bearer pat-123" {
		t.Errorf("Authorization = %q", got)
	}
	var c jiraCreate
	decodeStrict(t, r.body, &c)
	if c.Fields.IssueType.Name != "Bug" || c.Fields.Priority != nil || c.Fields.DueDate != "" {
		t.Errorf("fields = %+v", c.Fields)
	}
}

func TestJiraErrors(t *testing.T) {
	for _, tt := range []struct {
		name      string
		status    int
		body      string
		permanent bool
		want      []string
	}{
		{"validation_400", 400,
			`{"errorMessages":["Field 'priority' cannot be set."],"errors":{"summary":"You must specify a summary of the issue.","project":"project is required"}}`,
			true, []string{"HTTP 400 Bad Request: Field 'priority' cannot be set.; project: project is required; summary: You must specify a summary of the issue."}},
		{"unauthorized_401", 401, ``, true, []string{"HTTP 401 Unauthorized"}},
		{"forbidden_403", 403, `{"errorMessages":["You do not have permission to create issues in this project."],"errors":{}}`, true,
			[]string{"You do not have permission"}},
		{"rate_limited_429", 429, `{"message":"Rate limit exceeded"}`, false, []string{"Rate limit exceeded"}},
		{"html_503", 503, "<html><body>Maintenance\r\n</body></html>", false, []string{"<html><body>Maintenance </body></html>"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, answer(tt.status, tt.body))
			_, err := (&notify.Jira{BaseURL: rec.URL, Project: "SEC", Email: "a@b", Token: "t"}).Notify(context.Background(), sample())
			if err == nil || notify.Permanent(err) != tt.permanent {
				t.Fatalf("Notify = %v; want permanent=%v", err, tt.permanent)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			var ne *notify.Error
			if !errors.As(err, &ne) || ne.Status != tt.status || ne.Notifier != "jira" {
				t.Errorf("error = %#v", ne)
			}
		})
	}
}

func TestJiraConfig(t *testing.T) {
	for _, tt := range []struct {
		name string
		j    notify.Jira
		text string
	}{
		{"no_base", notify.Jira{Project: "SEC"}, "BaseURL is empty"},
		{"bad_project", notify.Jira{BaseURL: "https://x.atlassian.net", Project: "SEC 1"}, "not a project key"},
		{"both_auth", notify.Jira{BaseURL: "https://x.atlassian.net", Project: "SEC", Email: "a", Token: "b", BearerToken: "c"}, "not both"},
		{"half_basic", notify.Jira{BaseURL: "https://x.atlassian.net", Project: "SEC", Email: "a"}, "both Email and Token"},
		{"clear_text_credentials", notify.Jira{BaseURL: "http://jira.example.com", Project: "SEC", BearerToken: "c"}, "over http"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.j.Notify(context.Background(), sample())
			if !errors.Is(err, notify.ErrConfig) || !notify.Permanent(err) || !strings.Contains(err.Error(), tt.text) {
				t.Errorf("Notify = %v; want ErrConfig containing %q", err, tt.text)
			}
		})
	}
}

func TestJiraSummaryLimit(t *testing.T) {
	rec := newRecorder(t, answer(201, `{"key":"SEC-1"}`))
	m := sample()
	m.Subject = strings.Repeat("\U0001F600", 300) // 600 UTF-16 units
	if _, err := (&notify.Jira{BaseURL: rec.URL, Project: "SEC"}).Notify(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	var c jiraCreate
	decodeStrict(t, rec.only(t).body, &c)
	if n := len(utf16.Encode([]rune(c.Fields.Summary))); n != 255 || !strings.HasSuffix(c.Fields.Summary, "…") {
		t.Errorf("summary is %d UTF-16 units: %q", n, c.Fields.Summary)
	}
}

func TestJiraDescriptionCannotLeaveNoformat(t *testing.T) {
	rec := newRecorder(t, answer(201, `{"key":"SEC-1"}`))
	m := sample()
	m.Items[0].Why = "x {noformat} [click|https://evil] {NOFORMAT:title=y}"
	if _, err := (&notify.Jira{BaseURL: rec.URL, Project: "SEC"}).Notify(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	var c jiraCreate
	decodeStrict(t, rec.only(t).body, &c)
	d := c.Fields.Description
	if n := strings.Count(strings.ToLower(d), "{noformat"); n != 2 || !strings.HasPrefix(d, "{noformat}\n") || !strings.HasSuffix(d, "{noformat}") {
		t.Errorf("description has %d noformat markers:\n%s", n, d)
	}
}
