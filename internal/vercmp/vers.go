package vercmp

import (
	"fmt"
	"strings"
)

// Vers is a parsed vers range specifier
// (https://github.com/package-url/vers-spec): "vers:npm/>=1.0.0|<2.0.0".
type Vers struct {
	// Scheme is the vers type: "npm", "pypi", "generic", "all", …
	Scheme string
	// Constraints in canonical order. A vers for all versions ("vers:deb/*")
	// has the single constraint {Comparator: "*"}.
	Constraints []Constraint
}

// Constraint is one constraint of a vers, or one comparator of a
// comparator list.
type Constraint struct {
	// Comparator is "=", "!=", "<", "<=", ">", ">=" or "*". Equality is
	// written as a bare version in a vers; it is "=" here.
	Comparator string
	// Version is the version, percent-decoded; "" for "*".
	Version string
}

// String implements fmt.Stringer.
func (c Constraint) String() string {
	switch c.Comparator {
	case "*":
		return "*"
	case "=":
		return c.Version
	}
	return c.Comparator + c.Version
}

// Limits for ParseVers.
const (
	MaxVersLen         = 64 << 10
	MaxVersConstraints = 4096
)

// ParseVers parses a vers string and checks that it is canonical, as the
// specification requires ("tools shall not correct or normalise invalid
// input"). Errors wrap ErrInvalidRange and name the problem and its byte
// position: whitespace (only "%20" is allowed), a scheme other than
// "vers", a type that is not lowercase [a-z][a-z0-9.-]*, an empty, leading,
// trailing or doubled "|", "*" with other constraints, a constraint
// starting with "=", an empty version, a character that must be
// percent-encoded (> < = ! * | %), a percent-encoding that is malformed,
// lowercase or of a character that needs none, the reserved type
// "invalid", types "all" and "none" with anything but "*".
//
// For a type ForVers knows, every version must parse with its scheme
// ("vers:npm/1.0%252F0" is an error: "1.0%2F0" is not an npm version), and the
// constraints must be sorted, unique and in a valid comparator sequence
// (vers-spec §5.4). A type ForVers does not know (unregistered, or
// reserved "example" and "test") is checked for syntax only; Contains
// reports that it has no ordering.
func ParseVers(s string) (*Vers, error) {
	if len(s) > MaxVersLen {
		return nil, versErr(s, -1, fmt.Sprintf("longer than %d bytes", MaxVersLen))
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			return nil, versErr(s, i, "whitespace is not permitted (encode a space as %20)")
		case c < 0x20 || c >= 0x7f:
			return nil, versErr(s, i, "only printable ASCII is permitted")
		}
	}
	scheme, spec, ok := strings.Cut(s, ":")
	if !ok {
		return nil, versErr(s, -1, `no ":" after the scheme "vers"`)
	}
	if scheme != "vers" {
		if strings.EqualFold(scheme, "vers") {
			return nil, versErr(s, 0, `the scheme must be lowercase "vers"`)
		}
		return nil, versErr(s, 0, `the scheme must be "vers"`)
	}
	typ, cons, ok := strings.Cut(spec, "/")
	if !ok {
		return nil, versErr(s, -1, `no "/" after the type`)
	}
	off := len("vers:")
	if err := checkVersType(s, typ, off); err != nil {
		return nil, err
	}
	if typ == "invalid" {
		return nil, versErr(s, off, "invalid VERS type: 'invalid' is reserved for intentionally invalid VERS notations")
	}
	off += len(typ) + 1
	switch {
	case cons == "":
		return nil, versErr(s, off, "no constraints")
	case cons == "*":
		return &Vers{Scheme: typ, Constraints: []Constraint{{Comparator: "*"}}}, nil
	case typ == "all" || typ == "none":
		return nil, versErr(s, off, fmt.Sprintf("type %q only takes the constraint \"*\" (vers:%s/*), not %q", typ, typ, clip(cons)))
	case cons[0] == '|':
		return nil, versErr(s, off, "leading pipe is not permitted")
	case cons[len(cons)-1] == '|':
		return nil, versErr(s, off+len(cons)-1, "trailing pipe is not permitted")
	}
	parts := strings.Split(cons, "|")
	if len(parts) > MaxVersConstraints {
		return nil, versErr(s, off, fmt.Sprintf("more than %d constraints", MaxVersConstraints))
	}
	v := &Vers{Scheme: typ, Constraints: make([]Constraint, 0, len(parts))}
	for _, p := range parts {
		if p == "" {
			return nil, versErr(s, off, "consecutive pipes are not permitted")
		}
		c, err := parseConstraint(s, p, off)
		if err != nil {
			return nil, err
		}
		v.Constraints = append(v.Constraints, c)
		off += len(p) + 1
	}
	if sch, err := ForVers(typ); err == nil {
		if err := v.checkOrder(s, sch); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// checkVersType checks the type: an ASCII letter, then letters, digits,
// "." and "-", lowercase.
func checkVersType(s, typ string, off int) error {
	if typ == "" {
		return versErr(s, off, "empty type")
	}
	for i := 0; i < len(typ); i++ {
		c := typ[i]
		switch {
		case c >= 'A' && c <= 'Z':
			return versErr(s, off+i, "the type must be lowercase")
		case c >= 'a' && c <= 'z':
		case i == 0:
			return versErr(s, off, "the type must start with a letter")
		case isDigit(c) || c == '.' || c == '-':
		default:
			return versErr(s, off+i, "unexpected character "+quoteByte(c)+" in the type")
		}
	}
	return nil
}

// parseConstraint parses one constraint p found at byte off of s.
func parseConstraint(s, p string, off int) (Constraint, error) {
	var c Constraint
	for _, op := range [...]string{">=", "<=", "!=", "<", ">"} {
		if strings.HasPrefix(p, op) {
			c.Comparator = op
			break
		}
	}
	switch {
	case c.Comparator != "":
	case p[0] == '=':
		return c, versErr(s, off, "a constraint must not start with \"=\": equality is a bare version")
	case p[0] == '*':
		return c, versErr(s, off, "\"*\" must be the only constraint")
	default:
		c.Comparator = "="
	}
	raw := p[opLen(c.Comparator):]
	voff := off + opLen(c.Comparator)
	if raw == "" {
		return c, versErr(s, voff, "empty version")
	}
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		ch := raw[i]
		switch ch {
		case '%':
			if i+2 >= len(raw) || !isHex(raw[i+1]) || !isHex(raw[i+2]) {
				return c, versErr(s, voff+i, "invalid percent-encoding in version")
			}
			if isLowerHex(raw[i+1]) || isLowerHex(raw[i+2]) {
				return c, versErr(s, voff+i, "percent-encoding in version is not canonical (use uppercase hex)")
			}
			d := unhex(raw[i+1])<<4 | unhex(raw[i+2])
			if !mustEncode(d) {
				return c, versErr(s, voff+i, fmt.Sprintf("percent-encoding of %q is not canonical: only > < = ! * | %% and whitespace are encoded", rune(d)))
			}
			b.WriteByte(d)
			i += 2
		case '>', '<', '=', '!', '*', '|':
			hint := ""
			if ch != '*' {
				hint = " (a comparator must start the constraint)"
			}
			return c, versErr(s, voff+i, fmt.Sprintf("character %q must be percent-encoded%s", rune(ch), hint))
		default:
			b.WriteByte(ch)
		}
	}
	c.Version = b.String()
	return c, nil
}

