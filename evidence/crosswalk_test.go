package evidence_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sigwatch/sigwatch/evidence"
)

func mappingSchema(t *testing.T) *jsonschema.Schema {
	return oscalSchema(t, "oscal_mapping_schema.json", evidence.OSCALMappingSchema)
}

var mappingAsOf = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func mappingInput() evidence.MappingInput {
	return evidence.MappingInput{AsOf: mappingAsOf, Generator: "sigwatch test"}
}

// TestCrosswalkTable checks the crosswalk against the table of the
// evidence reference (§7), entry by entry: the expected relationships and
// verdicts below were transcribed from that table by hand, with its
// "subset of A.5.6" for CIS 17.2 read from A.5.6's side (superset-of).
func TestCrosswalkTable(t *testing.T) {
	type key struct{ framework, control string }
	want := map[key][2]string{
		{"NIST SP 800-53 Rev. 5", "PM-15"}:                                     {"intersects-with", "strong"},
		{"NIST SP 800-53 Rev. 5", "SI-5"}:                                      {"intersects-with", "confirmed"},
		{"AICPA Trust Services Criteria (2017)", "CC2.3"}:                      {"intersects-with", "confirmed"},
		{"AICPA Trust Services Criteria (2017)", "CC7.2"}:                      {"not-supported", "not-supported"},
		{"NIST CSF 2.0", "ID.RA-02"}:                                           {"intersects-with", "partial"},
		{"NIST CSF 2.0", "GV.OC-02"}:                                           {"intersects-with", "optional"},
		{"CIS Controls v8", "17.2"}:                                            {"superset-of", "partial"},
		{"DORA, Regulation (EU) 2022/2554", "Art. 13(1)"}:                      {"intersects-with", "confirmed"},
		{"DORA, Regulation (EU) 2022/2554", "Art. 45(1)"}:                      {"intersects-with", "confirmed"},
		{"DORA, Regulation (EU) 2022/2554", "Art. 45(3)"}:                      {"intersects-with", "confirmed"},
		{"DORA RTS, Delegated Regulation (EU) 2024/1774", "Art. 10(2)(a)"}:     {"intersects-with", "confirmed"},
		{"NIS2 IR, Implementing Regulation (EU) 2024/2690", "Annex 6.10.2(a)"}: {"intersects-with", "confirmed"},
		{"BSI IT-Grundschutz Kompendium (Edition 2023)", "DER.1.A12"}:          {"intersects-with", "confirmed"},
		{"Secure Controls Framework (SCF)", "GOV-07"}:                          {"equal-to", "pivot"},
		{"PCI DSS v4.0", "6.3.1"}:                                              {"intersects-with", "optional"},
	}
	got := map[key][2]string{}
	for _, e := range evidence.Crosswalk() {
		got[key{e.Framework, e.Control}] = [2]string{string(e.Relationship), string(e.Verdict)}
		if !e.Relationship.Valid() {
			t.Errorf("%s %s: relationship %q is not valid", e.Framework, e.Control, e.Relationship)
		}
		if e.Relationship == evidence.NotSupported && len(e.Evidence) > 0 {
			t.Errorf("%s %s: not supported but lists evidence %v", e.Framework, e.Control, e.Evidence)
		}
		if e.Relationship != evidence.NotSupported && len(e.Evidence) == 0 {
			t.Errorf("%s %s: no evidence artefact answers it", e.Framework, e.Control)
		}
		for _, s := range []string{e.Title, e.Rationale, e.Provenance} {
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s %s: empty title, rationale or provenance", e.Framework, e.Control)
			}
		}
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(key{})); diff != "" {
		t.Errorf("crosswalk (-want +got):\n%s", diff)
	}
	// The CSF 2.0 ID.RA-02 entry must say that it holds only via SCF.
	for _, e := range evidence.Crosswalk() {
		if e.Control == "ID.RA-02" && !strings.Contains(e.Rationale, "SCF") {
			t.Errorf("ID.RA-02 rationale does not say the mapping goes via SCF: %q", e.Rationale)
		}
	}
}

