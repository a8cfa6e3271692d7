package vercmp

import (
	"fmt"
	"strings"
)

// Limits for ParseComparators.
const (
	MaxComparatorsLen = 1024
	MaxComparators    = 16
)

// ParseComparators parses a free-text comparator list as CSAF
// product_version_range and CVE 5 version fields write them: "< 3.1",
// ">= 2.0, < 3.0", "<=4.1". Each comparator is one of < <= > >= = !=,
// optionally followed by spaces, then a version without spaces, commas or
// comparator characters; comparators are separated by commas. The list
// is a conjunction: a version matches when it satisfies every comparator
// (see MatchComparators). Anything else — a bare version, "==", prose
// ("2.0 and later"), wildcards, "vers:" strings (use ParseVers) — is an
// error wrapping ErrInvalidRange that names the text and position.
func ParseComparators(text string) ([]Constraint, error) {
	if len(text) > MaxComparatorsLen {
		return nil, cmpErr(text, -1, fmt.Sprintf("longer than %d bytes", MaxComparatorsLen))
	}
	if strings.TrimSpace(text) == "" {
		return nil, cmpErr(text, -1, "empty")
	}
	if strings.HasPrefix(strings.TrimSpace(text), "vers:") {
		return nil, cmpErr(text, -1, "a vers string: use ParseVers")
	}
	var out []Constraint
	off := 0
	for _, part := range strings.Split(text, ",") {
		c, err := parseComparator(text, part, off)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
		if len(out) > MaxComparators {
			return nil, cmpErr(text, off, fmt.Sprintf("more than %d comparators", MaxComparators))
		}
		off += len(part) + 1
	}
	return out, nil
}

func parseComparator(text, part string, off int) (Constraint, error) {
	i := 0
	for i < len(part) && part[i] == ' ' {
		i++
	}
	if i == len(part) {
		return Constraint{}, cmpErr(text, off+i, "empty comparator (a doubled or trailing comma?)")
	}
	var c Constraint
	for _, op := range [...]string{">=", "<=", "!=", "<", ">", "="} {
		if strings.HasPrefix(part[i:], op) {
			c.Comparator = op
			break
		}
	}
	if c.Comparator == "" {
		return c, cmpErr(text, off+i, "expected a comparator (<, <=, >, >=, =, !=)")
	}
	i += len(c.Comparator)
	for i < len(part) && part[i] == ' ' {
		i++
	}
	start := i
	for i < len(part) {
		ch := part[i]
		if ch == ' ' {
			break
		}
		if ch < 0x21 || ch >= 0x7f || strings.IndexByte("<>=!*|", ch) >= 0 {
			return c, cmpErr(text, off+i, "unexpected character "+quoteByte(ch))
		}
		i++
	}
	if i == start {
		return c, cmpErr(text, off+i, "no version after "+c.Comparator)
	}
	c.Version = part[start:i]
	for i < len(part) && part[i] == ' ' {
		i++
	}
	if i < len(part) {
		return c, cmpErr(text, off+i, "unexpected text after the version "+fmt.Sprintf("%q", clip(c.Version)))
	}
	return c, nil
}

func cmpErr(text string, pos int, reason string) error {
	if pos >= 0 {
		return kindf(ErrInvalidRange, "comparator list %q: %s at position %d", clip(text), reason, pos)
	}
	return kindf(ErrInvalidRange, "comparator list %q: %s", clip(text), reason)
}

// MatchComparators reports whether v satisfies every comparator (as
// ParseComparators returns them), ordering with s, and why: "satisfies
// >=2.0, <3.0" or "does not satisfy <3.0". A comparator version s cannot
// parse or order is an error.
func MatchComparators(s Scheme, v Version, cs []Constraint) (bool, string, error) {
	if s == nil {
		return false, "", kindf(ErrUnknownScheme, "no scheme")
	}
	if len(cs) == 0 {
		return false, "", kindf(ErrInvalidRange, "no comparators")
	}
	if err := checkScheme(s, v); err != nil {
		return false, "", err
	}
	all := make([]string, len(cs))
	for i, c := range cs {
		all[i] = c.String()
		if c.Comparator == "=" {
			all[i] = "=" + c.Version
		}
	}
	for i, c := range cs {
		b, err := s.Parse(c.Version)
		if err != nil {
			return false, "", wrapf(ErrInvalidRange, err, "comparator %q", clip(all[i]))
		}
		d, err := v.Compare(b)
		if err != nil {
			return false, "", wrapf(ErrIncomparable, err, "version %q against the comparator %q", clip(v.String()), clip(all[i]))
		}
		var ok bool
		switch c.Comparator {
		case "<":
			ok = d < 0
		case "<=":
			ok = d <= 0
		case ">":
			ok = d > 0
		case ">=":
			ok = d >= 0
		case "=":
			ok = d == 0
		case "!=":
			ok = d != 0
		default:
			return false, "", kindf(ErrInvalidRange, "unknown comparator %q", clip(c.Comparator))
		}
		if !ok {
			return false, "does not satisfy " + all[i], nil
		}
	}
	return true, "satisfies " + strings.Join(all, ", "), nil
}
