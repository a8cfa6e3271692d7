package register_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/register"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func load(t *testing.T, path string) *register.Register {
	t.Helper()
	r, err := register.Load(path)
	if err != nil {
		t.Fatalf("Load(%s):\n%v", path, err)
	}
	return r
}

// TestFixture checks the rich fixture decodes to what the file says.
func TestFixture(t *testing.T) {
	r := load(t, "testdata/register.yaml")
	if got := len(r.People); got != 5 {
		t.Errorf("%d people, want 5", got)
	}
	var ids []string
	for _, g := range r.Groups {
		ids = append(ids, g.ID)
	}
	if got, want := strings.Join(ids, " "), "cisa-kev uk-ncsc fs-isac fortinet-psirt ciisec oss-security"; got != want {
		t.Errorf("groups %s, want %s", got, want)
	}
	if p, _ := r.Person("rpatel"); p.IsActive() {
		t.Error("rpatel should be inactive")
	}
	if r.Organisation.Name != "Northwind Payments Ltd" {
		t.Errorf("organisation %+v", r.Organisation)
	}

	isac, _ := r.Group("fs-isac")
	want := register.Membership{
		Status:  register.MembershipActive,
		Since:   register.NewDate(2024, time.January, 15),
		Renewal: register.NewDate(2026, time.January, 15),
		Proof:   []register.Proof{{Ref: "FS-ISAC invoice INV-2024-0183"}, {Ref: "member portal access confirmed 2024-01-22"}},
		TLP:     "AMBER",
	}
	if diff := cmp.Diff(want, isac.Membership); diff != "" {
		t.Errorf("fs-isac membership (-want +got):\n%s", diff)
	}
	if isac.Kind != register.KindISAC || isac.Review.Every != (register.Period{Months: 6}) {
		t.Errorf("fs-isac kind %q, review every %v", isac.Kind, isac.Review.Every)
	}

	kev, _ := r.Group("cisa-kev")
	last, ok := kev.Review.Last()
	if !ok || last.Date.String() != "2025-11-02" || last.Notes != "Still the primary source for exploited CVEs.\nKEV due dates now feed the patch SLA rules.\n" {
		t.Errorf("cisa-kev last review %+v", last)
	}
	if !kev.Membership.ActiveAt(register.NewDate(2025, 1, 1)) || kev.Membership.ActiveAt(register.NewDate(2024, 2, 1)) {
		t.Error("cisa-kev membership ActiveAt")
	}

	for source, group := range map[string]string{
		"cisa-kev":           "cisa-kev",
		"ncsc-reports":       "uk-ncsc",
		"ncsc-early-warning": "uk-ncsc",
		"fs-isac-portal":     "fs-isac",
		"fortinet-psirt":     "fortinet-psirt",
		"oss-security":       "oss-security",
		"manual":             "ciisec",
	} {
		if g, ok := r.GroupForSource(source); !ok || g.ID != group {
			t.Errorf("GroupForSource(%q) = %v, %v; want %s", source, g, ok, group)
		}
	}
	if err := r.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

// TestJSONFixture checks the JSON fixture is the same register as the YAML
// one, and that it is what WriteJSON writes (run with -update to rewrite it).
func TestJSONFixture(t *testing.T) {
	fromYAML := load(t, "testdata/register.yaml")
	var buf bytes.Buffer
	if err := fromYAML.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/register.json", buf.Bytes())
	fromJSON := load(t, "testdata/register.json")
	if diff := cmp.Diff(fromYAML, fromJSON); diff != "" {
		t.Errorf("register.json differs from register.yaml (-yaml +json):\n%s", diff)
	}
}

// TestWriteYAMLGolden pins the YAML that WriteYAML writes for the fixture.
func TestWriteYAMLGolden(t *testing.T) {
	r := load(t, "testdata/register.yaml")
	var buf bytes.Buffer
	if err := r.WriteYAML(&buf); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/register.golden.yaml", buf.Bytes())
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
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
		t.Errorf("%s differs (-want +got); run go test -update if the change is intended:\n%s", path, diff)
	}
}