// TestCrosswalkFresh checks that Crosswalk returns a fresh slice each call:
// changing one result leaves the next untouched.
func TestCrosswalkFresh(t *testing.T) {
	a := evidence.Crosswalk()
	a[0].Control = "changed"
	a[0].Evidence[0] = "E99"
	b := evidence.Crosswalk()
	if b[0].Control == "changed" || b[0].Evidence[0] == "E99" {
		t.Fatalf("Crosswalk shares state between calls: %+v", b[0])
	}
}

func TestRelationshipVocabulary(t *testing.T) {
	for _, tc := range []struct {
		r            evidence.Relationship
		oscal, valid bool
	}{
		{evidence.EquivalentTo, true, true}, {evidence.EqualTo, true, true}, {evidence.SubsetOf, true, true},
		{evidence.SupersetOf, true, true}, {evidence.IntersectsWith, true, true},
		{evidence.NotSupported, false, true}, {"related-to", false, false}, {"", false, false},
	} {
		if tc.r.OSCAL() != tc.oscal || tc.r.Valid() != tc.valid {
			t.Errorf("%q: OSCAL %v valid %v, want %v %v", tc.r, tc.r.OSCAL(), tc.r.Valid(), tc.oscal, tc.valid)
		}
	}
}

// TestOSCALMappingValidates validates the mapping document against the
// official OSCAL 1.2.1 mapping schema and compares it with its golden file.
func TestOSCALMappingValidates(t *testing.T) {
	got := write(t, func(b *bytes.Buffer) error { return evidence.WriteOSCALMapping(b, mappingInput()) })
	if err := validate(t, mappingSchema(t), got); err != nil {
		t.Fatalf("mapping does not validate: %v\n%s", err, got)
	}
	golden(t, "oscal-mapping.json", got)
}

type mappingDoc struct {
	MC struct {
		UUID     string `json:"uuid"`
		Metadata struct {
			LastModified string `json:"last-modified"`
			Version      string `json:"version"`
			OSCALVersion string `json:"oscal-version"`
		} `json:"metadata"`
		Mappings []struct {
			UUID           string `json:"uuid"`
			TargetResource struct {
				Href string `json:"href"`
			} `json:"target-resource"`
			Maps []struct {
				UUID         string `json:"uuid"`
				Relationship string `json:"relationship"`
				Sources      []struct {
					IDRef string `json:"id-ref"`
				}
				Targets []struct {
					IDRef string `json:"id-ref"`
				}
				Props []struct{ Name, Value string }
			} `json:"maps"`
			Remarks string `json:"remarks"`
			Gap     *struct {
				Unmapped []struct {
					WithIDs []string `json:"with-ids"`
				} `json:"unmapped-controls"`
			} `json:"target-gap-summary"`
		} `json:"mappings"`
		BackMatter struct {
			Resources []struct {
				UUID  string `json:"uuid"`
				Title string `json:"title"`
			} `json:"resources"`
		} `json:"back-matter"`
	} `json:"mapping-collection"`
}

