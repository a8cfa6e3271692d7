package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestIntakeRunRetriagesAfterStackChange: a new user files the bundled
// catalog under the sample stack, then points intake at another stack
// (PAN-OS only, owned by carol). The second run re-triages the open cases:
// the 10 PAN-OS CVEs of the catalog (counted by kevIDs-style filtering in
// intake's TestRetriageAfterStackChange) are assigned to carol, nothing is
// actionable for the old owners any more, and a third run changes nothing.
func TestIntakeRunRetriagesAfterStackChange(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "sigwatch.db")
	stack := filepath.Join(dir, "stack.yaml")
	if err := os.WriteFile(stack, []byte(`components:
  - {id: pa-fw, vendor: Palo Alto Networks, product: PAN-OS, version: 10.2.9-h1, owner: carol, exposure: internet}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(stackFile string) result {
		r := runCLI(t, "", "intake", "run", "--register", exampleRegister, "--stack", stackFile, "--db", db,
			"--offline", "bundled", "--now", fixedNow)
		if r.code != 0 {
			t.Fatalf("intake run --stack %s: exit %d: %s", stackFile, r.code, r.stderr)
		}
		return r
	}
	if r := run(exampleStack); strings.Contains(r.stdout, "re-triaged") {
		t.Errorf("first run re-triaged: %s", tail(r.stdout, 1))
	}
	r := run(stack)
	m := regexp.MustCompile(`0 new cases, 0 updated, (\d+) re-triaged`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("second run does not say it re-triaged: %s", tail(r.stdout, 1))
	}
	cases := runCLI(t, "", "intake", "cases", "--db", db, "--state", "assigned")
	rows := regexp.MustCompile(`(?m)^CVE-\S+\s+assigned\s+actionable\s+\S+\s+(\S+)`).FindAllStringSubmatch(cases.stdout, -1)
	if len(rows) != 10 {
		t.Errorf("%d assigned actionable cases, want the 10 PAN-OS ones:\n%s", len(rows), cases.stdout)
	}
	for _, row := range rows {
		if row[1] != "carol" {
			t.Errorf("assigned to %s, want carol: %s", row[1], row[0])
		}
	}
	if r := run(stack); strings.Contains(r.stdout, "re-triaged") {
		t.Errorf("third run re-triaged again: %s", tail(r.stdout, 1))
	}
	if v := runCLI(t, "", "journal", "verify", "--db", db); v.code != 0 {
		t.Errorf("journal verify: exit %d: %s", v.code, v.stdout)
	}
}
