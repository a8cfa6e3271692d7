package pkgid

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sigwatch/sigwatch/internal/textx"
)

// Logical values of a CPE attribute (NISTIR 7695 §5.3.1).
const (
	// Any is the logical value ANY: every value, including none.
	Any = "*"
	// NA is the logical value NA: the attribute does not apply.
	NA = "-"
)

// MaxCPELen caps the length of a CPE name ParseCPE accepts (4 KiB; the
// longest in the NVD dictionary are a few hundred bytes).
const MaxCPELen = 4 << 10

// CPE is a CPE 2.3 well-formed name (NISTIR 7695). Each attribute holds
// Any ("*"), NA ("-") or a value: lower-cased and unescaped, except that a
// literal "*", "?" or "\" keeps its backslash ("\*", "\?", "\\") and a
// value that is a single literal hyphen is written "\-", so that an
// unescaped "*" or "?" is always a wildcard and "-" always NA. Wildcards
// only lead or trail a value: a single "*" or a run of "?".
type CPE struct {
	Part, Vendor, Product, Version, Update, Edition, Language, SWEdition, TargetSW, TargetHW, Other string
}

// attrNames are the WFN attribute names, in formatted-string order.
var attrNames = [11]string{"part", "vendor", "product", "version", "update", "edition",
	"language", "sw_edition", "target_sw", "target_hw", "other"}

func (c *CPE) attrs() [11]*string {
	return [11]*string{&c.Part, &c.Vendor, &c.Product, &c.Version, &c.Update, &c.Edition,
		&c.Language, &c.SWEdition, &c.TargetSW, &c.TargetHW, &c.Other}
}

// ParseCPE parses a CPE 2.3 formatted string ("cpe:2.3:a:vendor:product:…",
// backslash escapes) or a CPE 2.2 URI ("cpe:/a:vendor:product:version",
// percent-encoding, "%01" and "%02" wildcards, an edition packed as
// "~edition~sw_edition~target_sw~target_hw~other") as Red Hat's CSAF
// documents write them. The prefix is matched without regard to case and
// every value is lower-cased.
//
// It is lenient where real data is: a formatted string may stop after the
// product (the missing attributes are ANY), an empty attribute is ANY, and
// punctuation that the formatted-string grammar wants quoted ("+" in
// "v51.1.0+incompatible", as SBOM tools write it) is accepted unquoted.
// It rejects what is ambiguous or hostile: more than 13 components, a
// wildcard inside a value, whitespace, control and non-ASCII bytes, a
// dangling backslash, a bad percent escape, and a part other than a, o, h
// or "*". The error wraps ErrInvalidCPE and names the attribute and the
// byte offset in s.
func ParseCPE(s string) (CPE, error) {
	if len(s) > MaxCPELen {
		return CPE{}, fmt.Errorf("%w %q: %d bytes, more than the %d allowed", ErrInvalidCPE, textx.Clip(s, 80), len(s), MaxCPELen)
	}
	var (
		c   CPE
		err error
	)
	switch {
	case len(s) >= 8 && strings.EqualFold(s[:8], "cpe:2.3:"):
		c, err = parseFS(s)
	case len(s) >= 5 && strings.EqualFold(s[:5], "cpe:/"):
		c, err = parseURI(s)
	default:
		err = errors.New(`want a name starting with "cpe:2.3:" or "cpe:/"`)
	}
	if err == nil {
		switch c.Part {
		case "a", "o", "h", Any:
		default:
			err = fmt.Errorf("part %q: want a, o, h or *", textx.Clip(c.Part, 20))
		}
	}
	if err != nil {
		return CPE{}, fmt.Errorf("%w %q: %w", ErrInvalidCPE, textx.Clip(s, 200), err)
	}
	return c, nil
}

// valueError is a problem inside one attribute value, at byte offset off
// of the raw value.
type valueError struct {
	off int
	msg string
}

func (e *valueError) Error() string { return e.msg }

// attrError names the attribute and the offset in the whole name.
func attrError(attr int, base int, err error) error {
	var ve *valueError
	if errors.As(err, &ve) {
		return fmt.Errorf("%s at offset %d: %s", attrNames[attr], base+ve.off, ve.msg)
	}
	return fmt.Errorf("%s at offset %d: %w", attrNames[attr], base, err)
}

