package evidence_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/evidence"
	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

// rxSum is the lower-case hex SHA-256 of s, computed here with crypto/sha256
// directly rather than through the package.
func rxSum(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// rxAt is a time on 2026-11-<d> at <h>:00 UTC.
func rxAt(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }

// rxCase builds an open, actionable, assigned case whose advisory carries
// tlp and every free-text field, each holding a distinctive text that
// starts with prefix. Its history: received (intake), triaged (intake),
// notified and a failed notification (intake), assigned by a person with a
// note, and an SLA exception granted by that person.
func rxCase(id string, tlp feeds.TLP, prefix, group string) intake.Case {
	adv := feeds.Advisory{ID: id, Aliases: []string{"GHSA-" + id}, Related: []string{"CVE-2020-0001"}, Source: "isac-feed",
		Publisher: "Sector ISAC", Title: prefix + "-TITLE =HYPERLINK(\"x\")", Summary: prefix + "-SUMMARY",
		URL: "https://isac.example/" + prefix + "-URL", Published: rxAt(1, 0), Severity: feeds.SeverityHigh, TLP: tlp,
		Scores:       []feeds.Score{{Type: "CVSS_V3", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Value: 9.8}},
		Exploitation: feeds.Exploitation{KEV: &feeds.KEVListing{VulnerabilityName: prefix + "-KEVNAME", RequiredAction: prefix + "-KEVACTION", Notes: prefix + "-KEVNOTES", Reference: "https://kev.example/" + prefix + "-KEVREF", DateAdded: rxAt(1, 0), DueDate: rxAt(20, 0), RansomwareUse: "Known"}, Statements: []string{prefix + "-STATEMENT"}},
		Affected:     []feeds.Affected{{Vendor: "Fortinet", Product: "FortiOS", Ranges: []feeds.Range{{Type: "SEMVER", Events: []feeds.Event{{Introduced: "7.2.0"}, {Fixed: "7.2.7"}}}}}},
		Weaknesses:   []string{"CWE-787"},
		References:   []feeds.Reference{{Type: "ADVISORY", URL: "https://isac.example/ref/" + prefix + "-REFURL"}},
		Remediations: []feeds.Remediation{{Category: "vendor_fix", Details: prefix + "-REMEDIATION", URL: "https://isac.example/fix/" + prefix + "-FIXURL", Products: []string{"FortiOS"}}},
		Notes:        []feeds.Note{{Category: "details", Title: prefix + "-NOTETITLE", Text: prefix + "-NOTETEXT"}},
		Tags:         []string{prefix + "-TAG"},
		Extra:        map[string]string{"isac.portal": prefix + "-EXTRA", "kev.release.catalogVersion": "2026.11.20"},
	}
	who := "akhan"
	c := intake.Case{ID: id, Keys: []string{id, "GHSA-" + id}, Advisory: adv,
		Receipts: []intake.Receipt{{Source: "isac-feed", Group: group, AdvisoryID: id, ReceivedAt: rxAt(2, 9)}},
		State:    intake.StateAssigned, Decision: triage.DecisionActionable, Owner: "netops", Due: rxAt(9, 9), TriagedAt: rxAt(2, 9),
		Triage: &triage.Result{Decision: triage.DecisionActionable, Priority: "P1", RuleID: "kev-internet", Owner: "netops",
			Reasons: []string{"Rule kev-internet (kev) → actionable P1."},
			Matches: []triage.Match{{Component: triage.Component{ID: "edge-fw", Version: "7.2.4", Tags: []string{"edge"}},
				Confidence: triage.ConfidenceHigh, Verdict: triage.VerdictAffected, Identity: "vendor and product",
				SSVC: triage.SSVC{Assumed: []string{"automatable"}}}}},
		Exception: &intake.Exception{Reason: prefix + "-EXCEPTION", Until: rxAt(30, 0), By: who, At: rxAt(4, 9)},
		Events: []intake.Event{
			{At: rxAt(2, 9), Kind: intake.EventReceived, To: intake.StateReceived, Actor: intake.Actor, Note: "received " + id + " from isac-feed"},
			{At: rxAt(2, 9), From: intake.StateReceived, To: intake.StateTriaged, Actor: intake.Actor, Note: "actionable by rule kev-internet (P1)",
				Decision: triage.DecisionActionable},
			{At: rxAt(2, 10), Kind: intake.EventNotified, From: intake.StateTriaged, To: intake.StateTriaged, Actor: intake.Actor,
				Notifier: "chat", Recipient: "netops", Ref: "200 OK", Note: "told Net Ops through chat (immediate)"},
			{At: rxAt(2, 11), Kind: intake.EventNotifyFailed, From: intake.StateTriaged, To: intake.StateTriaged, Actor: intake.Actor,
				Notifier: "mail", Recipient: "netops", Note: "could not tell Net Ops through mail after 3 attempts: 550 rejected: " + prefix + "-ECHO"},
			{At: rxAt(3, 9), From: intake.StateTriaged, To: intake.StateAssigned, Actor: who, Note: prefix + "-PERSONNOTE", Ref: "JIRA-1"},
			{At: rxAt(4, 9), Kind: intake.EventException, From: intake.StateAssigned, To: intake.StateAssigned, Actor: who,
				Note: prefix + "-EXCEPTION", Until: rxAt(30, 0)},
		},
	}
	return c
}

// rxCases are one case per label. Every case is open and actionable (so
// it is in the POA&M) and has notification events (so it is in the
// dissemination record), except the AMBER+STRICT one, which was rejected
// with a reason.
func rxCases() []intake.Case {
	strict := rxCase("ISAC-S", feeds.TLPAmberStrict, "STRICTSECRET", "")
	strict.State, strict.RejectReason, strict.ClosedAt = intake.StateRejected, "STRICTSECRET-REJECT", rxAt(5, 9)
	strict.Events = append(strict.Events, intake.Event{At: rxAt(5, 9), From: intake.StateAssigned, To: intake.StateRejected,
		Actor: "akhan", Note: "STRICTSECRET-REJECT"})
	return []intake.Case{
		rxCase("ISAC-A", feeds.TLPAmber, "AMBERSECRET", ""),
		rxCase("ISAC-R", feeds.TLPRed, "REDSECRET", ""),
		strict,
		rxCase("ISAC-P", feeds.TLP("purple"), "PURPLESECRET", ""),
		rxCase("CVE-2026-1000", feeds.TLPGreen, "GREENPUBLIC", ""),
		rxCase("CVE-2026-2000", feeds.TLPClear, "CLEARPUBLIC", ""),
		rxCase("CVE-2026-3000", feeds.TLPUnspecified, "PLAINPUBLIC", ""),
		// Unlabelled, but received through a group whose default is AMBER.
		rxCase("CVE-2026-4000", feeds.TLPUnspecified, "GROUPSECRET", "sector-isac"),
	}
}

// rxRegister has one group with a default handling label of AMBER.
func rxRegister() *register.Register {
	return &register.Register{Organisation: register.Organisation{Name: "Example Bank plc"},
		Groups: []register.Group{{ID: "sector-isac", Name: "Sector ISAC", Kind: register.KindISAC,
			Membership: register.Membership{Status: register.MembershipActive, TLP: "amber"}}}}
}

// rxTexts are the distinctive texts of a case made by rxCase with prefix p:
// every one must be gone from every artefact when the case is redacted.
func rxTexts(p string) []string {
	return []string{p + "-TITLE", p + "-SUMMARY", p + "-URL", p + "-KEVNAME", p + "-KEVACTION", p + "-KEVNOTES", p + "-KEVREF",
		p + "-STATEMENT", p + "-REFURL", p + "-REMEDIATION", p + "-FIXURL", p + "-NOTETITLE", p + "-NOTETEXT", p + "-TAG",
		p + "-EXTRA", p + "-ECHO", p + "-PERSONNOTE", p + "-EXCEPTION", p + "-REJECT"}
}

// rxRender renders every artefact that shows advisory text from cases: the
// response log (E4) as CSV and JSON, the dissemination record (E6) as CSV
// and JSON, and the OSCAL POA&M (E5).
func rxRender(t *testing.T, cases []intake.Case) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, fn := range map[string]func(io.Writer) error{
		"response-log.csv":   func(w io.Writer) error { return evidence.WriteResponseLogCSV(w, cases) },
		"response-log.json":  func(w io.Writer) error { return evidence.WriteResponseLogJSON(w, cases) },
		"dissemination.csv":  func(w io.Writer) error { return evidence.WriteDisseminationCSV(w, cases) },
		"dissemination.json": func(w io.Writer) error { return evidence.WriteDisseminationJSON(w, cases) },
		"oscal-poam.json": func(w io.Writer) error {
			return evidence.WriteOSCALPOAM(w, evidence.OSCALInput{Register: rxRegister(), Cases: cases, AsOf: rxAt(30, 0)})
		},
	} {
		var b bytes.Buffer
		if err := fn(&b); err != nil {
			t.Fatalf("render %s: %v", name, err)
		}
		out[name] = b.String()
	}
	return out
}

