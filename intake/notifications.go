package intake

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/intake/notify"
	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

// NotifyOptions configure notifications. Nil or zero fields take the
// documented defaults.
type NotifyOptions struct {
	// Notifiers are the channels, by their Name. Required.
	Notifiers []notify.Notifier
	// Routes say who is told through which notifier. Every matching route
	// sends. Optional: with none, every notifier tells every owner.
	Routes []Route
	// DigestPriorities are the priorities held for the recipient's next
	// digest instead of sent at once. Optional: defaults to P4.
	DigestPriorities []triage.Priority
	// DigestEvery is how often digests go out. Optional: defaults to 24
	// hours.
	DigestEvery time.Duration
	// DigestAt places the slots: they fall at 1970-01-01 00:00 UTC (a
	// Thursday) plus DigestAt plus whole multiples of DigestEvery.
	// Optional: zero means 8 hours — daily digests at 08:00 UTC; use 24h
	// for midnight, or 4×24h+8h with a weekly DigestEvery for Mondays 08:00.
	DigestAt time.Duration
	// MaxAttempts is how often a delivery is tried before it is given up.
	// Optional: defaults to 8.
	MaxAttempts int
	// RetryBase is the wait after the first failed attempt, doubled after
	// each further one; no wait exceeds one hour (a larger RetryBase is
	// cut to one hour). A server's Retry-After wins when longer.
	// Optional: defaults to one minute.
	RetryBase time.Duration
	// Lease is how long a worker holds the notifications it claimed.
	// Optional: defaults to 5 minutes; keep it well above SendTimeout.
	Lease time.Duration
	// SendTimeout bounds each send. Optional: defaults to 30 seconds.
	SendTimeout time.Duration
	// Worker names this process in leases. Optional: defaults to host:pid.
	Worker string
	// Recipient turns an owner (a person or team ID) into a recipient.
	// Optional: defaults to the register's person with that ID, or a
	// recipient with only the ID.
	Recipient func(owner string) notify.Recipient
	// Link returns the URL of a case in the user's own tool, for messages.
	// Optional.
	Link func(caseID string) string
}

// Route sends the notifications of matching cases through one notifier.
type Route struct {
	// Owner matches the case's owner; empty or "*" matches any.
	Owner string
	// Priorities restrict the route to these priorities; empty matches any.
	Priorities []triage.Priority
	// Notifier names the notifier. Required.
	Notifier string
	// To sends to this recipient (a team channel, a distribution list)
	// instead of the owner.
	To *notify.Recipient
	// Digest holds every notification of this route for the digest,
	// whatever its priority.
	Digest bool
}

// Notification kinds.
const (
	KindRouted  = "case.routed"
	KindRevised = "case.revised"
	KindDigest  = "case.digest"
)

type notifier struct {
	byName      map[string]notify.Notifier
	routes      []Route
	digest      []triage.Priority
	every, at   time.Duration
	maxAttempts int
	retryBase   time.Duration
	lease       time.Duration
	timeout     time.Duration
	worker      string
	recipient   func(string) notify.Recipient
	link        func(string) string
}

func newNotifier(o *NotifyOptions, reg *register.Register) (*notifier, error) {
	n := &notifier{byName: map[string]notify.Notifier{}, routes: slices.Clone(o.Routes),
		digest: o.DigestPriorities, every: o.DigestEvery, at: o.DigestAt, maxAttempts: o.MaxAttempts,
		retryBase: o.RetryBase, lease: o.Lease, timeout: o.SendTimeout, worker: o.Worker,
		recipient: o.Recipient, link: o.Link}
	if len(o.Notifiers) == 0 {
		return nil, errors.New("intake: NotifyOptions needs at least one notifier")
	}
	for i, nt := range o.Notifiers {
		if nt == nil || strings.TrimSpace(nt.Name()) == "" {
			return nil, fmt.Errorf("intake: notifier %d is nil or has no name", i)
		}
		if _, dup := n.byName[nt.Name()]; dup {
			return nil, fmt.Errorf("intake: two notifiers are named %q", nt.Name())
		}
		n.byName[nt.Name()] = nt
	}
	if len(n.routes) == 0 {
		for _, nt := range o.Notifiers {
			n.routes = append(n.routes, Route{Notifier: nt.Name()})
		}
	}
	for i, r := range n.routes {
		if _, ok := n.byName[r.Notifier]; !ok {
			return nil, fmt.Errorf("intake: route %d names notifier %q, which is not configured", i, r.Notifier)
		}
		for _, pr := range r.Priorities {
			if !pr.Valid() || pr == "" {
				return nil, fmt.Errorf("intake: route %d has unknown priority %q", i, pr)
			}
		}
	}
	if n.digest == nil {
		n.digest = []triage.Priority{triage.P4}
	}
	if n.every <= 0 {
		n.every = 24 * time.Hour
	}
	if n.at == 0 {
		n.at = 8 * time.Hour
	}
	if n.at < 0 {
		return nil, fmt.Errorf("intake: DigestAt %v is negative", n.at)
	}
	if n.maxAttempts <= 0 {
		n.maxAttempts = 8
	}
	if n.retryBase <= 0 {
		n.retryBase = time.Minute
	}
	if n.lease <= 0 {
		n.lease = 5 * time.Minute
	}
	if n.timeout <= 0 {
		n.timeout = 30 * time.Second
	}
	if n.timeout >= n.lease {
		return nil, fmt.Errorf("intake: SendTimeout %v must be shorter than Lease %v", n.timeout, n.lease)
	}
	if n.worker == "" {
		host, _ := os.Hostname()
		n.worker = host + ":" + strconv.Itoa(os.Getpid())
	}
	if n.recipient == nil {
		n.recipient = func(owner string) notify.Recipient {
			if reg != nil {
				if p, ok := reg.Person(owner); ok {
					return notify.Recipient{ID: p.ID, Name: p.Name, Email: p.Email}
				}
			}
			return notify.Recipient{ID: owner}
		}
	}
	return n, nil
}

