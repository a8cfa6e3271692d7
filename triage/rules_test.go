package triage_test

import (
	"encoding/csv"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/triage"
)

// TestDeployerDecisionMatchesPublishedTable checks every row of the CERT/CC
// SSVC deployer table, read from the published CSV.
func TestDeployerDecisionMatchesPublishedTable(t *testing.T) {
	f, err := os.Open("testdata/ssvc/deployer_patch_application_priority_1_0_0.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 73 {
		t.Fatalf("table has %d rows, want 72 plus the header", len(rows))
	}
	for _, r := range rows[1:] {
		got, ok := triage.DeployerDecision(r[1], r[2], r[3], r[4])
		if !ok || string(got) != r[5] {
			t.Errorf("row %s (%s, %s, %s, %s): got %q (%v), want %q", r[0], r[1], r[2], r[3], r[4], got, ok, r[5])
		}
	}
	if _, ok := triage.DeployerDecision("active", "public", "yes", "high"); ok {
		t.Error("an unknown exposure value was accepted")
	}
}

func TestConditionTrees(t *testing.T) {
	adv := feeds.Advisory{
		ID: "CVE-2024-0001", Source: "cve5", Tags: []string{"VPN"},
		Scores:       []feeds.Score{{Type: "CVSS_V3", Value: 9.8}, {Type: "CVSS_V4", Value: 8.7}},
		Exploitation: feeds.Exploitation{SSVC: &feeds.SSVC{Exploitation: "poc", Automatable: "yes", TechnicalImpact: "total"}},
		Affected:     []feeds.Affected{{Vendor: "Fortinet", Product: "FortiOS", Versions: []string{"7.2.4"}}},
	}
	st := &triage.Stack{Components: []triage.Component{{ID: "edge-fw", Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4",
		Exposure: triage.ExposureInternet, Criticality: triage.CriticalityHigh, Tags: []string{"perimeter"}, Owner: "netops"}}}
	for _, tc := range []struct {
		name string
		when triage.Cond
		want bool
		why  string // a fact the reason must state
	}{
		{"empty always holds", triage.Cond{}, true, "always"},
		{"number gte", triage.Test("cvss", triage.OpGte, 9.0), true, "cvss 9.8 ≥ 9"},
		{"number lt fails", triage.Test("cvss", triage.OpLt, 9.0), false, ""},
		{"unknown fact is false", triage.Test("epss", triage.OpGte, 0.0), false, ""},
		{"exists on unknown fact", triage.Test("epss", triage.OpExists, nil), false, ""},
		{"not of unknown is true", triage.Not(triage.Test("epss", triage.OpGte, 0.5)), true, "not (epss ≥ 0.5)"},
		{"level order", triage.Test("ssvc.exploitation", triage.OpGte, "poc"), true, "ssvc.exploitation poc ≥ poc"},
		{"level order fails", triage.Test("ssvc.exploitation", triage.OpGte, "active"), false, ""},
		{"any picks the true branch", triage.Any(triage.Is("kev", true), triage.Is("exposure", "internet")), true, "exposure internet"},
		{"all needs every child", triage.All(triage.Is("kev", false), triage.Is("exposure", "internal")), false, ""},
		{"in", triage.In("status", "affected", "needs_review"), true, "status affected"},
		{"set contains, any case", triage.Test("tags", triage.OpContains, "vpn"), true, "tags include vpn"},
		{"component tags", triage.Test("component.tags", triage.OpContains, "perimeter"), true, "component.tags include perimeter"},
		{"confidence order", triage.Test("confidence", triage.OpGte, "name"), true, "confidence name ≥ name"},
		{"source kind from default name", triage.Is("source_kind", "cve5"), true, "source_kind cve5"},
		{"ssvc decision computed", triage.Is("ssvc.decision", "out-of-cycle"), true, "ssvc.decision out-of-cycle"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := triage.New(st, &triage.Options{Now: now, Rules: []triage.Rule{
				{ID: "probe", When: tc.when, Decision: triage.DecisionActionable, Priority: triage.P1},
				{ID: "fallback", Decision: triage.DecisionNotApplicable},
			}})
			if err != nil {
				t.Fatal(err)
			}
			res := e.Evaluate(&adv)
			if got := res.RuleID == "probe"; got != tc.want {
				t.Fatalf("condition held = %v, want %v: %s", got, tc.want, res.Why())
			}
			if tc.want && !strings.Contains(res.Why(), tc.why) {
				t.Errorf("reason lacks %q: %s", tc.why, res.Why())
			}
		})
	}
}