// rxMarked is the title RedactCases must give a case with the given label
// and original title: the marker and the SHA-256 of the original.
func rxMarked(label, title string) string {
	return "[redacted TLP:" + label + "] sha256:" + rxSum(title)
}

func TestRedactCasesArtefacts(t *testing.T) {
	title := func(p string) string { return p + "-TITLE =HYPERLINK(\"x\")" }
	tests := []struct {
		name   string
		redact string
		reg    *register.Register
		// gone are the prefixes whose texts must be absent; kept those
		// whose titles must be present as they were.
		gone, kept []string
		// marked maps a prefix to the label its marker must show.
		marked map[string]string
	}{
		{name: "amber_with_register", redact: "amber", reg: rxRegister(),
			gone: []string{"AMBERSECRET", "REDSECRET", "STRICTSECRET", "PURPLESECRET", "GROUPSECRET"},
			kept: []string{"GREENPUBLIC", "CLEARPUBLIC", "PLAINPUBLIC"},
			marked: map[string]string{"AMBERSECRET": "AMBER", "REDSECRET": "RED", "STRICTSECRET": "AMBER+STRICT",
				"PURPLESECRET": "purple", "GROUPSECRET": "AMBER"}},
		{name: "amber_without_register", redact: "TLP:AMBER",
			gone:   []string{"AMBERSECRET", "REDSECRET", "STRICTSECRET", "PURPLESECRET"},
			kept:   []string{"GREENPUBLIC", "CLEARPUBLIC", "PLAINPUBLIC", "GROUPSECRET"},
			marked: map[string]string{"AMBERSECRET": "AMBER", "REDSECRET": "RED", "STRICTSECRET": "AMBER+STRICT", "PURPLESECRET": "purple"}},
		{name: "red_leaves_amber", redact: "red", reg: rxRegister(),
			gone:   []string{"REDSECRET", "PURPLESECRET"},
			kept:   []string{"AMBERSECRET", "STRICTSECRET", "GROUPSECRET", "GREENPUBLIC", "CLEARPUBLIC", "PLAINPUBLIC"},
			marked: map[string]string{"REDSECRET": "RED", "PURPLESECRET": "purple"}},
		{name: "amber_strict", redact: "amber+strict", reg: rxRegister(),
			gone:   []string{"REDSECRET", "STRICTSECRET", "PURPLESECRET"},
			kept:   []string{"AMBERSECRET", "GROUPSECRET", "GREENPUBLIC"},
			marked: map[string]string{"REDSECRET": "RED", "STRICTSECRET": "AMBER+STRICT"}},
		{name: "nothing", redact: "", reg: rxRegister(),
			kept: []string{"AMBERSECRET", "REDSECRET", "STRICTSECRET", "PURPLESECRET", "GROUPSECRET", "GREENPUBLIC"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := rxCases()
			got, err := evidence.RedactCases(in, tt.redact, tt.reg)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(rxCases(), in, rxAllUnexported); diff != "" {
				t.Errorf("RedactCases changed its input (-before +after):\n%s", diff)
			}
			if s := rxShared(reflect.ValueOf(in), reflect.ValueOf(got), "cases"); len(s) > 0 {
				t.Errorf("the result shares memory with the input at %v", s)
			}
			arts := rxRender(t, got)
			for name, body := range arts {
				for _, p := range tt.gone {
					for _, s := range rxTexts(p) {
						if strings.Contains(body, s) {
							t.Errorf("%s holds %q", name, s)
						}
					}
				}
				for _, p := range tt.kept {
					// The title is in every artefact for every case, but
					// the rejected AMBER+STRICT case is not in the POA&M.
					if name == "oscal-poam.json" && p == "STRICTSECRET" {
						continue
					}
					want := title(p)
					if strings.HasSuffix(name, ".json") {
						want = strings.ReplaceAll(want, `"`, `\"`)
					} else {
						want = strings.ReplaceAll(want, `"`, `""`)
					}
					if !strings.Contains(body, want) {
						t.Errorf("%s lacks the title %q", name, want)
					}
				}
				for p, label := range tt.marked {
					if name == "oscal-poam.json" && p == "STRICTSECRET" {
						continue
					}
					if m := rxMarked(label, title(p)); !strings.Contains(body, m) {
						t.Errorf("%s lacks the marked title %q", name, m)
					}
				}
			}
			// In the response log JSON the people's notes are marked and
			// hashed; intake's own notes stay.
			rl := arts["response-log.json"]
			for p, label := range tt.marked {
				for _, note := range []string{p + "-PERSONNOTE", p + "-EXCEPTION",
					"could not tell Net Ops through mail after 3 attempts: 550 rejected: " + p + "-ECHO"} {
					if m := rxMarked(label, note); !strings.Contains(rl, m) {
						t.Errorf("response-log.json lacks the marked note %q", m)
					}
				}
			}
			if len(tt.marked) > 0 {
				for _, s := range []string{"actionable by rule kev-internet (P1)", "told Net Ops through chat (immediate)", "JIRA-1", "edge-fw"} {
					if !strings.Contains(rl, s) {
						t.Errorf("response-log.json lost %q", s)
					}
				}
			}
			if tt.redact == "" {
				if diff := cmp.Diff(rxRender(t, rxCases()), arts); diff != "" {
					t.Errorf("no redaction, yet the artefacts differ (-original +redacted):\n%s", diff)
				}
			}
		})
	}
}