func parseFS(s string) (CPE, error) {
	var c CPE
	attrs := c.attrs()
	for _, a := range attrs {
		*a = Any
	}
	const first = len("cpe:2.3:")
	n, start := 0, first
	for i := first; ; {
		if i < len(s) && s[i] == '\\' {
			if i+1 == len(s) {
				return CPE{}, fmt.Errorf("%s at offset %d: dangling backslash", attrNames[min(n, 10)], i)
			}
			i += 2
			continue
		}
		if i < len(s) && s[i] != ':' {
			i++
			continue
		}
		if n == len(attrs) {
			return CPE{}, fmt.Errorf("more than 13 components (the 14th starts at offset %d)", start)
		}
		v, err := decodeFS(s[start:i])
		if err != nil {
			return CPE{}, attrError(n, start, err)
		}
		*attrs[n] = v
		n++
		if i >= len(s) {
			break
		}
		i++
		start = i
	}
	if n < 3 {
		return CPE{}, fmt.Errorf("want at least part, vendor and product, got %d attribute(s)", n)
	}
	return c, nil
}

// decodeFS decodes one formatted-string value into the stored form. The
// caller guarantees that no backslash is the last byte.
func decodeFS(raw string) (string, error) {
	switch raw {
	case "", Any:
		return Any, nil
	case NA:
		return NA, nil
	}
	var b strings.Builder
	b.Grow(len(raw))
	var w wildcards
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '*' || c == '?' {
			w.wild(c, i)
			b.WriteByte(c)
			continue
		}
		if c == '\\' {
			i++
			c = raw[i]
		}
		if err := checkByte(c, i); err != nil {
			return "", err
		}
		if err := w.literal(); err != nil {
			return "", err
		}
		writeLiteral(&b, c)
	}
	return w.finish(b.String())
}

// writeLiteral writes a literal byte in the stored form.
func writeLiteral(b *strings.Builder, c byte) {
	if c == '*' || c == '?' || c == '\\' {
		b.WriteByte('\\')
	}
	b.WriteByte(lower(c))
}

// wildcards checks where unquoted wildcards stand while a value is
// decoded: one "*" or a run of "?" may lead the value and one "*" or a run
// of "?" may end it; nothing else (NISTIR 7695 §5.3.2).
type wildcards struct {
	body            bool // a literal was seen
	lead, trail     []byte
	leadAt, trailAt int
}

func (w *wildcards) wild(c byte, off int) {
	if !w.body {
		if len(w.lead) == 0 {
			w.leadAt = off
		}
		w.lead = append(w.lead, c)
		return
	}
	if len(w.trail) == 0 {
		w.trailAt = off
	}
	w.trail = append(w.trail, c)
}

func (w *wildcards) literal() error {
	if len(w.trail) > 0 {
		return &valueError{w.trailAt, "wildcard inside a value (quote it with a backslash)"}
	}
	w.body = true
	return nil
}

// finish checks the runs and applies the single-hyphen rule to the
// decoded value v.
func (w *wildcards) finish(v string) (string, error) {
	if !validRun(w.lead) {
		return "", &valueError{w.leadAt, fmt.Sprintf("a value may start with one * or a run of ?, not %q", w.lead)}
	}
	if !validRun(w.trail) {
		return "", &valueError{w.trailAt, fmt.Sprintf("a value may end with one * or a run of ?, not %q", w.trail)}
	}
	if v == NA {
		// a literal hyphen ("\-" or "%2d"), not NA
		return `\-`, nil
	}
	return v, nil
}

func validRun(r []byte) bool {
	if len(r) <= 1 {
		return true
	}
	for _, c := range r {
		if c != '?' {
			return false
		}
	}
	return true
}

