package evidence_test

import (
	"bytes"
	"errors"
	"html"
	"math"
	"os"
	"path/filepath"
	"regexp"
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

// Hostile text from a feed or a register.
const (
	hostileTitle = `<script>alert(1)</script> "><img src=x onerror=alert(1)>`
	hostileURL   = "javascript:alert(1)"
	hostileGroup = `<script>alert("group")</script>`
)

// openCase returns an open actionable case received and triaged at at,
// with the history intake would record.
func openCase(id, title, url, owner string, prio triage.Priority, at, due time.Time) intake.Case {
	return intake.Case{ID: id, Keys: []string{id},
		Advisory: feeds.Advisory{ID: id, Title: title, URL: url, Publisher: "CISA"},
		Receipts: []intake.Receipt{{Source: "cisa-kev", Group: "cisa", AdvisoryID: id, ReceivedAt: at}},
		State:    intake.StateAssigned,
		Triage:   &triage.Result{AdvisoryID: id, Decision: triage.DecisionActionable, Priority: prio, RuleID: "test", Due: due},
		Decision: triage.DecisionActionable, Owner: owner, Due: due, TriagedAt: at,
		Events: []intake.Event{
			{At: at, To: intake.StateReceived, Actor: "sigwatch", Note: "received " + id + " from cisa-kev (group cisa)"},
			{At: at, From: intake.StateReceived, To: intake.StateTriaged, Actor: "sigwatch",
				Note: "actionable by rule test (" + string(prio) + ")", Decision: triage.DecisionActionable},
			{At: at, From: intake.StateTriaged, To: intake.StateAssigned, Actor: "sigwatch", Note: "routed to " + owner},
		}}
}

// htmlFixture is the shared fixture with a hostile register entry and
// five open actionable cases added:
//
//	CVE-2026-6666  due 11-28 09:00, hostile title and javascript: URL → overdue at 12-01 by 2d 15h
//	CVE-2026-6001  due 11-29 00:00, past due but under an exception until 12-15 → excepted
//	CVE-2026-0500  due 12-10 00:00, https URL → on time (sorts before 7777: same due, lower ID)
//	CVE-2026-7777  due 12-10 00:00 → on time
//	CVE-2026-0100  no due date → last
func htmlFixture(t testing.TB) (fixture, *kpi.Report) {
	t.Helper()
	f := newFixture(t)
	f.reg.Groups = append(f.reg.Groups, register.Group{ID: "hostile", Name: hostileGroup, Kind: register.KindForum,
		URL: hostileURL, Owner: "bwu", Membership: register.Membership{Status: register.MembershipActive, TLP: "RED"},
		Channels: []register.Channel{{Kind: "rss", URL: "javascript:alert(2)"}}})
	excepted := openCase("CVE-2026-6001", "Example excepted item", "", "collab", triage.P2, utc(11, 26, 9, 0), utc(11, 29, 0, 0))
	excepted.Exception = &intake.Exception{Reason: "vendor fix pending", Until: utc(12, 15, 0, 0), By: "akhan", At: utc(11, 28, 0, 0)}
	f.cases = append(f.cases,
		openCase("CVE-2026-7777", "Example on-time item", "", "netops", triage.P3, utc(11, 27, 9, 0), utc(12, 10, 0, 0)),
		openCase("CVE-2026-6666", hostileTitle, hostileURL, `"><b>netops`, triage.P1, utc(11, 27, 9, 0), utc(11, 28, 9, 0)),
		openCase("CVE-2026-0100", "Example item without due date", "", "collab", triage.P4, utc(11, 27, 9, 0), time.Time{}),
		excepted,
		openCase("CVE-2026-0500", "Example linked item", "https://advisories.example.org/CVE-2026-0500?a=1&b=2", "netops",
			triage.P2, utc(11, 27, 9, 0), utc(12, 10, 0, 0)),
	)
	return f, f.report()
}

// htmlFiles is a made-up file list for the appendix.
var htmlFiles = []evidence.ManifestFile{
	{Name: "kpi.json", Artefact: "E9", Schema: kpi.ReportSchema, MediaType: "application/json", Size: 1234,
		SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
	{Name: "register.csv", Artefact: "E1", Schema: evidence.RegisterSchema, MediaType: "text/csv", Size: 567,
		SHA256: "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"},
}

func renderHTML(t *testing.T, in evidence.HTMLInput) string {
	t.Helper()
	var buf bytes.Buffer
	if err := evidence.WriteHTMLReport(&buf, in); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func hostileInput(t *testing.T) evidence.HTMLInput {
	f, r := htmlFixture(t)
	return evidence.HTMLInput{Register: f.reg, Cases: f.cases, KPI: r, Generator: "sigwatch test", Files: htmlFiles, Redacted: "AMBER"}
}

// TestHTMLGolden compares the report of the hostile fixture with
// testdata/report.html.golden. Run with -update to rewrite it, then read
// the diff (and open the file in a browser).
func TestHTMLGolden(t *testing.T) {
	got := renderHTML(t, hostileInput(t))
	golden := filepath.Join("testdata", "report.html.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("report.html differs from %s (-want +got):\n%s", golden, diff)
	}
}

var (
	tagRE     = regexp.MustCompile(`<[A-Za-z][^>]*>`)
	onAttrRE  = regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
	hrefRE    = regexp.MustCompile(`(?i)\b(?:href|src|xlink:href|action|formaction)\s*=\s*"([^"]*)"`)
	tagNameRE = regexp.MustCompile(`^<([A-Za-z][A-Za-z0-9-]*)`)
	anyTagRE  = regexp.MustCompile(`</?[A-Za-z][^>]*>`)
)

// assertInert checks that page has no script, no event handler attribute,
// no image and no link other than http, https and in-page ones. Text from
// outside is escaped by the template, so every '<' in page starts a tag of
// ours and every '>' inside an attribute value is escaped: the tag
// regexp sees every real tag and only those.
func assertInert(t *testing.T, page string) {
	t.Helper()
	if strings.Contains(strings.ToLower(page), "<script") {
		t.Error("the page has a <script")
	}
	allowed := []string{"html", "head", "meta", "title", "style", "body", "header", "div", "p", "h1", "h2", "dl", "dt", "dd",
		"span", "time", "nav", "a", "main", "section", "details", "summary", "code", "figure", "figcaption", "svg", "desc",
		"rect", "text", "line", "table", "thead", "tbody", "tr", "th", "td", "br", "ul", "li", "footer"}
	for _, tag := range tagRE.FindAllString(page, -1) {
		if onAttrRE.MatchString(tag) {
			t.Errorf("event handler attribute in %s", tag)
		}
		if name := strings.ToLower(tagNameRE.FindStringSubmatch(tag)[1]); !slices.Contains(allowed, name) {
			t.Errorf("unexpected element %s", tag)
		}
		for _, m := range hrefRE.FindAllStringSubmatch(tag, -1) {
			u := html.UnescapeString(m[1])
			if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "#") {
				t.Errorf("link to %q in %s", u, tag)
			}
		}
	}
	for _, bad := range []string{"<img", "<iframe", "<object", "<embed", "<link", "<base", "<form", "<foreignobject"} {
		if strings.Contains(strings.ToLower(page), bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
	// The style sheet loads nothing (text outside it may say anything).
	_, style, _ := strings.Cut(page, "<style>")
	style, _, _ = strings.Cut(style, "</style>")
	for _, bad := range []string{"@import", "url("} {
		if strings.Contains(strings.ToLower(style), bad) {
			t.Errorf("the style sheet contains %q", bad)
		}
	}
	if !strings.Contains(page, `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`) {
		t.Error("the page has no strict Content-Security-Policy")
	}
}

func TestHTMLHostileInert(t *testing.T) {
	page := renderHTML(t, hostileInput(t))
	assertInert(t, page)
	// The hostile text is there, as text.
	for _, want := range []string{
		`&lt;script&gt;alert(1)&lt;/script&gt; &#34;&gt;&lt;img src=x onerror=alert(1)&gt;`, // title
		`&lt;script&gt;alert(&#34;group&#34;)&lt;/script&gt;`,                               // group name
		`&#34;&gt;&lt;b&gt;netops`,                     // owner
		`<span class="url">javascript:alert(2)</span>`, // channel URL, as text
		`<span class="url">javascript:alert(1)</span>`, // group URL, as text
		`<a href="https://advisories.example.org/CVE-2026-0500?a=1&amp;b=2" rel="noopener noreferrer">Example linked item</a>`,
		`<a href="https://www.cisa.gov/known-exploited-vulnerabilities-catalog" rel="noopener noreferrer">CISA Known Exploited Vulnerabilities</a>`,
		`Redacted export: content labelled TLP:AMBER or higher is withheld`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	// The hostile title is not a link: its URL is javascript:.
	if strings.Contains(page, `">&lt;script&gt;alert(1)`) {
		t.Error("the hostile title is linked")
	}
}

// htmlSection returns the part of page from the section with id up to the next.
func htmlSection(t *testing.T, page, id string) string {
	t.Helper()
	_, rest, ok := strings.Cut(page, `<section id="`+id+`">`)
	if !ok {
		t.Fatalf("no section %s", id)
	}
	s, _, _ := strings.Cut(rest, "</section>")
	return s
}

var cellRE = regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`)

// htmlRows returns the text of each row's cells in a section's table.
func htmlRows(t *testing.T, sec string) [][]string {
	t.Helper()
	_, body, ok := strings.Cut(sec, "<tbody>")
	if !ok {
		return nil
	}
	body, _, _ = strings.Cut(body, "</tbody>")
	var out [][]string
	for _, tr := range strings.Split(body, "</tr>") {
		var cells []string
		for _, m := range cellRE.FindAllStringSubmatch(tr, -1) {
			cells = append(cells, html.UnescapeString(strings.TrimSpace(anyTagRE.ReplaceAllString(strings.ReplaceAll(m[1], "<br>", " | "), ""))))
		}
		if cells != nil {
			out = append(out, cells)
		}
	}
	return out
}

// TestHTMLOpenActions checks the open actions by hand from htmlFixture's
// comment: the closed and rejected fixture cases and the not-applicable
// ones are left out; earliest due first, same due by ID, no due last; at
// 2026-12-01 00:00 CVE-2026-6666 (due 11-28 09:00) is overdue by 2d 15h,
// CVE-2026-6001 is past due by 2d but excepted until 12-15.
func TestHTMLOpenActions(t *testing.T) {
	page := renderHTML(t, hostileInput(t))
	got := htmlRows(t, htmlSection(t, page, "actions"))
	want := [][]string{
		{"2026-11-28 09:00 UTC", "CVE-2026-6666", hostileTitle, `"><b>netops`, "P1", "assigned", "overdue by 2d 15h"},
		{"2026-11-29 00:00 UTC", "CVE-2026-6001", "Example excepted item", "collab", "P2", "assigned",
			"past due by 2d, exception until 2026-12-15 00:00 UTC"},
		{"2026-12-10 00:00 UTC", "CVE-2026-0500", "Example linked item", "netops", "P2", "assigned", "on time"},
		{"2026-12-10 00:00 UTC", "CVE-2026-7777", "Example on-time item", "netops", "P3", "assigned", "on time"},
		{"no due date", "CVE-2026-0100", "Example item without due date", "collab", "P4", "assigned", "no due date"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("open actions (-want +got):\n%s", diff)
	}
	if !strings.Contains(htmlSection(t, page, "actions"), "Open actionable cases (neither closed nor rejected): 5, of which 1 overdue at as-of.") {
		t.Error("open action counts wrong")
	}
}

var cardRE = regexp.MustCompile(`<p class="card-label">([^<]*)</p>\s*<p class="card-value">([^<]*)</p>\s*<p class="card-detail">([^<]*)</p>`)

// TestHTMLSummaryByHand checks the headline figures of the plain fixture
// (fixture_test.go) against values worked out by hand at as-of 2026-12-01
// 00:00 for 2026-Q4:
//
//   - Active memberships: sector-isac is active but its owner jlee has
//     left (orphaned, not counted); cisa (owner akhan, since 2024-03-01)
//     and fortinet-psirt (owner akhan, since 2023-05-01) count; old-forum
//     ended in 2024. 2 of 4 entries, 1 orphaned.
//   - Actionable items: four cases first triaged on 2026-11-23: the KEV
//     entries CVE-2023-22518 and CVE-2024-21762 actionable (Confluence and
//     FortiOS are in the stack), CVE-2025-0001 (no such product) and the
//     ISAC's phishing note not applicable. 2 of 4, rate 2/4 = 50.0%.
//   - Receipt to triage: the three KEV cases were triaged on receipt (0s),
//     the ISAC note received (asserted) 08:30 and triaged 10:00 (1h 30m).
//     Sorted 0, 0, 0, 1h30m: the median is rank ⌈0.5·4⌉ = 2 → 0s, p90 rank
//     ⌈0.9·4⌉ = 4 → 1h 30m, max 1h 30m. SLAs 1d (KEV) and 3d: 4 of 4 within.
//   - Reviewed in 12 months: the window is 2025-12-02..2026-12-01; cisa's
//     last review is 2025-11-02 and fortinet-psirt's 2025-07-01, both
//     older: 0 of 2 = 0.0%.
//   - Open actions: CVE-2024-21762 was closed, CVE-2023-22518 rejected;
//     the other two are not actionable: 0 open, 0 overdue. Time to
//     action: CVE-2024-21762 triaged 11-23 09:00, closed 11-25 09:00, due
//     11-26: 1 of 1 within = 100.0%.
//   - Register health: no link results are given, so no entry passes: 0
//     of the 2 active = 0.0%.
func TestHTMLSummaryByHand(t *testing.T) {
	f := newFixture(t)
	page := renderHTML(t, evidence.HTMLInput{Register: f.reg, Cases: f.cases, KPI: f.report(), Generator: "sigwatch test"})
	got := map[string][2]string{}
	for _, m := range cardRE.FindAllStringSubmatch(page, -1) {
		got[html.UnescapeString(m[1])] = [2]string{html.UnescapeString(m[2]), html.UnescapeString(m[3])}
	}
	want := map[string][2]string{
		"Active memberships": {"2", "of 4 register entries; 1 orphaned (active without an active owner), not counted"},
		"Actionable items":   {"2", "of 4 first triaged in the period; actionable rate 50.0%"},
		"Median receipt to triage": {"0s",
			"p90 1h 30m, max 1h 30m (n = 4); 100.0% within SLA (4 of 4)"},
		"Memberships reviewed in 12 months": {"0.0%", "0 of 2 active entries"},
		"Open actions":                      {"0", "0 overdue at as-of; 100.0% of closures within the action SLA (1 of 1)"},
		"Register health score": {"0.0%",
			"0 of 2 active entries pass every criterion; no link check results were given, so no entry can pass"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("summary cards (-want +got):\n%s", diff)
	}
	// Header: organisation, period, as-of, generator.
	for _, s := range []string{
		`<dd>Example Bank plc</dd>`,
		`<dd>2026-Q4 <span class="muted">[2026-10-01T00:00:00Z, 2027-01-01T00:00:00Z)</span></dd>`,
		`<dd><time datetime="2026-12-01T00:00:00Z">2026-12-01 00:00 UTC</time></dd>`,
		`<dd>sigwatch test</dd>`,
	} {
		if !strings.Contains(page, s) {
			t.Errorf("header lacks %s", s)
		}
	}
	if strings.Contains(page, "Redacted export") {
		t.Error("redaction banner without Redacted")
	}
	if strings.Contains(page, `id="files"`) {
		t.Error("appendix without Files")
	}
	// Register: sorted by ID; next review due is the last review plus the
	// cadence (cisa 2025-11-02 + 12mo, fortinet-psirt 2025-07-01 + 6mo),
	// both before 12-01, so overdue; old-forum ended (not live);
	// sector-isac never reviewed.
	var got2 [][]string
	for _, r := range htmlRows(t, htmlSection(t, page, "register")) {
		got2 = append(got2, []string{r[0], r[2], r[3], r[7]})
	}
	want2 := [][]string{
		{"CISA Known Exploited Vulnerabilities | cisa", "Aisha Khan (akhan)", "Bo Wu (bwu)", "overdue | next due 2026-11-02"},
		{"Fortinet PSIRT | fortinet-psirt", "Aisha Khan (akhan)", "Jin Lee (jlee) inactive", "overdue | next due 2026-01-01"},
		{"Old Forum | old-forum", "ghost unknown", "none missing", "not-live | no review recorded"},
		{"Sector ISAC | Finance | sector-isac", "Jin Lee (jlee) inactive", "none missing", "never-reviewed | no review recorded"},
	}
	if diff := cmp.Diff(want2, got2); diff != "" {
		t.Errorf("register rows (-want +got):\n%s", diff)
	}
	// Health: register-health.md.golden of the same fixture has 8 findings, 1 error.
	health := htmlSection(t, page, "health")
	if n := len(htmlRows(t, health)); n != 8 {
		t.Errorf("%d health rows, want 8", n)
	}
	if !strings.Contains(health, `<span class="badge">8 findings</span> <span class="badge bad">1 error</span> <span class="badge warn">6 warning</span> <span class="badge">1 info</span>`) {
		t.Error("health counts wrong")
	}
}

// TestHTMLCharts checks the charts of the hostile fixture: the bar
// lengths follow the data (cisa has 7 actionable of 8 first triaged: the
// fixture's 2 of 3 and the five open cases), every chart has a title, a
// description and a table, and nothing is NaN or infinite.
func TestHTMLCharts(t *testing.T) {
	page := renderHTML(t, hostileInput(t))
	charts := htmlSection(t, page, "charts")
	for _, id := range []string{"chart-actionable", "chart-triage", "chart-trend"} {
		for _, s := range []string{`<figure class="chart" id="` + id + `">`, `role="img" aria-labelledby="` + id + `-title ` + id + `-desc"`,
			`<title id="` + id + `-title">`, `<desc id="` + id + `-desc">`} {
			if !strings.Contains(charts, s) {
				t.Errorf("chart %s lacks %s", id, s)
			}
		}
	}
	if n := strings.Count(charts, "<summary>Figures as a table</summary>"); n != 3 {
		t.Errorf("%d chart tables, want 3", n)
	}
	for _, bad := range []string{"NaN", "Inf", "-0"} {
		if strings.Contains(charts, `="`+bad) {
			t.Errorf("chart attribute %s", bad)
		}
	}
	// Plot width 280 px (560 - 160 - 120); the count axis for a maximum of
	// 8 has step 2 (step 1 would give 8 intervals, more than 5) and ends at 8:
	// cisa's 8 first triaged fill it, its 7 actionable are 7/8 of it, 245 px.
	for _, s := range []string{
		`<rect x="160" y="41" width="280" height="16" fill="#aec7e8" shape-rendering="crispEdges"><title>cisa: 8 first triaged</title></rect>`,
		`<rect x="160" y="41" width="245" height="16" fill="#1f77b4" shape-rendering="crispEdges"><title>cisa: 7 actionable</title></rect>`,
		// The triage axis runs to 3d (the default SLA) in steps of 12h: the SLA line is at its end.
		`<line x1="440" y1="30" x2="440" y2="124" stroke="#d62728" stroke-dasharray="6 4" stroke-width="2"/>`,
		// The KEV/critical SLA of 1d is at a third of it.
		`<line x1="253.3" y1="30" x2="253.3" y2="124" stroke="#d62728" stroke-dasharray="2 3" stroke-width="2"/>`,
	} {
		if !strings.Contains(charts, s) {
			t.Errorf("charts lack %s", s)
		}
	}
}

func TestHTMLEmpty(t *testing.T) {
	asOf := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	t.Run("no_register_no_cases_no_kpi", func(t *testing.T) {
		page := renderHTML(t, evidence.HTMLInput{AsOf: asOf, Generator: "g"})
		assertInert(t, page)
		for _, s := range []string{"No KPI report was given", "Open actions: 0 (0 overdue at as-of).", "The register has no groups.",
			"No open actionable case.", "No findings.", "<dd>not named in the register</dd>", "<dd>not set</dd>"} {
			if !strings.Contains(page, s) {
				t.Errorf("the page lacks %q", s)
			}
		}
		if strings.Contains(page, "<svg") {
			t.Error("charts without a KPI report")
		}
	})
	t.Run("empty_kpi", func(t *testing.T) {
		reg := &register.Register{}
		r := kpi.Compute(reg, nil, kpi.Quarter(2026, 4), asOf, nil)
		page := renderHTML(t, evidence.HTMLInput{Register: reg, KPI: r, Generator: "g"})
		assertInert(t, page)
		for _, s := range []string{"No advisory was first triaged in the period.",
			"No advisory received in the period has been triaged (n = 0).", "No actionable items in 2026-Q4 or 2026-Q3."} {
			if !strings.Contains(page, s) {
				t.Errorf("the page lacks %q", s)
			}
		}
		for _, bad := range []string{"NaN", "Inf"} {
			if strings.Contains(page, bad) {
				t.Errorf("the page has %s", bad)
			}
		}
	})
	t.Run("no_period", func(t *testing.T) {
		r := kpi.Compute(nil, nil, kpi.Period{}, asOf, nil)
		page := renderHTML(t, evidence.HTMLInput{KPI: r, Generator: "g"})
		if !strings.Contains(page, "The KPI report has no period, so it has no trend.") {
			t.Error("no note for the missing trend")
		}
	})
}

func TestHTMLErrors(t *testing.T) {
	asOf := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	r := kpi.Compute(nil, nil, kpi.Quarter(2026, 4), asOf, nil)
	tests := []struct {
		name string
		in   evidence.HTMLInput
		want string
	}{
		{"no_as_of", evidence.HTMLInput{}, "evidence: HTML report: no as-of instant"},
		{"as_of_differs", evidence.HTMLInput{KPI: r, AsOf: asOf.Add(time.Hour)}, "evidence: HTML report as-of 2026-12-01T01:00:00Z differs"},
		{"period_differs", evidence.HTMLInput{KPI: r, Period: kpi.Quarter(2026, 3)}, "evidence: HTML report period 2026-Q3 differs"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := evidence.WriteHTMLReport(&buf, tc.in)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("got %v, want %s…", err, tc.want)
			}
			if buf.Len() != 0 {
				t.Error("output written on error")
			}
		})
	}
	t.Run("write_error", func(t *testing.T) {
		boom := errors.New("disk full")
		err := evidence.WriteHTMLReport(htmlFailWriter{boom}, evidence.HTMLInput{AsOf: asOf})
		if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "evidence: write HTML report: ") {
			t.Fatalf("got %v", err)
		}
	})
}

type htmlFailWriter struct{ err error }

func (w htmlFailWriter) Write([]byte) (int, error) { return 0, w.err }

// TestHTMLDeterministic renders twice, and once more from the cases and
// groups in reverse order: the bytes are the same.
func TestHTMLDeterministic(t *testing.T) {
	in := hostileInput(t)
	a, b := renderHTML(t, in), renderHTML(t, in)
	if a != b {
		t.Fatal("two renders differ")
	}
	f, _ := htmlFixture(t)
	slices.Reverse(f.cases)
	slices.Reverse(f.reg.Groups)
	c := renderHTML(t, evidence.HTMLInput{Register: f.reg, Cases: f.cases, KPI: f.report(), Generator: "sigwatch test",
		Files: htmlFiles, Redacted: "AMBER"})
	if diff := cmp.Diff(a, c); diff != "" {
		t.Errorf("render from reversed input differs (-want +got):\n%s", diff)
	}
}

// FuzzHTMLReport puts arbitrary text in every place the register and a
// feed reach (group ID, name, URL, channel URL, person, advisory title,
// URL and owner) and checks the page stays inert.
func FuzzHTMLReport(f *testing.F) {
	f.Add("g1", hostileGroup, hostileURL, "CVE-2026-1", hostileTitle, "https://example.org/a?b=1&c=2", `"><b>x`)
	f.Add("</title><script>", "x\x00y", " JaVaScRiPt:alert(1)", "<svg onload=alert(1)>", "]]><!--", "http://a/\"onmouseover=\"x", "'")
	f.Add("", "", "", "", "", "", "")
	asOf := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, groupID, name, groupURL, caseID, title, caseURL, owner string) {
		reg := &register.Register{Organisation: register.Organisation{Name: name},
			People: []register.Person{{ID: owner, Name: name}},
			Groups: []register.Group{{ID: groupID, Name: name, Kind: register.KindForum, URL: groupURL, Owner: owner,
				Membership: register.Membership{Status: register.MembershipActive, TLP: name},
				Channels:   []register.Channel{{Kind: name, URL: groupURL, Source: name}}}}}
		c := openCase(caseID, title, caseURL, owner, triage.P1, asOf.Add(-48*time.Hour), asOf.Add(-time.Hour))
		c.Receipts[0].Group, c.Receipts[0].Source = groupID, name
		cases := []intake.Case{c}
		r := kpi.Compute(reg, cases, kpi.Quarter(2026, 4), asOf, &kpi.Options{Generator: name})
		var buf bytes.Buffer
		if err := evidence.WriteHTMLReport(&buf, evidence.HTMLInput{Register: reg, Cases: cases, KPI: r, Redacted: name,
			Files: []evidence.ManifestFile{{Name: name, Schema: title, SHA256: owner}}}); err != nil {
			t.Fatal(err)
		}
		assertInert(t, buf.String())
	})
}

// TestHTMLHugeDurations: receipt-to-triage spreads near the largest
// duration (a manual receipt dated centuries back, or a report read from
// JSON) draw a finite axis instead of looping; so do huge counts.
func TestHTMLHugeDurations(t *testing.T) {
	for _, d := range []time.Duration{15 << 59, math.MaxInt64, math.MaxInt64 - 1, 6 * 365 * 24 * time.Hour, 1} {
		in := hostileInput(t)
		rt := in.KPI.ReceiptToTriage
		dd := kpi.Duration(d)
		rt.Median, rt.P90, rt.Max = &dd, &dd, &dd
		done := make(chan string, 1)
		go func() {
			var b strings.Builder
			if err := evidence.WriteHTMLReport(&b, in); err != nil {
				done <- "error: " + err.Error()
				return
			}
			done <- b.String()
		}()
		select {
		case out := <-done:
			if strings.HasPrefix(out, "error: ") || strings.Contains(out, "NaN") || strings.Contains(out, "Inf") {
				t.Errorf("max %v: %.200s", d, out)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("max %v: WriteHTMLReport did not return within 10 s", d)
		}
	}
}
