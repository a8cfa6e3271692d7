package main

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/notify"
	"github.com/sigwatch/sigwatch/internal/yamlin"
	"github.com/sigwatch/sigwatch/triage"
)

// The --notify file of "intake run" and "intake watch":
//
//	notifiers:
//	  - {name: ops-hook, kind: webhook, url: "https://…", secret_env: SIGWATCH_WEBHOOK_SECRET}
//	  - {name: chat, kind: slack, url_env: SLACK_WEBHOOK_URL}
//	  - {name: teams, kind: teams, url_env: TEAMS_WEBHOOK_URL}
//	  - {name: mail, kind: smtp, addr: "smtp.example.org:587", from: "sigwatch@example.org",
//	     username_env: SMTP_USER, password_env: SMTP_PASSWORD, starttls: required}
//	  - {name: tickets, kind: jira, base_url: "https://example.atlassian.net", project: SEC,
//	     issue_type: Task, email_env: JIRA_EMAIL, token_env: JIRA_TOKEN}
//	routes:
//	  - {owner: netops, priorities: [P1, P2], notifier: chat}
//	  - {notifier: mail}
//	digest: {priorities: [P4], every: 24h, at: "08:00"}
//
// Secrets, and URLs that carry a token (Slack and Teams incoming webhooks),
// are never written in the file: it names the environment variables that
// hold them (the *_env keys), so the file can live in git.

// maxNotifyFileSize caps the --notify file.
const maxNotifyFileSize = 1 << 20

// notifyFile is the --notify file as written.
type notifyFile struct {
	Notifiers []notifierSpec `yaml:"notifiers"`
	Routes    []routeSpec    `yaml:"routes"`
	Digest    *digestSpec    `yaml:"digest"`
}

// notifierSpec is one notifier; which keys apply depends on its kind (see
// notifierKeys).
type notifierSpec struct {
	Name string `yaml:"name" yamlin:"required"`
	Kind string `yaml:"kind" yamlin:"required"`

	// webhook, slack, teams
	URL    string `yaml:"url"`
	URLEnv string `yaml:"url_env"`
	// webhook
	SecretEnv string `yaml:"secret_env"`

	// smtp
	Addr        string `yaml:"addr"`
	From        string `yaml:"from"`
	UsernameEnv string `yaml:"username_env"`
	PasswordEnv string `yaml:"password_env"`
	StartTLS    string `yaml:"starttls"`
	ImplicitTLS bool   `yaml:"implicit_tls"`
	Hello       string `yaml:"hello"`

	// jira
	BaseURL        string    `yaml:"base_url"`
	Project        string    `yaml:"project"`
	IssueType      string    `yaml:"issue_type"`
	EmailEnv       string    `yaml:"email_env"`
	TokenEnv       string    `yaml:"token_env"`
	BearerTokenEnv string    `yaml:"bearer_token_env"`
	Labels         []string  `yaml:"labels"`
	PriorityMap    stringMap `yaml:"priority_map"`
	SetDueDate     bool      `yaml:"set_due_date"`
}

// stringMap is a YAML map of text to text (Jira's priority names).
type stringMap map[string]string

var stringMapType = reflect.TypeFor[stringMap]()

type routeSpec struct {
	Owner      string         `yaml:"owner"`
	Priorities []string       `yaml:"priorities"`
	Notifier   string         `yaml:"notifier" yamlin:"required"`
	To         *recipientSpec `yaml:"to"`
	Digest     bool           `yaml:"digest"`
}

type recipientSpec struct {
	ID    string `yaml:"id"`
	Name  string `yaml:"name"`
	Email string `yaml:"email"`
}

type digestSpec struct {
	Priorities []string `yaml:"priorities"`
	Every      string   `yaml:"every"`
	At         string   `yaml:"at"`
}

// notifierKinds are the kinds a notifier may have.
var notifierKinds = []string{"webhook", "slack", "teams", "smtp", "jira"}

// notifierKeys lists the keys that apply to each kind beyond name and kind.
var notifierKeys = map[string][]string{
	"webhook": {"url", "url_env", "secret_env"},
	"slack":   {"url_env"},
	"teams":   {"url_env"},
	"smtp":    {"addr", "from", "username_env", "password_env", "starttls", "implicit_tls", "hello"},
	"jira":    {"base_url", "project", "issue_type", "email_env", "token_env", "bearer_token_env", "labels", "priority_map", "set_due_date"},
}

