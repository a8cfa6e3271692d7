package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	applianceStack = "../../triage/testdata/realdata/appliance-stack.yaml"
	cve5Dir        = "../../feeds/cve5feed/testdata/vulnrichment-kev"
)

func TestTriageJSON(t *testing.T) {
	r := runCLI(t, "", "triage", "--stack", applianceStack, "--feed", "kev="+kevFile, "--feed", "cve5="+cve5Dir,
		"--now", "2026-11-23", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var out struct {
		Decisions []map[string]any `json:"decisions"`
		Unchecked []struct{ Kind, ID, Reason string }
		Summary   struct {
			Advisories int            `json:"advisories"`
			Statuses   map[string]int `json:"statuses"`
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%.300s", err, r.stdout)
	}
	// Every documented field is present in every decision.
	fields := []string{"advisory", "aliases", "component", "component_version", "purl", "status", "confidence",
		"priority", "due", "owner", "rule", "reason"}
	for _, d := range out.Decisions {
		for _, f := range fields {
			if _, ok := d[f]; !ok {
				t.Fatalf("decision lacks %q: %v", f, d)
			}
		}
	}
	// KEV and CVE 5 records of one CVE are joined: 1404 catalog entries,
	// the 38 records all KEV-listed.
	if out.Summary.Advisories != 1404 {
		t.Errorf("%d advisories, want 1404 (CVE 5 records joined to their KEV entries)", out.Summary.Advisories)
	}
	// Hand-derived in triage/testdata/realdata/appliance_expected.json:
	// FortiOS 7.2.4 is inside CVE-2023-27997's 7.2.0–7.2.4 range, and
	// PAN-OS 10.2.9-h1 is the fix for CVE-2024-3400.
	find := func(adv, comp string) map[string]any {
		for _, d := range out.Decisions {
			if d["advisory"] == adv && d["component"] == comp {
				return d
			}
		}
		t.Fatalf("no decision for %s × %s", adv, comp)
		return nil
	}
	if d := find("CVE-2023-27997", "edge-fw"); d["status"] != "affected" || d["decision"] != "actionable" ||
		d["priority"] != "P1" || d["owner"] != "network-team" || d["due"] != "2026-11-26" || d["confidence"] != "name" {
		t.Errorf("CVE-2023-27997 × edge-fw = %v", d)
	}
	if d := find("CVE-2024-3400", "pa-fw"); d["status"] != "not_affected" || d["decision"] != "not_applicable" {
		t.Errorf("CVE-2024-3400 × pa-fw = %v", d)
	}
	if len(out.Unchecked) == 0 || out.Unchecked[0].ID != "remote-support" {
		t.Errorf("unchecked = %+v, want the component without a version first", out.Unchecked)
	}
	if !strings.Contains(r.stderr, "parser warnings") {
		t.Errorf("stderr lacks the warning count: %q", r.stderr)
	}
}

func TestTriageTableAndErrors(t *testing.T) {
	r := runCLI(t, "", "triage", "--stack", applianceStack, "--feed", "cve5="+cve5Dir, "--now", "2026-11-23")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "DECISION") || !strings.Contains(r.stdout, "Not checked (1):") {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no stack", []string{"triage", "--feed", "kev=" + kevFile}, 2, "--stack is required"},
		{"no feed", []string{"triage", "--stack", applianceStack}, 2, "give at least one --feed"},
		{"bad feed flag", []string{"triage", "--stack", applianceStack, "--feed", "kev"}, 2, "want KIND=PATH"},
		{"unknown kind", []string{"triage", "--stack", applianceStack, "--feed", "misp=x.json"}, 2, `unknown feed kind "misp"`},
		{"missing stack", []string{"triage", "--stack", "/nope.yaml", "--feed", "kev=" + kevFile}, 1, "/nope.yaml"},
		{"missing feed", []string{"triage", "--stack", applianceStack, "--feed", "kev=/nope.json"}, 1, "/nope.json"},
		{"bad now", []string{"triage", "--stack", applianceStack, "--feed", "kev=" + kevFile, "--now", "soon"}, 2, "--now"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, "", tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.msg) || strings.Contains(r.stderr, "goroutine") {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", r.code, r.stderr, tc.code, tc.msg)
			}
		})
	}
}

// TestTriageTableShowsException: a row an exception decided names the
// exception in the RULE column, not the rule that would have fired.
// CVE-2024-3400 is in the bundled KEV catalog and pa-fw runs PAN-OS.
func TestTriageTableShowsException(t *testing.T) {
	rules := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(rules, []byte(`include_defaults: true
suppressions:
  - id: EX-2026-004
    advisory: CVE-2024-3400
    component: pa-fw
    owner: akhan
    justification: vulnerable_code_not_in_execute_path
    statement: GlobalProtect is not enabled.
    expires: 2027-02-01
`), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "triage", "--stack", applianceStack, "--feed", "kev="+kevFile, "--rules", rules, "--now", "2026-11-23")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var row string
	for _, l := range strings.Split(r.stdout, "\n") {
		if strings.Contains(l, "CVE-2024-3400") && strings.Contains(l, " pa-fw ") {
			row = l
		}
	}
	if !strings.HasSuffix(strings.TrimSpace(row), "exception EX-2026-004") {
		t.Errorf("row for CVE-2024-3400 on pa-fw: %q, want RULE exception EX-2026-004\n%s", row, r.stdout)
	}
}
