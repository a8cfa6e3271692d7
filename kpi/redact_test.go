package kpi_test

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

// rdReport is a hand-built report with an item in every list that carries
// an advisory title, the previous period's lists included.
func rdReport() *kpi.Report {
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	f := 0.5
	d := kpi.Duration(time.Hour)
	return &kpi.Report{Schema: kpi.ReportSchema, Generator: "test", AsOf: at,
		ReceiptToTriage: &kpi.ReceiptToTriageResult{
			Measure: kpi.Measure{KPI: 3, ID: kpi.ReceiptToTriageID, Value: &f, InputHash: "h3"},
			Median:  &d,
			Backlog: []kpi.BacklogItem{
				{Case: "ISAC-1", Title: "amber backlog title", Source: "manual", ReceivedAt: at.Add(-72 * time.Hour)},
				{Case: "CVE-2026-0001", Title: "public backlog title", Source: "cisa-kev", ReceivedAt: at.Add(-80 * time.Hour)},
			},
			SLA: kpi.SLAPolicy{BySource: map[string]kpi.Duration{"manual": d}}},
		TimeToAction: &kpi.TimeToActionResult{
			Measure:        kpi.Measure{KPI: 5, ID: kpi.TimeToActionID, InputHash: "h5"},
			Overdue:        []kpi.OverdueItem{{Case: "ISAC-2", Title: "red overdue title", Owner: "netops", Due: at}},
			UnderException: []kpi.OverdueItem{{Case: "ISAC-1", Title: "amber excepted title", Owner: "netops", Due: at}},
		},
		ActiveMemberships: &kpi.ActiveMembershipsResult{ByKind: map[register.Kind]int{register.KindISAC: 1}, Active: []string{"isac"}},
		Trend: &kpi.Trend{Method: "m",
			PreviousReceiptToTriage: &kpi.ReceiptToTriageResult{Backlog: []kpi.BacklogItem{
				{Case: "ISAC-2", Title: "red previous backlog title"}}},
			PreviousTimeToAction: &kpi.TimeToActionResult{
				Overdue:        []kpi.OverdueItem{{Case: "CVE-2026-0001", Title: "public previous overdue title"}},
				UnderException: []kpi.OverdueItem{{Case: "ISAC-1", Title: "amber previous excepted title"}},
			}},
	}
}

// rdRedactor redacts ISAC-1 and ISAC-2, as evidence.RedactedTitles would
// for an AMBER and a RED case.
func rdRedactor(id string) (string, bool) {
	switch id {
	case "ISAC-1":
		return "[redacted TLP:AMBER] sha256:aa", true
	case "ISAC-2":
		return "[redacted TLP:RED] sha256:bb", true
	}
	return "", false
}