// rich returns a register built in code that uses every field, and strings
// that YAML would otherwise read as something else.
func richRegister() *register.Register {
	yes, no := true, false
	tricky := []string{
		"2024-03-01", "true", "no", "null", "~", "0x10", "1e3", "12", "- dash", "#hash", "key: value",
		"[flow]", "{map}", "*alias", "&anchor", "!tag", "|", ">", "'single'", `"double"`, "%percent", "@at", "`tick",
		" leading space", "trailing space ", "tab\there", "line\nbreak", "ends with newline\n", "\n\nblank lines first",
		"multi\nline\n  indented\n", "unicode: Zoë, 東京, emoji 🛡", "control \x01 \x7f", "", "<<",
	}
	var proofs []register.Proof
	for _, s := range tricky {
		if s != "" { // a proof needs a reference
			proofs = append(proofs, register.Proof{Ref: s})
		}
	}
	proofs = append(proofs, register.Proof{Ref: "invoice INV-2025-001", Kind: "invoice", Date: register.NewDate(2025, 1, 3),
		SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"})
	return &register.Register{
		Organisation: register.Organisation{Name: "Northwind: Payments", Regions: []string{"uk", "eu"}, Sectors: []string{"financial-services"},
			Regulations: []string{"dora", "nis2"}},
		People: []register.Person{
			{ID: "akhan", Name: "Aisha Khan", Email: "aisha.khan@northwind.example", Role: "Network Engineer", Technical: true, Active: &yes},
			{ID: "mokafor", Name: "Maria Okafor", Role: "Head of GRC"},
			{ID: "rpatel", Name: "Ravi Patel", Technical: true, Active: &no},
			{ID: "007", Name: "true"},
		},
		Groups: []register.Group{
			{
				ID: "fs-isac", Name: "FS-ISAC", Kind: register.KindISAC, URL: "https://www.fsisac.com",
				Relevance: "Peer sharing for financial institutions.\nWe are a member firm.",
				Purpose:   register.PurposePeerExchange,
				Scope: register.Scope{Regions: []string{"global"}, Sectors: []string{"financial-services"}, Vendors: tricky,
					Ecosystems: []string{"Go", "npm"}},
				Owner: "akhan", Backup: "mokafor",
				Membership: register.Membership{
					Status: register.MembershipActive, Since: register.NewDate(2024, 1, 15), Until: register.NewDate(2027, 1, 14),
					Renewal: register.NewDate(2026, 1, 15), Proof: proofs, TLP: "AMBER+STRICT",
					Level: "core member", Reference: "M-0042", Terms: "members only;\nChatham House rule",
				},
				Notifications: []register.Notification{
					{Event: register.NotifiedJoined, Date: register.NewDate(2024, 1, 20), Authority: "FCA", Ref: "FCA case 123"},
					{Event: register.NotifiedLeft, Date: register.NewDate(2027, 1, 20), Authority: "true"},
				},
				Channels: []register.Channel{
					{Kind: "manual", Source: "fs-isac-portal", Every: register.Period{Years: 1, Months: 2, Days: 3}},
					{Kind: "rss", URL: "https://example.com/feed?a=1&b=2#x", Every: register.Period{Days: 14}},
				},
				Review: register.Review{Every: register.Period{Years: 1, Days: 14}, Records: []register.ReviewRecord{
					{Date: register.NewDate(2024, 7, 8), By: "akhan", Outcome: register.OutcomeKeep},
					{Date: register.NewDate(2025, 7, 8), By: "007", Outcome: register.OutcomeChange, Notes: strings.Join(tricky, "\n")},
				}},
				Engagements: []register.Engagement{
					{Date: register.NewDate(2025, 3, 20), Kind: "meeting", Who: []string{"akhan", "mokafor", "007"}, Notes: "EMEA member meeting, London"},
					{Date: register.NewDate(2025, 9, 10), Kind: "contribution", TLP: "TLP:GREEN"},
				},
			},
			{ID: "minimal", Name: "Minimal", Kind: register.KindForum,
				// Short lists are written in flow style: [a, b].
				Scope: register.Scope{Sectors: []string{"a, b", "]", "x: y", "#z", "-", "{}", "yes", "'"}}},
			{ID: "ended", Name: "Ended", Kind: register.KindMailingList, Owner: "rpatel",
				Membership: register.Membership{Status: register.MembershipEnded, Until: register.NewDate(2025, 1, 1)},
				Review:     register.Review{Records: []register.ReviewRecord{{Date: register.NewDate(2025, 1, 1), By: "rpatel", Outcome: register.OutcomeRetire}}},
			},
		},
	}
}

func TestRoundTrip(t *testing.T) {
	registers := map[string]*register.Register{
		"rich":    richRegister(),
		"fixture": load(t, "testdata/register.yaml"),
		"empty":   {},
	}
	for name, r := range registers {
		t.Run(name, func(t *testing.T) {
			if err := r.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			for _, format := range []string{"yaml", "json"} {
				var buf bytes.Buffer
				var err error
				if format == "yaml" {
					err = r.WriteYAML(&buf)
				} else {
					err = r.WriteJSON(&buf)
				}
				if err != nil {
					t.Fatalf("write %s: %v", format, err)
				}
				back, err := register.Parse(bytes.NewReader(buf.Bytes()), "out."+format)
				if err != nil {
					t.Fatalf("Parse(Write%s):\n%v\n%s", strings.ToUpper(format), err, buf.Bytes())
				}
				if diff := cmp.Diff(r, back); diff != "" {
					t.Errorf("%s round trip (-want +got):\n%s\n%s", format, diff, buf.Bytes())
				}
			}
		})
	}
}

func TestWriteErrors(t *testing.T) {
	tests := []struct {
		name string
		r    *register.Register
		want string
	}{
		{"invalid_utf8", &register.Register{People: []register.Person{{ID: "a", Name: "bad \xff"}}},
			"people[0].name: invalid UTF-8 in string"},
		{"negative_period", &register.Register{Groups: []register.Group{{Review: register.Review{Every: register.Period{Months: -1}}}}},
			"groups[0].review.every: invalid period -1mo: parts must not be negative"},
		{"date_out_of_range", &register.Register{Groups: []register.Group{{Membership: register.Membership{Since: register.NewDate(10000, 1, 1)}}}},
			"groups[0].membership.since: date 10000-01-01 is outside the years 0000-9999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for format, write := range map[string]func(*bytes.Buffer) error{
				"YAML": func(b *bytes.Buffer) error { return tt.r.WriteYAML(b) },
				"JSON": func(b *bytes.Buffer) error { return tt.r.WriteJSON(b) },
			} {
				var buf bytes.Buffer
				err := write(&buf)
				if want := "register: write " + format + ": " + tt.want; err == nil || err.Error() != want {
					t.Errorf("Write%s = %v, want %q", format, err, want)
				}
			}
		})
	}
}