// snapshot is what a case looked like before a change, to decide whom to tell.
type snapshot struct {
	kev      bool
	priority triage.Priority
	owner    string
}

// enqueue adds the notifications that the events from index from on call
// for: the owner is told when a case is routed to them, and told again
// when a revision raises its priority or puts it on the KEV list.
func (p *Pipeline) enqueue(pd *pending, from int, before snapshot) {
	n := p.notify
	c := &pd.rec.Case
	if n == nil || !c.State.Open() || c.Owner == "" || c.State == StateTriaged || c.State == StateReceived {
		return
	}
	routed := -1
	for i := from; i < len(c.Events); i++ {
		if c.Events[i].To == StateAssigned && c.Events[i].Kind == "" {
			routed = i
		}
	}
	kind, cause := "", -1
	switch {
	case routed >= 0 && c.Owner != before.owner:
		kind, cause = KindRouted, routed
	case len(c.Events) > from && (raised(before.priority, c.Priority()) || !before.kev && c.Advisory.KEVListed() && before.owner != ""):
		kind, cause = KindRevised, len(c.Events)-1
	default:
		return
	}
	now := p.now().UTC()
	item := n.item(c)
	for _, r := range n.routes {
		if !r.matches(c) {
			continue
		}
		to := n.recipient(c.Owner)
		if r.To != nil {
			to = *r.To
		}
		digest := r.Digest || slices.Contains(n.digest, c.Priority())
		notBefore := now
		if digest {
			notBefore = n.slot(now)
		}
		id := fmt.Sprintf("%s#%d/%s/%s", c.ID, cause+1, r.Notifier, cmp.Or(to.ID, to.Email, to.Name))
		if slices.ContainsFunc(pd.enqueue, func(x Notification) bool { return x.ID == id }) {
			continue // two routes tell the same person through the same notifier: once
		}
		pd.enqueue = append(pd.enqueue, Notification{
			ID:     id,
			CaseID: c.ID, Notifier: r.Notifier, To: to, Kind: kind, Priority: c.Priority(), Digest: digest,
			Item: item, Created: now, NotBefore: notBefore, State: DeliveryPending,
		})
	}
}

// raised reports whether the priority became more urgent.
func raised(before, after triage.Priority) bool {
	rank := func(p triage.Priority) int { return strings.Index("P4P3P2P1", string(p)) }
	return after != "" && (before == "" || rank(after) > rank(before))
}

func (r *Route) matches(c *Case) bool {
	if r.Owner != "" && r.Owner != "*" && r.Owner != c.Owner {
		return false
	}
	return len(r.Priorities) == 0 || slices.Contains(r.Priorities, c.Priority())
}

// slot is the next digest time after now. Slots are counted from the Unix
// epoch, so a weekly digest falls on the same weekday whatever day an item
// arrived.
func (n *notifier) slot(now time.Time) time.Time {
	base := time.Unix(0, 0).UTC().Add(n.at % n.every)
	k := now.Sub(base) / n.every
	t := base.Add(k * n.every)
	for !t.After(now) {
		t = t.Add(n.every)
	}
	return t
}

// item is the notification's view of a case.
func (n *notifier) item(c *Case) notify.Item {
	it := notify.Item{CaseID: c.ID, Title: c.Advisory.Title, Priority: string(c.Priority()), Decision: string(c.Decision),
		Owner: c.Owner, Due: c.Due, KEV: c.Advisory.KEVListed(), URL: c.Advisory.URL}
	if c.Triage != nil {
		it.Why = c.Triage.Why()
	}
	if r, ok := c.FirstReceipt(); ok {
		it.Source, it.Group = r.Source, r.Group
	}
	if n.link != nil {
		it.URL = n.link(c.ID)
	}
	for _, ref := range c.Advisory.References {
		if ref.URL != "" && !slices.Contains(it.References, ref.URL) && len(it.References) < 10 {
			it.References = append(it.References, ref.URL)
		}
	}
	return it
}