func parseMapping(t *testing.T, data []byte) mappingDoc {
	t.Helper()
	var d mappingDoc
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestOSCALMappingContent reads the document back: one mapping per
// framework (10: SP 800-53, SOC 2, CSF 2.0, CIS, DORA, DORA RTS, NIS2 IR,
// BSI, SCF, PCI DSS, counted from the reference table), one map per supported entry (14) from A.5.6, CC7.2 in
// the SOC 2 mapping's target-gap-summary with its reason, every target
// resource a back-matter resource, the metadata as documented.
func TestOSCALMappingContent(t *testing.T) {
	d := parseMapping(t, write(t, func(b *bytes.Buffer) error { return evidence.WriteOSCALMapping(b, mappingInput()) }))
	mc := d.MC
	if mc.Metadata.LastModified != "2026-12-01T00:00:00Z" || mc.Metadata.Version != evidence.CrosswalkVersion ||
		mc.Metadata.OSCALVersion != "1.2.1" {
		t.Errorf("metadata = %+v", mc.Metadata)
	}
	if len(mc.Mappings) != 10 {
		t.Fatalf("%d mappings, want 10 (one per framework)", len(mc.Mappings))
	}
	resources := map[string]bool{}
	for _, r := range mc.BackMatter.Resources {
		resources["#"+r.UUID] = true
	}
	maps, gaps := 0, []string{}
	evidenceOf := map[string][]string{}
	for _, m := range mc.Mappings {
		if !resources[m.TargetResource.Href] {
			t.Errorf("mapping %s: target %s is not a back-matter resource", m.UUID, m.TargetResource.Href)
		}
		for _, mp := range m.Maps {
			maps++
			if len(mp.Sources) != 1 || mp.Sources[0].IDRef != "A.5.6" || len(mp.Targets) != 1 {
				t.Errorf("map %s: sources %v targets %v", mp.UUID, mp.Sources, mp.Targets)
			}
			for _, p := range mp.Props {
				if p.Name == "evidence" {
					evidenceOf[mp.Targets[0].IDRef] = append(evidenceOf[mp.Targets[0].IDRef], p.Value)
				}
			}
		}
		if m.Gap != nil {
			for _, u := range m.Gap.Unmapped {
				gaps = append(gaps, u.WithIDs...)
			}
			if !strings.Contains(m.Remarks, "CC7.2 is not supported") || !strings.Contains(m.Remarks, "A.8.16") {
				t.Errorf("gap remarks %q do not give the reason", m.Remarks)
			}
		}
	}
	if maps != 14 {
		t.Errorf("%d maps, want 14 (15 entries, one not supported)", maps)
	}
	if diff := cmp.Diff([]string{"CC7.2"}, gaps); diff != "" {
		t.Errorf("target gaps (-want +got):\n%s", diff)
	}
	// From the evidence reference §3 ("Answers" column): E4, E5 and E6
	// answer SI-5.
	if diff := cmp.Diff([]string{"E4", "E5", "E6"}, evidenceOf["SI-5"]); diff != "" {
		t.Errorf("SI-5 evidence (-want +got):\n%s", diff)
	}
}

// TestOSCALMappingUUIDs: maps and mappings keep their UUIDs across
// revisions (another as-of), the document UUID changes with the as-of and
// with the content; the same input gives the same bytes.
func TestOSCALMappingUUIDs(t *testing.T) {
	in := mappingInput()
	a := write(t, func(b *bytes.Buffer) error { return evidence.WriteOSCALMapping(b, in) })
	if b := write(t, func(b *bytes.Buffer) error { return evidence.WriteOSCALMapping(b, in) }); !bytes.Equal(a, b) {
		t.Fatal("two writes of the same input differ")
	}
	later := in
	later.AsOf = in.AsOf.Add(24 * time.Hour)
	changed := in
	changed.Entries = evidence.Crosswalk()
	changed.Entries[0].Rationale += " Revised."
	da := parseMapping(t, a)
	dl := parseMapping(t, write(t, func(b *bytes.Buffer) error { return evidence.WriteOSCALMapping(b, later) }))
	dc := parseMapping(t, write(t, func(b *bytes.Buffer) error { return evidence.WriteOSCALMapping(b, changed) }))
	if da.MC.UUID == dl.MC.UUID || da.MC.UUID == dc.MC.UUID || dl.MC.UUID == dc.MC.UUID {
		t.Errorf("document UUIDs %s %s %s: want a new one per as-of and per content", da.MC.UUID, dl.MC.UUID, dc.MC.UUID)
	}
	if da.MC.Mappings[0].Maps[0].UUID != dl.MC.Mappings[0].Maps[0].UUID || da.MC.Mappings[0].UUID != dc.MC.Mappings[0].UUID {
		t.Error("map or mapping UUID changed across revisions")
	}
	// Derived independently with Python's uuid module:
	//   ns = uuid5(NAMESPACE_URL, "https://github.com/sigwatch/sigwatch/ns/oscal")
	//   uuid5(ns, "mapping\x1fNIST SP 800-53 Rev. 5")            (the mapping)
	//   uuid5(ns, "mapping\x1fNIST SP 800-53 Rev. 5\x1fPM-15")  (its first map)
	if got := da.MC.Mappings[0].UUID; got != "cf6b4c00-2c2d-5bfb-ad1e-bf828e412c1f" {
		t.Errorf("SP 800-53 mapping UUID %s", got)
	}
	if got := da.MC.Mappings[0].Maps[0].UUID; got != "8fbe379b-9344-5351-b6e3-6a485ba3c009" {
		t.Errorf("PM-15 map UUID %s", got)
	}
	seen := map[string]bool{}
	for _, m := range da.MC.Mappings {
		for _, u := range append([]string{m.UUID}, func() (s []string) {
			for _, mp := range m.Maps {
				s = append(s, mp.UUID)
			}
			return
		}()...) {
			if seen[u] {
				t.Errorf("UUID %s used twice", u)
			}
			seen[u] = true
		}
	}
}

// TestOSCALMappingBrokenFails: the schema must reject broken documents, so
// that the validation test can fail. A relationship that is not an OSCAL
// token (a space in it) fails; so do a missing provenance, a bad UUID and an
// empty maps array. The 1.2.1 schema types relationship as a token only, so
// an unknown token such as "related-to" passes it: WriteOSCALMapping
// rejects unknown relationships itself (checked below).
func TestOSCALMappingBrokenFails(t *testing.T) {
	sch := mappingSchema(t)
	good := write(t, func(b *bytes.Buffer) error { return evidence.WriteOSCALMapping(b, mappingInput()) })
	mutate := func(f func(mc map[string]any)) []byte {
		var doc map[string]any
		if err := json.Unmarshal(good, &doc); err != nil {
			t.Fatal(err)
		}
		f(doc["mapping-collection"].(map[string]any))
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	firstMap := func(mc map[string]any) map[string]any {
		return mc["mappings"].([]any)[0].(map[string]any)["maps"].([]any)[0].(map[string]any)
	}
	for name, f := range map[string]func(map[string]any){
		"relationship with a space": func(mc map[string]any) { firstMap(mc)["relationship"] = "intersects with" },
		"empty relationship":        func(mc map[string]any) { firstMap(mc)["relationship"] = "" },
		"no relationship":           func(mc map[string]any) { delete(firstMap(mc), "relationship") },
		"no provenance":             func(mc map[string]any) { delete(mc, "provenance") },
		"bad provenance status":     func(mc map[string]any) { mc["provenance"].(map[string]any)["status"] = "final" },
		"bad uuid":                  func(mc map[string]any) { mc["uuid"] = "not-a-uuid" },
		"empty maps": func(mc map[string]any) {
			mc["mappings"].([]any)[0].(map[string]any)["maps"] = []any{}
		},
		"bad target type": func(mc map[string]any) {
			firstMap(mc)["targets"].([]any)[0].(map[string]any)["type"] = "requirement"
		},
	} {
		if err := validate(t, sch, mutate(f)); err == nil {
			t.Errorf("%s: broken document validates", name)
		}
	}
	// The limitation, stated: the schema accepts any token as relationship.
	if err := validate(t, sch, mutate(func(mc map[string]any) { firstMap(mc)["relationship"] = "related-to" })); err != nil {
		t.Errorf("the 1.2.1 schema was expected to accept any token as relationship: %v", err)
	}
}

func TestOSCALMappingInputErrors(t *testing.T) {
	entry := func(f func(e *evidence.CrosswalkEntry)) []evidence.CrosswalkEntry {
		es := evidence.Crosswalk()
		f(&es[0])
		return es
	}
	for _, tc := range []struct {
		name string
		in   evidence.MappingInput
		want string
	}{
		{"no as-of", evidence.MappingInput{}, "needs an as-of"},
		{"as-of out of range", evidence.MappingInput{AsOf: time.Date(3001, 1, 1, 0, 0, 0, 0, time.UTC)}, "outside the years"},
		{"unknown relationship", evidence.MappingInput{AsOf: mappingAsOf,
			Entries: entry(func(e *evidence.CrosswalkEntry) { e.Relationship = "related-to" })}, `relationship "related-to"`},
		{"relationship with a space", evidence.MappingInput{AsOf: mappingAsOf,
			Entries: entry(func(e *evidence.CrosswalkEntry) { e.Relationship = "intersects with" })}, "relationship"},
		{"verdict disagrees", evidence.MappingInput{AsOf: mappingAsOf,
			Entries: entry(func(e *evidence.CrosswalkEntry) { e.Verdict = evidence.VerdictNotSupported })}, "disagree"},
		{"bad artefact", evidence.MappingInput{AsOf: mappingAsOf,
			Entries: entry(func(e *evidence.CrosswalkEntry) { e.Evidence = []string{"E13"} })}, `"E13"`},
		{"no title", evidence.MappingInput{AsOf: mappingAsOf,
			Entries: entry(func(e *evidence.CrosswalkEntry) { e.Title = " \n" })}, "no title"},
		{"duplicate", evidence.MappingInput{AsOf: mappingAsOf,
			Entries: append(evidence.Crosswalk(), evidence.Crosswalk()[0])}, "duplicate"},
		{"empty", evidence.MappingInput{AsOf: mappingAsOf, Entries: []evidence.CrosswalkEntry{}}, "no entries"},
		{"framework with only a gap", evidence.MappingInput{AsOf: mappingAsOf, Entries: []evidence.CrosswalkEntry{{
			Framework: "X", Control: "X1", Title: "t", Rationale: "r", Provenance: "p",
			Relationship: evidence.NotSupported, Verdict: evidence.VerdictNotSupported}}}, "no supported target"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := evidence.WriteOSCALMapping(&bytes.Buffer{}, tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "evidence: ") {
				t.Errorf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestCrosswalkMarkdown compares crosswalk.md with its golden file and
// checks its shape: 15 table rows, the licence note, nothing but the
// crosswalk in it (so the same bytes every time).
func TestCrosswalkMarkdown(t *testing.T) {
	got := write(t, func(b *bytes.Buffer) error { return evidence.WriteCrosswalkMarkdown(b) })
	golden(t, "crosswalk.md", got)
	s := string(got)
	rows := 0
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "| ") && !strings.HasPrefix(l, "| Framework") {
			rows++
			if n := strings.Count(strings.ReplaceAll(l, `\|`, ""), "|"); n != 9 {
				t.Errorf("row with %d cell separators, want 9: %s", n, l)
			}
		}
	}
	if rows != 15 {
		t.Errorf("%d table rows, want 15", rows)
	}
	for _, want := range []string{"## Licence position", "| CC7.2 |", "not-supported", "CC BY-ND 4.0", evidence.OSCALMappingSchema} {
		if !strings.Contains(s, want) {
			t.Errorf("crosswalk.md lacks %q", want)
		}
	}
	if err := evidence.WriteCrosswalkMarkdown(failWriter{}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("write error = %v", err)
	}
}

// TestMappingSchemaFile checks the vendored schema is the file SOURCES.md
// describes (size and SHA-256), so an accidental edit shows.
func TestMappingSchemaFile(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "oscal", "oscal_mapping_schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprintf("%d %s", len(b), sha256Hex(string(b))),
		"51818 d7df6ed24b1d69b31d9ddd4cd0ce66206c8f10546272d85b40e32830969dd5e9"; got != want {
		t.Errorf("oscal_mapping_schema.json: size and SHA-256 %s, want %s (see testdata/oscal/SOURCES.md)", got, want)
	}
}

// The crosswalk's first entries, as a caller would list them.
func ExampleCrosswalk() {
	for _, e := range evidence.Crosswalk()[:4] {
		fmt.Printf("%s %s: A.5.6 %s (%s), evidence %v\n", e.Framework, e.Control, e.Relationship, e.Verdict, e.Evidence)
	}
	// Output:
	// NIST SP 800-53 Rev. 5 PM-15: A.5.6 intersects-with (strong), evidence [E1 E6 E7]
	// NIST SP 800-53 Rev. 5 SI-5: A.5.6 intersects-with (confirmed), evidence [E4 E5 E6]
	// AICPA Trust Services Criteria (2017) CC2.3: A.5.6 intersects-with (confirmed), evidence [E1 E6 E7]
	// AICPA Trust Services Criteria (2017) CC7.2: A.5.6 not-supported (not-supported), evidence []
}