func TestReportRedacted(t *testing.T) {
	// want: rdReport with the six titles of ISAC-1 and ISAC-2 replaced by
	// hand; the two CVE-2026-0001 titles stay.
	redactedWant := rdReport()
	redactedWant.ReceiptToTriage.Backlog[0].Title = "[redacted TLP:AMBER] sha256:aa"
	redactedWant.TimeToAction.Overdue[0].Title = "[redacted TLP:RED] sha256:bb"
	redactedWant.TimeToAction.UnderException[0].Title = "[redacted TLP:AMBER] sha256:aa"
	redactedWant.Trend.PreviousReceiptToTriage.Backlog[0].Title = "[redacted TLP:RED] sha256:bb"
	redactedWant.Trend.PreviousTimeToAction.UnderException[0].Title = "[redacted TLP:AMBER] sha256:aa"

	tests := []struct {
		name  string
		build func() *kpi.Report // called twice: the input, and the input as it must stay
		f     func(string) (string, bool)
		want  *kpi.Report
	}{
		{"redacts_every_list", rdReport, rdRedactor, redactedWant},
		{"nil_f_copies", rdReport, nil, rdReport()},
		{"nothing_to_redact", rdReport, func(string) (string, bool) { return "x", false }, rdReport()},
		{"nil_report", func() *kpi.Report { return nil }, rdRedactor, nil},
		{"empty_report", func() *kpi.Report { return &kpi.Report{} }, rdRedactor, &kpi.Report{}},
		{"no_trend", func() *kpi.Report {
			return &kpi.Report{TimeToAction: &kpi.TimeToActionResult{Overdue: []kpi.OverdueItem{{Case: "ISAC-2", Title: "t"}}}}
		}, rdRedactor, &kpi.Report{TimeToAction: &kpi.TimeToActionResult{Overdue: []kpi.OverdueItem{{Case: "ISAC-2", Title: "[redacted TLP:RED] sha256:bb"}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.build()
			got := in.Redacted(tt.f)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Redacted (-want +got):\n%s", diff)
			}
			if in == nil {
				return
			}
			if got == in {
				t.Fatal("Redacted returned its receiver")
			}
			if diff := cmp.Diff(tt.build(), in); diff != "" {
				t.Errorf("Redacted changed its receiver (-before +after):\n%s", diff)
			}
			if s := rdShared(reflect.ValueOf(in), reflect.ValueOf(got), "Report"); len(s) > 0 {
				t.Errorf("the copy shares memory with the original at %v", s)
			}
		})
	}
}

// rdTextFields are the names of string fields that carry advisory text in a
// report. A new field with one of these names anywhere in a Report must be
// covered by Redacted, or TestReportRedactedCoversEveryTextField fails.
var rdTextFields = map[string]bool{"Title": true, "Summary": true, "Description": true, "Details": true,
	"Note": true, "Notes": true, "Text": true}

const rdSentinel = "SENTINEL-ADVISORY-TEXT"

// rdFill sets everything reachable from v to non-zero values: one element
// per slice, one entry per map, every pointer allocated. A string field
// named in rdTextFields (or a slice of them) gets rdSentinel, a field named
// Case "CASE-1", any other string its field name. It counts the sentinels
// planted.
func rdFill(v reflect.Value, field string, planted *int) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		rdFill(v.Elem(), field, planted)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		rdFill(v.Index(0), field, planted)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		rdFill(k, "key", planted)
		rdFill(e, field, planted)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.String:
		switch {
		case rdTextFields[field]:
			v.SetString(rdSentinel)
			*planted++
		case field == "Case":
			v.SetString("CASE-1")
		default:
			v.SetString(field)
		}
	case reflect.Int, reflect.Int64:
		v.SetInt(7)
	case reflect.Float64:
		v.SetFloat(0.25)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Struct:
		switch v.Type() {
		case reflect.TypeOf(time.Time{}):
			v.Set(reflect.ValueOf(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))
			return
		case reflect.TypeOf(register.Date{}):
			v.Set(reflect.ValueOf(register.NewDate(2026, 1, 2)))
			return
		}
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				rdFill(v.Field(i), f.Name, planted)
			}
		}
	}
}

// rdFind returns the paths of every string reachable from v that contains s.
func rdFind(v reflect.Value, s, path string) []string {
	var out []string
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			out = append(out, rdFind(v.Elem(), s, path)...)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			out = append(out, rdFind(v.Index(i), s, fmt.Sprintf("%s[%d]", path, i))...)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			out = append(out, rdFind(it.Key(), s, path+"{key}")...)
			out = append(out, rdFind(it.Value(), s, fmt.Sprintf("%s[%v]", path, it.Key()))...)
		}
	case reflect.String:
		if strings.Contains(v.String(), s) {
			out = append(out, path)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				out = append(out, rdFind(v.Field(i), s, path+"."+f.Name)...)
			}
		}
	}
	return out
}

