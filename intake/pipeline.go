package intake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/sync/errgroup"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/triage"
)

// Actor is the actor recorded for automatic steps.
const Actor = "sigwatch"

// Options configure a Pipeline. Nil or zero fields take the documented defaults.
type Options struct {
	// Store keeps cases, the journal, the outbox and source states.
	// Optional: defaults to a new [MemoryStore].
	Store Store
	// Register maps sources to the groups whose channels they are, so every
	// receipt names its group, and owners to people for notifications.
	// Optional.
	Register *register.Register
	// Notify configures notifications. Optional: nil sends none.
	Notify *NotifyOptions
	// HTTP is the client the sources fetch through. Optional: when set,
	// the validators (ETag, Last-Modified) saved by earlier runs are loaded
	// into it before the first run, so a restarted process still makes
	// conditional requests; and a source whose advisories could not be
	// recorded has its validators forgotten, so the next run fetches it
	// in full.
	HTTP *feedhttp.Client
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
	// BatchSize is how many advisories are recorded per transaction.
	// Optional: defaults to 200.
	BatchSize int
}

// Pipeline takes advisories from sources to triaged, routed, recorded
// cases. It is safe for concurrent use, and several pipelines (in one
// process or many) may share one store: each advisory is recorded once and
// each notification enqueued once.
type Pipeline struct {
	sources []feeds.Source
	engine  *triage.Engine
	store   Store
	reg     *register.Register
	http    *feedhttp.Client
	now     func() time.Time
	log     *slog.Logger
	limit   int
	timeout time.Duration
	batch   int
	notify  *notifier // nil without notifications

	restore sync.Once
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
		sources: slices.Clone(sources), engine: engine, store: opts.Store, reg: opts.Register, http: opts.HTTP,
		now: opts.Now, log: opts.Logger, limit: opts.Concurrency, timeout: opts.FetchTimeout, batch: opts.BatchSize,
	}
	if p.store == nil {
		p.store = NewMemoryStore()
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
	if p.batch <= 0 {
		p.batch = 200
	}
	if opts.Notify != nil {
		n, err := newNotifier(opts.Notify, opts.Register)
		if err != nil {
			return nil, err
		}
		p.notify = n
	}
	return p, nil
}

// Store returns the pipeline's store.
func (p *Pipeline) Store() Store { return p.store }

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
	// Changed lists the IDs of the cases opened or updated, sorted;
	// Opened those of the cases opened.
	Changed []string `json:"changed,omitempty"`
	Opened  []string `json:"opened,omitempty"`
	// Enqueued counts the notifications this run put in the outbox.
	Enqueued int `json:"enqueued"`
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
	// Rejected lists advisories that could not be recorded as they came
	// (an identifier with control characters, a date no store can hold),
	// each with the reason; the rest of the source was recorded.
	Rejected []Rejection `json:"rejected,omitempty"`
	// LastSuccess is the latest successful fetch, this run's or an
	// earlier one's as the store remembers it; zero when there never was one.
	LastSuccess time.Time `json:"lastSuccess,omitzero"`
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

// Run fetches every source concurrently and records, de-duplicates,
// triages and routes what each one sent as soon as it arrives, in
// transactions of Options.BatchSize advisories — so a slow or hanging feed
// delays only itself. It returns an error when ctx is cancelled or the
// store fails; a failing source is reported in the result and never stops
// the others. Running the same fetch twice, or again after a crash,
// records nothing twice.
func (p *Pipeline) Run(ctx context.Context) (*RunResult, error) {
	res := &RunResult{Started: p.now().UTC(), Sources: make([]SourceResult, len(p.sources))}
	states, err := p.sourceStates(ctx)
	if err != nil {
		return res, err
	}
	fetched := make([][]feeds.Advisory, len(p.sources))
	at := make([]time.Time, len(p.sources))
	done := make(chan int, len(p.sources))
	fctxAll, cancelAll := context.WithCancel(ctx)
	defer cancelAll()
	g, gctx := errgroup.WithContext(fctxAll)
	g.SetLimit(p.limit)
	go func() {
		for i, src := range p.sources {
			g.Go(func() error {
				defer func() { done <- i }()
				p.fetch(gctx, src, &res.Sources[i], &fetched[i], &at[i])
				return nil
			})
		}
		_ = g.Wait() // goroutines never return errors
		close(done)
	}()
	changed, opened := map[string]bool{}, map[string]bool{}
	recorded := make([]bool, len(p.sources))
	var failure error
	for i := range done {
		if failure != nil || ctx.Err() != nil {
			continue // drain: the fetches still running were cancelled
		}
		if err := p.record(ctx, i, fetched[i], at[i], res, states, changed, opened); err != nil {
			failure = err
			cancelAll()
			continue
		}
		recorded[i] = true
	}
	if failure == nil {
		failure = ctx.Err()
	}
	if failure != nil {
		// What the sources not recorded sent must be fetched in full next time.
		var lost []SourceResult
		for i, ok := range recorded {
			if !ok {
				lost = append(lost, res.Sources[i])
			}
		}
		p.forget(lost)
		return res, failure
	}
	res.Changed = slices.Sorted(maps.Keys(changed))
	res.Opened = slices.Sorted(maps.Keys(opened))
	res.Finished = p.now().UTC()
	return res, nil
}