// rxAllUnexported lets go-cmp compare unexported fields (triage.Match has
// some), so the comparison covers everything.
var rxAllUnexported = cmp.Exporter(func(reflect.Type) bool { return true })

// TestRedactCasesKeeps checks one redacted case field by field: what is
// replaced, by what, and what is kept.
func TestRedactCasesKeeps(t *testing.T) {
	in := []intake.Case{rxCase("ISAC-A", feeds.TLPAmber, "AMBERSECRET", "")}
	origJSON, err := json.Marshal(in[0].Advisory)
	if err != nil {
		t.Fatal(err)
	}
	got, err := evidence.RedactCases(in, "amber", nil)
	if err != nil {
		t.Fatal(err)
	}
	const m = "[redacted TLP:AMBER]"
	want := rxCase("ISAC-A", feeds.TLPAmber, "AMBERSECRET", "")
	a := &want.Advisory
	a.Title = m + " sha256:" + rxSum(`AMBERSECRET-TITLE =HYPERLINK("x")`)
	a.Summary, a.URL = m, m
	a.Exploitation.KEV.VulnerabilityName, a.Exploitation.KEV.RequiredAction, a.Exploitation.KEV.Notes, a.Exploitation.KEV.Reference = m, m, m, m
	a.Exploitation.Statements = []string{m}
	a.References[0].URL = m
	a.Remediations[0].Details, a.Remediations[0].URL = m, m
	a.Notes[0].Title, a.Notes[0].Text = m, m
	a.Tags = []string{m}
	a.Extra = map[string]string{"isac.portal": m, "kev.release.catalogVersion": "2026.11.20",
		evidence.ExtraRedacted: "AMBER", evidence.ExtraAdvisorySHA256: rxSum(string(origJSON))}
	want.Exception.Reason = m + " sha256:" + rxSum("AMBERSECRET-EXCEPTION")
	want.Events[3].Note = m + " sha256:" + rxSum("could not tell Net Ops through mail after 3 attempts: 550 rejected: AMBERSECRET-ECHO")
	want.Events[4].Note = m + " sha256:" + rxSum("AMBERSECRET-PERSONNOTE")
	want.Events[5].Note = m + " sha256:" + rxSum("AMBERSECRET-EXCEPTION")
	if diff := cmp.Diff([]intake.Case{want}, got, rxAllUnexported); diff != "" {
		t.Errorf("RedactCases (-want +got):\n%s", diff)
	}
	// The kept advisory digest is the one the response log shows for the
	// original case.
	if rec := evidence.Records(in)[0]; rec.AdvisorySHA256 != got[0].Advisory.Extra[evidence.ExtraAdvisorySHA256] {
		t.Errorf("kept advisory digest %q, the original's response log shows %q", got[0].Advisory.Extra[evidence.ExtraAdvisorySHA256], rec.AdvisorySHA256)
	}

	// Empty text stays empty: nothing to hide, no marker.
	bare := []intake.Case{{ID: "ISAC-E", Advisory: feeds.Advisory{ID: "ISAC-E", TLP: feeds.TLPRed}}}
	got, err = evidence.RedactCases(bare, "amber", nil)
	if err != nil {
		t.Fatal(err)
	}
	if g := got[0].Advisory; g.Title != "" || g.Summary != "" || g.Extra[evidence.ExtraRedacted] != "RED" {
		t.Errorf("empty advisory: title %q, summary %q, extra %v", g.Title, g.Summary, g.Extra)
	}

	// A nil or empty list gives an empty list.
	if got, err := evidence.RedactCases(nil, "amber", nil); err != nil || len(got) != 0 {
		t.Errorf("RedactCases(nil) = %v, %v", got, err)
	}
}

