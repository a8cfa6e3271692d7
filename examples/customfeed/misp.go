package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
)

// Step 1 of the walk-through (docs/writing-a-feed-adapter.md): the wire
// types. Only the fields we map; encoding/json ignores the rest. MISP
// writes numbers as strings ("threat_level_id": "1").

type mispManifest map[string]mispEventSummary

type mispEventSummary struct {
	Info      string `json:"info"`
	Date      string `json:"date"`
	Timestamp string `json:"timestamp"`
}

type mispEventFile struct {
	Event *mispEvent `json:"Event"`
}

type mispEvent struct {
	UUID          string                  `json:"uuid"`
	Info          string                  `json:"info"`
	Date          string                  `json:"date"`
	Timestamp     string                  `json:"timestamp"`
	ThreatLevelID string                  `json:"threat_level_id"`
	Orgc          struct{ Name string }   `json:"Orgc"`
	Tag           []struct{ Name string } `json:"Tag"`
	Attribute     []mispAttribute         `json:"Attribute"`
}

type mispAttribute struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
var cvePattern = regexp.MustCompile(`^CVE-\d{4}-\d{4,}$`)

// maxFeedBytes caps each file of the feed.
const maxFeedBytes = 16 << 20

// Step 2: pure parse functions, testable without HTTP. name identifies the
// input in errors.

// parseManifest returns the event UUIDs and their timestamps, sorted by UUID
// so the output order is deterministic.
func parseManifest(data []byte, name string) ([]string, map[string]string, error) {
	var m mispManifest
	if err := decodeStrict(data, &m); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	if m == nil {
		return nil, nil, fmt.Errorf("%s: %w: not a MISP manifest (want an object of event UUIDs)", name, feeds.ErrNotFeed)
	}
	ids := make([]string, 0, len(m))
	stamps := make(map[string]string, len(m))
	for id, ev := range m {
		if !uuidPattern.MatchString(id) {
			return nil, nil, fmt.Errorf("%s: key %q is not an event UUID", name, id)
		}
		ids = append(ids, strings.ToLower(id))
		stamps[strings.ToLower(id)] = ev.Timestamp
	}
	slices.Sort(ids)
	return ids, stamps, nil
}

// parseEvent maps one event file onto a feeds.Advisory.
func parseEvent(data []byte, name string) (feeds.Advisory, error) {
	var f mispEventFile
	if err := decodeStrict(data, &f); err != nil {
		return feeds.Advisory{}, fmt.Errorf("%s: %w", name, err)
	}
	ev := f.Event
	if ev == nil || !uuidPattern.MatchString(ev.UUID) {
		return feeds.Advisory{}, fmt.Errorf("%s: %w: no Event with a UUID", name, feeds.ErrNotFeed)
	}
	a := feeds.Advisory{
		ID:        "MISP-" + strings.ToLower(ev.UUID),
		Publisher: ev.Orgc.Name,
		Title:     ev.Info,
	}
	if ev.Date != "" {
		t, err := time.Parse(time.DateOnly, ev.Date)
		if err != nil {
			return feeds.Advisory{}, fmt.Errorf("%s: Event.date: invalid date %q", name, ev.Date)
		}
		a.Published = t
	}
	if ev.Timestamp != "" {
		secs, err := strconv.ParseInt(ev.Timestamp, 10, 64)
		if err != nil || secs < 0 || secs > 1<<40 {
			return feeds.Advisory{}, fmt.Errorf("%s: Event.timestamp: invalid Unix time %q", name, ev.Timestamp)
		}
		a.Modified = time.Unix(secs, 0).UTC()
	}
	switch ev.ThreatLevelID { // MISP: 1 high, 2 medium, 3 low, 4 undefined
	case "1":
		a.Severity = feeds.SeverityHigh
	case "2":
		a.Severity = feeds.SeverityMedium
	case "3":
		a.Severity = feeds.SeverityLow
	}
	for _, t := range ev.Tag {
		a.Tags = append(a.Tags, t.Name)
		if strings.HasPrefix(strings.ToLower(t.Name), "tlp:") {
			a.TLP, _ = feeds.ParseTLP(t.Name)
		}
	}
	for _, at := range ev.Attribute {
		v := strings.TrimSpace(at.Value)
		switch at.Type {
		case "vulnerability":
			// An event can name several CVEs: Related, not Aliases, so
			// intake does not merge unrelated vulnerabilities into one case.
			if id := strings.ToUpper(v); cvePattern.MatchString(id) {
				a.Related = append(a.Related, id)
			}
		case "link":
			a.References = append(a.References, feeds.Reference{Type: "WEB", URL: v})
		case "text", "comment":
			a.Summary = strings.TrimSpace(a.Summary + "\n" + v)
		}
	}
	slices.Sort(a.Related)
	a.Related = slices.Compact(a.Related)
	return a, nil
}

