package notify

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/sigwatch/sigwatch/internal/textx"
)

// Jira creates one issue per message through the Jira REST API version 2
// (POST {BaseURL}/rest/api/2/issue), on Jira Cloud (Email and an API
// Token, sent as basic auth) or Jira Data Center (a personal access token
// as BearerToken).
//
// The issue has the project, the issue type, a one-line summary of at most
// 255 characters, the [Text] rendering as its description, the labels
// configured plus "sigwatch" and [JiraLabel] of Message.ID (so a caller can
// search for an issue a lost answer already created), and a priority when
// PriorityMap maps the first item's priority that it knows. Version 2
// renders descriptions as wiki markup, so the text is wrapped in a
// {noformat} block: feed text shows as typed and cannot make links, images
// or macros.
//
// Success is 201 with {"id","key","self"}; the key is Delivery.Ref. Jira's
// error bodies ({"errorMessages":[…],"errors":{field:message}}) become one
// readable message.
type Jira struct {
	// Label is the notifier's name in delivery records. Optional: defaults
	// to "jira".
	Label string
	// BaseURL is the site, such as https://example.atlassian.net. Required.
	BaseURL string
	// Project is the project key. Required.
	Project string
	// IssueType is the issue type's name. Optional: defaults to "Task".
	IssueType string
	// Email and Token are a Jira Cloud user and API token (basic auth).
	Email, Token string
	// BearerToken is a Jira Data Center personal access token. Set it or
	// Email and Token, not both. Credentials are sent only over https or
	// to localhost.
	BearerToken string
	// Labels are added to every issue (spaces become '-'). Optional.
	Labels []string
	// PriorityMap maps sigwatch priorities ("P1", "critical") to Jira
	// priority names ("Highest"). Optional: unmapped means Jira's default.
	PriorityMap map[string]string
	// SetDueDate sets the issue's due date from the first item's Due. Off
	// by default: the field must be on the project's create screen.
	SetDueDate bool
	// Fields are extra fields (components, custom fields), copied into
	// the request as they are; they never replace the fields above.
	// Optional.
	Fields map[string]any
	// HTTPClient sends the request. Optional: defaults to a client with a
	// 30 s timeout that does not follow redirects.
	HTTPClient *http.Client
	// Now is the clock for Retry-After dates. Optional: defaults to time.Now.
	Now func() time.Time
}

// Name returns Label or "jira".
func (j *Jira) Name() string {
	if j.Label != "" {
		return j.Label
	}
	return "jira"
}

