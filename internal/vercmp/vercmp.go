package vercmp

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sigwatch/sigwatch/internal/textx"
)

// Scheme orders the versions of one versioning scheme. A Scheme is
// immutable and safe for concurrent use.
type Scheme interface {
	// Name names the scheme: "Go", "npm", "Debian", "generic", "SemVer", …
	Name() string
	// Parse parses s as a version of this scheme. The error says why s is
	// not one; it wraps ErrInvalidVersion.
	Parse(s string) (Version, error)
}

// Version is a parsed version. Versions are immutable.
type Version interface {
	// Compare returns -1, 0 or +1 as the version sorts before, equal to
	// or after other. The error (wrapping ErrIncomparable) says why the two
	// cannot be ordered: other comes from a different scheme, or the
	// scheme's rules do not decide (see Generic).
	Compare(other Version) (int, error)
	// String returns the version as given to Parse.
	String() string
}

// Errors callers can branch on with errors.Is.
var (
	// ErrInvalidVersion: the string is not a version of the scheme.
	ErrInvalidVersion = errors.New("vercmp: invalid version")
	// ErrIncomparable: two versions cannot be ordered.
	ErrIncomparable = errors.New("vercmp: versions cannot be compared")
	// ErrUnknownScheme: no ordering is known for the ecosystem, vers type
	// or range type.
	ErrUnknownScheme = errors.New("vercmp: unknown version scheme")
	// ErrNotOrderable: the range kind cannot be ordered here (GIT commits,
	// textual ranges); the caller must decide another way.
	ErrNotOrderable = errors.New("vercmp: range cannot be ordered")
	// ErrInvalidRange: an event list, vers or comparator list is malformed.
	ErrInvalidRange = errors.New("vercmp: invalid range")
)

// MaxVersionLen is the longest version string any scheme accepts, in
// bytes. Real versions are far shorter; the cap bounds the work a hostile
// string can cause.
const MaxVersionLen = 256

// Compare parses a and b with s and compares them: -1 when a sorts before
// b, 0 when they are equal, +1 after.
func Compare(s Scheme, a, b string) (int, error) {
	if s == nil {
		return 0, kindf(ErrUnknownScheme, "compare %q with %q: no scheme", clip(a), clip(b))
	}
	va, err := s.Parse(a)
	if err != nil {
		return 0, err
	}
	vb, err := s.Parse(b)
	if err != nil {
		return 0, err
	}
	return va.Compare(vb)
}

// kindError is an error with its own message that also matches a sentinel
// (kind) and whatever the message wrapped with %w.
type kindError struct {
	kind error
	err  error
}

func (e *kindError) Error() string   { return "vercmp: " + e.err.Error() }
func (e *kindError) Unwrap() []error { return []error{e.kind, e.err} }

// kindf formats an error that reads "vercmp: <message>" and matches kind
// (and any %w operand) with errors.Is.
func kindf(kind error, format string, args ...any) error {
	return &kindError{kind: kind, err: fmt.Errorf(format, args...)}
}

// wrapf is kindf for an error caused by another of this package's errors:
// the message reads "vercmp: <message>: <cause without its prefix>" and
// matches kind and everything cause matches.
func wrapf(kind, cause error, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...) + ": " + strings.TrimPrefix(cause.Error(), "vercmp: ")
	return &kindError{kind: kind, err: &causeError{msg: msg, cause: cause}}
}

type causeError struct {
	msg   string
	cause error
}

func (e *causeError) Error() string { return e.msg }
func (e *causeError) Unwrap() error { return e.cause }

// invalid reports that s is not a version of scheme, and why.
func invalid(scheme, s, reason string) error {
	return kindf(ErrInvalidVersion, "%s version %q: %s", scheme, clip(s), reason)
}

// invalidAt is invalid with the byte position of the offending character
// (none when pos < 0).
func invalidAt(scheme, s string, pos int, reason string) error {
	if pos < 0 {
		return invalid(scheme, s, reason)
	}
	return kindf(ErrInvalidVersion, "%s version %q: %s at position %d", scheme, clip(s), reason, pos)
}

// incomparable reports that a and b cannot be ordered, and why.
func incomparable(a, b Version, reason string) error {
	return kindf(ErrIncomparable, "cannot order %q and %q: %s", clip(str(a)), clip(str(b)), reason)
}

func str(v Version) string {
	if v == nil {
		return "<nil>"
	}
	return v.String()
}

func clip(s string) string { return textx.Clip(s, 80) }

// placeholders are strings publishers write where a version belongs.
var placeholders = map[string]bool{
	"*": true, "-": true, "n/a": true, "na": true, "unspecified": true,
	"unknown": true, "all": true, "any": true, "none": true, "latest": true,
	"x": true, "?": true, "tbd": true, "various": true,
}

// precheck applies the rules every scheme shares: not empty, not a
// placeholder, no longer than MaxVersionLen, printable ASCII without
// whitespace (space is allowed where spaceOK). It returns nil when s may be
// handed to the scheme's own grammar.
func precheck(scheme, s string, spaceOK bool) error {
	if strings.TrimSpace(s) == "" {
		return invalid(scheme, s, "empty")
	}
	if len(s) > MaxVersionLen {
		return invalid(scheme, s, fmt.Sprintf("longer than %d bytes", MaxVersionLen))
	}
	if placeholders[strings.ToLower(strings.TrimSpace(s))] {
		return invalid(scheme, s, "a placeholder, not a version")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' && spaceOK:
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			return invalidAt(scheme, s, i, "whitespace")
		case c < 0x20 || c == 0x7f:
			return invalidAt(scheme, s, i, "control character")
		case c >= 0x80:
			return invalidAt(scheme, s, i, "non-ASCII character")
		}
	}
	return nil
}

// sameScheme is implemented by this package's versions: the name of the
// scheme that parsed them.
type sameScheme interface{ schemeName() string }

// checkScheme reports an error when v was not parsed by a scheme named
// like s (when both are this package's).
func checkScheme(s Scheme, v Version) error {
	if v == nil {
		return kindf(ErrInvalidVersion, "no version")
	}
	if sv, ok := v.(sameScheme); ok && sv.schemeName() != s.Name() {
		return kindf(ErrIncomparable, "version %q is a %s version, not a %s version", clip(v.String()), sv.schemeName(), s.Name())
	}
	return nil
}

// otherScheme is the error for comparing versions of two schemes.
func otherScheme(a, b Version) error {
	an, bn := "another", "another"
	if s, ok := a.(sameScheme); ok {
		an = s.schemeName()
	}
	if s, ok := b.(sameScheme); ok {
		bn = s.schemeName()
	}
	return incomparable(a, b, fmt.Sprintf("a %s version and a %s version", an, bn))
}

// sign maps any int to -1, 0 or +1.
func sign(c int) int {
	switch {
	case c < 0:
		return -1
	case c > 0:
		return 1
	}
	return 0
}

// cmpDigits compares two runs of ASCII digits numerically, of any length.
func cmpDigits(a, b string) int {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return sign(len(a) - len(b))
	}
	return strings.Compare(a, b)
}