func TestMergeKeys(t *testing.T) {
	input := `
people: [{id: akhan, name: Aisha Khan}, {id: jlee, name: James Lee}]
groups:
  - &vendor
    id: fortinet-psirt
    name: Fortinet PSIRT
    kind: vendor
    owner: akhan
    backup: jlee
    review: {every: 12mo}
  - <<: *vendor
    id: paloalto-psirt
    name: Palo Alto Networks PSIRT
    backup: akhan
`
	r, err := register.Parse(strings.NewReader(input), "m.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := register.Group{ID: "paloalto-psirt", Name: "Palo Alto Networks PSIRT", Kind: register.KindVendor,
		Owner: "akhan", Backup: "akhan", Review: register.Review{Every: register.Period{Months: 12}}}
	if diff := cmp.Diff(want, r.Groups[1]); diff != "" {
		t.Errorf("merged group (-want +got):\n%s", diff)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "register.yaml")
	content := "people:\n  - id: akhan\n    name: Aisha Khan\ngroups:\n  - id: kev\n    name: CISA KEV\n    kind: government-cert\n    owner: akahn\n"
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := register.Load(path)
	var list register.ErrorList
	if !errors.As(err, &list) || len(list) != 1 {
		t.Fatalf("Load = %v, want one error", err)
	}
	if got, want := err.Error(), path+`:8:12: groups[0].owner: unknown person "akahn" (did you mean "akhan"?)`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if list[0].File != path || list[0].Line != 8 || list[0].Column != 12 || list[0].Path != "groups[0].owner" {
		t.Errorf("fields %+v", *list[0])
	}

	if _, err := register.Load(dir); err == nil || !strings.HasPrefix(err.Error(), "register: read "+dir) {
		t.Errorf("Load(dir) = %v", err)
	}
}

// TestDocExample checks that the example in the package documentation is a
// valid register.
func TestDocExample(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	start := strings.Index(text, "A complete\n// example:\n")
	end := strings.Index(text, "// YAML anchors")
	if start < 0 || end < start {
		t.Fatal("cannot find the example in doc.go")
	}
	var yaml strings.Builder
	for _, line := range strings.Split(text[start:end], "\n")[2:] {
		line = strings.TrimPrefix(line, "//")
		yaml.WriteString(strings.TrimPrefix(line, "\t") + "\n")
	}
	r, err := register.Parse(strings.NewReader(yaml.String()), "doc.go example")
	if err != nil {
		t.Fatalf("%v\n%s", err, yaml.String())
	}
	if len(r.People) != 3 || len(r.Groups) != 1 || r.Groups[0].Membership.Until.IsZero() {
		t.Errorf("doc example decoded to %+v", r)
	}
}
