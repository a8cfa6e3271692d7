package intake

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

// Actor is the actor recorded for automatic steps.
const Actor = "sigwatch"

// Options configure a Pipeline. Nil or zero fields take the documented defaults.
type Options struct {
	// Register maps sources to the groups whose channels they are, so every
	// receipt names its group. Optional.
	Register *register.Register
	// Now is the clock. Optional: defaults to time.Now.
	Now func() time.Time
	// Logger receives progress and per-source failures. Optional: defaults to
	// discarding.
	Logger *slog.Logger
	// Concurrency bounds how many sources are fetched at once. Optional:
	// defaults to 4.
	Concurrency int
	// FetchTimeout bounds each source's Fetch. Optional: defaults to 5 minutes.
	FetchTimeout time.Duration
}

// Pipeline takes advisories from sources to triaged, routed cases. It keeps
// cases in memory; it is safe for concurrent use.
type Pipeline struct {
	sources []feeds.Source
	engine  *triage.Engine
	reg     *register.Register
	now     func() time.Time
	log     *slog.Logger
	limit   int
	timeout time.Duration

	mu    sync.Mutex
	cases map[string]*Case
	keys  map[string]string // identifier → case ID
	// views holds, per case, the latest advisory of each receipt keyed by
	// receiptKey; the case's Advisory is rebuilt from them in receipt order.
	views map[string]map[string]feeds.Advisory
}