// rdShared returns the paths where a and b (a copy of a) share a pointer,
// a slice's backing array or a map.
func rdShared(a, b reflect.Value, path string) []string {
	var out []string
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() {
			return nil
		}
		if a.Pointer() == b.Pointer() {
			return []string{path}
		}
		return rdShared(a.Elem(), b.Elem(), path)
	case reflect.Interface:
		if !a.IsNil() {
			out = rdShared(a.Elem(), b.Elem(), path)
		}
	case reflect.Slice:
		if a.Len() > 0 && b.Len() > 0 && a.Pointer() == b.Pointer() {
			return []string{path}
		}
		for i := range min(a.Len(), b.Len()) {
			out = append(out, rdShared(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i))...)
		}
	case reflect.Array:
		for i := range a.Len() {
			out = append(out, rdShared(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i))...)
		}
	case reflect.Map:
		if a.IsNil() || b.IsNil() {
			return nil
		}
		if a.Pointer() == b.Pointer() {
			return []string{path}
		}
		for it := a.MapRange(); it.Next(); {
			if bv := b.MapIndex(it.Key()); bv.IsValid() {
				out = append(out, rdShared(it.Value(), bv, fmt.Sprintf("%s[%v]", path, it.Key()))...)
			}
		}
	case reflect.Struct:
		for i := range a.NumField() {
			if f := a.Type().Field(i); f.IsExported() {
				out = append(out, rdShared(a.Field(i), b.Field(i), path+"."+f.Name)...)
			}
		}
	}
	return out
}

// TestReportRedactedCoversEveryTextField fills every field reachable from a
// Report — every list gets an item, every pointer a value — with the
// advisory-text fields (rdTextFields) holding a sentinel and every Case
// field the ID of a case to redact, and checks that no sentinel survives
// Redacted. A kpi type that grows a Title (or Summary, Note, …) field that
// Redacted does not replace makes it fail, naming the field.
func TestReportRedactedCoversEveryTextField(t *testing.T) {
	var r kpi.Report
	planted := 0
	rdFill(reflect.ValueOf(&r).Elem(), "Report", &planted)
	// Today: KPI 3's backlog and KPI 5's overdue and under-exception
	// lists, each also under Trend for the previous period: 6 titles.
	if planted < 6 {
		t.Fatalf("planted %d sentinels, want at least 6: the fill does not reach the title lists", planted)
	}
	if got := rdFind(reflect.ValueOf(&r), rdSentinel, "Report"); len(got) != planted {
		t.Fatalf("found %d sentinels before redaction, planted %d", len(got), planted)
	}
	red := r.Redacted(func(id string) (string, bool) { return "[redacted]", id == "CASE-1" })
	if left := rdFind(reflect.ValueOf(red), rdSentinel, "Report"); len(left) > 0 {
		t.Errorf("advisory text survives Redacted at %v: cover these fields in kpi.Report.Redacted", left)
	}
	if got := rdFind(reflect.ValueOf(red), "[redacted]", "Report"); len(got) != planted {
		t.Errorf("%d fields carry the replacement, want %d: %v", len(got), planted, got)
	}
	// The original keeps its text.
	if got := rdFind(reflect.ValueOf(&r), rdSentinel, "Report"); len(got) != planted {
		t.Errorf("the original has %d sentinels after Redacted, want %d", len(got), planted)
	}
}

// TestReportRedactedIsDeep fills every field of a Report and checks that the
// copy shares no pointer, slice or map with it, so a new field of a
// reference type stays deep-copied.
func TestReportRedactedIsDeep(t *testing.T) {
	var r kpi.Report
	planted := 0
	rdFill(reflect.ValueOf(&r).Elem(), "Report", &planted)
	got := r.Redacted(nil)
	if diff := cmp.Diff(&r, got); diff != "" {
		t.Errorf("Redacted(nil) differs from the original (-orig +copy):\n%s", diff)
	}
	if s := rdShared(reflect.ValueOf(&r), reflect.ValueOf(got), "Report"); len(s) > 0 {
		t.Errorf("the copy shares memory with the original at %v", s)
	}
	// The check can fail: a shallow copy shares the lists.
	shallow := r
	if s := rdShared(reflect.ValueOf(&r), reflect.ValueOf(&shallow), "Report"); len(s) == 0 {
		t.Error("rdShared finds nothing shared in a shallow copy")
	}
}