func TestSSVCOnMatch(t *testing.T) {
	// KEV-listed (exploitation active), internet-facing (open), automatable
	// unknown (assumed yes), criticality critical (very high) → row 71:
	// immediate.
	e := mustEngine(t, nil)
	adv := kevAdvisory("CVE-2024-21762", "Fortinet", "FortiOS", "Known")
	res := e.Evaluate(&adv)
	m := res.Matches[0]
	if m.Component.ID != "edge-fw" || m.SSVC.Decision != triage.SSVCImmediate {
		t.Fatalf("%s: SSVC %+v, want immediate", m.Component.ID, m.SSVC)
	}
	if len(m.SSVC.Assumed) != 1 || !strings.Contains(m.SSVC.Assumed[0], "automatable") {
		t.Errorf("assumed = %v, want only automatable", m.SSVC.Assumed)
	}
	// branch-fw: internal (controlled), criticality unknown (medium
	// assumed), automatable assumed yes → row 61: out-of-cycle.
	if b := res.Matches[1]; b.Component.ID != "branch-fw" || b.SSVC.Decision != triage.SSVCOutOfCycle {
		t.Errorf("%s: SSVC %+v, want out-of-cycle", b.Component.ID, b.SSVC)
	}
}

func TestParseRulesFile(t *testing.T) {
	src := `# a team's rules
include_defaults: true
rules:
  - id: pci-internet
    description: Anything on the card-data perimeter
    when:
      component.tags: {contains: pci}
      exposure: internet
      status: [affected, needs_review]
    decision: actionable
    priority: P1
    sla: 2d
    due: kev
    route: pci-team
suppressions:
  - id: EX-1
    advisory: CVE-2024-21762
    component: branch-fw
    owner: akhan
    justification: vulnerable_code_not_in_execute_path
    statement: SSL-VPN is disabled on branch firewalls.
    created: 2026-11-01
    expires: 2027-02-01
aliases:
  vendors: {fortinet: [fortinet inc]}
`
	pol, err := triage.ParseRules(strings.NewReader(src), "rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(pol.Rules); n != 1+len(triage.DefaultRules()) {
		t.Fatalf("%d rules, want the file's one plus the defaults", n)
	}
	r := pol.Rules[0]
	if r.ID != "pci-internet" || r.SLA != 48*time.Hour || r.Due != triage.DueFromKEV || r.Route != "pci-team" || len(r.When.All) != 3 {
		t.Errorf("rule = %+v", r)
	}
	if s := pol.Suppressions[0]; s.Expires != time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC) || s.Justification != triage.JustCodeNotInExecutePath {
		t.Errorf("suppression = %+v", s)
	}

	// The file's rule routes PCI components to the PCI team; the
	// suppression turns branch-fw into not_applicable with its reason.
	st := stack()
	st.Components[0].Tags = []string{"pci"}
	opts := pol.Options()
	opts.Now = now
	e, err := triage.New(st, opts)
	if err != nil {
		t.Fatal(err)
	}
	adv := kevAdvisory("CVE-2024-21762", "Fortinet", "FortiOS", "Known")
	res := e.Evaluate(&adv)
	if res.RuleID != "pci-internet" || res.Owner != "pci-team" || res.Priority != triage.P1 {
		t.Fatalf("got %s %s → %s: %s", res.RuleID, res.Priority, res.Owner, res.Why())
	}
	var branch triage.Match
	for _, m := range res.Matches {
		if m.Component.ID == "branch-fw" {
			branch = m
		}
	}
	if branch.Decision != triage.DecisionNotApplicable || branch.SuppressedBy != "EX-1" ||
		!strings.Contains(branch.Reason, "SSL-VPN is disabled") {
		t.Errorf("branch-fw: %s by %q: %s", branch.Decision, branch.SuppressedBy, branch.Reason)
	}
}

