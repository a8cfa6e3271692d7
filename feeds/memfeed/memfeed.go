package memfeed

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/sigwatch/sigwatch/feeds"
)

// Source is an in-memory feeds.Source. Create it with [New]; the zero value
// is not usable.
type Source struct {
	name string

	mu    sync.RWMutex
	order []string // keys in insertion order
	advs  map[string]feeds.Advisory
	err   error
}

// New returns a Source named name holding advs (later duplicates of an ID
// replace earlier ones, keeping the first position). It panics when name is
// empty or contains white space, a programming error.
func New(name string, advs ...feeds.Advisory) *Source {
	if name == "" || strings.ContainsAny(name, " \t\r\n") {
		panic(fmt.Sprintf("memfeed: invalid source name %q", name))
	}
	s := &Source{name: name, advs: map[string]feeds.Advisory{}}
	s.Put(advs...)
	return s
}

// Name returns the name given to New.
func (s *Source) Name() string { return s.name }

// Fetch returns copies of the advisories in insertion order, or the error
// set with FailWith.
func (s *Source) Fetch(ctx context.Context) ([]feeds.Advisory, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("memfeed %s: %w", s.name, err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.err != nil {
		return nil, fmt.Errorf("memfeed %s: %w", s.name, s.err)
	}
	out := make([]feeds.Advisory, 0, len(s.order))
	for _, k := range s.order {
		a := s.advs[k]
		c := a.Clone()
		c.Source = s.name
		out = append(out, c)
	}
	return out, nil
}

// Set replaces all advisories with advs.
func (s *Source) Set(advs ...feeds.Advisory) {
	s.mu.Lock()
	s.order, s.advs = nil, map[string]feeds.Advisory{}
	s.mu.Unlock()
	s.Put(advs...)
}

// Put adds advs, replacing any advisory with the same ID (compared
// trimmed and case-insensitively) in place. An advisory without an ID is
// ignored, since no source may return one.
func (s *Source) Put(advs ...feeds.Advisory) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range advs {
		k := key(advs[i].ID)
		if k == "" {
			continue
		}
		if _, ok := s.advs[k]; !ok {
			s.order = append(s.order, k)
		}
		s.advs[k] = advs[i].Clone()
	}
}

// Remove deletes the advisories with the given IDs; unknown IDs are ignored.
func (s *Source) Remove(ids ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		k := key(id)
		if _, ok := s.advs[k]; !ok {
			continue
		}
		delete(s.advs, k)
		for i, o := range s.order {
			if o == k {
				s.order = append(s.order[:i], s.order[i+1:]...)
				break
			}
		}
	}
}

// Len returns the number of advisories held.
func (s *Source) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.order)
}

// FailWith makes every Fetch fail with err (wrapped) until it is called
// again with nil. Use it to simulate a dead channel, for example with a
// *feeds.HTTPError.
func (s *Source) FailWith(err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
}

func key(id string) string { return strings.ToUpper(strings.TrimSpace(id)) }