// TestReportRedactedFromCompute computes a real report in which one AMBER
// case is in the backlog and one is overdue, redacts them, and checks the
// JSON bytes: the titles are gone, the public case's title and every input
// hash stay.
func TestReportRedactedFromCompute(t *testing.T) {
	at := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	asOf := at(30, 0)
	received := func(id, title string, tlp feeds.TLP, when time.Time) intake.Case {
		return intake.Case{ID: id, Keys: []string{id}, State: intake.StateReceived,
			Advisory: feeds.Advisory{ID: id, Title: title, TLP: tlp},
			Receipts: []intake.Receipt{{Source: "feed", AdvisoryID: id, ReceivedAt: when}},
			Events:   []intake.Event{{At: when, Kind: intake.EventReceived, To: intake.StateReceived, Actor: intake.Actor}}}
	}
	overdue := func(c intake.Case, due time.Time) intake.Case {
		c.State, c.Decision, c.Owner, c.Due, c.TriagedAt = intake.StateAssigned, triage.DecisionActionable, "netops", due, c.ReceivedAt()
		c.Triage = &triage.Result{Decision: triage.DecisionActionable, Priority: "P1"}
		c.Events = append(c.Events, intake.Event{At: c.ReceivedAt(), From: intake.StateReceived, To: intake.StateTriaged,
			Actor: intake.Actor, Note: "actionable by rule r (P1)"})
		return c
	}
	cases := []intake.Case{
		received("ISAC-7", "Amber backlog sentinel", feeds.TLPAmber, at(2, 0)),
		overdue(received("ISAC-8", "Amber overdue sentinel", feeds.TLPAmber, at(3, 0)), at(10, 0)),
		received("CVE-2026-0009", "Public backlog title", feeds.TLPClear, at(4, 0)),
	}
	r := kpi.Compute(nil, cases, kpi.Quarter(2026, 4), asOf, &kpi.Options{Generator: "test"})
	if n, m := len(r.ReceiptToTriage.Backlog), len(r.TimeToAction.Overdue); n != 2 || m != 1 {
		t.Fatalf("backlog %d, overdue %d; want 2 and 1 (fixture broken)", n, m)
	}
	red := r.Redacted(func(id string) (string, bool) {
		return "[redacted TLP:AMBER]", strings.HasPrefix(id, "ISAC-")
	})
	b, err := json.Marshal(red)
	if err != nil {
		t.Fatal(err)
	}
	out := string(b)
	for _, s := range []string{"Amber backlog sentinel", "Amber overdue sentinel"} {
		if strings.Contains(out, s) {
			t.Errorf("redacted report JSON holds %q", s)
		}
	}
	for _, s := range []string{"Public backlog title", `"title":"[redacted TLP:AMBER]"`, r.ReceiptToTriage.InputHash, r.TimeToAction.InputHash} {
		if !strings.Contains(out, s) {
			t.Errorf("redacted report JSON lacks %q", s)
		}
	}
	if orig, _ := json.Marshal(r); !strings.Contains(string(orig), "Amber overdue sentinel") {
		t.Error("the original report lost its title")
	}
}

// A report shared outside the organisation leaves out the titles of the
// cases the caller marks, here the TLP:AMBER one.
func ExampleReport_Redacted() {
	asOf := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	received := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	cases := []intake.Case{{ID: "ISAC-2026-0042", State: intake.StateReceived,
		Advisory: feeds.Advisory{ID: "ISAC-2026-0042", Title: "Phishing kit targeting our sector", TLP: feeds.TLPAmber},
		Receipts: []intake.Receipt{{Source: "manual", Group: "sector-isac", AdvisoryID: "ISAC-2026-0042", ReceivedAt: received, Manual: true}}}}
	amber := map[string]bool{"ISAC-2026-0042": true}

	r := kpi.Compute(nil, cases, kpi.Quarter(2026, 4), asOf, nil).Redacted(func(id string) (string, bool) {
		return "[redacted TLP:AMBER]", amber[id]
	})
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	for _, b := range r.ReceiptToTriage.Backlog {
		_ = enc.Encode(map[string]string{"case": b.Case, "title": b.Title})
	}
	// Output:
	// {"case":"ISAC-2026-0042","title":"[redacted TLP:AMBER]"}
}