func opLen(op string) int {
	if op == "=" {
		return 0 // bare version
	}
	return len(op)
}

// mustEncode reports whether a version byte is percent-encoded in a
// canonical vers: the vers delimiters and whitespace.
func mustEncode(c byte) bool {
	switch c {
	case '>', '<', '=', '!', '*', '|', '%', ' ', '\t', '\n', '\r', '\v', '\f':
		return true
	}
	return c < 0x20 || c >= 0x7f
}

func isHex(c byte) bool      { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
func isLowerHex(c byte) bool { return c >= 'a' && c <= 'f' }

func unhex(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// checkOrder applies vers-spec §5.4 with scheme sch: versions sorted and
// unique, "=" followed only by "=", ">" or ">=" (ignoring "!="), and
// bounds alternating (ignoring "!=" and "=").
func (v *Vers) checkOrder(s string, sch Scheme) error {
	vs := make([]Version, len(v.Constraints))
	for i, c := range v.Constraints {
		pv, err := sch.Parse(c.Version)
		if err != nil {
			return wrapf(ErrInvalidRange, err, "vers %q: constraint %d %q", clip(s), i+1, clip(c.String()))
		}
		vs[i] = pv
	}
	for i := 1; i < len(vs); i++ {
		c, err := vs[i-1].Compare(vs[i])
		if err != nil {
			return wrapf(ErrInvalidRange, err, "vers %q: constraints %d and %d", clip(s), i, i+1)
		}
		switch {
		case c == 0:
			return versErr(s, -1, fmt.Sprintf("duplicate version %q (constraints %d and %d)", clip(v.Constraints[i].Version), i, i+1))
		case c > 0:
			return versErr(s, -1, fmt.Sprintf("constraints are not sorted by version: %q before %q", clip(v.Constraints[i-1].String()), clip(v.Constraints[i].String())))
		}
	}
	prev := ""
	for _, c := range v.Constraints {
		if c.Comparator == "!=" {
			continue
		}
		if prev == "=" && (c.Comparator == "<" || c.Comparator == "<=") {
			return versErr(s, -1, fmt.Sprintf("a version constraint followed by %q is redundant", clip(c.String())))
		}
		prev = c.Comparator
	}
	prev = ""
	for _, c := range v.Constraints {
		if c.Comparator == "!=" || c.Comparator == "=" {
			continue
		}
		lower := c.Comparator == ">" || c.Comparator == ">="
		if prev != "" && (prev == ">" || prev == ">=") == lower {
			return versErr(s, -1, fmt.Sprintf("%q after %q: lower and upper bounds must alternate", clip(c.String()), prev))
		}
		prev = c.Comparator
	}
	return nil
}

// versErr is the error for a vers that is not canonical.
func versErr(s string, pos int, reason string) error {
	if pos >= 0 {
		return kindf(ErrInvalidRange, "vers %q: %s at position %d", clip(s), reason, pos)
	}
	return kindf(ErrInvalidRange, "vers %q: %s", clip(s), reason)
}

// String returns the canonical vers string. For a Vers from ParseVers it
// is the parsed string.
func (v *Vers) String() string {
	var b strings.Builder
	b.WriteString("vers:")
	b.WriteString(v.Scheme)
	b.WriteByte('/')
	for i, c := range v.Constraints {
		if i > 0 {
			b.WriteByte('|')
		}
		switch c.Comparator {
		case "*":
			b.WriteByte('*')
			continue
		case "=":
		default:
			b.WriteString(c.Comparator)
		}
		for j := 0; j < len(c.Version); j++ {
			if ch := c.Version[j]; mustEncode(ch) {
				fmt.Fprintf(&b, "%%%02X", ch)
			} else {
				b.WriteByte(ch)
			}
		}
	}
	return b.String()
}

// Contains reports whether version is inside the range, with the
// containment algorithm of vers-spec ("how-to-parse"): "*" contains
// everything; then a version equal to a "=", "<=" or ">=" constraint is
// in; equal to a "!=" constraint is out; then the bounds are walked in
// pairs. Type "all" contains every version and "none" none. s orders the
// versions and should be ForVers(v.Scheme); version must come from s.
// Errors: a constraint version s cannot parse, versions s cannot order,
// a type with no ordering (wrapping ErrUnknownScheme when s is nil).
func (v *Vers) Contains(s Scheme, version Version) (bool, error) {
	in, _, err := v.Explain(s, version)
	return in, err
}

// Explain is Contains with the reason in words ("equal to the constraint
// 1.2.3", "between >=1.0.0 and <2.0.0").
func (v *Vers) Explain(s Scheme, version Version) (in bool, why string, err error) {
	if v == nil || len(v.Constraints) == 0 {
		return false, "", kindf(ErrInvalidRange, "vers has no constraints")
	}
	if v.Constraints[0].Comparator == "*" {
		if v.Scheme == "none" {
			return false, "vers:none/* contains no version", nil
		}
		return true, fmt.Sprintf("vers:%s/* contains every version", v.Scheme), nil
	}
	if s == nil {
		if _, err := ForVers(v.Scheme); err != nil {
			return false, "", err
		}
		return false, "", kindf(ErrUnknownScheme, "vers %q: no scheme given", clip(v.String()))
	}
	if err := checkScheme(s, version); err != nil {
		return false, "", err
	}
	cs := make([]Version, len(v.Constraints))
	for i, c := range v.Constraints {
		pv, err := s.Parse(c.Version)
		if err != nil {
			return false, "", wrapf(ErrInvalidRange, err, "vers %q: constraint %q", clip(v.String()), clip(c.String()))
		}
		cs[i] = pv
	}
	cmp := func(i int) (int, error) {
		c, err := version.Compare(cs[i])
		if err != nil {
			return 0, wrapf(ErrIncomparable, err, "version %q against the constraint %q", clip(version.String()), clip(v.Constraints[i].String()))
		}
		return c, nil
	}
	for i, c := range v.Constraints {
		if c.Comparator == "=" || c.Comparator == "<=" || c.Comparator == ">=" {
			d, err := cmp(i)
			if err != nil {
				return false, "", err
			}
			if d == 0 {
				return true, fmt.Sprintf("equal to the constraint %s", c), nil
			}
		}
	}
	for i, c := range v.Constraints {
		if c.Comparator == "!=" {
			d, err := cmp(i)
			if err != nil {
				return false, "", err
			}
			if d == 0 {
				return false, fmt.Sprintf("excluded by the constraint %s", c), nil
			}
		}
	}
	var bounds []int
	for i, c := range v.Constraints {
		if c.Comparator != "=" && c.Comparator != "!=" {
			bounds = append(bounds, i)
		}
	}
	upper := func(i int) bool { op := v.Constraints[i].Comparator; return op == "<" || op == "<=" }
	for k, i := range bounds {
		d, err := cmp(i)
		if err != nil {
			return false, "", err
		}
		c := v.Constraints[i]
		switch {
		case k == 0 && upper(i) && d < 0:
			return true, fmt.Sprintf("below the constraint %s", c), nil
		case k == len(bounds)-1 && !upper(i) && d > 0:
			return true, fmt.Sprintf("above the constraint %s", c), nil
		case !upper(i) && d > 0 && k+1 < len(bounds) && upper(bounds[k+1]):
			d2, err := cmp(bounds[k+1])
			if err != nil {
				return false, "", err
			}
			if d2 < 0 {
				return true, fmt.Sprintf("between the constraints %s and %s", c, v.Constraints[bounds[k+1]]), nil
			}
		}
	}
	return false, fmt.Sprintf("outside %s", v), nil
}

// ContainsString parses version with ForVers(v.Scheme) and calls Explain.
func (v *Vers) ContainsString(version string) (in bool, why string, err error) {
	if v == nil || len(v.Constraints) == 0 {
		return v.Explain(nil, nil)
	}
	if len(v.Constraints) == 1 && v.Constraints[0].Comparator == "*" {
		return v.Explain(nil, nil)
	}
	s, err := ForVers(v.Scheme)
	if err != nil {
		return false, "", err
	}
	pv, err := s.Parse(version)
	if err != nil {
		return false, "", err
	}
	return v.Explain(s, pv)
}