// envName is what an environment variable name looks like.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// notifyConfig is a loaded --notify file.
type notifyConfig struct {
	opts *intake.NotifyOptions
	// names are the notifiers in file order, for messages.
	names []string
}

// loadNotifyConfig reads the --notify file at path. lookup reads the
// environment (os.LookupEnv). Every problem is reported at once, each with
// its file position: the error is a yamlin.ErrorList.
func loadNotifyConfig(path string, lookup func(string) (string, bool)) (*notifyConfig, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("notify config: %w", err)
	}
	defer f.Close()
	return parseNotifyConfig(f, path, lookup)
}

// parseNotifyConfig is loadNotifyConfig on a reader; name names it in errors.
func parseNotifyConfig(r io.Reader, name string, lookup func(string) (string, bool)) (*notifyConfig, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxNotifyFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("notify config: read %s: %w", name, err)
	}
	if len(data) > maxNotifyFileSize {
		return nil, yamlin.ErrorList{{File: name, Msg: fmt.Sprintf("file is larger than the %d MiB limit", maxNotifyFileSize>>20)}}
	}
	root, err := yamlin.Parse(data, &yamlin.ParseOptions{File: name, MaxBytes: maxNotifyFileSize, What: "a notification config"})
	if err != nil {
		var ye *yamlin.Error
		if errors.As(err, &ye) {
			return nil, yamlin.ErrorList{ye}
		}
		return nil, yamlin.ErrorList{{File: name, Msg: err.Error()}}
	}
	if root == nil {
		return nil, yamlin.ErrorList{{File: name, Msg: `file is empty; want a map with a "notifiers" list`}}
	}
	c := &configChecker{file: name, pos: map[string]*yaml.Node{}, lookup: lookup}
	var spec notifyFile
	dec := yamlin.NewDecoder(&yamlin.Options{File: name, Value: c.value})
	dec.Decode(root, &spec)
	c.errs = append(c.errs, dec.Errors()...)
	c.failed = dec.Failed()
	cfg := c.build(&spec)
	if len(c.errs) > 0 {
		return nil, c.errs.Sort()
	}
	return cfg, nil
}

// configChecker turns the decoded file into NotifyOptions, reporting
// problems at the position of the value concerned.
type configChecker struct {
	file   string
	pos    map[string]*yaml.Node // every decoded value by path
	failed map[string]bool       // paths the decoder already reported
	errs   yamlin.ErrorList
	lookup func(string) (string, bool)
}

// value records where every value is and decodes stringMap, which yamlin
// does not know.
func (c *configChecker) value(n *yaml.Node, v reflect.Value, path string) (bool, error) {
	c.pos[path] = n
	if v.Type() != stringMapType {
		return false, nil
	}
	if n.Kind != yaml.MappingNode {
		return true, fmt.Errorf("want a map of names, got %s", yamlin.DescribeNode(n))
	}
	m := stringMap{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || val.Kind != yaml.ScalarNode {
			return true, fmt.Errorf("want text: text pairs, got %s: %s", yamlin.DescribeNode(k), yamlin.DescribeNode(val))
		}
		if _, dup := m[k.Value]; dup {
			return true, fmt.Errorf("key %q appears twice", k.Value)
		}
		m[k.Value] = val.Value
	}
	v.Set(reflect.ValueOf(m))
	return true, nil
}

// at reports a problem at path (or, when path has no recorded position, at
// the nearest enclosing value that has one).
func (c *configChecker) at(path, format string, args ...any) {
	e := &yamlin.Error{File: c.file, Path: path, Msg: fmt.Sprintf(format, args...)}
	for p := path; p != ""; p = parentPath(p) {
		if n, ok := c.pos[p]; ok {
			e.Line, e.Column = n.Line, n.Column
			break
		}
	}
	c.errs = append(c.errs, e)
}

// has reports whether the file gave a value at path.
func (c *configChecker) has(path string) bool {
	_, ok := c.pos[path]
	return ok
}

// parentPath strips the last element: "a[0].b" → "a[0]" → "a" → "".
func parentPath(p string) string {
	if i := strings.LastIndexAny(p, ".["); i >= 0 {
		return p[:i]
	}
	return ""
}

