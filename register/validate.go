package register

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/textx"
)

func isHexDigest(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F') {
			return false
		}
	}
	return true
}

func clipText(s string) string { return textx.Clip(s, 80) }

// Validate checks that the register is well formed, for registers built
// in code; [Load] and [Parse] run the same checks with file positions. It
// reports, as an [ErrorList] whose entries name the path of each problem
// (Line, Column and File are zero):
//
//   - people and groups without an id or name, and duplicate IDs;
//   - a group kind missing or not one of [Kinds];
//   - a membership status that is set but not valid, or that ends before
//     it starts;
//   - an owner, backup, review record "by" or engagement "who" that is not
//     the ID of a person in the register;
//   - a channel without a kind;
//   - a review record without a date, by or a keep/change/retire outcome,
//     and an engagement without a date or kind;
//   - dates and periods that cannot be written and read back, and strings
//     that are not valid UTF-8.
//
// Validate does not judge the register's health (a group without a backup,
// an overdue review, an inactive owner): those are findings, not errors.
func (r *Register) Validate() error {
	c := &checker{}
	c.register(r)
	return c.errs.err()
}

// checker runs the semantic checks. With a root node it positions each
// error at the offending value in the file.
type checker struct {
	file string
	root *yaml.Node
	bad  map[string]bool
	errs ErrorList
}