// DeliveryResult reports one [Pipeline.Deliver] pass.
type DeliveryResult struct {
	// Messages counts messages sent (a digest is one message).
	Messages int `json:"messages"`
	// Sent, Retrying and Failed count notifications by outcome.
	Sent     int `json:"sent"`
	Retrying int `json:"retrying"`
	Failed   int `json:"failed"`
	// Deferred counts notifications left for a later pass because their
	// lease had too little time left for a send.
	Deferred int `json:"deferred,omitempty"`
	// Deliveries lists every attempt in order.
	Deliveries []DeliveryAttempt `json:"deliveries,omitempty"`
}

// DeliveryAttempt is one message sent (or tried) through one notifier.
type DeliveryAttempt struct {
	Notifier  string        `json:"notifier"`
	Recipient string        `json:"recipient"`
	Cases     []string      `json:"cases"`
	Digest    bool          `json:"digest,omitempty"`
	State     DeliveryState `json:"state"`
	Ref       string        `json:"ref,omitempty"`
	Error     string        `json:"error,omitempty"`
}

// Deliver sends every notification that is due, until none is left: one
// message per notification, or one digest per recipient and notifier for
// digest notifications. A delivered or finally failed notification is
// recorded as an event on its case (and so in the journal); a temporary
// failure is retried later with a growing wait. Several processes may
// deliver from one store at once: each notification goes to one of them.
func (p *Pipeline) Deliver(ctx context.Context) (*DeliveryResult, error) {
	res := &DeliveryResult{}
	n := p.notify
	if n == nil {
		return res, nil
	}
	for {
		claimed, err := p.store.Claim(ctx, n.worker, p.now().UTC(), n.lease, 100)
		if err != nil {
			return res, fmt.Errorf("intake: claiming notifications: %w", err)
		}
		if len(claimed) == 0 {
			return res, nil
		}
		for _, group := range groupForSending(claimed) {
			if err := p.send(ctx, group, res); err != nil {
				return res, err
			}
		}
	}
}

// groupForSending bundles digest notifications per notifier and recipient;
// every other notification is a message of its own.
func groupForSending(ns []Notification) [][]Notification {
	var out [][]Notification
	idx := map[string]int{}
	for _, x := range ns {
		if !x.Digest {
			out = append(out, []Notification{x})
			continue
		}
		k := x.Notifier + "\x00" + x.To.ID + "\x00" + x.To.Email
		if i, ok := idx[k]; ok {
			out[i] = append(out[i], x)
			continue
		}
		idx[k] = len(out)
		out = append(out, []Notification{x})
	}
	return out
}