// New returns a pipeline over sources that triages with engine. Source names
// must be non-empty and unique.
func New(sources []feeds.Source, engine *triage.Engine, opts *Options) (*Pipeline, error) {
	if engine == nil {
		return nil, errors.New("intake: New needs a triage engine")
	}
	if opts == nil {
		opts = &Options{}
	}
	seen := map[string]bool{}
	for i, s := range sources {
		if s == nil {
			return nil, fmt.Errorf("intake: source %d is nil", i)
		}
		switch n := s.Name(); {
		case strings.TrimSpace(n) == "":
			return nil, fmt.Errorf("intake: source %d has an empty name", i)
		case seen[n]:
			return nil, fmt.Errorf("intake: two sources are named %q", n)
		default:
			seen[n] = true
		}
	}
	p := &Pipeline{
		sources: slices.Clone(sources), engine: engine, reg: opts.Register,
		now: opts.Now, log: opts.Logger, limit: opts.Concurrency, timeout: opts.FetchTimeout,
		cases: map[string]*Case{}, keys: map[string]string{}, views: map[string]map[string]feeds.Advisory{},
	}
	if p.now == nil {
		p.now = time.Now
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	if p.limit <= 0 {
		p.limit = 4
	}
	if p.timeout <= 0 {
		p.timeout = 5 * time.Minute
	}
	return p, nil
}

// RunResult reports one run over all sources. A failed source is a result,
// not an error: the other sources carry on.
type RunResult struct {
	Started  time.Time      `json:"started"`
	Finished time.Time      `json:"finished"`
	Sources  []SourceResult `json:"sources"`
	// New counts cases opened in this run; Updated counts existing cases
	// that got a new receipt or a revised advisory.
	New     int `json:"new"`
	Updated int `json:"updated"`
}

// SourceResult is one source's part of a run.
type SourceResult struct {
	Name  string `json:"name"`
	Group string `json:"group,omitempty"`
	// Count is the number of advisories fetched.
	Count    int           `json:"count"`
	Duration time.Duration `json:"duration"`
	// NotModified reports that the source answered "nothing changed since
	// the last fetch" (feeds.ErrNotModified): a success with no advisories
	// to process, not a failure.
	NotModified bool `json:"notModified,omitempty"`
	// Fetches are the HTTP exchanges the source reported through
	// feeds/feedhttp (or feeds.ObserveFetch), in order of completion: URL,
	// status, bytes, duration, attempts, validators. Empty for sources
	// that do not use HTTP.
	Fetches []feeds.FetchInfo `json:"fetches,omitempty"`
	// Err is the fetch error; nil on success.
	Err error `json:"-"`
	// Error is Err as text, for serialisation.
	Error string `json:"error,omitempty"`
}

// Err joins the errors of every failed source, or returns nil.
func (r *RunResult) Err() error {
	var errs []error
	for _, s := range r.Sources {
		if s.Err != nil {
			errs = append(errs, fmt.Errorf("source %s: %w", s.Name, s.Err))
		}
	}
	return errors.Join(errs...)
}

// Run fetches every source concurrently, then records, de-duplicates and
// triages what arrived. It returns an error only when ctx is cancelled.
func (p *Pipeline) Run(ctx context.Context) (*RunResult, error) {
	res := &RunResult{Started: p.now().UTC(), Sources: make([]SourceResult, len(p.sources))}
	fetched := make([][]feeds.Advisory, len(p.sources))
	at := make([]time.Time, len(p.sources))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(p.limit)
	for i, src := range p.sources {
		g.Go(func() error {
			sr := &res.Sources[i]
			sr.Name, sr.Group = src.Name(), p.groupOf(src.Name())
			fctx, cancel := context.WithTimeout(gctx, p.timeout)
			defer cancel()
			var mu sync.Mutex
			fctx = feeds.WithFetchObserver(fctx, func(fi feeds.FetchInfo) {
				mu.Lock()
				sr.Fetches = append(sr.Fetches, fi)
				mu.Unlock()
			})
			start := time.Now()
			advs, err := fetchSafely(fctx, src)
			sr.Duration = time.Since(start)
			at[i] = p.now().UTC()
			if errors.Is(err, feeds.ErrNotModified) {
				sr.NotModified = true
				p.log.Info("intake: source not modified", "source", sr.Name, "duration", sr.Duration)
				return nil
			}
			if err != nil {
				sr.Err, sr.Error = err, err.Error()
				p.log.Warn("intake: source failed", "source", sr.Name, "err", err)
				return nil // one failing source never blocks the others
			}
			sr.Count, fetched[i] = len(advs), advs
			p.log.Info("intake: source fetched", "source", sr.Name, "advisories", len(advs), "duration", sr.Duration)
			return nil
		})
	}
	_ = g.Wait() // goroutines never return errors
	if err := ctx.Err(); err != nil {
		return res, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, advs := range fetched {
		for _, a := range advs {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			a.Source = res.Sources[i].Name
			isNew, changed := p.receiveLocked(a, Receipt{
				Source: a.Source, Group: res.Sources[i].Group, AdvisoryID: a.ID, ReceivedAt: at[i],
			})
			switch {
			case isNew:
				res.New++
			case changed:
				res.Updated++
			}
		}
	}
	res.Finished = p.now().UTC()
	return res, nil
}

// fetchSafely calls Fetch and turns a panic in a third-party adapter into an error.
func fetchSafely(ctx context.Context, src feeds.Source) (advs []feeds.Advisory, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("intake: source %s panicked: %v", src.Name(), r)
		}
	}()
	return src.Fetch(ctx)
}

func (p *Pipeline) groupOf(source string) string {
	if p.reg == nil {
		return ""
	}
	if g, ok := p.reg.GroupForSource(source); ok {
		return g.ID
	}
	return ""
}

// ManualReceipt describes an advisory a person entered: a mailing-list post,
// a briefing at a meeting, a phone call from an ISAC.
type ManualReceipt struct {
	// Group is the register group it came from. Required.
	Group string
	// By is the person who entered it. Required.
	By string
	// ReceivedAt is when the information arrived; zero means now.
	ReceivedAt time.Time
}

