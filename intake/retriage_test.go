package intake_test

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/kevfeed"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/notify"
	"github.com/sigwatch/sigwatch/triage"
)

// kevIDs lists the CVEs of the bundled KEV catalog whose vendorProject is
// vendor and whose product contains product, read from the raw JSON
// without kevfeed.
func kevIDs(t *testing.T, vendor, product string) []string {
	t.Helper()
	b, err := os.ReadFile("../feeds/kevfeed/data/known_exploited_vulnerabilities.json")
	if err != nil {
		t.Fatal(err)
	}
	var cat struct {
		Vulnerabilities []struct {
			CveID, VendorProject, Product string
		}
	}
	if err := json.Unmarshal(b, &cat); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, v := range cat.Vulnerabilities {
		if v.VendorProject == vendor && strings.Contains(v.Product, product) {
			out = append(out, v.CveID)
		}
	}
	return out
}

// TestRetriageAfterStackChange files the bundled KEV catalog under a stack
// with FortiOS, then replaces FortiOS by PAN-OS and re-triages: the 14
// FortiOS CVEs are no longer actionable, the 10 PAN-OS CVEs are actionable
// and routed to the new owner, who is notified; a case already actioned
// keeps its owner and gets a revision; a closed case keeps its outcome; a
// second Retriage changes nothing. (14 and 10 are counted in the raw
// catalog by kevIDs; the quickstart's edge-fw count is the same 14.)
func TestRetriageAfterStackChange(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	store := intake.NewMemoryStore()
	pipeline := func(c triage.Component) *intake.Pipeline {
		eng, err := triage.New(&triage.Stack{Components: []triage.Component{c}}, &triage.Options{Now: clk.Now})
		if err != nil {
			t.Fatal(err)
		}
		chat := notify.Func("chat", func(context.Context, *notify.Message) (notify.Delivery, error) { return notify.Delivery{}, nil })
		p, err := intake.New([]feeds.Source{kevfeed.SnapshotSource()}, eng, &intake.Options{Store: store, Register: testRegister(),
			Now: clk.Now, Notify: &intake.NotifyOptions{Notifiers: []notify.Notifier{chat}, DigestPriorities: []triage.Priority{}}})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	fortios, panos := kevIDs(t, "Fortinet", "FortiOS"), kevIDs(t, "Palo Alto Networks", "PAN-OS")
	if len(fortios) != 14 || len(panos) != 10 {
		t.Fatalf("catalog: %d FortiOS, %d PAN-OS CVEs; want 14 and 10", len(fortios), len(panos))
	}

	before := pipeline(triage.Component{ID: "edge-fw", Vendor: "Fortinet", Product: "FortiOS", Version: "7.2.4",
		Owner: "netops", Exposure: triage.ExposureInternet})
	if _, err := before.Run(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range fortios {
		if c, err := before.Case(ctx, id); err != nil || c.Decision != triage.DecisionActionable || c.Owner != "netops" {
			t.Fatalf("before: %s %s %s %v", id, c.Decision, c.Owner, err)
		}
	}
	actioned, closed := fortios[0], fortios[1]
	if err := before.Action(ctx, actioned, "CHG-1", "akhan", "patched"); err != nil {
		t.Fatal(err)
	}
	if err := before.Action(ctx, closed, "CHG-2", "akhan", "patched"); err != nil {
		t.Fatal(err)
	}
	if err := before.Close(ctx, closed, "akhan", "verified"); err != nil {
		t.Fatal(err)
	}
	if _, err := before.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	closedBefore, _ := before.Case(ctx, closed)

	after := pipeline(triage.Component{ID: "pa-fw", Vendor: "Palo Alto Networks", Product: "PAN-OS", Version: "10.2.9-h1",
		Owner: "carol", Exposure: triage.ExposureInternet})
	res, err := after.Retriage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range append(slices.Clone(fortios[2:]), panos...) {
		if _, ok := slices.BinarySearch(res.Changed, id); !ok {
			t.Errorf("%s not in Changed", id)
		}
	}
	if _, ok := slices.BinarySearch(res.Changed, closed); ok {
		t.Errorf("the closed case %s was re-triaged", closed)
	}
	for _, id := range fortios[2:] {
		c, _ := after.Case(ctx, id)
		if c.Decision == triage.DecisionActionable || c.State != intake.StateTriaged {
			t.Errorf("%s after: %s %s, want no longer actionable, triaged", id, c.Decision, c.State)
		}
	}
	for _, id := range panos {
		c, _ := after.Case(ctx, id)
		if c.Decision != triage.DecisionActionable || c.Owner != "carol" || c.State != intake.StateAssigned {
			t.Errorf("%s after: %s %s %s, want actionable, assigned to carol", id, c.Decision, c.State, c.Owner)
		}
	}
	a, _ := after.Case(ctx, actioned)
	if a.State != intake.StateActioned || a.Owner != "netops" || a.Events[len(a.Events)-1].Kind != intake.EventRevision {
		t.Errorf("actioned case after: %s %s, last event %+v", a.State, a.Owner, a.Events[len(a.Events)-1])
	}
	if c, _ := after.Case(ctx, closed); len(c.Events) != len(closedBefore.Events) || c.State != intake.StateClosed {
		t.Errorf("closed case changed: %d events (was %d), %s", len(c.Events), len(closedBefore.Events), c.State)
	}
	if res.Enqueued < len(panos) {
		t.Errorf("%d notifications enqueued, want at least one per PAN-OS case (%d)", res.Enqueued, len(panos))
	}
	d, err := after.Deliver(ctx)
	if err != nil {
		t.Fatal(err)
	}
	toCarol := 0
	for _, x := range d.Deliveries {
		if x.Recipient == "carol" {
			toCarol++
		}
	}
	if toCarol == 0 {
		t.Errorf("carol was not told: %+v", d.Deliveries)
	}
	again, err := after.Retriage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Changed) != 0 || again.Enqueued != 0 || again.Checked == 0 {
		t.Errorf("second Retriage: %+v, want nothing changed", again)
	}
	if rep, err := intake.VerifyJournal(ctx, store, nil); err != nil || !rep.OK() {
		t.Errorf("journal: %v %+v", err, rep.Problems)
	}
}