func checkByte(c byte, off int) error {
	switch {
	case c == ' ':
		return &valueError{off, "byte ' ' not allowed"}
	case c < ' ' || c >= 0x7f:
		return &valueError{off, fmt.Sprintf("byte 0x%02x not allowed", c)}
	}
	return nil
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// uriAttrs maps the components of a CPE 2.2 URI, and then the parts of a
// packed edition, to attributes.
var (
	uriAttrs    = [7]int{0, 1, 2, 3, 4, 5, 6}
	packedAttrs = [5]int{5, 7, 8, 9, 10}
)

func parseURI(s string) (CPE, error) {
	var c CPE
	attrs := c.attrs()
	for _, a := range attrs {
		*a = Any
	}
	const first = len("cpe:/")
	fields := strings.Split(s[first:], ":")
	if len(fields) > len(uriAttrs) {
		return CPE{}, fmt.Errorf("a CPE 2.2 URI has at most 7 components, got %d", len(fields))
	}
	off := first
	for i, f := range fields {
		if uriAttrs[i] == 5 && strings.HasPrefix(f, "~") {
			packed := strings.Split(f[1:], "~")
			if len(packed) != len(packedAttrs) {
				return CPE{}, fmt.Errorf("edition at offset %d: a packed edition is ~edition~sw_edition~target_sw~target_hw~other, got %d parts", off, len(packed))
			}
			poff := off + 1
			for j, pv := range packed {
				v, err := decodeURI(pv)
				if err != nil {
					return CPE{}, attrError(packedAttrs[j], poff, err)
				}
				*attrs[packedAttrs[j]] = v
				poff += len(pv) + 1
			}
		} else {
			v, err := decodeURI(f)
			if err != nil {
				return CPE{}, attrError(uriAttrs[i], off, err)
			}
			*attrs[uriAttrs[i]] = v
		}
		off += len(f) + 1
	}
	return c, nil
}

// decodeURI decodes one CPE 2.2 URI component into the stored form.
func decodeURI(raw string) (string, error) {
	switch raw {
	case "":
		return Any, nil
	case NA:
		return NA, nil
	}
	var b strings.Builder
	b.Grow(len(raw))
	var w wildcards
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case '%':
			if i+2 >= len(raw) {
				return "", &valueError{i, "a percent escape needs two hex digits"}
			}
			h, ok := unhex(raw[i+1], raw[i+2])
			if !ok {
				return "", &valueError{i, fmt.Sprintf("bad percent escape %q", raw[i:i+3])}
			}
			switch h {
			case 0x01:
				w.wild('?', i)
				b.WriteByte('?')
			case 0x02:
				w.wild('*', i)
				b.WriteByte('*')
			default:
				if err := checkByte(h, i); err != nil {
					return "", err
				}
				if err := w.literal(); err != nil {
					return "", err
				}
				writeLiteral(&b, h)
			}
			i += 2
		case '*', '?':
			// Not in the URI alphabet, but NISTIR 7695's own example
			// (cpe:/a:microsoft:internet_explorer%01%01%01%01:?:beta) and
			// its reference unbinder read them as wildcards, like %02, %01.
			w.wild(c, i)
			b.WriteByte(c)
		default:
			if err := checkByte(c, i); err != nil {
				return "", err
			}
			if err := w.literal(); err != nil {
				return "", err
			}
			writeLiteral(&b, c)
		}
	}
	v := b.String()
	if v == Any {
		return Any, nil // "%02" alone
	}
	return w.finish(v)
}

func unhex(a, b byte) (byte, bool) {
	x, ok1 := hexVal(a)
	y, ok2 := hexVal(b)
	return x<<4 | y, ok1 && ok2
}

func hexVal(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// Key returns "vendor:product" (lower case, unescaped) for the index, or
// "" when the vendor or the product is ANY or NA or holds a wildcard: such
// a CPE cannot be looked up by name, and Match refuses it as too generic.
func (c CPE) Key() string {
	if !specific(c.Vendor) || !specific(c.Product) {
		return ""
	}
	return unquote(c.Vendor) + ":" + unquote(c.Product)
}

// specific reports whether v is a value without wildcards: not ANY, not
// NA, not empty.
func specific(v string) bool {
	return v != "" && v != Any && v != NA && !hasWildcards(v)
}

// String returns the CPE as a CPE 2.3 formatted string: "*" for ANY, "-"
// for NA, and every byte of a value other than letters, digits, "_", "."
// and "-" quoted with a backslash (NISTIR 7695 §6.2.2), except the
// wildcards. ParseCPE of the result gives c back.
func (c CPE) String() string {
	var b strings.Builder
	b.Grow(64)
	b.WriteString("cpe:2.3")
	for _, a := range c.attrs() {
		b.WriteByte(':')
		bindFS(&b, *a)
	}
	return b.String()
}

func bindFS(b *strings.Builder, v string) {
	switch v {
	case "", Any:
		b.WriteByte('*')
		return
	case NA:
		b.WriteByte('-')
		return
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '\\':
			// a stored escape pair stays as it is
			b.WriteByte('\\')
			if i+1 < len(v) {
				i++
				b.WriteByte(v[i])
			} else {
				b.WriteByte('\\')
			}
		case c == '*' || c == '?',
			'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '_', c == '.', c == '-':
			b.WriteByte(c)
		default:
			b.WriteByte('\\')
			b.WriteByte(c)
		}
	}
}
