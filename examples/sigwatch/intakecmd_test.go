package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	_ "modernc.org/sqlite" // database/sql driver "sqlite", to tamper with a store

	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/notify"
	"github.com/sigwatch/sigwatch/register"
)

const (
	exampleRegister = "../register/register.yaml"
	exampleStack    = "../quickstart/data/stack.yaml"
	fixedNow        = "2026-11-23T09:00:00Z"
	alasFeed        = "../../feeds/rssfeed/testdata/al2-alas.rss.xml" // provenance in that folder's SOURCES.md
)

// kevCatalog is the KEV catalog decoded independently of kevfeed: the
// top-level fields kept as they are, the entries as raw objects.
type kevCatalog struct {
	Title           string            `json:"title"`
	CatalogVersion  string            `json:"catalogVersion"`
	DateReleased    string            `json:"dateReleased"`
	Count           int               `json:"count"`
	Vulnerabilities []json.RawMessage `json:"vulnerabilities"`
}

type kevEntry struct {
	CveID         string `json:"cveID"`
	VendorProject string `json:"vendorProject"`
}

func readKEV(t *testing.T) (*kevCatalog, []kevEntry) {
	t.Helper()
	data, err := os.ReadFile(kevFile)
	if err != nil {
		t.Fatal(err)
	}
	var cat kevCatalog
	if err := json.Unmarshal(data, &cat); err != nil {
		t.Fatal(err)
	}
	entries := make([]kevEntry, len(cat.Vulnerabilities))
	for i, raw := range cat.Vulnerabilities {
		if err := json.Unmarshal(raw, &entries[i]); err != nil {
			t.Fatal(err)
		}
	}
	return &cat, entries
}

// writeKEVSubset writes a KEV catalog with the snapshot's entries for the
// given vendors plus its first n other entries, and returns their CVE IDs.
func writeKEVSubset(t *testing.T, path string, vendors []string, n int) []string {
	t.Helper()
	cat, entries := readKEV(t)
	var keep []json.RawMessage
	var ids []string
	for i, e := range entries {
		if slices.Contains(vendors, e.VendorProject) || n > 0 {
			if !slices.Contains(vendors, e.VendorProject) {
				n--
			}
			keep = append(keep, cat.Vulnerabilities[i])
			ids = append(ids, strings.ToUpper(e.CveID))
		}
	}
	cat.Vulnerabilities, cat.Count = keep, len(keep)
	data, err := json.Marshal(cat)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return ids
}

// sourceLine finds the line of a source in the "Sources" block.
func sourceLine(t *testing.T, out, name string) string {
	t.Helper()
	for line := range strings.SplitSeq(out, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == name {
			return line
		}
	}
	t.Fatalf("no line for source %s in:\n%s", name, out)
	return ""
}