// send delivers one message and records the outcome.
func (p *Pipeline) send(ctx context.Context, group []Notification, res *DeliveryResult) error {
	n := p.notify
	first := group[0]
	msg := &notify.Message{ID: first.ID, Kind: first.Kind, Time: p.now().UTC(), To: first.To, Digest: first.Digest}
	var cases []string
	for _, x := range group {
		msg.Items = append(msg.Items, x.Item)
		cases = append(cases, x.CaseID)
	}
	if first.Digest {
		ids := make([]string, len(group))
		for i, x := range group {
			ids[i] = x.ID
		}
		sum := sha256.Sum256([]byte(strings.Join(ids, "\n")))
		msg.ID, msg.Kind = "digest-"+hex.EncodeToString(sum[:12]), KindDigest
		msg.Subject = fmt.Sprintf("sigwatch digest: %d advisories for %s", len(group), cmp.Or(first.To.Name, first.To.ID))
	} else {
		msg.Subject = subject(&first)
	}
	var (
		d       notify.Delivery
		sendErr error
	)
	if !first.LeaseUntil.IsZero() && p.now().Add(n.timeout).After(first.LeaseUntil) {
		// The lease could lapse during the send, and another worker would
		// send it again: leave it; it is claimed afresh once the lease lapses.
		res.Deferred += len(group)
		return nil
	}
	nt, ok := n.byName[first.Notifier]
	if !ok {
		// Enqueued by a process (or a configuration) with a notifier this
		// one lacks: leave it for one that has it; after its lease lapses
		// it is claimable again. Failing it would tell nobody, for good.
		p.log.Warn("intake: no notifier of that name here; left pending", "notifier", first.Notifier, "notifications", len(group))
		res.Deferred += len(group)
		res.Deliveries = append(res.Deliveries, DeliveryAttempt{Notifier: first.Notifier, Recipient: cmp.Or(first.To.ID, first.To.Email),
			Cases: caseIDs(group), Digest: first.Digest, State: DeliveryPending,
			Error: "no notifier named " + first.Notifier + " is configured here; left pending for one that has it"})
		return nil
	}
	sctx, cancel := context.WithTimeout(ctx, n.timeout)
	d, sendErr = nt.Notify(sctx, msg)
	cancel()
	if sendErr != nil && ctx.Err() != nil {
		return ctx.Err() // shutting down: the lease lapses and another worker retries
	}
	now := p.now().UTC()
	att := DeliveryAttempt{Notifier: first.Notifier, Recipient: cmp.Or(first.To.ID, first.To.Email), Cases: cases, Digest: first.Digest, Ref: d.Ref}
	for _, x := range group {
		comp := Completion{ID: x.ID, Worker: n.worker, Attempts: x.Attempts + 1, Ref: d.Ref}
		switch {
		case sendErr == nil:
			comp.State = DeliverySent
			res.Sent++
		case notify.Permanent(sendErr) || comp.Attempts >= n.maxAttempts:
			comp.State, comp.Error = DeliveryFailed, sendErr.Error()
			res.Failed++
		default:
			comp.State, comp.Error = DeliveryPending, sendErr.Error()
			comp.NotBefore = now.Add(max(n.retryWait(comp.Attempts), notify.RetryAfter(sendErr)))
			res.Retrying++
		}
		// The message went out (or definitely failed): record that even
		// if ctx is being cancelled, or another worker would send it again.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
		err := p.complete(rctx, x, comp, now)
		cancel()
		if err != nil {
			return err
		}
	}
	att.State = DeliverySent
	if sendErr != nil {
		att.Error = sendErr.Error()
		att.State = DeliveryPending
		if notify.Permanent(sendErr) || first.Attempts+1 >= n.maxAttempts {
			att.State = DeliveryFailed
		}
	}
	res.Messages++
	res.Deliveries = append(res.Deliveries, att)
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func caseIDs(ns []Notification) []string {
	out := make([]string, len(ns))
	for i, x := range ns {
		out[i] = x.CaseID
	}
	return out
}

// recordTimeout bounds recording a delivery's outcome during shutdown.
const recordTimeout = 10 * time.Second

func (n *notifier) retryWait(attempts int) time.Duration {
	d := n.retryBase
	for i := 1; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

func subject(x *Notification) string {
	pr := cmp.Or(string(x.Priority), "info")
	verb := "new"
	if x.Kind == KindRevised {
		verb = "revised"
	}
	return fmt.Sprintf("[%s] %s %s: %s", pr, verb, x.CaseID, x.Item.Title)
}

// complete records a delivery outcome: in the outbox, and for a final
// outcome as an event on the case, in one transaction.
func (p *Pipeline) complete(ctx context.Context, x Notification, comp Completion, now time.Time) error {
	for attempt := 1; ; attempt++ {
		ch := &Change{Complete: []Completion{comp}}
		if comp.State != DeliveryPending {
			rec, err := p.store.Load(ctx, x.CaseID)
			if err != nil {
				return fmt.Errorf("intake: recording the delivery of %s: %w", x.ID, err)
			}
			ev := Event{At: now, Kind: EventNotified, From: rec.Case.State, To: rec.Case.State, Actor: Actor,
				Notifier: x.Notifier, Recipient: cmp.Or(x.To.ID, x.To.Email), Ref: comp.Ref,
				Note: fmt.Sprintf("told %s through %s (%s)", cmp.Or(x.To.Name, x.To.ID, x.To.Email), x.Notifier, x.Kind)}
			if comp.State == DeliveryFailed {
				ev.Kind = EventNotifyFailed
				ev.Note = fmt.Sprintf("could not tell %s through %s after %d %s: %s", cmp.Or(x.To.Name, x.To.ID, x.To.Email), x.Notifier,
					comp.Attempts, plural(comp.Attempts, "attempt", "attempts"), comp.Error)
			}
			rec.Case.Events = append(rec.Case.Events, ev)
			ch.Record, ch.Events = rec, []Event{ev}
		}
		err := p.store.Save(ctx, ch)
		if errors.Is(err, ErrLeaseLost) {
			// Another worker took the notification over: it records the outcome.
			p.log.Warn("intake: lease lost before the delivery was recorded", "notification", x.ID, "err", err)
			return nil
		}
		if err == nil || !errors.Is(err, ErrConflict) || attempt == maxAttempts {
			if err != nil {
				return fmt.Errorf("intake: recording the delivery of %s: %w", x.ID, err)
			}
			return nil
		}
		if err := sleepCtx(ctx, backoff(attempt)); err != nil {
			return err
		}
	}
}