// Receive records an advisory entered by hand and triages it like any other.
func (p *Pipeline) Receive(ctx context.Context, a feeds.Advisory, m ManualReceipt) (Case, error) {
	if err := ctx.Err(); err != nil {
		return Case{}, err
	}
	if strings.TrimSpace(a.ID) == "" {
		return Case{}, errors.New("intake: manual advisory has no ID")
	}
	if m.Group == "" || m.By == "" {
		return Case{}, errors.New("intake: a manual receipt needs the group it came from and the person who entered it")
	}
	if p.reg != nil {
		if _, ok := p.reg.Group(m.Group); !ok {
			return Case{}, fmt.Errorf("intake: unknown register group %q", m.Group)
		}
	}
	at := m.ReceivedAt
	if at.IsZero() {
		at = p.now()
	}
	if a.Source == "" {
		a.Source = "manual"
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.receiveLocked(a, Receipt{Source: a.Source, Group: m.Group, AdvisoryID: a.ID, ReceivedAt: at.UTC(), Manual: true})
	return p.cases[p.keys[caseKey(&a)]].Clone(), nil
}

// caseKey is the identifier a new case is filed under: the first CVE, else the ID.
func caseKey(a *feeds.Advisory) string {
	if cves := a.CVEs(); len(cves) > 0 {
		return cves[0]
	}
	return strings.ToUpper(strings.TrimSpace(a.ID))
}

// receiveLocked files one advisory. It reports whether a case was opened and
// whether an existing case changed.
func (p *Pipeline) receiveLocked(a feeds.Advisory, r Receipt) (isNew, changed bool) {
	keys := a.Keys()
	var c *Case
	for _, k := range keys {
		if id, ok := p.keys[k]; ok {
			c = p.cases[id]
			break
		}
	}
	if c == nil {
		c = &Case{ID: caseKey(&a), State: StateReceived, Advisory: a.Clone()}
		p.cases[c.ID] = c
		isNew = true
	}
	for _, k := range keys {
		if _, ok := p.keys[k]; !ok {
			p.keys[k] = c.ID
			c.Keys = append(c.Keys, k)
		}
	}
	slices.Sort(c.Keys)

	// A re-fetch of the same advisory from the same source is not a new
	// receipt; a changed advisory is a revision and is triaged again.
	rk := receiptKey(r)
	if p.views[c.ID] == nil {
		p.views[c.ID] = map[string]feeds.Advisory{}
	}
	prev, known := p.views[c.ID][rk]
	if known && reflect.DeepEqual(prev, a) {
		return isNew, false
	}
	p.views[c.ID][rk] = a.Clone()
	switch {
	case isNew:
		c.Receipts = append(c.Receipts, r)
		c.Events = append(c.Events, Event{At: r.ReceivedAt, To: StateReceived, Actor: receiptActor(r),
			Note: fmt.Sprintf("received %s from %s", r.AdvisoryID, describeSource(r))})
	case !known:
		c.Receipts = append(c.Receipts, r)
		slices.SortStableFunc(c.Receipts, func(a, b Receipt) int { return a.ReceivedAt.Compare(b.ReceivedAt) })
		c.Events = append(c.Events, Event{At: r.ReceivedAt, From: c.State, To: c.State, Actor: receiptActor(r),
			Note: fmt.Sprintf("also received %s from %s", r.AdvisoryID, describeSource(r))})
		changed = true
	default:
		c.Events = append(c.Events, Event{At: r.ReceivedAt, From: c.State, To: c.State, Actor: Actor,
			Note: fmt.Sprintf("%s revised %s", r.Source, r.AdvisoryID)})
		changed = true
	}
	c.Advisory = p.mergedLocked(c)
	p.triageLocked(c)
	return isNew, changed
}

func receiptKey(r Receipt) string { return r.Source + "\x00" + strings.ToUpper(r.AdvisoryID) }

// mergedLocked rebuilds a case's advisory from its receipts' latest
// advisories: the earliest receipt's advisory is the base, later ones add
// identifiers, affected products, references and exploitation facts.
func (p *Pipeline) mergedLocked(c *Case) feeds.Advisory {
	var out feeds.Advisory
	for i, r := range c.Receipts {
		a, ok := p.views[c.ID][receiptKey(r)]
		if !ok {
			continue
		}
		if i == 0 {
			out = a.Clone()
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
	if r.Group != "" {
		return fmt.Sprintf("%s (group %s)", r.Source, r.Group)
	}
	return r.Source
}

// triageLocked evaluates the case's advisory and routes it. The triage time
// is when the engine ran, not when the advisory arrived: a manual receipt
// asserted days ago is triaged now, and KPI 3 measures that gap.
func (p *Pipeline) triageLocked(c *Case) {
	if !c.State.Open() {
		return // closed and rejected cases keep their outcome; a revision is recorded only
	}
	at := p.now().UTC()
	res := p.engine.Evaluate(&c.Advisory)
	first := c.Triage == nil
	if !first && c.Triage.Decision == res.Decision && c.Triage.RuleID == res.RuleID && c.Triage.Owner == res.Owner {
		c.Triage = &res // same outcome: keep the state and the original due date
		c.Triage.Due = c.Due
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
	if c.State == StateReceived || c.State == StateTriaged || c.State == StateAssigned {
		_ = c.transition(StateTriaged, at, Actor, note, "")
	}
	if res.Decision == triage.DecisionActionable && res.Owner != "" && c.Owner != res.Owner {
		c.Owner = res.Owner
		_ = c.transition(StateAssigned, at, Actor, "routed to "+res.Owner, "")
	}
}

// Cases returns a copy of every case, sorted by ID.
func (p *Pipeline) Cases() []Case {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Case, 0, len(p.cases))
	for _, c := range p.cases {
		out = append(out, c.Clone())
	}
	slices.SortFunc(out, func(a, b Case) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Case returns a copy of the case filed under any of its identifiers.
func (p *Pipeline) Case(id string) (Case, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, err := p.lookupLocked(id)
	if err != nil {
		return Case{}, err
	}
	return c.Clone(), nil
}

func (p *Pipeline) lookupLocked(id string) (*Case, error) {
	key := strings.ToUpper(strings.TrimSpace(id))
	if cid, ok := p.keys[key]; ok {
		return p.cases[cid], nil
	}
	return nil, fmt.Errorf("%w: %q", ErrNotFound, id)
}

func (p *Pipeline) update(id string, f func(c *Case, now time.Time) error) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, err := p.lookupLocked(id)
	if err != nil {
		return err
	}
	return f(c, p.now().UTC())
}

// Assign routes the case to owner.
func (p *Pipeline) Assign(id, owner, actor string) error {
	if owner == "" || actor == "" {
		return errors.New("intake: Assign needs an owner and an actor")
	}
	return p.update(id, func(c *Case, now time.Time) error {
		if err := c.transition(StateAssigned, now, actor, "assigned to "+owner, ""); err != nil {
			return err
		}
		c.Owner = owner
		return nil
	})
}

// Action records the external reference (ticket, change, commit) of the
// action taken on the case.
func (p *Pipeline) Action(id, ref, actor, note string) error {
	if ref == "" || actor == "" {
		return errors.New("intake: Action needs an external reference and an actor")
	}
	return p.update(id, func(c *Case, now time.Time) error {
		if err := c.transition(StateActioned, now, actor, note, ref); err != nil {
			return err
		}
		c.ActionRef = ref
		return nil
	})
}

// Close closes the case.
func (p *Pipeline) Close(id, actor, note string) error {
	if actor == "" {
		return errors.New("intake: Close needs an actor")
	}
	return p.update(id, func(c *Case, now time.Time) error {
		if err := c.transition(StateClosed, now, actor, note, ""); err != nil {
			return err
		}
		c.ClosedAt = now
		return nil
	})
}

// Reject rejects the case with a reason (a duplicate, a false positive, an
// accepted risk).
func (p *Pipeline) Reject(id, reason, actor string) error {
	if reason == "" || actor == "" {
		return errors.New("intake: Reject needs a reason and an actor")
	}
	return p.update(id, func(c *Case, now time.Time) error {
		if err := c.transition(StateRejected, now, actor, reason, ""); err != nil {
			return err
		}
		c.RejectReason, c.ClosedAt = reason, now
		return nil
	})
}