// TestRedactCasesCoversEveryAdvisoryField fills every string reachable from
// an AMBER advisory with a sentinel and checks that after redaction the
// sentinel survives only in fields listed as kept (identifiers, product
// data, categories). A new free-text field in feeds.Advisory makes it fail
// until it is redacted or listed here with a reason.
func TestRedactCasesCoversEveryAdvisoryField(t *testing.T) {
	keep := map[string]bool{
		"ID": true, "Aliases": true, "Related": true, "Source": true, "Publisher": true, "Severity": true, "TLP": true,
		"Scores.Type": true, "Scores.Vector": true, "Weaknesses": true,
		"Exploitation.KEV.RansomwareUse": true, "Exploitation.SSVC.Exploitation": true, "Exploitation.SSVC.Automatable": true,
		"Exploitation.SSVC.TechnicalImpact": true, "Exploitation.SSVC.Role": true, "Exploitation.SSVC.Version": true,
		"Exploitation.EPSS.Model": true,
		"Affected.Vendor":         true, "Affected.Product": true, "Affected.ProductID": true, "Affected.PURL": true, "Affected.CPEs": true,
		"Affected.Ecosystem": true, "Affected.Package": true, "Affected.Versions": true, "Affected.Status": true, "Affected.DefaultStatus": true,
		"Affected.Ranges.Type": true, "Affected.Ranges.Repo": true, "Affected.Ranges.Expr": true, "Affected.Ranges.Events.Introduced": true,
		"Affected.Ranges.Events.Fixed": true, "Affected.Ranges.Events.LastAffected": true, "Affected.Ranges.Events.Limit": true,
		"References.Type": true, "Remediations.Category": true, "Remediations.Products": true, "Notes.Category": true,
		"Extra{key}": true, "Extra[kev.release.catalogVersion]": true,
	}
	const sentinel = "SENTINEL"
	var a feeds.Advisory
	rxFill(reflect.ValueOf(&a).Elem(), sentinel)
	a.TLP = feeds.TLPAmber
	a.Extra = map[string]string{"x.free" + sentinel: sentinel, "kev.release.catalogVersion": sentinel}
	got, err := evidence.RedactCases([]intake.Case{{ID: "C", Advisory: a}}, "amber", nil)
	if err != nil {
		t.Fatal(err)
	}
	var planted, kept int
	rxStrings(reflect.ValueOf(a), "", func(path, s string) {
		if strings.Contains(s, sentinel) {
			planted++
		}
	})
	rxStrings(reflect.ValueOf(got[0].Advisory), "", func(path, s string) {
		if !strings.Contains(s, sentinel) {
			return
		}
		if !keep[path] {
			t.Errorf("advisory text survives redaction in %s: redact it in RedactCases, or list it as kept", path)
		}
		kept++
	})
	// The fill must reach the free-text fields for the test to mean anything.
	if planted-kept < 15 {
		t.Errorf("planted %d sentinels and %d survive: the fill does not reach the free-text fields", planted, kept)
	}
}