func TestIntakeRunBundledSQLite(t *testing.T) {
	_, entries := readKEV(t)
	distinct := map[string]bool{}
	for _, e := range entries {
		distinct[strings.ToUpper(strings.TrimSpace(e.CveID))] = true
	}
	if len(entries) != 1404 {
		t.Fatalf("the snapshot has %d entries; feeds/kevfeed/data/README.md says 1404", len(entries))
	}
	db := "sqlite:" + filepath.Join(t.TempDir(), "s.db")
	args := []string{"intake", "run", "--register", exampleRegister, "--stack", exampleStack,
		"--offline", "bundled", "--now", fixedNow, "--db", db}

	r := runCLI(t, "", args...)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if !strings.HasPrefix(r.stdout, "Store "+db+"\n") {
		t.Errorf("output does not start with the store: %.80q", r.stdout)
	}
	if l := sourceLine(t, r.stdout, "cisa-kev"); !regexp.MustCompile(`^\s+cisa-kev\s+cisa-kev\s+kev\s+\d[\d.]*[mµn]?s\s+1404 advisories$`).MatchString(l) {
		t.Errorf("cisa-kev line %q", l)
	}
	// The register's other feed channels (read by hand from
	// examples/register/register.yaml) have no bundled data.
	for _, ch := range [][3]string{{"ncsc-all", "uk-ncsc", "rss"}, {"fortinet-psirt", "fortinet-psirt", "rss"},
		{"msrc-csaf", "msrc", "csaf"}, {"msrc-rss", "msrc", "rss"}} {
		l := sourceLine(t, r.stdout, ch[0])
		if f := strings.Fields(l); len(f) < 3 || f[1] != ch[1] || f[2] != ch[2] || !strings.Contains(l, "skipped (offline, bundled data only)") {
			t.Errorf("source line %q, want group %s, kind %s, skipped", l, ch[1], ch[2])
		}
	}
	if want := len(distinct); !strings.Contains(r.stdout, "\nCases: "+itoa(want)+" new, 0 updated\n") {
		t.Errorf("want %d new cases in:\n%s", want, tail(r.stdout, 3))
	}
	summary := "1 source fetched, 0 failed, 4 skipped; " + itoa(len(distinct)) + " new cases, 0 updated."
	if !strings.HasSuffix(r.stdout, "\n"+summary+"\n") {
		t.Errorf("summary line %q, want %q", tail(r.stdout, 1), summary)
	}
	// Only actionable cases are listed: 74 for this stack, derived with a
	// Python filter over the raw catalog (examples/quickstart/main_test.go
	// gives the per-component derivation); the rest are counted.
	const actionable = 74
	if n := len(regexp.MustCompile(`(?m)^  CVE-\S+\s+new\s+actionable\s`).FindAllString(r.stdout, -1)); n != actionable {
		t.Errorf("%d actionable case rows marked new, want %d", n, actionable)
	}
	if n := len(regexp.MustCompile(`(?m)^  CVE-\S+\s`).FindAllString(r.stdout, -1)); n != actionable {
		t.Errorf("%d case rows, want only the %d actionable ones", n, actionable)
	}
	if want := "  (" + itoa(len(distinct)-actionable) + " informational or not applicable, not listed: "; !strings.Contains(r.stdout, want) {
		t.Errorf("output lacks %q", want)
	}

	// The same fetch again on the same file records nothing.
	again := runCLI(t, "", append(args, "--json")...)
	if again.code != 0 || again.stderr != "" {
		t.Fatalf("second run: exit %d, stderr %q", again.code, again.stderr)
	}
	var out intakeRunOutput
	if err := json.Unmarshal([]byte(again.stdout), &out); err != nil {
		t.Fatalf("second run: %v", err)
	}
	if out.Run.New != 0 || out.Run.Updated != 0 || len(out.Cases) != 0 || len(out.Opened) != 0 {
		t.Errorf("second run: %d new, %d updated, %d cases, %d opened; want nothing", out.Run.New, out.Run.Updated, len(out.Cases), len(out.Opened))
	}
	if len(out.Run.Sources) != 1 || out.Run.Sources[0].Name != "cisa-kev" || out.Run.Sources[0].Count != 1404 || out.Run.Sources[0].Group != "cisa-kev" {
		t.Errorf("second run sources %+v", out.Run.Sources)
	}
	if len(out.Skipped) != 4 {
		t.Errorf("second run: %d skipped, want 4", len(out.Skipped))
	}

	// Every case is there once.
	cases := runCLI(t, "", "intake", "cases", "--db", db, "--json")
	var co casesOutput
	if err := json.Unmarshal([]byte(cases.stdout), &co); err != nil {
		t.Fatalf("intake cases: %v (stderr %q)", err, cases.stderr)
	}
	got := map[string]bool{}
	for _, c := range co.Cases {
		got[c.ID] = true
	}
	if len(co.Cases) != len(distinct) || len(got) != len(distinct) {
		t.Errorf("%d cases (%d distinct), want %d", len(co.Cases), len(got), len(distinct))
	}
	for id := range distinct {
		if !got[id] {
			t.Errorf("no case for %s", id)
			break
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// smallRegister is a register with one vendor RSS channel, one OSV channel
// and one manual channel.
const smallRegister = `people:
  - {id: ops, name: Ops Team, email: ops@example.org, technical: true}
  - {id: sec, name: Sec Lead, email: sec@example.org, technical: true}
groups:
  - id: amazon-linux
    name: Amazon Linux security center
    kind: vendor
    url: https://alas.aws.amazon.com
    relevance: Security bulletins for the Amazon Linux 2 hosts.
    owner: ops
    backup: sec
    membership: {status: active, since: 2024-01-01}
    channels:
      - {kind: rss, url: "https://alas.aws.amazon.com/AL2/alas.rss", source: al2-alas}
      - {kind: osv, url: "https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip", source: go-osv}
      - {kind: manual}
`

// distinctGUIDs counts the distinct item GUIDs of an RSS file.
func distinctGUIDs(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Items []struct {
			GUID string `xml:"guid"`
		} `xml:"channel>item"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, it := range doc.Items {
		seen[strings.TrimSpace(it.GUID)] = true
	}
	return len(seen)
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, to, string(data))
}

func TestIntakeRunOfflineDir(t *testing.T) {
	dir := t.TempDir()
	reg := writeFile(t, filepath.Join(dir, "register.yaml"), smallRegister)
	feedDir := filepath.Join(dir, "feeds")
	if err := os.Mkdir(feedDir, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, alasFeed, filepath.Join(feedDir, "al2-alas.xml"))
	want := distinctGUIDs(t, alasFeed)

	r := runCLI(t, "", "intake", "run", "--register", reg, "--stack", exampleStack, "--offline", feedDir,
		"--now", fixedNow, "--db", "memory:")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if !strings.HasPrefix(r.stdout, "Store memory: (in memory: nothing is kept after this command)\n") {
		t.Errorf("no in-memory note: %.80q", r.stdout)
	}
	if l := sourceLine(t, r.stdout, "al2-alas"); !regexp.MustCompile(`^\s+al2-alas\s+amazon-linux\s+rss\s+\S+\s+` + itoa(want) + ` advisories$`).MatchString(l) {
		t.Errorf("al2-alas line %q, want %d advisories", l, want)
	}
	base := filepath.Join(feedDir, "go-osv")
	if l := sourceLine(t, r.stdout, "go-osv"); !strings.Contains(l, "skipped (offline, no file: looked for "+base+" and "+base+".{json,xml,rss,atom,rdf,zip})") {
		t.Errorf("go-osv line %q", l)
	}
	if !strings.Contains(r.stdout, "\nCases: "+itoa(want)+" new, 0 updated\n") {
		t.Errorf("want %d new cases:\n%s", want, r.stdout)
	}

	// The JSON names the group on every receipt.
	r = runCLI(t, "", "intake", "run", "--register", reg, "--stack", exampleStack, "--offline", feedDir,
		"--now", fixedNow, "--db", "memory:", "--json")
	var out intakeRunOutput
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("%v; stderr %q", err, r.stderr)
	}
	if len(out.Cases) != want || len(out.Opened) != want || out.Run.New != want {
		t.Fatalf("%d cases, %d opened, run.new %d; want %d", len(out.Cases), len(out.Opened), out.Run.New, want)
	}
	for _, c := range out.Cases {
		if len(c.Receipts) != 1 || c.Receipts[0].Source != "al2-alas" || c.Receipts[0].Group != "amazon-linux" || len(c.Events) == 0 {
			t.Fatalf("case %s: receipts %+v, %d events", c.ID, c.Receipts, len(c.Events))
		}
	}
	if len(out.Skipped) != 1 || out.Skipped[0].Name != "go-osv" || out.Skipped[0].Group != "amazon-linux" {
		t.Errorf("skipped %+v", out.Skipped)
	}
}

func TestIntakeRunOfflineBadFile(t *testing.T) {
	dir := t.TempDir()
	reg := writeFile(t, filepath.Join(dir, "register.yaml"), smallRegister)
	writeFile(t, filepath.Join(dir, "al2-alas.rss"), "<html><body>Sign in</body></html>")
	r := runCLI(t, "", "intake", "run", "--register", reg, "--stack", exampleStack, "--offline", dir, "--db", "memory:")
	// A failing source is a result: shown, and the exit status stays 0.
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if l := sourceLine(t, r.stdout, "al2-alas"); !strings.Contains(l, "failed: ") || !strings.Contains(l, "al2-alas.rss") {
		t.Errorf("al2-alas line %q", l)
	}
	if !strings.HasSuffix(r.stdout, "\n0 sources fetched, 1 failed, 1 skipped; 0 new cases, 0 updated.\n") {
		t.Errorf("summary %q", tail(r.stdout, 1))
	}
}

// hookServer is a loopback webhook receiver.
type hookServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []hookRequest
}

type hookRequest struct {
	header http.Header
	body   []byte
}

func newHookServer(t *testing.T) *hookServer {
	h := &hookServer{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.requests = append(h.requests, hookRequest{header: r.Header.Clone(), body: body})
		h.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookServer) take() []hookRequest {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := h.requests
	h.requests = nil
	return out
}

// notifyFixture runs intake with a webhook notifier on a KEV subset.
type notifyFixture struct {
	dir, db string
	args    []string
	hook    *hookServer
	kevIDs  []string
}

func newNotifyFixture(t *testing.T) *notifyFixture {
	t.Helper()
	f := &notifyFixture{dir: t.TempDir(), hook: newHookServer(t)}
	f.db = "sqlite:" + filepath.Join(f.dir, "s.db")
	feedDir := filepath.Join(f.dir, "feeds")
	if err := os.Mkdir(feedDir, 0o755); err != nil {
		t.Fatal(err)
	}
	f.kevIDs = writeKEVSubset(t, filepath.Join(feedDir, "cisa-kev.json"), []string{"Fortinet", "Citrix"}, 10)
	t.Setenv("SIGWATCH_TEST_WEBHOOK_SECRET", testSecret)
	cfg := writeFile(t, filepath.Join(f.dir, "notify.yaml"), `notifiers:
  - {name: ops-hook, kind: webhook, url: "`+f.hook.URL+`/sigwatch", secret_env: SIGWATCH_TEST_WEBHOOK_SECRET}
digest: {priorities: []}   # everything at once
`)
	f.args = []string{"intake", "run", "--register", exampleRegister, "--stack", exampleStack, "--offline", feedDir,
		"--now", fixedNow, "--db", f.db, "--notify", cfg}
	return f
}

func TestIntakeRunNotify(t *testing.T) {
	f := newNotifyFixture(t)
	r := runCLI(t, "", f.args...)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if l := sourceLine(t, r.stdout, "cisa-kev"); !strings.HasSuffix(l, " "+itoa(len(f.kevIDs))+" advisories") {
		t.Errorf("cisa-kev line %q, want %d advisories", l, len(f.kevIDs))
	}
	reqs := f.hook.take()

	// Routed cases: those with an owner, as the store lists them.
	cr := runCLI(t, "", "intake", "cases", "--db", f.db, "--json")
	var co casesOutput
	if err := json.Unmarshal([]byte(cr.stdout), &co); err != nil {
		t.Fatal(err)
	}
	routed := map[string]string{} // case → owner
	for _, c := range co.Cases {
		if c.Owner != "" {
			routed[c.ID] = c.Owner
		}
	}
	if len(routed) == 0 {
		t.Fatal("no case was routed: the fixture tests nothing")
	}
	if len(reqs) != len(routed) {
		t.Errorf("%d webhook requests, want one per routed case: %d", len(reqs), len(routed))
	}
	told := map[string]bool{}
	for _, req := range reqs {
		if err := notify.Verify(testSecret, req.header, req.body, time.Now(), 0); err != nil {
			t.Errorf("signature: %v", err)
		}
		var ev notify.WebhookEvent
		if err := json.Unmarshal(req.body, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Type != "case.routed" || len(ev.Data.Items) != 1 {
			t.Errorf("event %s with %d items", ev.Type, len(ev.Data.Items))
			continue
		}
		id := ev.Data.Items[0].CaseID
		if told[id] {
			t.Errorf("case %s notified twice", id)
		}
		told[id] = true
		if owner, ok := routed[id]; !ok || ev.Data.To.ID != owner {
			t.Errorf("case %s told to %q, routed to %q", id, ev.Data.To.ID, owner)
		}
	}
	// The output lists every delivery, and each case records it.
	if !strings.Contains(r.stdout, "\nNotifications: "+itoa(len(routed))+" messages\n") {
		t.Errorf("no notification header for %d messages:\n%s", len(routed), r.stdout)
	}
	if n := regexp.MustCompile(`(?m)^  ops-hook\s+\S+\s+CVE-\S+\s+sent\s+204 No Content$`).FindAllStringIndex(r.stdout, -1); len(n) != len(routed) {
		t.Errorf("%d delivery lines, want %d", len(n), len(routed))
	}
	if want := "notifications enqueued, " + itoa(len(routed)) + " sent, 0 retrying, 0 failed."; !strings.HasSuffix(r.stdout, want+"\n") {
		t.Errorf("summary %q, want it to end %q", tail(r.stdout, 1), want)
	}
	for _, c := range co.Cases {
		if _, ok := routed[c.ID]; ok && !slices.ContainsFunc(c.Events, func(e intake.Event) bool {
			return e.Kind == intake.EventNotified && e.Notifier == "ops-hook"
		}) {
			t.Errorf("case %s has no notified event", c.ID)
		}
	}

	// A second run sends nothing.
	r = runCLI(t, "", f.args...)
	if r.code != 0 {
		t.Fatalf("second run: exit %d, stderr %q", r.code, r.stderr)
	}
	if reqs := f.hook.take(); len(reqs) != 0 {
		t.Errorf("second run sent %d requests", len(reqs))
	}
	if !strings.Contains(r.stdout, "\nNotifications: nothing to send\n") {
		t.Errorf("second run:\n%s", r.stdout)
	}
}

func TestIntakeCases(t *testing.T) {
	f := newNotifyFixture(t)
	if r := runCLI(t, "", f.args...); r.code != 0 {
		t.Fatalf("run: exit %d, stderr %q", r.code, r.stderr)
	}
	all := casesJSON(t, "--db", f.db)
	if len(all) != len(f.kevIDs) {
		t.Fatalf("%d cases, want %d", len(all), len(f.kevIDs))
	}
	states := map[intake.State]int{}
	for _, c := range all {
		states[c.State]++
		if len(c.Events) == 0 || len(c.Receipts) != 1 || c.Receipts[0].Source != "cisa-kev" {
			t.Fatalf("case %s: %d events, receipts %+v", c.ID, len(c.Events), c.Receipts)
		}
		if c.Events[0].Kind != intake.EventReceived {
			t.Errorf("case %s starts with %+v", c.ID, c.Events[0])
		}
	}
	if states[intake.StateAssigned] == 0 || states[intake.StateAssigned] == len(all) {
		t.Fatalf("states %v: the filter would not be tested", states)
	}
	assigned := casesJSON(t, "--db", f.db, "--state", "assigned")
	if len(assigned) != states[intake.StateAssigned] {
		t.Errorf("--state assigned: %d cases, want %d", len(assigned), states[intake.StateAssigned])
	}
	for _, c := range assigned {
		if c.State != intake.StateAssigned {
			t.Errorf("--state assigned returned %s in state %s", c.ID, c.State)
		}
	}
	both := casesJSON(t, "--db", f.db, "--state", "assigned, triaged")
	if len(both) != states[intake.StateAssigned]+states[intake.StateTriaged] {
		t.Errorf("--state assigned,triaged: %d cases, want %d", len(both), states[intake.StateAssigned]+states[intake.StateTriaged])
	}
	owner := assigned[0].Owner
	byOwner := casesJSON(t, "--db", f.db, "--owner", owner)
	for _, c := range byOwner {
		if c.Owner != owner {
			t.Errorf("--owner %s returned %s owned by %s", owner, c.ID, c.Owner)
		}
	}
	if len(byOwner) == 0 {
		t.Errorf("--owner %s: no cases", owner)
	}

	// The table: one row per case and a count; overdue as of a later day.
	r := runCLI(t, "", "intake", "cases", "--db", f.db, "--state", "assigned", "--now", "2027-06-01")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 1+len(assigned)+2 {
		t.Fatalf("%d lines, want header, %d rows, blank, count:\n%s", len(lines), len(assigned), r.stdout)
	}
	if f := strings.Fields(lines[0]); strings.Join(f, " ") != "CASE STATE DECISION PRI OWNER DUE RECEIVED OVERDUE TITLE" {
		t.Errorf("header %q", lines[0])
	}
	overdue := 0
	for _, c := range assigned {
		if !c.Due.IsZero() && c.Due.Before(time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)) {
			overdue++
		}
	}
	if want := itoa(len(assigned)) + " cases: " + itoa(len(assigned)) + " open (" + itoa(overdue) + " overdue), 0 closed or rejected."; lines[len(lines)-1] != want {
		t.Errorf("count line %q, want %q", lines[len(lines)-1], want)
	}
	if got := len(regexp.MustCompile(`(?m)^CVE-.* OVERDUE `).FindAllString(r.stdout, -1)); got != overdue {
		t.Errorf("%d rows marked OVERDUE, want %d", got, overdue)
	}
}

func casesJSON(t *testing.T, args ...string) []intake.Case {
	t.Helper()
	r := runCLI(t, "", append([]string{"intake", "cases", "--json"}, args...)...)
	if r.code != 0 {
		t.Fatalf("intake cases %v: exit %d, stderr %q", args, r.code, r.stderr)
	}
	var co casesOutput
	if err := json.Unmarshal([]byte(r.stdout), &co); err != nil {
		t.Fatal(err)
	}
	return co.Cases
}

func TestJournalVerify(t *testing.T) {
	f := newNotifyFixture(t)
	if r := runCLI(t, "", f.args...); r.code != 0 {
		t.Fatalf("run: exit %d, stderr %q", r.code, r.stderr)
	}
	// The journal holds every event of every case, once.
	events := 0
	for _, c := range casesJSON(t, "--db", f.db) {
		events += len(c.Events)
	}
	r := runCLI(t, "", "journal", "verify", "--db", f.db)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q\n%s", r.code, r.stderr, r.stdout)
	}
	m := regexp.MustCompile(`(?m)^Head: entry (\d+), hash ([0-9a-f]{64})\n  \(record this as an anchor: --anchor (\d+):([0-9a-f]{64})\)$`).FindStringSubmatch(r.stdout)
	if m == nil || m[1] != m[3] || m[2] != m[4] {
		t.Fatalf("no head line in:\n%s", r.stdout)
	}
	if m[1] != itoa(events) {
		t.Errorf("head entry %s, want %d (the cases' events)", m[1], events)
	}
	if want := "Journal of " + f.db + ": " + itoa(events) + " entries, " + itoa(len(f.kevIDs)) + " cases compared with it.\n"; !strings.HasPrefix(r.stdout, want) {
		t.Errorf("first line %q, want %q", strings.SplitN(r.stdout, "\n", 2)[0], want)
	}
	if !strings.HasSuffix(r.stdout, "OK: the chain is intact, every case matches it.\n") {
		t.Errorf("no OK line:\n%s", r.stdout)
	}
	anchor := m[1] + ":" + m[2]
	if r := runCLI(t, "", "journal", "verify", "--db", f.db, "--anchor", anchor); r.code != 0 ||
		!strings.HasSuffix(r.stdout, ", and 1 anchor is in place.\n") {
		t.Errorf("with the head as anchor: exit %d, stderr %q, stdout tail %q", r.code, r.stderr, tail(r.stdout, 1))
	}
	wrong := m[1] + ":" + strings.Repeat("0", 64)
	if r := runCLI(t, "", "journal", "verify", "--db", f.db, "--anchor", wrong); r.code != 1 ||
		!strings.Contains(r.stdout, "problem: entry "+m[1]+": hash "+m[2][:12]+" differs from the anchor 000000000000 recorded earlier\n") {
		t.Errorf("wrong anchor: exit %d, stdout:\n%s", r.code, r.stdout)
	}

	// Edit one entry in the file, as someone with write access could.
	path := strings.TrimPrefix(f.db, "sqlite:")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`DROP TRIGGER journal_no_update`,
		`UPDATE journal SET body = replace(body, '"actor":"sigwatch"', '"actor":"mallory"') WHERE seq = 3`,
	} {
		if _, err := db.ExecContext(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var body string
	if err := db.QueryRow(`SELECT body FROM journal WHERE seq = 3`).Scan(&body); err != nil || !strings.Contains(body, "mallory") {
		t.Fatalf("tampering did not take: %q, %v", body, err)
	}
	db.Close()
	r = runCLI(t, "", "journal", "verify", "--db", f.db)
	if r.code != 1 {
		t.Fatalf("after tampering: exit %d, stdout:\n%s", r.code, r.stdout)
	}
	if !strings.Contains(r.stdout, "\nproblem: entry 3: content does not match its hash: the entry was edited\n") {
		t.Errorf("no problem line for entry 3:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "OK:") {
		t.Errorf("OK after tampering:\n%s", r.stdout)
	}
	if want := "sigwatch: journal verify: " + f.db + ": "; !strings.HasPrefix(r.stderr, want) || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("stderr %q, want one line starting %q", r.stderr, want)
	}
	var rep struct {
		OK       bool                    `json:"ok"`
		Problems []intake.JournalProblem `json:"problems"`
	}
	rj := runCLI(t, "", "journal", "verify", "--db", f.db, "--json")
	if err := json.Unmarshal([]byte(rj.stdout), &rep); err != nil || rj.code != 1 || rep.OK || len(rep.Problems) == 0 || rep.Problems[0].Seq != 3 {
		t.Errorf("--json after tampering: exit %d, %+v, %v", rj.code, rep, err)
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestIntakeWatch(t *testing.T) {
	dir := t.TempDir()
	reg := writeFile(t, filepath.Join(dir, "register.yaml"), smallRegister)
	copyFile(t, alasFeed, filepath.Join(dir, "al2-alas.rss"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"intake", "watch", "--register", reg, "--stack", exampleStack, "--offline", dir,
			"--db", "memory:", "--interval", "1h", "--now", fixedNow}, strings.NewReader(""), &out, &errOut)
	}()
	deadline := time.After(20 * time.Second)
	for !strings.Contains(out.String(), "\ncycle 1 at ") {
		select {
		case code := <-done:
			t.Fatalf("watch ended with %d before its first cycle: %s %s", code, out.String(), errOut.String())
		case <-deadline:
			t.Fatalf("no cycle after 20 s: %s", out.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d after interrupt, stderr %q", code, errOut.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("watch did not stop")
	}
	want := itoa(distinctGUIDs(t, alasFeed))
	got := out.String()
	if !strings.Contains(got, "\ncycle 1 at 2026-11-23T09:00:00Z: 1 source fetched, 0 failed, 1 skipped; "+want+" new cases, 0 updated.\n") {
		t.Errorf("cycle block:\n%s", got)
	}
	if !strings.HasSuffix(got, "stopped after 1 cycle.\n") {
		t.Errorf("no stopped line: %q", tail(got, 1))
	}
}

func TestIntakeErrors(t *testing.T) {
	dir := t.TempDir()
	reg := writeFile(t, filepath.Join(dir, "register.yaml"), smallRegister)
	badNotify := writeFile(t, filepath.Join(dir, "notify.yaml"), "notifiers:\n  - name: hook\n    kind: webhook\n    url: https://h.example\n    secret_env: SIGWATCH_TEST_UNSET_SECRET\n    retries: 3\n")
	dbFile := filepath.Join(dir, "never.db")
	for _, tt := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"missing_db", []string{"intake", "run", "--register", reg, "--stack", exampleStack}, 2,
			"sigwatch: intake run: --db is required: sqlite:PATH, postgres://… or memory:; run 'sigwatch help intake run' for usage"},
		{"unknown_scheme", []string{"intake", "run", "--register", reg, "--stack", exampleStack, "--db", "mysql://root:hunter2@db/x"}, 2,
			`sigwatch: intake run: --db: unknown store scheme "mysql": use sqlite:PATH, postgres://… or memory:; run 'sigwatch help intake run' for usage`},
		{"bare_path", []string{"intake", "cases", "--db", "/var/lib/sigwatch.db"}, 2,
			"sigwatch: intake cases: --db: not a store address: use sqlite:PATH, postgres://… or memory: (a file is sqlite:PATH); run 'sigwatch help intake cases' for usage"},
		{"missing_register", []string{"intake", "run", "--register", filepath.Join(dir, "nope.yaml"), "--stack", exampleStack, "--db", "sqlite:" + dbFile}, 1,
			"sigwatch: register: open " + filepath.Join(dir, "nope.yaml") + ": no such file or directory"},
		{"missing_register_flag", []string{"intake", "watch", "--stack", exampleStack, "--db", "memory:"}, 2,
			"sigwatch: intake watch: --register is required; run 'sigwatch help intake watch' for usage"},
		{"notify_config", []string{"intake", "run", "--register", reg, "--stack", exampleStack, "--db", "sqlite:" + dbFile, "--notify", badNotify}, 1,
			"sigwatch: " + badNotify + ":5:17: notifiers[0].secret_env: environment variable SIGWATCH_TEST_UNSET_SECRET is not set\n" +
				"sigwatch: " + badNotify + ":6:5: notifiers[0].retries: unknown field \"retries\" (want one of name, kind, url, url_env, secret_env, addr, from, username_env, password_env, starttls, implicit_tls, hello, base_url, project, issue_type, email_env, token_env, bearer_token_env, labels, priority_map, set_due_date)"},
		{"bad_now", []string{"intake", "run", "--register", reg, "--stack", exampleStack, "--db", "memory:", "--now", "yesterday"}, 2,
			`sigwatch: intake run: --now: "yesterday" is not YYYY-MM-DD or an RFC 3339 time; run 'sigwatch help intake run' for usage`},
		{"offline_not_dir", []string{"intake", "run", "--register", reg, "--stack", exampleStack, "--db", "memory:", "--offline", reg}, 1,
			"sigwatch: --offline: " + reg + " is not a directory"},
		{"bad_interval", []string{"intake", "watch", "--register", reg, "--stack", exampleStack, "--db", "memory:", "--interval", "0s"}, 2,
			"sigwatch: intake watch: --interval must be positive, got 0s; run 'sigwatch help intake watch' for usage"},
		{"cases_no_file", []string{"intake", "cases", "--db", "sqlite:" + dbFile}, 1,
			"sigwatch: sqlite:" + dbFile + ": no such database file (run 'sigwatch intake run' to create one)"},
		{"cases_bad_state", []string{"intake", "cases", "--db", "memory:", "--state", "open"}, 2,
			`sigwatch: intake cases: --state: unknown state "open"; want received, triaged, assigned, actioned, closed, rejected; run 'sigwatch help intake cases' for usage`},
		{"verify_bad_anchor", []string{"journal", "verify", "--db", "memory:", "--anchor", "12:abc"}, 2,
			`sigwatch: journal verify: invalid value "12:abc" for flag -anchor: want SEQ:HASH with HASH 64 hex digits, got "12:abc"; run 'sigwatch help journal verify' for usage`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "", tt.args...)
			if r.code != tt.code || r.stderr != tt.want+"\n" {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d, stderr:\n%s", r.code, r.stderr, tt.code, tt.want)
			}
			if strings.Contains(r.stderr, "hunter2") {
				t.Errorf("a password is echoed: %s", r.stderr)
			}
			if _, err := os.Stat(dbFile); err == nil {
				t.Errorf("a failed command created %s", dbFile)
			}
		})
	}
}

