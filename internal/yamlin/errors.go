package yamlin

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is one problem in a YAML (or JSON) file: a syntax error, an unknown
// field, a value of the wrong type, or a problem a caller found after
// decoding. Its text is one line:
//
//	stack.yaml:12:5: components[2].ownr: unknown field "ownr" (did you mean "owner"?)
//
// Line and Column are 1-based and zero when unknown. Path is the offending
// value ("components[2].owner") and is empty for problems with the file as a
// whole. The fields and their order are part of the contract: callers
// convert *Error to their own error type of the same shape.
type Error struct {
	File   string
	Line   int
	Column int
	Path   string
	Msg    string
}

// Error implements the error interface.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(cmp.Or(e.File, "<input>"))
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
		if e.Column > 0 {
			b.WriteString(":" + strconv.Itoa(e.Column))
		}
	}
	if e.Path != "" {
		b.WriteString(": " + e.Path)
	}
	b.WriteString(": " + e.Msg)
	return b.String()
}

// ErrorList is every problem found in a file. Its text is one line per
// problem; errors.As with a *[Error] target finds the first.
type ErrorList []*Error

// Error implements the error interface.
func (l ErrorList) Error() string { return Lines(l) }

// Unwrap returns the individual errors, for errors.Is and errors.As.
func (l ErrorList) Unwrap() []error { return Errors(l) }

// Lines is the text of a list of errors: one line per error. Error lists
// of other packages (register.ErrorList) share it.
func Lines[E error](l []E) string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Errors returns the errors of a typed list as []error, for the Unwrap of
// an error list.
func Errors[E error](l []E) []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// Err returns l as an error, or nil if it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// DefaultMaxErrors is how many problems a [Decoder] collects when
// [Options].MaxErrors is zero.
const DefaultMaxErrors = 50

// Sort orders l by position, errors without a line last in the order
// found, and drops repeats (the same message at the same position, which
// alias expansion causes even when the paths differ). It reuses l's storage.
func (l ErrorList) Sort() ErrorList {
	slices.SortStableFunc(l, func(a, b *Error) int {
		if (a.Line == 0) != (b.Line == 0) {
			if a.Line == 0 {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	type key struct {
		file, path, msg string
		line, col       int
	}
	seen := make(map[key]bool, len(l))
	out := l[:0]
	for _, e := range l {
		k := key{e.File, e.Path, e.Msg, e.Line, e.Column}
		if e.Line > 0 {
			k.path = ""
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

// Cap keeps the first max errors of l and, when there were more, adds a
// last one, "too many errors; stopped after max", naming file.
func (l ErrorList) Cap(file string, max int) ErrorList {
	if len(l) <= max {
		return l
	}
	return append(l[:max:max], &Error{File: file, Msg: fmt.Sprintf("too many errors; stopped after %d", max)})
}

// Suggest returns the candidate closest to s when it is close enough to be
// a likely typo, or "". Case is ignored; the distance allowed grows with the
// length of s, from 1 to 3 edits.
func Suggest(s string, candidates []string) string {
	s = strings.ToLower(s)
	n := utf8.RuneCountInString(s)
	limit := max(1, min(3, n/3))
	best, bestD := "", limit+1
	for _, c := range candidates {
		if d := editDistance(s, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// DidYouMean returns ` (did you mean "x"?)` for a close candidate (see
// [Suggest]), or "".
func DidYouMean(s string, candidates []string) string {
	if c := Suggest(s, candidates); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ""
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and transpositions of adjacent
// runes each cost 1.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		// Field names and IDs are short; long keys are never typos of them.
		return max(len(ra), len(rb))
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// Quote returns s quoted for a message, shortened to 40 characters.
func Quote(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		return strconv.Quote(string(r[:max])) + "…"
	}
	return strconv.Quote(s)
}