// fetch runs one source's Fetch and fills its result.
func (p *Pipeline) fetch(ctx context.Context, src feeds.Source, sr *SourceResult, out *[]feeds.Advisory, at *time.Time) {
	sr.Name, sr.Group = src.Name(), p.groupOf(src.Name())
	fctx, cancel := context.WithTimeout(ctx, p.timeout)
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
	*at = p.now().UTC()
	if errors.Is(err, feeds.ErrNotModified) {
		sr.NotModified = true
		p.log.Info("intake: source not modified", "source", sr.Name, "duration", sr.Duration)
		return
	}
	if err != nil {
		sr.Err, sr.Error = err, err.Error()
		p.log.Warn("intake: source failed", "source", sr.Name, "err", err)
		return // one failing source never blocks the others
	}
	sr.Count, *out = len(advs), advs
	p.log.Info("intake: source fetched", "source", sr.Name, "advisories", len(advs), "duration", sr.Duration)
}

// record files what source i sent and saves its state.
func (p *Pipeline) record(ctx context.Context, i int, advs []feeds.Advisory, at time.Time, res *RunResult,
	states map[string]SourceState, changed, opened map[string]bool) error {
	sr := &res.Sources[i]
	for start := 0; start < len(advs); start += p.batch {
		items := make([]incoming, 0, p.batch)
		for _, a := range advs[start:min(start+p.batch, len(advs))] {
			a.Source = sr.Name
			if err := admissible(&a); err != nil {
				sr.Rejected = append(sr.Rejected, Rejection{ID: a.ID, Reason: err.Error()})
				p.log.Warn("intake: advisory rejected", "source", sr.Name, "id", a.ID, "err", err)
				continue
			}
			items = append(items, incoming{adv: a, receipt: Receipt{
				Source: sr.Name, Group: sr.Group, AdvisoryID: a.ID, ReceivedAt: at}})
		}
		out, err := p.file(ctx, items)
		if err != nil {
			return fmt.Errorf("intake: recording what %s sent: %w", sr.Name, err)
		}
		res.New += out.opened
		res.Enqueued += out.enqueued
		if out.enqueued > 0 {
			notifyEnqueued(ctx)
		}
		for id := range out.openedIDs {
			opened[id] = true
		}
		for id := range out.changed {
			if !changed[id] && !out.openedIDs[id] {
				res.Updated++
			}
			changed[id] = true
		}
	}
	return p.saveSourceState(ctx, sr, states[sr.Name], at)
}

// sourceStates reads what the store remembers of each source and, on the
// first run, loads the saved validators into the HTTP client.
func (p *Pipeline) sourceStates(ctx context.Context) (map[string]SourceState, error) {
	list, err := p.store.SourceStates(ctx)
	if err != nil {
		return nil, fmt.Errorf("intake: reading source states: %w", err)
	}
	out := make(map[string]SourceState, len(list))
	for _, s := range list {
		out[s.Source] = s
	}
	if p.http != nil {
		p.restore.Do(func() {
			for _, s := range list {
				for u, v := range s.Validators {
					if p.http.Validators(u).IsZero() {
						p.http.SetValidators(u, v)
					}
				}
			}
		})
	}
	return out, nil
}

// saveSourceState records a source's health once everything it sent is
// recorded, with the validators its answers carried.
func (p *Pipeline) saveSourceState(ctx context.Context, sr *SourceResult, prev SourceState, at time.Time) error {
	st := SourceState{Source: sr.Name, LastAttempt: at, LastSuccess: prev.LastSuccess, Validators: maps.Clone(prev.Validators)}
	if sr.Err != nil {
		st.LastError = sr.Error
	} else {
		st.LastSuccess = at
		for u, v := range validatorsOf(sr.Fetches) {
			if st.Validators == nil {
				st.Validators = map[string]feedhttp.Validators{}
			}
			st.Validators[u] = v
		}
	}
	sr.LastSuccess = st.LastSuccess
	if err := p.store.PutSourceState(ctx, st); err != nil {
		return fmt.Errorf("intake: saving the state of source %s: %w", sr.Name, err)
	}
	return nil
}

// validatorsOf collects the validators a source's fetches answered.
func validatorsOf(fetches []feeds.FetchInfo) map[string]feedhttp.Validators {
	var out map[string]feedhttp.Validators
	for _, f := range fetches {
		if f.ETag == "" && f.LastModified == "" {
			continue
		}
		if out == nil {
			out = map[string]feedhttp.Validators{}
		}
		out[f.URL] = feedhttp.Validators{ETag: f.ETag, LastModified: f.LastModified}
	}
	return out
}

// forget drops the HTTP validators of sources whose answers were not
// recorded, so that the next run cannot be told "not modified" about them.
func (p *Pipeline) forget(srs []SourceResult) {
	if p.http == nil {
		return
	}
	for _, sr := range srs {
		for _, f := range sr.Fetches {
			p.http.Forget(f.URL)
		}
	}
}

// Rejection is an advisory a source sent that could not be recorded.
type Rejection struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// admissible says why an advisory cannot be recorded as it is: an
// identifier with control characters (a NUL byte, which PostgreSQL text
// refuses, or a line break), or a value JSON cannot hold (a time outside
// the years 0–9999). One such advisory must not stop its source's others.
func admissible(a *feeds.Advisory) error {
	for _, k := range a.Keys() {
		if strings.ContainsFunc(k, unicode.IsControl) || !utf8.ValidString(k) {
			return fmt.Errorf("identifier %q contains control characters or invalid UTF-8", k)
		}
	}
	if _, err := json.Marshal(a); err != nil {
		return fmt.Errorf("cannot be stored: %w", err)
	}
	return nil
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
