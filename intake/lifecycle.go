package intake

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
)

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
	if err := admissible(&a); err != nil {
		return Case{}, fmt.Errorf("intake: manual advisory %q: %w", a.ID, err)
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
		// One receipt per group: the same advisory briefed by two groups
		// is two receipts; the same group again is a repeat or a revision.
		a.Source = "manual:" + m.Group
	}
	if _, err := p.file(ctx, []incoming{{adv: a, receipt: Receipt{Source: a.Source, Group: m.Group, AdvisoryID: a.ID, ReceivedAt: at.UTC(), Manual: true}}}); err != nil {
		return Case{}, err
	}
	return p.Case(ctx, a.ID)
}

// Cases returns the cases q selects (nil for all), sorted by ID.
func (p *Pipeline) Cases(ctx context.Context, q *Query) ([]Case, error) {
	return p.store.Cases(ctx, q)
}

// Case returns the case filed under any of its identifiers.
func (p *Pipeline) Case(ctx context.Context, id string) (Case, error) {
	rec, err := p.store.Load(ctx, feeds.NormalizeID(id))
	if err != nil {
		return Case{}, err
	}
	return rec.Case, nil
}

// update applies a person's step to a case in a transaction, retrying on
// a concurrent change.
func (p *Pipeline) update(ctx context.Context, id string, f func(c *Case, now time.Time) error) error {
	return p.updateCounting(ctx, id, f, nil)
}

// updateCounting is update that also reports, in *enqueued when not nil,
// how many notifications the saved change enqueued. A step that adds no
// event and enqueues nothing is not saved.
func (p *Pipeline) updateCounting(ctx context.Context, id string, f func(c *Case, now time.Time) error, enqueued *int) error {
	for attempt := 1; ; attempt++ {
		rec, err := p.store.Load(ctx, feeds.NormalizeID(id))
		if err != nil {
			return err
		}
		pd := &pending{rec: rec, events: len(rec.Case.Events)}
		before := snapshot{kev: rec.Case.Advisory.KEVListed(), priority: rec.Case.Priority(), owner: rec.Case.Owner}
		if err := f(&rec.Case, p.now().UTC()); err != nil {
			return err
		}
		p.enqueue(pd, pd.events, before)
		if len(rec.Case.Events) == pd.events && len(pd.enqueue) == 0 {
			return nil // nothing happened: nothing to record
		}
		err = p.store.Save(ctx, &Change{Record: rec, Events: rec.Case.Events[pd.events:], Enqueue: pd.enqueue})
		if err == nil && enqueued != nil {
			*enqueued = len(pd.enqueue)
		}
		if err == nil || !errors.Is(err, ErrConflict) || attempt == maxAttempts {
			return err
		}
		if err := sleepCtx(ctx, backoff(attempt)); err != nil {
			return err
		}
	}
}

// Assign routes the case to owner.
func (p *Pipeline) Assign(ctx context.Context, id, owner, actor string) error {
	if owner == "" || actor == "" {
		return errors.New("intake: Assign needs an owner and an actor")
	}
	return p.update(ctx, id, func(c *Case, now time.Time) error {
		if err := c.transition(StateAssigned, now, actor, "assigned to "+owner, ""); err != nil {
			return err
		}
		c.Owner = owner
		return nil
	})
}

// Action records the external reference (ticket, change, commit) of the
// action taken on the case.
func (p *Pipeline) Action(ctx context.Context, id, ref, actor, note string) error {
	if ref == "" || actor == "" {
		return errors.New("intake: Action needs an external reference and an actor")
	}
	return p.update(ctx, id, func(c *Case, now time.Time) error {
		if err := c.transition(StateActioned, now, actor, note, ref); err != nil {
			return err
		}
		c.ActionRef = ref
		return nil
	})
}

// Close closes the case.
func (p *Pipeline) Close(ctx context.Context, id, actor, note string) error {
	if actor == "" {
		return errors.New("intake: Close needs an actor")
	}
	return p.update(ctx, id, func(c *Case, now time.Time) error {
		if err := c.transition(StateClosed, now, actor, note, ""); err != nil {
			return err
		}
		c.ClosedAt = now
		return nil
	})
}

// Reject rejects the case with a reason (a duplicate, a false positive, an
// accepted risk).
func (p *Pipeline) Reject(ctx context.Context, id, reason, actor string) error {
	if reason == "" || actor == "" {
		return errors.New("intake: Reject needs a reason and an actor")
	}
	return p.update(ctx, id, func(c *Case, now time.Time) error {
		if err := c.transition(StateRejected, now, actor, reason, ""); err != nil {
			return err
		}
		c.RejectReason, c.ClosedAt = reason, now
		return nil
	})
}

// Except records an accepted exception to the open case's SLA until the
// given time: the case is not overdue before then. A later exception
// replaces an earlier one; every one stays in the history.
func (p *Pipeline) Except(ctx context.Context, id, reason string, until time.Time, actor string) error {
	if reason == "" || actor == "" || until.IsZero() {
		return errors.New("intake: Except needs a reason, an expiry and an actor")
	}
	return p.update(ctx, id, func(c *Case, now time.Time) error {
		if !c.State.Open() {
			return fmt.Errorf("%w: case %s is %s; exceptions apply to open cases", ErrInvalidTransition, c.ID, c.State)
		}
		if !until.After(now) {
			return fmt.Errorf("intake: exception for case %s expires %s, which is not in the future", c.ID, until.UTC().Format(time.RFC3339))
		}
		c.Exception = &Exception{Reason: reason, Until: until.UTC(), By: actor, At: now}
		c.Events = append(c.Events, Event{At: now, Kind: EventException, From: c.State, To: c.State, Actor: actor,
			Note: reason, Until: until.UTC()})
		return nil
	})
}