// jiraProjectKey is Jira's default project key pattern, loosened to allow
// digits and underscores anywhere after the first letter.
var jiraProjectKey = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,254}$`)

// Validate checks the configuration without sending anything.
func (j *Jira) Validate() error {
	name := j.Name()
	u, err := checkURL(name, "BaseURL", j.BaseURL)
	if err != nil {
		return err
	}
	if !jiraProjectKey.MatchString(j.Project) {
		return permanentf(name, ErrConfig, "Project %q is not a project key", clip(textx.OneLine(j.Project), 40))
	}
	basic := j.Email != "" || j.Token != ""
	switch {
	case basic && j.BearerToken != "":
		return permanentf(name, ErrConfig, "set Email and Token or BearerToken, not both")
	case basic && (j.Email == "" || j.Token == ""):
		return permanentf(name, ErrConfig, "basic auth needs both Email and Token")
	case (basic || j.BearerToken != "") && u.Scheme != "https" && !isLoopbackHost(u.Hostname()):
		return permanentf(name, ErrConfig, "refusing to send credentials to %s over %s", u.Host, u.Scheme)
	}
	return nil
}

// JiraLabel is the label the Jira notifier adds for a message ID:
// "sigwatch-" and 16 hex digits of its SHA-256. Search with
// labels = "sigwatch-…" to find an issue already created for a message.
func JiraLabel(messageID string) string {
	sum := sha256.Sum256([]byte(messageID))
	return "sigwatch-" + hex.EncodeToString(sum[:8])
}

// Notify creates an issue for m.
func (j *Jira) Notify(ctx context.Context, m *Message) (Delivery, error) {
	name := j.Name()
	if err := checkMessage(name, m, j.Validate); err != nil {
		return Delivery{}, err
	}
	idLabel := JiraLabel(m.ID)
	body, err := json.Marshal(map[string]any{"fields": j.fields(m, idLabel)})
	if err != nil {
		return Delivery{}, permanentf(name, ErrConfig, "encode (check Fields): %v", err)
	}
	header := http.Header{"Accept": {"application/json"}}
	switch {
	case j.BearerToken != "":
		header.Set("Authorization", "Bearer "+j.BearerToken)
	case j.Email != "":
		header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(j.Email+":"+j.Token)))
	}
	u := strings.TrimRight(j.BaseURL, "/") + "/rest/api/2/issue"
	res, err := post(ctx, j.HTTPClient, name, u, header, body, j.Now, func(r *httpResult) string { return jiraErrorText(r.body) })
	if err != nil {
		return Delivery{}, err
	}
	var created struct {
		Key string `json:"key"`
	}
	d := Delivery{Ref: res.text, Status: res.status, ID: idLabel}
	if json.Unmarshal(res.body, &created) == nil && created.Key != "" {
		d.Ref = textx.OneLine(created.Key)
	}
	return d, nil
}

func (j *Jira) fields(m *Message, idLabel string) map[string]any {
	issueType := j.IssueType
	if issueType == "" {
		issueType = "Task"
	}
	f := map[string]any{
		"project":     map[string]string{"key": j.Project},
		"issuetype":   map[string]string{"name": issueType},
		"summary":     clipUTF16(subjectOf(m), 255),
		"description": jiraDescription(m),
		"labels":      jiraLabels(j.Labels, idLabel),
	}
	for _, it := range m.Items {
		if p, ok := j.PriorityMap[it.Priority]; ok && p != "" {
			f["priority"] = map[string]string{"name": p}
			break
		}
	}
	if j.SetDueDate && len(m.Items) > 0 && !m.Items[0].Due.IsZero() {
		f["duedate"] = m.Items[0].Due.UTC().Format("2006-01-02")
	}
	for _, k := range slices.Sorted(maps.Keys(j.Fields)) {
		if _, ok := f[k]; !ok {
			f[k] = j.Fields[k]
		}
	}
	return f
}

// jiraDescription is Text(m) in a {noformat} block, with a space put
// after the '{' of any "{noformat" (in any case) in the text so it cannot
// close the block.
func jiraDescription(m *Message) string {
	t := Text(m)
	var b strings.Builder
	b.Grow(len(t) + 32)
	b.WriteString("{noformat}\n")
	for i := 0; i < len(t); i++ {
		b.WriteByte(t[i])
		if t[i] == '{' && len(t)-i > len("noformat") && strings.EqualFold(t[i+1:i+1+len("noformat")], "noformat") {
			b.WriteByte(' ')
		}
	}
	b.WriteString("{noformat}")
	return b.String()
}

// jiraLabels returns the configured labels made valid (no spaces, at most
// 255 characters, no duplicates), then "sigwatch" and the message label.
func jiraLabels(extra []string, idLabel string) []string {
	var out []string
	for _, l := range append(slices.Clone(extra), "sigwatch", idLabel) {
		l = strings.ReplaceAll(textx.OneLine(l), " ", "-")
		l = clipUTF16(l, 255)
		if l != "" && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// clipUTF16 cuts s to at most n UTF-16 code units, the unit Jira counts,
// ending in "…" when cut.
func clipUTF16(s string, n int) string {
	if len(utf16.Encode([]rune(s))) <= n {
		return s
	}
	units := 0
	for i, r := range s {
		units += utf16.RuneLen(r)
		if units > n-1 {
			return s[:i] + "…"
		}
	}
	return s
}

// jiraErrorText turns Jira's error body into one line: errorMessages, then
// errors by field name, or the body itself when it is not that shape.
func jiraErrorText(body []byte) string {
	var e struct {
		ErrorMessages []string          `json:"errorMessages"`
		Errors        map[string]string `json:"errors"`
		Message       string            `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil {
		return bodyText(body)
	}
	var parts []string
	for _, msg := range e.ErrorMessages {
		if msg = textx.OneLine(msg); msg != "" {
			parts = append(parts, msg)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(e.Errors)) {
		parts = append(parts, fmt.Sprintf("%s: %s", textx.OneLine(k), textx.OneLine(e.Errors[k])))
	}
	if msg := textx.OneLine(e.Message); msg != "" {
		parts = append(parts, msg)
	}
	if len(parts) == 0 {
		return bodyText(body)
	}
	return clip(strings.Join(parts, "; "), 1000)
}