// rxFill sets every string reachable from v to s, gives every slice one
// element and allocates every pointer.
func rxFill(v reflect.Value, s string) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		rxFill(v.Elem(), s)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		rxFill(v.Index(0), s)
	case reflect.String:
		v.SetString(s)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				rxFill(v.Field(i), s)
			}
		}
	}
}

// rxStrings calls fn with the field path (without indexes; map values as
// [key], map keys as {key}) of every string reachable from v.
func rxStrings(v reflect.Value, path string, fn func(path, s string)) {
	join := func(a, b string) string {
		if a == "" {
			return b
		}
		return a + "." + b
	}
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			rxStrings(v.Elem(), path, fn)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			rxStrings(v.Index(i), path, fn)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			fn(path+"{key}", it.Key().String())
			rxStrings(it.Value(), fmt.Sprintf("%s[%s]", path, it.Key()), fn)
		}
	case reflect.String:
		fn(path, v.String())
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				rxStrings(v.Field(i), join(path, f.Name), fn)
			}
		}
	}
}

// rxShared returns the paths where a and b (a copy of a) share a pointer,
// a slice's backing array or a map.
func rxShared(a, b reflect.Value, path string) []string {
	var out []string
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return nil
		}
		if a.Pointer() == b.Pointer() {
			return []string{path}
		}
		return rxShared(a.Elem(), b.Elem(), path)
	case reflect.Slice:
		if a.Len() > 0 && b.Len() > 0 && a.Pointer() == b.Pointer() {
			return []string{path}
		}
		for i := range min(a.Len(), b.Len()) {
			out = append(out, rxShared(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i))...)
		}
	case reflect.Map:
		if a.IsNil() || b.IsNil() {
			return nil
		}
		if a.Pointer() == b.Pointer() {
			return []string{path}
		}
	case reflect.Struct:
		for i := range a.NumField() {
			if f := a.Type().Field(i); f.IsExported() {
				out = append(out, rxShared(a.Field(i), b.Field(i), path+"."+f.Name)...)
			}
		}
	}
	return out
}

