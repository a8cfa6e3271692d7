package intake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/triage"
)

// maxAttempts bounds how often a transaction is retried after ErrConflict.
const maxAttempts = 20

// incoming is one advisory to record, with its receipt.
type incoming struct {
	adv     feeds.Advisory
	receipt Receipt
}

// filed is what recording a batch did.
type filed struct {
	opened    int
	openedIDs map[string]bool
	changed   map[string]bool
	enqueued  int
}

// file records items in one transaction, retrying from a fresh read when a
// concurrent writer got there first.
func (p *Pipeline) file(ctx context.Context, items []incoming) (*filed, error) {
	for attempt := 1; ; attempt++ {
		b := &batch{p: p, recs: map[string]*pending{}, keys: map[string]string{}}
		for i := range items {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if err := b.add(ctx, items[i].adv, items[i].receipt); err != nil {
				return nil, err
			}
		}
		out, err := b.commit(ctx)
		if err == nil {
			return out, nil
		}
		if !errors.Is(err, ErrConflict) || attempt == maxAttempts {
			return nil, err
		}
		if err := sleepCtx(ctx, backoff(attempt)); err != nil {
			return nil, err
		}
	}
}

// backoff is a short randomised wait before retrying a conflicted transaction.
func backoff(attempt int) time.Duration {
	d := time.Duration(attempt*attempt) * time.Millisecond
	return d + rand.N(d+time.Millisecond)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// pending is a record being changed in a batch.
type pending struct {
	rec     *Record
	events  int // len(rec.Case.Events) when loaded
	isNew   bool
	changed bool
	enqueue []Notification
}

// batch is one transaction's worth of changes, with the records it has
// read so that two advisories of one case in a batch see each other.
type batch struct {
	p     *Pipeline
	recs  map[string]*pending // by case ID
	order []string
	keys  map[string]string // identifier → case ID, for records in the batch
}

// lookup finds the record filed under the first of keys that any case has,
// in the batch or in the store; nil when there is none.
func (b *batch) lookup(ctx context.Context, keys []string) (*pending, error) {
	hit := len(keys)
	for i, k := range keys {
		if _, ok := b.keys[k]; ok {
			hit = i
			break
		}
	}
	if hit > 0 {
		rec, err := b.p.store.Load(ctx, keys[:hit]...)
		switch {
		case err == nil:
			if pd, ok := b.recs[rec.Case.ID]; ok {
				return pd, nil // read through another key earlier in the batch
			}
			return b.track(rec, false), nil
		case !errors.Is(err, ErrNotFound):
			return nil, fmt.Errorf("intake: loading case %s: %w", strings.Join(keys, ", "), err)
		}
	}
	if hit < len(keys) {
		return b.recs[b.keys[keys[hit]]], nil
	}
	return nil, nil
}

func (b *batch) track(rec *Record, isNew bool) *pending {
	if rec.Views == nil {
		rec.Views = map[string]feeds.Advisory{}
	}
	pd := &pending{rec: rec, events: len(rec.Case.Events), isNew: isNew}
	b.recs[rec.Case.ID] = pd
	b.order = append(b.order, rec.Case.ID)
	for _, k := range rec.Case.Keys {
		b.keys[k] = rec.Case.ID
	}
	return pd
}

// add files one advisory into the batch.
func (b *batch) add(ctx context.Context, a feeds.Advisory, r Receipt) error {
	keys := a.Keys()
	if len(keys) == 0 {
		return fmt.Errorf("intake: advisory from %s has no ID", r.Source)
	}
	pd, err := b.lookup(ctx, keys)
	if err != nil {
		return err
	}
	// A new case: lookup has just asked the store for every key and found
	// none, so only the batch can hold any of them.
	fresh := pd == nil
	if fresh {
		id := caseKey(&a)
		if _, taken := b.recs[id]; taken {
			// The case key is filed, but under none of this advisory's
			// identifiers' own cases (cannot happen: the key is one of them).
			return fmt.Errorf("intake: case %s is already open in this batch", id)
		}
		pd = b.track(&Record{Case: Case{ID: id, State: StateReceived, Advisory: a.Clone()}}, true)
	}
	foreign, err := b.foreignKeys(ctx, pd, keys, !fresh)
	if err != nil {
		return err
	}
	if b.p.apply(pd, a, r, foreign) {
		pd.changed = true
		for _, k := range pd.rec.Case.Keys {
			b.keys[k] = pd.rec.Case.ID
		}
	}
	return nil
}

// foreignKeys finds which of the advisory's identifiers, new to the case,
// are already filed under another case: an advisory that names two
// vulnerabilities with cases of their own (a vendor bulletin listing two
// CVEs, a GHSA record that later gains a CVE alias) is filed under the
// first, and the others keep their own keys.
//
// askStore is false when the store is known to hold none of keys.
func (b *batch) foreignKeys(ctx context.Context, pd *pending, keys []string, askStore bool) (map[string]string, error) {
	var out map[string]string
	for _, k := range keys {
		if slices.Contains(pd.rec.Case.Keys, k) {
			continue
		}
		owner, ok := b.keys[k]
		if !ok && askStore {
			rec, err := b.p.store.Load(ctx, k)
			switch {
			case err == nil:
				owner, ok = rec.Case.ID, true
			case !errors.Is(err, ErrNotFound):
				return nil, fmt.Errorf("intake: loading case %s: %w", k, err)
			}
		}
		if ok && owner != pd.rec.Case.ID {
			if out == nil {
				out = map[string]string{}
			}
			out[k] = owner
		}
	}
	return out, nil
}

// commit saves every changed record in one transaction.
func (b *batch) commit(ctx context.Context) (*filed, error) {
	out := &filed{openedIDs: map[string]bool{}, changed: map[string]bool{}}
	var changes []*Change
	for _, id := range b.order {
		pd := b.recs[id]
		if !pd.changed {
			continue
		}
		changes = append(changes, &Change{Record: pd.rec, Events: pd.rec.Case.Events[pd.events:], Enqueue: pd.enqueue})
		out.changed[id] = true
		out.enqueued += len(pd.enqueue)
		if pd.isNew {
			out.opened++
			out.openedIDs[id] = true
		}
	}
	if len(changes) == 0 {
		return out, nil
	}
	if err := b.p.store.Save(ctx, changes...); err != nil {
		return nil, err
	}
	return out, nil
}

// caseKey is the identifier a new case is filed under: the first CVE, else the ID.
func caseKey(a *feeds.Advisory) string {
	if cves := a.CVEs(); len(cves) > 0 {
		return cves[0]
	}
	return feeds.NormalizeID(a.ID)
}

// sameAdvisory compares advisories as they are stored, so that a view read
// back from a database equals the advisory it was written from, and
// without release metadata ([feeds.IsReleaseExtra]): a new KEV catalog
// release does not revise every entry in it.
func sameAdvisory(a, b *feeds.Advisory) bool {
	x, err1 := json.Marshal(withoutReleaseExtra(a))
	y, err2 := json.Marshal(withoutReleaseExtra(b))
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

func withoutReleaseExtra(a *feeds.Advisory) *feeds.Advisory {
	var drop bool
	for k := range a.Extra {
		if feeds.IsReleaseExtra(k) {
			drop = true
			break
		}
	}
	if !drop {
		return a
	}
	c := *a
	c.Extra = maps.Clone(a.Extra)
	maps.DeleteFunc(c.Extra, func(k, _ string) bool { return feeds.IsReleaseExtra(k) })
	if len(c.Extra) == 0 {
		c.Extra = nil
	}
	return &c
}

// apply files advisory a, received as r, into the pending record. It
// reports whether the record changed. A re-fetch of the same advisory from
// the same source is not a new receipt; a changed advisory is a revision
// and is triaged again.
func (p *Pipeline) apply(pd *pending, a feeds.Advisory, r Receipt, foreign map[string]string) bool {
	c := &pd.rec.Case
	from := len(c.Events)
	rk := ReceiptKey(r.Source, r.AdvisoryID)
	prev, known := pd.rec.Views[rk]
	if known && sameAdvisory(&prev, &a) {
		return false
	}
	before := snapshot{kev: len(c.Receipts) > 0 && c.Advisory.KEVListed(), priority: c.Priority(), owner: c.Owner}
	for _, k := range a.Keys() {
		if _, other := foreign[k]; !other && !slices.Contains(c.Keys, k) {
			c.Keys = append(c.Keys, k)
		}
	}
	slices.Sort(c.Keys)
	pd.rec.Views[rk] = a.Clone()
	switch {
	case len(c.Receipts) == 0:
		c.Receipts = append(c.Receipts, r)
		c.Events = append(c.Events, Event{At: r.ReceivedAt, Kind: EventReceived, To: StateReceived, Actor: receiptActor(r),
			Note: fmt.Sprintf("received %s from %s", r.AdvisoryID, describeSource(r))})
	case !known:
		c.Receipts = append(c.Receipts, r)
		slices.SortStableFunc(c.Receipts, func(a, b Receipt) int { return a.ReceivedAt.Compare(b.ReceivedAt) })
		c.Events = append(c.Events, Event{At: r.ReceivedAt, Kind: EventReceipt, From: c.State, To: c.State, Actor: receiptActor(r),
			Note: fmt.Sprintf("also received %s from %s", r.AdvisoryID, describeSource(r))})
	default:
		c.Events = append(c.Events, Event{At: r.ReceivedAt, Kind: EventRevision, From: c.State, To: c.State, Actor: receiptActor(r),
			Note: fmt.Sprintf("%s revised %s", r.Source, r.AdvisoryID)})
	}
	if len(foreign) > 0 {
		var also []string
		for _, k := range slices.Sorted(maps.Keys(foreign)) {
			if foreign[k] == k {
				also = append(also, k)
			} else {
				also = append(also, k+" (case "+foreign[k]+")")
			}
		}
		c.Events[len(c.Events)-1].Note += "; it also names " + strings.Join(also, ", ") + ", filed as a case of its own"
	}
	c.Advisory = merged(pd.rec)
	p.triage(c)
	p.enqueue(pd, from, before)
	return true
}

// merged rebuilds a case's advisory from its receipts' latest advisories:
// the earliest receipt's advisory is the base, later ones add identifiers,
// affected products, references and exploitation facts.
func merged(rec *Record) feeds.Advisory {
	var out feeds.Advisory
	first := true
	for _, r := range rec.Case.Receipts {
		a, ok := rec.Views[ReceiptKey(r.Source, r.AdvisoryID)]
		if !ok {
			continue
		}
		if first {
			out, first = a.Clone(), false
			continue
		}
		feeds.Merge(&out, &a)
	}
	return out
}

func receiptActor(r Receipt) string {
	if r.Manual {
		return "manual"
	}
	return Actor
}

func describeSource(r Receipt) string {
	if r.Manual {
		return fmt.Sprintf("group %s, entered by hand", r.Group)
	}
	if r.Group != "" {
		return fmt.Sprintf("%s (group %s)", r.Source, r.Group)
	}
	return r.Source
}

// triage evaluates the case's advisory and routes it. The triage time is
// when the engine ran, not when the advisory arrived: a manual receipt
// asserted days ago is triaged now, and KPI 3 measures that gap.
func (p *Pipeline) triage(c *Case) {
	if !c.State.Open() {
		return // closed and rejected cases keep their outcome; a revision is recorded only
	}
	at := p.now().UTC()
	res := p.engine.Evaluate(&c.Advisory)
	first := c.Triage == nil
	if !first && c.Triage.Decision == res.Decision && c.Triage.RuleID == res.RuleID && c.Triage.Owner == res.Owner {
		res.Due = c.Due // same outcome: keep the state and the original due date
		c.Triage = &res
		return
	}
	c.Triage = &res
	c.Decision, c.Due = res.Decision, res.Due
	if first {
		c.TriagedAt = at
	}
	note := fmt.Sprintf("%s by rule %s", res.Decision, res.RuleID)
	if res.Priority != "" {
		note += " (" + string(res.Priority) + ")"
	}
	if c.State != StateReceived && c.State != StateTriaged && c.State != StateAssigned {
		// Actioned: the work is under way with its owner; the new triage is
		// recorded, the owner stays, and people decide what follows.
		if res.Owner != "" && res.Owner != c.Owner {
			note += "; it would now route to " + res.Owner + ", the case stays with " + c.Owner
		}
		c.Events = append(c.Events, Event{At: at, Kind: EventRevision, From: c.State, To: c.State, Actor: Actor, Note: "re-triaged: " + note,
			Decision: res.Decision})
		return
	}
	_ = c.transition(StateTriaged, at, Actor, note, "") // allowed from every state above
	c.Events[len(c.Events)-1].Decision = res.Decision
	if res.Decision == triage.DecisionActionable && res.Owner != "" {
		c.Owner = res.Owner
		_ = c.transition(StateAssigned, at, Actor, "routed to "+res.Owner, "") // triaged → assigned is allowed
	}
}