func TestIntakeHelp(t *testing.T) {
	for _, name := range []string{"intake run", "intake watch", "intake cases", "journal verify"} {
		r := runCLI(t, "", append([]string{"help"}, strings.Fields(name)...)...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "Usage: sigwatch "+name+" ") {
			t.Errorf("help %s: exit %d, %.60q", name, r.code, r.stdout)
		}
	}
	r := runCLI(t, "", "intake")
	if r.code != 2 || !strings.Contains(r.stderr, `"intake" needs a subcommand: intake run, intake watch, intake cases`) {
		t.Errorf("bare intake: exit %d, %q", r.code, r.stderr)
	}
}

func TestPlanSources(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "vendor-rss.rss"), "")
	if err := os.Mkdir(filepath.Join(dir, "vendor-csaf"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "twice.json"), "")
	writeFile(t, filepath.Join(dir, "twice.xml"), "")
	ch := func(kind, url, source string) register.Channel {
		return register.Channel{Kind: kind, URL: url, Source: source}
	}
	reg := &register.Register{Groups: []register.Group{
		{ID: "a", Channels: []register.Channel{
			ch("kev", "", "kev-mirror"),
			ch("rss", "https://v.example/rss", "vendor-rss"),
			ch("CSAF", "https://v.example/csaf/provider-metadata.json", "vendor-csaf"),
			ch("manual", "", ""),
			ch("misp", "https://misp.example", "isac-misp"),
			ch("rss", "https://t.example/rss", "twice"),
		}},
		{ID: "b", Channels: []register.Channel{
			ch("rss", "https://v.example/rss", "vendor-rss"), // the same feed again: one source
			ch("cve5", "", "cves"),
			ch("osv", "", ""),
		}},
		{ID: "retired", Membership: register.Membership{Status: register.MembershipEnded},
			Channels: []register.Channel{ch("rss", "https://old.example/rss", "old")}},
	}}
	sources, plan, err := planSources(reg, "r.yaml", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ Name, Group, Kind, Skipped, File string }
	var got []row
	for _, p := range plan {
		got = append(got, row{p.Name, p.Group, p.Kind, p.Skipped, p.File})
	}
	lookedFor := func(name string) string {
		b := filepath.Join(dir, name)
		return "skipped (offline, no file: looked for " + b + " and " + b + ".{json,xml,rss,atom,rdf,zip})"
	}
	want := []row{
		{"kev-mirror", "a", "kev", "", "(embedded KEV snapshot)"},
		{"vendor-rss", "a", "rss", "", filepath.Join(dir, "vendor-rss.rss")},
		{"vendor-csaf", "a", "csaf", "", filepath.Join(dir, "vendor-csaf")},
		{"isac-misp", "a", "misp", `no adapter for channel kind "misp" (known: kev, rss, ncsc, csaf, osv, cve5)`, ""},
		{"twice", "a", "rss", "", ""},
		{"cves", "b", "cve5", lookedFor("cves"), ""},
		{"osv", "b", "osv", lookedFor("osv"), ""},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("plan (-want +got):\n%s", d)
	}
	var names []string
	for _, s := range sources {
		names = append(names, s.Name())
	}
	if d := cmp.Diff([]string{"kev-mirror", "vendor-rss", "vendor-csaf", "twice"}, names); d != "" {
		t.Errorf("sources (-want +got):\n%s", d)
	}
	// Two files for one source fail that source, naming both.
	if _, err := sources[3].Fetch(context.Background()); err == nil || !strings.Contains(err.Error(), "twice.json, "+filepath.Join(dir, "twice.xml")) {
		t.Errorf("ambiguous files: %v", err)
	}
	// Live: sources get the channel's source name whatever the adapter's.
	sources, plan, err = planSources(reg, "r.yaml", "", feedhttp.New(nil))
	if err != nil {
		t.Fatal(err)
	}
	names = names[:0]
	for _, s := range sources {
		names = append(names, s.Name())
	}
	if d := cmp.Diff([]string{"kev-mirror", "vendor-rss", "vendor-csaf", "twice", "osv"}, names); d != "" {
		t.Errorf("live sources (-want +got):\n%s", d)
	}
	if plan[5].Name != "cves" || plan[5].Skipped != "feeds of kind cve5 cannot be fetched; use --offline with a file or directory" {
		t.Errorf("live cve5 channel %+v", plan[5])
	}

	// One source name for two different feeds is an error.
	reg.Groups[1].Channels = append(reg.Groups[1].Channels, ch("rss", "https://other.example/rss", "vendor-rss"))
	if _, _, err := planSources(reg, "r.yaml", dir, nil); err == nil ||
		err.Error() != `r.yaml: groups a and b both have a channel with source name "vendor-rss" but different kinds or URLs; give one of them its own "source:"` {
		t.Errorf("conflicting channels: %v", err)
	}
}
