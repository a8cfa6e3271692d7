package intake

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"
)

// WatchOptions tune [Pipeline.Watch]. The zero value is usable.
type WatchOptions struct {
	// Jitter spreads the cycles by up to this fraction of the interval
	// either way, so that many installations do not hit a feed at the
	// same second. Optional: defaults to 0.1; negative means none;
	// values above 0.5 count as 0.5.
	Jitter float64
	// OnCycle is called after each cycle with what it did; err is the
	// cycle's storage or delivery error (sources' failures are in run).
	// Optional.
	OnCycle func(run *RunResult, delivered *DeliveryResult, err error)
	// StopOnError ends Watch at the first cycle whose store or delivery
	// fails. Optional: by default Watch logs it and carries on, so a
	// database restart does not end the watch.
	StopOnError bool
}

// Watch runs a cycle (Run, then Deliver) every interval until ctx is
// cancelled, then returns ctx's error once the cycle in flight has stopped
// at a transaction boundary: nothing is half recorded. The first cycle
// starts at once. While a cycle waits for slow feeds, notifications that
// the sources recorded so far enqueued are delivered at once, so an owner
// is not kept waiting by someone else's hanging feed.
func (p *Pipeline) Watch(ctx context.Context, interval time.Duration, opts *WatchOptions) error {
	if interval <= 0 {
		return errors.New("intake: Watch needs a positive interval")
	}
	if opts == nil {
		opts = &WatchOptions{}
	}
	jitter := opts.Jitter
	if jitter == 0 {
		jitter = 0.1
	}
	jitter = min(max(jitter, 0), 0.5)

	// The early deliverer: woken when a source's recording enqueued
	// notifications; what it sends is reported with the cycle.
	var (
		mu    sync.Mutex
		early DeliveryResult
		eerr  error
		wg    sync.WaitGroup
	)
	kick := make(chan struct{}, 1)
	dctx, stopEarly := context.WithCancel(ctx)
	defer func() { stopEarly(); wg.Wait() }()
	if p.notify != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-dctx.Done():
					return
				case <-kick:
				}
				d, err := p.Deliver(dctx)
				mu.Lock()
				if d != nil {
					early.add(d)
				}
				if err != nil && dctx.Err() == nil {
					eerr = err
				}
				mu.Unlock()
			}
		}()
	}
	rctx := context.WithValue(ctx, enqueuedKey{}, func() {
		select {
		case kick <- struct{}{}:
		default:
		}
	})
	for {
		run, err := p.Run(rctx)
		var del *DeliveryResult
		if err == nil {
			del, err = p.Deliver(ctx)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		mu.Lock()
		if del != nil {
			early.add(del)
			*del, early = early, DeliveryResult{}
		}
		if err == nil {
			err = eerr
		}
		eerr = nil
		mu.Unlock()
		if err != nil {
			p.log.Error("intake: cycle failed", "err", err)
		}
		if opts.OnCycle != nil {
			opts.OnCycle(run, del, err)
		}
		if err != nil && opts.StopOnError {
			return err
		}
		wait := interval
		if jitter > 0 {
			spread := time.Duration(float64(interval) * jitter)
			wait += rand.N(2*spread+1) - spread
		}
		if err := sleepCtx(ctx, wait); err != nil {
			return err
		}
	}
}

// enqueuedKey carries Watch's wake-up call for its early deliverer to Run.
type enqueuedKey struct{}

// notifyEnqueued tells a watching deliverer that notifications are waiting.
func notifyEnqueued(ctx context.Context) {
	if f, ok := ctx.Value(enqueuedKey{}).(func()); ok {
		f()
	}
}

func (r *DeliveryResult) add(d *DeliveryResult) {
	r.Messages += d.Messages
	r.Sent += d.Sent
	r.Retrying += d.Retrying
	r.Failed += d.Failed
	r.Deferred += d.Deferred
	r.Deliveries = append(r.Deliveries, d.Deliveries...)
}