func TestRedactCasesSharedCheckCanFail(t *testing.T) {
	in := rxCases()
	shallow := make([]intake.Case, len(in))
	copy(shallow, in)
	if s := rxShared(reflect.ValueOf(in), reflect.ValueOf(shallow), "cases"); len(s) == 0 {
		t.Error("rxShared finds nothing shared between cases and a shallow copy")
	}
}

func TestRedactCasesBadLevel(t *testing.T) {
	for _, level := range []string{"purple", "TLP:", "amber red"} {
		_, err := evidence.RedactCases(rxCases(), level, nil)
		if err == nil {
			t.Errorf("RedactCases(%q): no error", level)
			continue
		}
		_, want := evidence.EngagementRecords(nil, level)
		if want == nil || err.Error() != want.Error() {
			t.Errorf("RedactCases(%q) error %q, want the engagement log's %v", level, err, want)
		}
		if !strings.HasPrefix(err.Error(), "evidence: ") || !strings.Contains(err.Error(), level) {
			t.Errorf("error %q does not name the level", err)
		}
	}
}

// TestRedactCasesFixture redacts the cases of a real pipeline run (the
// sector ISAC's manual AMBER receipt among KEV and vendor cases), renders
// them, and redacts the KPI report computed from the original cases.
func TestRedactCasesFixture(t *testing.T) {
	f := newFixture(t)
	const isacTitle = "Phishing | kit targeting <b>finance</b>\nsecond line"
	got, err := evidence.RedactCases(f.cases, "amber", f.reg)
	if err != nil {
		t.Fatal(err)
	}
	var isac *intake.Case
	for i := range got {
		if got[i].ID == "ISAC-2026-0042" {
			isac = &got[i]
		}
	}
	if isac == nil {
		t.Fatal("fixture has no ISAC-2026-0042 case")
	}
	if want := "[redacted TLP:AMBER] sha256:" + rxSum(isacTitle); isac.Advisory.Title != want {
		t.Errorf("ISAC title %q, want %q", isac.Advisory.Title, want)
	}
	var rl bytes.Buffer
	if err := evidence.WriteResponseLogJSON(&rl, got); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Phishing", "finance"} {
		if strings.Contains(rl.String(), s) {
			t.Errorf("response log holds %q", s)
		}
	}
	for _, s := range []string{"Fortinet FortiOS Out-of-Bound Write", "Atlassian Confluence Improper Authorization", rxSum(isacTitle)} {
		if !strings.Contains(rl.String(), s) {
			t.Errorf("response log lacks %q", s)
		}
	}

	report := f.report()
	red := evidence.RedactReport(report, f.cases, got)
	b, err := json.Marshal(red)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "Phishing") {
		t.Error("redacted KPI report holds the ISAC title")
	}
	if diff := cmp.Diff(report, f.report()); diff != "" {
		t.Errorf("Redacted changed the report:\n%s", diff)
	}
}