// at reports msg about path, positioned at the value of pos (usually path
// itself).
func (c *checker) at(pos, path, format string, args ...any) {
	if len(c.errs) > maxErrors || c.skip(path) || c.skip(pos) {
		// Past the cap the list is cut anyway; stop collecting.
		return
	}
	e := &Error{File: c.file, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n := c.lookup(pos); n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	c.errs = append(c.errs, e)
}

func (c *checker) errorf(path, format string, args ...any) { c.at(path, path, format, args...) }

// skip reports whether path or one of its parents failed to decode.
func (c *checker) skip(path string) bool {
	for p := path; p != ""; p = parentPath(p) {
		if c.bad[p] {
			return true
		}
	}
	return false
}

// present reports whether the file has a value at path (false without a file).
func (c *checker) present(path string) bool { return c.lookup(path) != nil }

// required reports a missing or empty required string field.
func (c *checker) required(path, field, value string) {
	if value != "" {
		return
	}
	fp := joinPath(path, field)
	if c.skip(fp) {
		return
	}
	if c.present(fp) {
		c.errorf(fp, "must not be empty")
		return
	}
	c.at(path, path, "missing required field %q", field)
}

func (c *checker) register(r *Register) {
	c.strings(reflect.ValueOf(r).Elem(), "")

	people := make(map[string]string, len(r.People)) // ID → path of its first use
	ids := make([]string, 0, len(r.People))
	for i := range r.People {
		p := &r.People[i]
		path := "people[" + strconv.Itoa(i) + "]"
		c.required(path, "id", p.ID)
		c.required(path, "name", p.Name)
		if p.ID == "" {
			continue
		}
		if first, dup := people[p.ID]; dup {
			c.errorf(path+".id", "duplicate person ID %q (first %s)", p.ID, c.where(first))
			continue
		}
		people[p.ID] = path + ".id"
		ids = append(ids, p.ID)
	}
	// When a person failed to decode, references to them would be noise.
	checkRefs := true
	for p := range c.bad {
		if p == "people" || strings.HasPrefix(p, "people[") && (!strings.Contains(p, ".") || strings.HasSuffix(p, "].id")) {
			checkRefs = false
		}
	}
	ref := func(path, id string) {
		if checkRefs && people[id] == "" {
			c.errorf(path, "unknown person %q%s", id, didYouMean(id, ids))
		}
	}

	groups := make(map[string]string, len(r.Groups))
	for i := range r.Groups {
		g := &r.Groups[i]
		path := "groups[" + strconv.Itoa(i) + "]"
		c.required(path, "id", g.ID)
		c.required(path, "name", g.Name)
		if g.ID != "" {
			if first, dup := groups[g.ID]; dup {
				c.errorf(path+".id", "duplicate group ID %q (first %s)", g.ID, c.where(first))
			} else {
				groups[g.ID] = path + ".id"
			}
		}
		switch {
		case g.Kind == "":
			c.required(path, "kind", "")
		case !g.Kind.Valid():
			c.errorf(path+".kind", "unknown kind %q%s; want one of %s", g.Kind, didYouMean(string(g.Kind), kindNames()), strings.Join(kindNames(), ", "))
		}
		if g.Purpose != "" && !g.Purpose.Valid() {
			names := make([]string, 0, 4)
			for _, p := range Purposes() {
				names = append(names, string(p))
			}
			c.errorf(path+".purpose", "unknown purpose %q%s; want one of %s", g.Purpose, didYouMean(string(g.Purpose), names), strings.Join(names, ", "))
		}
		if g.Owner != "" {
			ref(path+".owner", g.Owner)
		}
		if g.Backup != "" {
			ref(path+".backup", g.Backup)
		}
		c.membership(path+".membership", &g.Membership)
		for j := range g.Channels {
			ch := &g.Channels[j]
			cp := path + ".channels[" + strconv.Itoa(j) + "]"
			c.required(cp, "kind", ch.Kind)
			c.period(cp+".every", ch.Every)
		}
		c.period(path+".review.every", g.Review.Every)
		for j := range g.Review.Records {
			rec := &g.Review.Records[j]
			rp := path + ".review.records[" + strconv.Itoa(j) + "]"
			c.requiredDate(rp, "date", rec.Date)
			c.required(rp, "by", rec.By)
			if rec.By != "" {
				ref(rp+".by", rec.By)
			}
			switch rec.Outcome {
			case "":
				c.required(rp, "outcome", "")
			case OutcomeKeep, OutcomeChange, OutcomeRetire:
			default:
				outcomes := []string{string(OutcomeKeep), string(OutcomeChange), string(OutcomeRetire)}
				c.errorf(rp+".outcome", "unknown outcome %q%s; want one of %s", rec.Outcome, didYouMean(string(rec.Outcome), outcomes), strings.Join(outcomes, ", "))
			}
		}
		for j := range g.Engagements {
			e := &g.Engagements[j]
			ep := path + ".engagements[" + strconv.Itoa(j) + "]"
			c.requiredDate(ep, "date", e.Date)
			c.required(ep, "kind", e.Kind)
			for k, who := range e.Who {
				ref(ep+".who["+strconv.Itoa(k)+"]", who)
			}
			c.tlp(ep+".tlp", e.TLP)
		}
		for j := range g.Notifications {
			n := &g.Notifications[j]
			np := path + ".notifications[" + strconv.Itoa(j) + "]"
			switch n.Event {
			case "":
				c.required(np, "event", "")
			case NotifiedJoined, NotifiedLeft:
			default:
				events := []string{string(NotifiedJoined), string(NotifiedLeft)}
				c.errorf(np+".event", "unknown event %q%s; want one of %s", n.Event, didYouMean(string(n.Event), events), strings.Join(events, ", "))
			}
			c.requiredDate(np, "date", n.Date)
			c.required(np, "authority", n.Authority)
		}
	}
}

// tlp reports a label that is set but not a TLP 2.0 (or 1.0 WHITE) label.
func (c *checker) tlp(path, label string) {
	if label == "" {
		return
	}
	if _, ok := feeds.ParseTLP(label); !ok {
		c.errorf(path, "unknown TLP label %q; want CLEAR, GREEN, AMBER, AMBER+STRICT or RED", label)
	}
}

func (c *checker) membership(path string, m *Membership) {
	if m.Status != "" && !m.Status.Valid() {
		statuses := []string{string(MembershipApplied), string(MembershipActive), string(MembershipLapsed), string(MembershipEnded)}
		c.errorf(path+".status", "unknown membership status %q%s; want one of %s", m.Status, didYouMean(string(m.Status), statuses), strings.Join(statuses, ", "))
	}
	c.date(path+".since", m.Since)
	c.date(path+".until", m.Until)
	c.date(path+".renewal", m.Renewal)
	c.tlp(path+".tlp", m.TLP)
	for i := range m.Proof {
		pp := path + ".proof[" + strconv.Itoa(i) + "]"
		c.required(pp, "ref", m.Proof[i].Ref)
		c.date(pp+".date", m.Proof[i].Date)
		if h := m.Proof[i].SHA256; h != "" && !isHexDigest(h) {
			c.errorf(pp+".sha256", "want 64 hexadecimal digits, got %q", clipText(h))
		}
	}
	if !m.Since.IsZero() && !m.Until.IsZero() && m.Until.Before(m.Since) {
		c.errorf(path+".until", "membership ends (%s) before it starts (since %s)", m.Until, m.Since)
	}
}

func (c *checker) requiredDate(path, field string, d Date) {
	if d.IsZero() {
		c.required(path, field, "")
		return
	}
	c.date(joinPath(path, field), d)
}

func (c *checker) date(path string, d Date) {
	if err := d.check(); err != nil {
		c.errorf(path, "%s", strings.TrimPrefix(err.Error(), "register: "))
	}
}

func (c *checker) period(path string, p Period) {
	if err := p.check(); err != nil {
		c.errorf(path, "invalid period %s: %v", p, err)
	}
}

// strings reports strings that are not valid UTF-8 (only possible in code:
// the parser rejects them).
func (c *checker) strings(v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.String:
		if !utf8.ValidString(v.String()) {
			c.errorf(path, "invalid UTF-8 in string")
		}
	case reflect.Slice:
		for i := range v.Len() {
			c.strings(v.Index(i), path+"["+strconv.Itoa(i)+"]")
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			if name, _, ok := yamlName(t.Field(i)); ok {
				c.strings(v.Field(i), joinPath(path, name))
			}
		}
	}
}