// secret reads the environment variable named at path (a *_env key).
// Values are never echoed: they are secrets.
func (c *configChecker) secret(path, name string) (string, bool) {
	switch v, ok := c.lookup(name); {
	case !envName.MatchString(name):
		c.at(path, "%q is not an environment variable name", name)
	case !ok:
		c.at(path, "environment variable %s is not set", name)
	case strings.TrimSpace(v) == "":
		c.at(path, "environment variable %s is empty", name)
	default:
		return strings.TrimSpace(v), true
	}
	return "", false
}

// endpoint checks a URL without ever echoing it (it may carry a token).
func (c *configChecker) endpoint(path, raw, what string) bool {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		c.at(path, "%s is not a URL", what)
	case u.Scheme != "https" && u.Scheme != "http":
		c.at(path, "%s is not an http or https URL", what)
	case u.Host == "":
		c.at(path, "%s has no host", what)
	default:
		return true
	}
	return false
}

func (c *configChecker) build(spec *notifyFile) *notifyConfig {
	cfg := &notifyConfig{opts: &intake.NotifyOptions{}}
	if len(spec.Notifiers) == 0 && !c.failed["notifiers"] {
		c.at("notifiers", "no notifiers: want a list with at least one {name, kind}")
	}
	first := map[string]string{} // name → path of the first notifier so named
	for i := range spec.Notifiers {
		path := "notifiers[" + strconv.Itoa(i) + "]"
		ns := &spec.Notifiers[i]
		if !c.has(path) {
			c.at(path, "empty entry; want a notifier {name, kind, …}")
			continue
		}
		if ns.Name != "" {
			if prev, dup := first[ns.Name]; dup {
				c.at(path+".name", "notifier name %q is used twice (first at %s)", ns.Name, c.where(prev))
			} else {
				first[ns.Name] = path + ".name"
			}
		}
		n := c.notifier(path, ns)
		if n != nil {
			cfg.opts.Notifiers = append(cfg.opts.Notifiers, n)
			cfg.names = append(cfg.names, ns.Name)
		}
	}
	names := make([]string, 0, len(first))
	for i := range spec.Notifiers {
		if n := spec.Notifiers[i].Name; n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	for i := range spec.Routes {
		path := "routes[" + strconv.Itoa(i) + "]"
		rs := &spec.Routes[i]
		if !c.has(path) {
			c.at(path, "empty entry; want a route {notifier, owner, priorities}")
			continue
		}
		r := intake.Route{Owner: rs.Owner, Notifier: rs.Notifier, Digest: rs.Digest}
		if rs.Notifier != "" && !slices.Contains(names, rs.Notifier) && !c.failed[path+".notifier"] {
			c.at(path+".notifier", "no notifier is named %q%s; the notifiers are %s", rs.Notifier,
				yamlin.DidYouMean(rs.Notifier, names), strings.Join(quoteAll(names), ", "))
		}
		r.Priorities = c.priorities(path+".priorities", rs.Priorities)
		if rs.To != nil {
			if rs.To.ID == "" && rs.To.Email == "" && rs.To.Name == "" {
				c.at(path+".to", "an empty recipient: give id, name or email")
			}
			r.To = &notify.Recipient{ID: rs.To.ID, Name: rs.To.Name, Email: rs.To.Email}
		}
		cfg.opts.Routes = append(cfg.opts.Routes, r)
	}
	if d := spec.Digest; d != nil {
		prio := c.priorities("digest.priorities", d.Priorities)
		if prio == nil && c.has("digest.priorities") {
			prio = []triage.Priority{} // "priorities: []": no digest by priority
		}
		cfg.opts.DigestPriorities = prio
		if d.Every != "" {
			every, err := parseEvery(d.Every)
			if err != nil {
				c.at("digest.every", "%v", err)
			}
			cfg.opts.DigestEvery = every
		}
		// NotifyOptions reads a zero DigestAt with a zero DigestEvery
		// as "08:00"; set both, so "at: 00:00" means midnight.
		cfg.opts.DigestAt = 8 * time.Hour
		if d.At != "" {
			at, err := parseClock(d.At)
			if err != nil {
				c.at("digest.at", "%v", err)
			}
			cfg.opts.DigestAt = at
		}
		if cfg.opts.DigestEvery == 0 {
			cfg.opts.DigestEvery = 24 * time.Hour
		}
	}
	return cfg
}

// where is the "line L" of a recorded path, for "first at" messages.
func (c *configChecker) where(path string) string {
	if n, ok := c.pos[path]; ok {
		return "line " + strconv.Itoa(n.Line)
	}
	return path
}

func (c *configChecker) priorities(path string, in []string) []triage.Priority {
	var out []triage.Priority
	for i, s := range in {
		p := triage.Priority(strings.ToUpper(strings.TrimSpace(s)))
		if p == "" || !p.Valid() {
			c.at(path+"["+strconv.Itoa(i)+"]", "unknown priority %q; want P1, P2, P3 or P4", s)
			continue
		}
		out = append(out, p)
	}
	return out
}

// notifier builds one notifier, or returns nil after reporting why not.
func (c *configChecker) notifier(path string, ns *notifierSpec) notify.Notifier {
	kind := strings.ToLower(strings.TrimSpace(ns.Kind))
	allowed, known := notifierKeys[kind]
	if !known {
		if ns.Kind != "" && !c.failed[path+".kind"] {
			c.at(path+".kind", "unknown notifier kind %q%s; want one of %s", ns.Kind,
				yamlin.DidYouMean(ns.Kind, notifierKinds), strings.Join(notifierKinds, ", "))
		}
		return nil
	}
	before := len(c.errs)
	// Keys of other kinds are mistakes, not options to ignore.
	for _, k := range allKeys() {
		switch {
		case !c.has(path+"."+k) || slices.Contains(allowed, k):
		case k == "url" && (kind == "slack" || kind == "teams"):
			c.at(path+".url", "a %s incoming-webhook URL carries its token: keep it out of the file, in an environment variable named by url_env", kind)
		default:
			c.at(path+"."+k, "%s does not apply to a notifier of kind %s (its keys: name, kind, %s)", k, kind, strings.Join(allowed, ", "))
		}
	}
	var n interface {
		notify.Notifier
		Validate() error
	}
	switch kind {
	case "webhook":
		w := &notify.Webhook{Label: ns.Name}
		switch {
		case ns.URL != "" && ns.URLEnv != "":
			c.at(path+".url_env", "give url or url_env, not both")
		case ns.URLEnv != "":
			if v, ok := c.secret(path+".url_env", ns.URLEnv); ok && c.endpoint(path+".url_env", v, "the value of "+ns.URLEnv) {
				w.URL = v
			}
		case ns.URL != "":
			if c.endpoint(path+".url", ns.URL, "url") {
				w.URL = ns.URL
			}
		default:
			c.at(path, "a webhook needs url (or url_env)")
		}
		if ns.SecretEnv == "" {
			c.at(path, "a webhook needs secret_env: the environment variable holding its signing secret (whsec_…)")
		} else if v, ok := c.secret(path+".secret_env", ns.SecretEnv); ok {
			w.Secret = v
			if err := (&notify.Webhook{URL: "https://x", Secret: v}).Validate(); err != nil {
				c.at(path+".secret_env", "the value of %s: %s", ns.SecretEnv, configMessage(err))
			}
		}
		n = w
	case "slack", "teams":
		var u string
		if ns.URLEnv == "" {
			c.at(path, "a %s notifier needs url_env: the environment variable holding its incoming-webhook URL (the URL carries a token, so it is not written in the file)", kind)
		} else if v, ok := c.secret(path+".url_env", ns.URLEnv); ok && c.endpoint(path+".url_env", v, "the value of "+ns.URLEnv) {
			u = v
		}
		if kind == "slack" {
			n = &notify.Slack{Label: ns.Name, URL: u}
		} else {
			n = &notify.Teams{Label: ns.Name, URL: u}
		}
	case "smtp":
		s := &notify.SMTP{Label: ns.Name, Addr: ns.Addr, From: ns.From, ImplicitTLS: ns.ImplicitTLS, Hello: ns.Hello}
		if ns.Addr == "" {
			c.at(path, "an smtp notifier needs addr (host:port)")
		}
		if ns.From == "" {
			c.at(path, "an smtp notifier needs from (the sender's address)")
		}
		if ns.UsernameEnv != "" {
			s.Username, _ = c.secret(path+".username_env", ns.UsernameEnv)
		}
		if ns.PasswordEnv != "" {
			s.Password, _ = c.secret(path+".password_env", ns.PasswordEnv)
		}
		if (ns.UsernameEnv == "") != (ns.PasswordEnv == "") {
			c.at(path, "give both username_env and password_env, or neither")
		}
		switch strings.ToLower(ns.StartTLS) {
		case "", "default":
		case "required":
			s.StartTLS = notify.StartTLSRequired
		case "opportunistic":
			s.StartTLS = notify.StartTLSOpportunistic
		case "never":
			s.StartTLS = notify.StartTLSNever
		default:
			c.at(path+".starttls", "unknown starttls policy %q; want required, opportunistic or never", ns.StartTLS)
		}
		n = s
	case "jira":
		j := &notify.Jira{Label: ns.Name, BaseURL: ns.BaseURL, Project: ns.Project, IssueType: ns.IssueType,
			Labels: ns.Labels, SetDueDate: ns.SetDueDate}
		if ns.BaseURL == "" {
			c.at(path, "a jira notifier needs base_url (https://example.atlassian.net)")
		}
		if ns.Project == "" {
			c.at(path, "a jira notifier needs project (the project key)")
		}
		if len(ns.PriorityMap) > 0 {
			j.PriorityMap = map[string]string(ns.PriorityMap)
		}
		if ns.EmailEnv != "" {
			j.Email, _ = c.secret(path+".email_env", ns.EmailEnv)
		}
		if ns.TokenEnv != "" {
			j.Token, _ = c.secret(path+".token_env", ns.TokenEnv)
		}
		if ns.BearerTokenEnv != "" {
			j.BearerToken, _ = c.secret(path+".bearer_token_env", ns.BearerTokenEnv)
		}
		switch {
		case (ns.EmailEnv != "" || ns.TokenEnv != "") && ns.BearerTokenEnv != "":
			c.at(path, "give email_env and token_env (Jira Cloud) or bearer_token_env (Data Center), not both")
		case (ns.EmailEnv == "") != (ns.TokenEnv == ""):
			c.at(path, "give both email_env and token_env")
		case ns.EmailEnv == "" && ns.BearerTokenEnv == "":
			c.at(path, "a jira notifier needs credentials: email_env and token_env, or bearer_token_env")
		}
		n = j
	}
	if len(c.errs) > before {
		return nil // the notifier's own check would repeat what was said
	}
	if err := n.Validate(); err != nil {
		c.at(path, "%s", configMessage(err))
		return nil
	}
	return n
}

// configMessage is a notifier's configuration error without the package
// prefixes ("notify: chat: permanent failure: notify: invalid configuration: ").
func configMessage(err error) string {
	var ne *notify.Error
	if errors.As(err, &ne) && ne.Err != nil {
		err = ne.Err
	}
	msg := err.Error()
	msg = strings.TrimPrefix(msg, notify.ErrConfig.Error()+": ")
	return strings.TrimPrefix(msg, "notify: ")
}

// allKeys are every kind-specific notifier key, in a stable order.
func allKeys() []string {
	var out []string
	for _, k := range notifierKinds {
		for _, key := range notifierKeys[k] {
			if !slices.Contains(out, key) {
				out = append(out, key)
			}
		}
	}
	return out
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

// parseEvery reads a digest interval: a Go duration ("24h", "90m") or a
// number of days ("1d", "7d").
func parseEvery(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 || n > 366 {
			return 0, fmt.Errorf("%q is not a number of days from 1 to 366", s)
		}
		d = time.Duration(n) * 24 * time.Hour
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("%q is not a duration such as 24h, 90m or 1d", s)
		}
	}
	if d < time.Minute {
		return 0, fmt.Errorf("%q is shorter than a minute", s)
	}
	return d, nil
}

// parseClock reads a time of day "HH:MM" (UTC) as the offset from midnight.
func parseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not a time of day HH:MM (UTC)", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// describeNotifyConfig is one line about what the --notify file set up.
func (c *notifyConfig) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s (%s), %d %s", len(c.names), pluralWord(len(c.names), "notifier", "notifiers"),
		strings.Join(c.names, ", "), len(c.opts.Routes), pluralWord(len(c.opts.Routes), "route", "routes"))
	if len(c.opts.Routes) == 0 {
		b.WriteString(" (every notifier tells every owner)")
	}
	return b.String()
}
