package vercmp

import (
	"strings"
	"time"
	"unicode/utf8"
)

// intdotScheme is vers type "intdot": dot-separated integers. Comparison
// uses the leading run of digits and dots and ignores the rest
// ("1.2beta" = "1.2"); leading zeros and trailing zero segments do not
// matter ("01.2.0" = "1.2").
type intdotScheme struct{}

func (intdotScheme) Name() string { return "intdot" }

func (intdotScheme) Parse(s string) (Version, error) {
	if err := precheck("intdot", s, false); err != nil {
		return nil, err
	}
	if !isDigit(s[0]) {
		return nil, invalidAt("intdot", s, 0, "must start with a number")
	}
	end := 0
	for end < len(s) && (isDigit(s[end]) || s[end] == '.') {
		end++
	}
	segs := strings.Split(strings.TrimRight(s[:end], "."), ".")
	for i, seg := range segs {
		if seg == "" {
			return nil, invalid("intdot", s, "empty segment")
		}
		segs[i] = strings.TrimLeft(seg, "0")
	}
	for len(segs) > 0 && segs[len(segs)-1] == "" {
		segs = segs[:len(segs)-1]
	}
	return &intdotVersion{raw: s, segs: segs}, nil
}

type intdotVersion struct {
	raw  string
	segs []string // without leading zeros; "" is zero
}

func (v *intdotVersion) String() string     { return v.raw }
func (v *intdotVersion) schemeName() string { return "intdot" }

func (v *intdotVersion) Compare(other Version) (int, error) {
	o, ok := other.(*intdotVersion)
	if !ok {
		return 0, otherScheme(v, other)
	}
	for i := 0; i < len(v.segs) || i < len(o.segs); i++ {
		var a, b string
		if i < len(v.segs) {
			a = v.segs[i]
		}
		if i < len(o.segs) {
			b = o.segs[i]
		}
		if c := cmpDigits(a, b); c != 0 {
			return c, nil
		}
	}
	return 0, nil
}

// lexScheme is vers type "lexicographic": byte-wise order of the UTF-8
// strings, no normalisation.
type lexScheme struct{}

func (lexScheme) Name() string { return "lexicographic" }

func (lexScheme) Parse(s string) (Version, error) {
	switch {
	case s == "":
		return nil, invalid("lexicographic", s, "empty")
	case len(s) > MaxVersionLen:
		return nil, invalid("lexicographic", s, "too long")
	case !utf8.ValidString(s):
		return nil, invalid("lexicographic", s, "invalid UTF-8")
	}
	return lexVersion(s), nil
}

type lexVersion string

func (v lexVersion) String() string     { return string(v) }
func (v lexVersion) schemeName() string { return "lexicographic" }

func (v lexVersion) Compare(other Version) (int, error) {
	o, ok := other.(lexVersion)
	if !ok {
		return 0, otherScheme(v, other)
	}
	return strings.Compare(string(v), string(o)), nil
}

// datetimeScheme is vers type "datetime": RFC 3339 timestamps with
// uppercase "T" and "Z", ordered by instant.
type datetimeScheme struct{}

func (datetimeScheme) Name() string { return "datetime" }

func (datetimeScheme) Parse(s string) (Version, error) {
	if err := precheck("datetime", s, false); err != nil {
		return nil, err
	}
	if i := strings.IndexAny(s, "tz"); i >= 0 {
		return nil, invalidAt("datetime", s, i, "must use uppercase T and Z")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil, invalid("datetime", s, "not an RFC 3339 timestamp")
	}
	return &datetimeVersion{raw: s, t: t}, nil
}

type datetimeVersion struct {
	raw string
	t   time.Time
}

func (v *datetimeVersion) String() string     { return v.raw }
func (v *datetimeVersion) schemeName() string { return "datetime" }

func (v *datetimeVersion) Compare(other Version) (int, error) {
	o, ok := other.(*datetimeVersion)
	if !ok {
		return 0, otherScheme(v, other)
	}
	return v.t.Compare(o.t), nil
}
