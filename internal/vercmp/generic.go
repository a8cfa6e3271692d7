package vercmp

import (
	"fmt"
	"strings"
)

// Generic returns the scheme for vendor version strings that follow no
// published scheme: "22.7R2.3" (Ivanti), "10.2.9-h1" (PAN-OS hotfix),
// "13.1-49.15" (NetScaler build), "2019 CU14" (Exchange), "17.3.1a",
// "7.0U3o". It is also the scheme of vers type "generic". The rules are in
// the package documentation (# Generic ordering); in short:
//
//   - a version is split into runs of digits and runs of letters; ".", "-",
//     "_", "+" and space separate runs and do not take part in ordering;
//     any other character is an error;
//   - numbers compare numerically, words case-insensitively;
//   - a pre-release word sorts before what it follows ("1.0-beta2" <
//     "1.0"); any other extra word or number sorts after ("10.2.9" <
//     "10.2.9-h1"); extra zeros change nothing ("7.2" = "7.2.0");
//   - where one version has a number and the other a word that is not a
//     pre-release word, the versions cannot be ordered and Compare returns
//     an error wrapping ErrIncomparable.
func Generic() Scheme { return genericScheme{} }

type genericScheme struct{}

func (genericScheme) Name() string { return "generic" }

// gtok is one run of a generic version.
type gtok struct {
	text string // digits, or lower-cased letters
	raw  string // as written
	num  bool
	pre  int // rank of a pre-release word; 0 for anything else
	pos  int // byte offset in the input, for messages
}

// preRank orders the pre-release words. Single letters a, b and m are
// pre-release words only when a number follows them ("1.0a1"); alone at
// the end they are revision letters ("17.3.1a", OpenSSL "1.1.1w").
var preRank = map[string]int{
	"dev":       1,
	"alpha":     2,
	"a":         2,
	"beta":      3,
	"b":         3,
	"milestone": 4,
	"m":         4,
	"pre":       5,
	"preview":   5,
	"rc":        6,
	"cr":        6,
	"snapshot":  7,
}

func (genericScheme) Parse(s string) (Version, error) {
	if err := precheck("generic", s, true); err != nil {
		return nil, err
	}
	toks, err := tokenize(s)
	if err != nil {
		return nil, err
	}
	return &genericVersion{raw: s, toks: toks}, nil
}

// tokenize splits s into runs and applies the rules that reject prose and
// wildcards.
func tokenize(s string) ([]gtok, error) {
	var toks []gtok
	i := 0
	if len(s) > 1 && (s[0] == 'v' || s[0] == 'V') && isDigit(s[1]) {
		i = 1 // "v1.2"
	}
	hasDigit := false
	for i < len(s) {
		c := s[i]
		start := i
		switch {
		case isDigit(c):
			for i < len(s) && isDigit(s[i]) {
				i++
			}
			toks = append(toks, gtok{text: s[start:i], raw: s[start:i], num: true, pos: start})
			hasDigit = true
		case isAlpha(c):
			for i < len(s) && isAlpha(s[i]) {
				i++
			}
			toks = append(toks, gtok{text: strings.ToLower(s[start:i]), raw: s[start:i], pos: start})
		case c == '.' || c == '-' || c == '_' || c == '+' || c == ' ':
			i++
		default:
			return nil, invalidAt("generic", s, i, "unexpected character "+quoteByte(c))
		}
	}
	if !hasDigit {
		return nil, invalid("generic", s, "has no number")
	}
	for k := range toks {
		t := &toks[k]
		if t.num {
			continue
		}
		if r, ok := preRank[t.text]; ok && (len(t.text) > 1 || k+1 < len(toks) && toks[k+1].num) {
			t.pre = r
		}
		if t.text == "x" && t.pos > 0 && s[t.pos-1] == '.' && (t.pos+1 == len(s) || s[t.pos+1] == '.') {
			return nil, invalidAt("generic", s, t.pos, "wildcard 'x' is a range, not a version")
		}
	}
	// Prose: every space-separated field must hold a digit or be a
	// pre-release word ("2019 CU14", "1.0 beta 2"; not "5.9.2 and older").
	pos := 0
	for _, f := range strings.Split(s, " ") {
		if f != "" && !strings.ContainsAny(f, "0123456789") && preRank[strings.ToLower(f)] == 0 {
			return nil, invalidAt("generic", s, pos, fmt.Sprintf("word %q looks like prose, not part of a version", clip(f)))
		}
		pos += len(f) + 1
	}
	return toks, nil
}

type genericVersion struct {
	raw  string
	toks []gtok
}

func (v *genericVersion) String() string     { return v.raw }
func (v *genericVersion) schemeName() string { return "generic" }

func (v *genericVersion) Compare(other Version) (int, error) {
	o, ok := other.(*genericVersion)
	if !ok {
		return 0, otherScheme(v, other)
	}
	a, b := v.toks, o.toks
	for i := 0; ; i++ {
		switch {
		case i >= len(a) && i >= len(b):
			return 0, nil
		case i >= len(a):
			return -tail(b[i:]), nil
		case i >= len(b):
			return tail(a[i:]), nil
		}
		x, y := a[i], b[i]
		var c int
		switch {
		case x.num && y.num:
			c = cmpDigits(x.text, y.text)
		case x.pre > 0 && y.pre > 0:
			c = sign(x.pre - y.pre)
		case x.pre > 0:
			c = -1
		case y.pre > 0:
			c = 1
		case !x.num && !y.num:
			c = strings.Compare(x.text, y.text)
		case x.num:
			return 0, incomparable(v, o, fmt.Sprintf("number %s where the other has the word %q", x.raw, y.raw))
		default:
			return 0, incomparable(v, o, fmt.Sprintf("word %q where the other has the number %s", x.raw, y.raw))
		}
		if c != 0 {
			return c, nil
		}
	}
}

// tail orders the extra runs of the longer version against the end of the
// shorter one: zeros are ignored, a pre-release word sorts before the end
// (-1), anything else after (+1).
func tail(rest []gtok) int {
	for _, t := range rest {
		switch {
		case t.num && strings.Trim(t.text, "0") == "":
			continue
		case t.pre > 0:
			return -1
		default:
			return 1
		}
	}
	return 0
}