// where describes the position of the value at path: "at line 3" in a
// file, or the path itself in a register built in code.
func (c *checker) where(path string) string {
	if n := c.lookup(path); n != nil {
		return "at line " + strconv.Itoa(n.Line)
	}
	return "at " + path
}

func kindNames() []string {
	kinds := Kinds()
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	return names
}

// lookup finds the node for path ("groups[2].review.records[0].by") in the
// file, following aliases and merge keys as the decoder does. It returns
// nil when there is no file or no such value.
func (c *checker) lookup(path string) *yaml.Node {
	n := c.root
	for rest := path; n != nil && rest != ""; {
		n = deref(n)
		if n == nil {
			return nil
		}
		if rest[0] == '[' {
			end := strings.IndexByte(rest, ']')
			i, err := strconv.Atoi(rest[1:max(end, 1)])
			if end < 0 || err != nil || n.Kind != yaml.SequenceNode || i < 0 || i >= len(n.Content) {
				return nil
			}
			n, rest = n.Content[i], rest[end+1:]
			continue
		}
		rest = strings.TrimPrefix(rest, ".")
		end := strings.IndexAny(rest, ".[")
		if end < 0 {
			end = len(rest)
		}
		n, rest = mapValue(n, rest[:end], 0), rest[end:]
	}
	return n
}

// mapValue returns the value of key in mapping n: the first explicit one,
// else the first found through merge keys.
func mapValue(n *yaml.Node, key string, depth int) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode || depth > 20 {
		return nil
	}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			continue
		}
		if k.ShortTag() == "!!merge" {
			merges = append(merges, n.Content[i+1])
		} else if k.Value == key {
			return n.Content[i+1]
		}
	}
	for _, m := range merges {
		m = deref(m)
		sources := []*yaml.Node{m}
		if m != nil && m.Kind == yaml.SequenceNode {
			sources = m.Content
		}
		for _, s := range sources {
			if v := mapValue(deref(s), key, depth+1); v != nil {
				return v
			}
		}
	}
	return nil
}

// deref follows aliases.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

// parentPath returns the path of the value containing path: "a.b[2]" → "a.b"
// → "a" → "".
func parentPath(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}