func TestParseRulesReportsEveryProblemWithItsLine(t *testing.T) {
	src := `rules:
  - id: a
    when:
      all:
        - kevv: true
        - cvss: {gte: high}
        - exposure: public
    decision: urgent
    sla: 3 days
  - id: a
    decison: actionable
    when: {not: {confidence: certain}}
suppressions:
  - id: EX-1
    advisory: CVE-2024-1
    justification: because
    expires: someday
`
	_, err := triage.ParseRules(strings.NewReader(src), "bad.yaml")
	if err == nil {
		t.Fatal("bad rules accepted")
	}
	var fe triage.FileErrors
	if !errors.As(err, &fe) {
		t.Fatalf("error is %T, want FileErrors", err)
	}
	// Lines and columns counted by hand in src above.
	want := []string{
		`bad.yaml:5:11: rules[0].when.all[0]: unknown field "kevv" (did you mean "kev"?)`,
		`bad.yaml:6:11: rules[0].when.all[1]: cvss: want a number, got the text "high"`,
		`bad.yaml:7:11: rules[0].when.all[2]: exposure: "public" is not one of isolated, internal, internet`,
		`bad.yaml:8:15: rules[0].decision: "urgent" is not one of actionable, informational, not_applicable`,
		`bad.yaml:9:10: rules[0].sla: sla "3 days" is not a duration (want "3d", "2w", "72h")`,
		`bad.yaml:10:5: rules[1]: duplicate id "a" (first used by rules[0])`,
		`bad.yaml:11:5: rules[1]: unknown field "decison" (did you mean "decision"?)`,
		`bad.yaml:12:17: rules[1].when.not: confidence: "certain" is not one of text, name, cpe, purl`,
		`bad.yaml:14:5: suppressions[0]: missing owner: who accepted this exception?`,
		`bad.yaml:14:5: suppressions[0]: missing statement: say why in words`,
		`bad.yaml:16:20: suppressions[0].justification: justification "because" is not one of component_not_present,`,
		`bad.yaml:17:14: suppressions[0].expires: "someday" is not a date (want YYYY-MM-DD)`,
	}
	got := err.Error()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q", w)
		}
	}
	// Follow-on errors are not piled on values that failed to read or keys
	// that were misspelt.
	for _, not := range []string{"missing expires", `rules[1].decision`} {
		if strings.Contains(got, not) {
			t.Errorf("follow-on error %q reported", not)
		}
	}
	if n := len(fe); n != len(want) {
		t.Errorf("%d errors, want %d", n, len(want))
	}
	if t.Failed() {
		t.Logf("got:\n%s", got)
	}
}

func TestParseRulesHostileInput(t *testing.T) {
	for name, src := range map[string]string{
		"empty":        "",
		"not a map":    "- a\n- b\n",
		"syntax":       "rules: [\n",
		"rules scalar": "rules: 3\n",
		"no rules":     "suppressions: []\n",
		"alias bomb":   "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nrules: [*c]\n",
		"not utf8":     "rules: \xff\n",
		"billion laughs": "a: &a {all: [{kev: true}, {kev: true}, {kev: true}, {kev: true}, {kev: true}, {kev: true}, {kev: true}, {kev: true}, {kev: true}, {kev: true}]}\n" +
			"b: &b {all: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]}\nc: &c {all: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]}\n" +
			"d: &d {all: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]}\ne: &e {all: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]}\n" +
			"f: &f {all: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]}\nrules: [{id: a, decision: actionable, when: *f}]\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := triage.ParseRules(strings.NewReader(src), "r.yaml")
			if err == nil || !strings.HasPrefix(err.Error(), "r.yaml") {
				t.Fatalf("got %v, want an error naming the file", err)
			}
			if name == "billion laughs" && !strings.Contains(err.Error(), "expands to more than") {
				t.Errorf("alias expansion not stopped: %.300s", err)
			}
		})
	}
}