func TestRedactReport(t *testing.T) {
	orig := rxCases()
	red, err := evidence.RedactCases(orig, "red", rxRegister())
	if err != nil {
		t.Fatal(err)
	}
	// The KPI lists get exactly the title the other artefacts show; an
	// AMBER case is left alone at level "red"; IDs that are kept stay.
	r := evidence.RedactReport(&kpi.Report{TimeToAction: &kpi.TimeToActionResult{Overdue: []kpi.OverdueItem{
		{Case: "ISAC-R", Title: "REDSECRET-TITLE"}, {Case: "ISAC-P", Title: "PURPLESECRET-TITLE"},
		{Case: "ISAC-A", Title: "AMBERSECRET-TITLE"}, {Case: "CVE-2026-1000", Title: "public"}}}}, orig, red)
	got := r.TimeToAction.Overdue
	want := []kpi.OverdueItem{
		{Case: "ISAC-R", Title: rxMarked("RED", `REDSECRET-TITLE =HYPERLINK("x")`)},
		{Case: "ISAC-P", Title: rxMarked("purple", `PURPLESECRET-TITLE =HYPERLINK("x")`)},
		{Case: "ISAC-A", Title: "AMBERSECRET-TITLE"}, {Case: "CVE-2026-1000", Title: "public"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("redacted overdue list (-want +got):\n%s", diff)
	}
	if evidence.RedactReport(nil, orig, red) != nil {
		t.Error("RedactReport(nil) is not nil")
	}
}

// TestRedactOpaqueIDs: an RSS item without a guid gets its link as its ID,
// and a member portal's link spells out the title. In a redacted case that
// ID is replaced everywhere — case ID, keys, advisory ID, receipts,
// intake's notes, the KPI report — by "redacted:" and 16 hex digits of its
// SHA-256 (computed here with crypto/sha256), while a CVE alias stays.
func TestRedactOpaqueIDs(t *testing.T) {
	link := "https://portal.isac.example/alerts/lockbit-affiliate-targeting-examplebank-swift"
	sum := sha256.Sum256([]byte(link))
	pseudo := "redacted:" + hex.EncodeToString(sum[:8])
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	orig := []intake.Case{{ID: link, Keys: []string{link, "CVE-2026-7777"},
		Advisory: feeds.Advisory{ID: link, Aliases: []string{"CVE-2026-7777"}, Title: "LockBit affiliate targeting ExampleBank SWIFT gateway",
			TLP: feeds.TLPAmber},
		Receipts: []intake.Receipt{{Source: "isac-rss", Group: "sector-isac", AdvisoryID: link, ReceivedAt: at}},
		State:    intake.StateTriaged, Decision: triage.DecisionActionable, Owner: "secops", Due: at.AddDate(0, 0, 3),
		Events: []intake.Event{{At: at, To: intake.StateReceived, Kind: intake.EventReceived, Actor: intake.Actor,
			Note: "received " + link + " from isac-rss"}}}}
	red, err := evidence.RedactCases(orig, "amber", nil)
	if err != nil {
		t.Fatal(err)
	}
	c := red[0]
	if c.ID != pseudo || c.Advisory.ID != pseudo || c.Receipts[0].AdvisoryID != pseudo ||
		!slices.Equal(c.Keys, []string{pseudo, "CVE-2026-7777"}) || !slices.Equal(c.Advisory.Aliases, []string{"CVE-2026-7777"}) ||
		c.Events[0].Note != "received "+pseudo+" from isac-rss" {
		t.Errorf("redacted case %+v", c)
	}
	report := evidence.RedactReport(&kpi.Report{
		TimeToAction:    &kpi.TimeToActionResult{Overdue: []kpi.OverdueItem{{Case: link, Title: orig[0].Advisory.Title}}},
		ActionableItems: &kpi.ActionableItemsResult{Actionable: []string{link, "CVE-2026-1000"}},
	}, orig, red)
	var out bytes.Buffer
	if err := evidence.WriteResponseLogCSV(&out, red); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(report)
	if err != nil {
		t.Fatal(err)
	}
	out.Write(b)
	for _, leak := range []string{"lockbit", "LockBit", "portal.isac"} {
		if strings.Contains(out.String(), leak) {
			t.Errorf("%q leaks:\n%s", leak, out.String())
		}
	}
	if !strings.Contains(out.String(), pseudo) || !strings.Contains(out.String(), "CVE-2026-7777") {
		t.Errorf("pseudonym or CVE missing:\n%s", out.String())
	}
}

// An AMBER advisory leaves an auditor's response log as the marker and the
// SHA-256 of its title; identifiers, decision and owner stay.
func ExampleRedactCases() {
	cases := []intake.Case{{ID: "ISAC-2026-0042", Keys: []string{"ISAC-2026-0042"}, State: intake.StateTriaged,
		Decision: triage.DecisionActionable, Owner: "secops",
		Advisory: feeds.Advisory{ID: "ISAC-2026-0042", Title: "Phishing kit targeting our sector", TLP: feeds.TLPAmber}}}
	red, err := evidence.RedactCases(cases, "amber", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	recs := evidence.Records(red)
	fmt.Println(recs[0].CaseID, recs[0].TLP, recs[0].Decision, recs[0].Owner)
	fmt.Println(recs[0].Title)
	fmt.Println(cases[0].Advisory.Title)
	// Output:
	// ISAC-2026-0042 AMBER actionable secops
	// [redacted TLP:AMBER] sha256:375a17cac3757a7946538023bfbe7134dc5318be78aa544a20f39a9a692d67db
	// Phishing kit targeting our sector
}