// decodeStrict decodes one JSON value and rejects trailing data, so a
// truncated or concatenated file is an error rather than half a feed.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fmt.Errorf("offset %d: %w", se.Offset, err)
		}
		return err
	}
	if dec.More() {
		return errors.New("data after the JSON value")
	}
	return nil
}

// Step 3: the Source. It fetches through feedhttp, so conditional GET,
// retries, gzip, the size cap and feed-health reporting come for free.

// Source reads a MISP feed: <base>/manifest.json and one <base>/<uuid>.json
// per event. Events whose manifest timestamp has not changed are served
// from memory instead of being downloaded again.
type Source struct {
	name string
	base string
	http *feedhttp.Client

	mu    sync.Mutex
	cache map[string]cachedEvent // by UUID
}

type cachedEvent struct {
	stamp string
	adv   feeds.Advisory
}

// NewSource returns a Source named name for the MISP feed at baseURL.
// client may be nil (feedhttp defaults).
func NewSource(name, baseURL string, client *feedhttp.Client) *Source {
	if client == nil {
		client = feedhttp.New(&feedhttp.Options{MaxBytes: maxFeedBytes})
	}
	return &Source{name: name, base: strings.TrimRight(baseURL, "/"), http: client, cache: map[string]cachedEvent{}}
}

// Name returns the source name given to NewSource.
func (s *Source) Name() string { return s.name }

// Fetch returns one advisory per event. A 304 on the manifest passes
// feeds.ErrNotModified through; any event that cannot be fetched or parsed
// fails the whole Fetch (never a partial list presented as complete).
func (s *Source) Fetch(ctx context.Context) ([]feeds.Advisory, error) {
	manifestURL := s.base + "/manifest.json"
	resp, err := s.http.Get(ctx, manifestURL, &feedhttp.Request{Accept: "application/json"})
	if err != nil {
		return nil, fmt.Errorf("misp %s: %w", s.name, err)
	}
	ids, stamps, err := parseManifest(resp.Body, resp.URL)
	if err != nil {
		s.http.Forget(manifestURL)
		return nil, fmt.Errorf("misp %s: %w", s.name, err)
	}
	out := make([]feeds.Advisory, 0, len(ids))
	for _, id := range ids {
		a, err := s.event(ctx, id, stamps[id])
		if err != nil {
			s.http.Forget(manifestURL) // retry the whole feed next time
			return nil, fmt.Errorf("misp %s: %w", s.name, err)
		}
		a.Source = s.name
		out = append(out, a)
	}
	return out, nil
}

func (s *Source) event(ctx context.Context, id, stamp string) (feeds.Advisory, error) {
	s.mu.Lock()
	c, ok := s.cache[id]
	s.mu.Unlock()
	if ok && c.stamp == stamp && stamp != "" {
		return c.adv.Clone(), nil
	}
	resp, err := s.http.Get(ctx, s.base+"/"+id+".json", &feedhttp.Request{Accept: "application/json", Unconditional: true})
	if err != nil {
		return feeds.Advisory{}, err
	}
	a, err := parseEvent(resp.Body, resp.URL)
	if err != nil {
		return feeds.Advisory{}, err
	}
	if want := "MISP-" + id; a.ID != want {
		return feeds.Advisory{}, fmt.Errorf("%s: event UUID %s does not match the manifest entry %s", resp.URL, a.ID, id)
	}
	s.mu.Lock()
	s.cache[id] = cachedEvent{stamp: stamp, adv: a.Clone()}
	s.mu.Unlock()
	return a, nil
}