func FuzzParseRules(f *testing.F) {
	f.Add("rules:\n  - id: a\n    when: {kev: true, cvss: {gte: 7}}\n    decision: actionable\n    sla: 3d\n")
	f.Add("include_defaults: true\nsuppressions:\n  - {id: x, advisory: CVE-1, owner: o, justification: risk_accepted, statement: s, expires: 2027-01-01}\n")
	f.Add("rules: [{id: a, decision: informational, when: {any: [{not: {tags: x}}, {all: []}]}}]")
	f.Fuzz(func(t *testing.T, src string) {
		pol, err := triage.ParseRules(strings.NewReader(src), "f.yaml")
		if err != nil {
			return
		}
		// Whatever parses must compile into an engine.
		if _, err := triage.New(&triage.Stack{}, pol.Options()); err != nil {
			t.Fatalf("parsed rules rejected by New: %v", err)
		}
	})
}

func TestSuppressionExpiryAndReopen(t *testing.T) {
	adv := kevAdvisory("CVE-2024-21762", "Fortinet", "FortiOS", "Known")
	fp := triage.Fingerprint(&adv)
	base := triage.Suppression{ID: "EX-9", Advisory: "CVE-2024-21762", Component: "edge-fw", Owner: "akhan",
		Justification: triage.JustInlineMitigationsExist, Statement: "WAF rule blocks the path",
		Expires: clock.Add(24 * time.Hour), Fingerprint: fp}
	decide := func(s triage.Suppression, a *feeds.Advisory) triage.Match {
		e, err := triage.New(stack(), &triage.Options{Now: now, Suppressions: []triage.Suppression{s}})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range e.Evaluate(a).Matches {
			if m.Component.ID == "edge-fw" {
				return m
			}
		}
		t.Fatal("edge-fw did not match")
		return triage.Match{}
	}
	if m := decide(base, &adv); m.SuppressedBy != "EX-9" || m.Decision != triage.DecisionNotApplicable {
		t.Errorf("active exception not applied: %s %s", m.Decision, m.Reason)
	}
	expired := base
	expired.Expires = clock
	if m := decide(expired, &adv); m.SuppressedBy != "" || m.Decision != triage.DecisionActionable ||
		!strings.Contains(m.Reason, "expired on 2026-11-23") {
		t.Errorf("expired exception: %s by %q: %s", m.Decision, m.SuppressedBy, m.Reason)
	}
	// An editorial change keeps the fingerprint; a new affected range does not.
	edited := adv.Clone()
	edited.Title = "new title"
	if triage.Fingerprint(&edited) != fp {
		t.Error("a title change altered the fingerprint")
	}
	revised := adv.Clone()
	revised.Affected[0].Versions = []string{"7.2.4"}
	if m := decide(base, &revised); m.SuppressedBy != "" || !strings.Contains(m.Reason, "reopened") {
		t.Errorf("revised advisory kept the exception: %s by %q: %s", m.Decision, m.SuppressedBy, m.Reason)
	}
	// Missing owner, statement and expiry are all reported.
	_, err := triage.New(stack(), &triage.Options{Suppressions: []triage.Suppression{{ID: "EX-0", Advisory: "CVE-1", Justification: "nope"}}})
	for _, w := range []string{"missing owner", "justification \"nope\"", "missing statement", "missing expires"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q: %v", w, err)
		}
	}
}
