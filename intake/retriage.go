package intake

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// RetriageResult says what [Pipeline.Retriage] changed.
type RetriageResult struct {
	// Checked counts the open cases evaluated again.
	Checked int `json:"checked"`
	// Changed are the IDs of the cases whose outcome — decision, rule or
	// owner — changed and was recorded, sorted.
	Changed []string `json:"changed"`
	// Enqueued counts the notifications the changes enqueued (new owners,
	// raised priorities), as for new work.
	Enqueued int `json:"enqueued"`
}

// Retriage evaluates every open case again with the pipeline's engine and
// records those whose outcome changed. Run it after the stack, the rules or
// the register changed: a run only re-triages a case when one of its
// sources revises the advisory, so without Retriage cases filed under the
// old stack keep the old decision and owner.
//
// A changed case is recorded as a revision is: a received, triaged or
// assigned case moves to triaged with the new decision and, when actionable,
// to its new owner (who is notified as for new work); an actioned case keeps
// its owner and gets a revision event saying what the new triage would
// change, for people to decide. Closed and rejected cases keep their
// outcome. A case whose outcome did not change is not written. Each case is
// saved in its own transaction, retried on a concurrent change, so
// Retriage can run beside Run and other workers; on an error the cases
// already saved stay saved and the result counts them.
func (p *Pipeline) Retriage(ctx context.Context) (*RetriageResult, error) {
	cases, err := p.store.Cases(ctx, &Query{States: []State{StateReceived, StateTriaged, StateAssigned, StateActioned}})
	if err != nil {
		return nil, fmt.Errorf("intake: retriage: %w", err)
	}
	res := &RetriageResult{Changed: []string{}}
	for i := range cases {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		c := &cases[i]
		res.Checked++
		if !p.outcomeChanged(c) {
			continue
		}
		changed, enqueued := false, 0
		err := p.updateCounting(ctx, c.ID, func(c *Case, _ time.Time) error {
			// Evaluate again on the record as loaded: another worker may
			// have re-triaged it since the list was read.
			if !c.State.Open() || !p.outcomeChanged(c) {
				return nil
			}
			p.triage(c)
			changed = true
			return nil
		}, &enqueued)
		if err != nil {
			return res, fmt.Errorf("intake: retriage %s: %w", c.ID, err)
		}
		if changed {
			res.Changed = append(res.Changed, c.ID)
			res.Enqueued += enqueued
		}
	}
	slices.Sort(res.Changed)
	return res, nil
}

// outcomeChanged reports whether the engine would now decide the case
// differently: another decision, rule or owner than its latest triage, or
// a first triage for a case never triaged.
func (p *Pipeline) outcomeChanged(c *Case) bool {
	res := p.engine.Evaluate(&c.Advisory)
	t := c.Triage
	return t == nil || t.Decision != res.Decision || t.RuleID != res.RuleID || t.Owner != res.Owner
}
