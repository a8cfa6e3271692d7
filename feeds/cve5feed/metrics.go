package cve5feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/textx"
	"github.com/sigwatch/sigwatch/internal/timex"
)

// SSVC decision points and their values as CISA publishes them (SSVC 2.0.3).
var ssvcValues = map[string][]string{
	"exploitation":     {"none", "poc", "active"},
	"automatable":      {"no", "yes"},
	"technical impact": {"partial", "total"},
}

// other maps a metrics[].other entry.
func (p *parser) other(o *wireOther, path, prefix string) error {
	switch strings.ToLower(strings.TrimSpace(o.Type)) {
	case "ssvc":
		return p.ssvc(o.Content, path+".content")
	case "kev":
		return p.kev(o.Content, path+".content")
	}
	if o.Type == "" && len(o.Content) == 0 {
		p.warn(path, "empty metric; ignored")
		return nil
	}
	p.note(prefix+"metric", o.Type, compact(o.Content))
	return nil
}

// decodeContent decodes a metric's content, positioning errors at the
// offending value inside it.
func (p *parser) decodeContent(raw json.RawMessage, path string, v any) error {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return p.failf(path, "missing content")
	}
	if err := json.Unmarshal(raw, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return p.fail(path+"."+te.Field, fmt.Errorf("expected %s, found %s", te.Type, te.Value))
		}
		return p.fail(path, err)
	}
	return nil
}

func (p *parser) ssvc(raw json.RawMessage, path string) error {
	var w wireSSVC
	if err := p.decodeContent(raw, path, &w); err != nil {
		return err
	}
	a := p.adv
	if a.Exploitation.SSVC != nil {
		p.warn(path, "second SSVC metric; the first is kept")
		return nil
	}
	s := &feeds.SSVC{Role: w.Role, Version: w.Version}
	var err error
	if s.Timestamp, err = p.date(path+".timestamp", w.Timestamp); err != nil {
		return err
	}
	if w.ID != "" && !strings.EqualFold(strings.TrimSpace(w.ID), a.ID) {
		p.warn(path+".id", "SSVC assessment names %q, not %s", clip(w.ID), a.ID)
	}
	for i, opt := range w.Options {
		keys := make([]string, 0, len(opt))
		for k := range opt {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			v := opt[k]
			point := strings.ToLower(strings.TrimSpace(k))
			val := strings.ToLower(strings.TrimSpace(v))
			opath := fmt.Sprintf("%s.options[%d]", path, i)
			if allowed, ok := ssvcValues[point]; ok && !slices.Contains(allowed, val) {
				p.warn(opath, "SSVC %s value %q is not one of %s; kept", k, clip(v), strings.Join(allowed, ", "))
			}
			switch point {
			case "exploitation":
				s.Exploitation = val
			case "automatable":
				s.Automatable = val
			case "technical impact":
				s.TechnicalImpact = val
			default:
				p.warn(opath, "unknown SSVC decision point %q; kept in Extra", clip(k))
				p.setExtra("cve5.ssvc."+k, v)
			}
		}
	}
	a.Exploitation.SSVC = s
	return nil
}

func (p *parser) kev(raw json.RawMessage, path string) error {
	var w wireKEV
	if err := p.decodeContent(raw, path, &w); err != nil {
		return err
	}
	a := p.adv
	if a.Exploitation.KEV != nil {
		p.warn(path, "second KEV metric; the first is kept")
		return nil
	}
	if strings.TrimSpace(w.DateAdded) == "" {
		return p.failf(path+".dateAdded", "missing dateAdded")
	}
	added, err := timex.ParseDate(w.DateAdded)
	if err != nil {
		return p.failf(path+".dateAdded", "invalid date %q: want YYYY-MM-DD", clip(w.DateAdded))
	}
	if added.Year() < minYear || added.Year() > maxYear {
		return p.failf(path+".dateAdded", "implausible date %q", clip(w.DateAdded))
	}
	a.Exploitation.KEV = &feeds.KEVListing{DateAdded: added, Reference: w.Reference}
	return nil
}

// finish removes duplicates the merge of containers produced, keeping the
// first occurrence (CNA before ADP).
func (p *parser) finish() {
	a := p.adv
	a.Weaknesses = uniq(a.Weaknesses, func(s string) string { return strings.ToUpper(strings.TrimSpace(s)) })
	a.Scores = uniq(a.Scores, func(s feeds.Score) feeds.Score { return s })
	a.References = uniq(a.References, func(r feeds.Reference) feeds.Reference { return r })
	a.Tags = uniq(a.Tags, func(s string) string { return s })
	a.Related = uniq(a.Related, func(s string) string { return strings.ToUpper(s) })
	a.Exploitation.Statements = uniq(a.Exploitation.Statements, func(s string) string { return s })
	slices.Sort(a.Aliases)
	a.Aliases = slices.Compact(a.Aliases)
	if len(a.Aliases) == 0 {
		a.Aliases = nil
	}
}

// uniq keeps the first element of each key, in order.
func uniq[T any, K comparable](s []T, key func(T) K) []T {
	if len(s) < 2 {
		return s
	}
	seen := make(map[K]bool, len(s))
	out := s[:0]
	for _, v := range s {
		k := key(v)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, v)
	}
	return out
}

// compact returns raw JSON without insignificant whitespace, keys in the
// publisher's order.
func compact(raw []byte) string {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	return b.String()
}

// clip shortens hostile input before it goes into a message.
func clip(s string) string { return textx.Clip(s, 60) }
