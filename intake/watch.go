package intake

import (
	"context"
	"errors"
	"math/rand/v2"
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
// starts at once.
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
	for {
		run, err := p.Run(ctx)
		var del *DeliveryResult
		if err == nil {
			del, err = p.Deliver(ctx)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
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
