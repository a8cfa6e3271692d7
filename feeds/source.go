package feeds

import (
	"context"
	"fmt"
)

// Source is implemented by feed adapters. Applications do not call it
// directly: they hand sources to intake.Pipeline, which fetches them
// concurrently, stamps provenance and de-duplicates.
//
// Implementations must be safe for concurrent use by multiple goroutines,
// must honour ctx cancellation, and must return an error — never a partial
// list presented as complete — when the upstream data cannot be read.
type Source interface {
	// Name is a stable, non-empty identifier such as "cisa-kev". Register
	// channels refer to sources by this name.
	Name() string
	// Fetch retrieves the source's current advisories.
	Fetch(ctx context.Context) ([]Advisory, error)
}

// SourceFunc returns a Source named name whose Fetch calls fetch. It makes a
// one-off internal feed a few lines of code:
//
//	src := feeds.SourceFunc("isac-portal", func(ctx context.Context) ([]feeds.Advisory, error) {
//		return loadFromPortal(ctx)
//	})
func SourceFunc(name string, fetch func(ctx context.Context) ([]Advisory, error)) Source {
	return funcSource{name: name, fetch: fetch}
}

type funcSource struct {
	name  string
	fetch func(context.Context) ([]Advisory, error)
}

func (s funcSource) Name() string { return s.name }

func (s funcSource) Fetch(ctx context.Context) ([]Advisory, error) {
	if s.fetch == nil {
		return nil, fmt.Errorf("feeds: source %q has no fetch function", s.name)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.fetch(ctx)
}
