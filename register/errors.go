package register

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is one problem in a register: a syntax error, an unknown field, a
// value of the wrong type or a failed semantic check. Its text is one line:
//
//	register.yaml:12:5: groups[2].ownr: unknown field "ownr" (did you mean "owner"?)
//
// File is the name given to [Parse] or the path given to [Load], and is empty
// for errors found by [Register.Validate] in a register built in code (the
// text then starts with "register:"). Line and Column are 1-based and zero
// when unknown. Path is the offending value ("groups[2].owner") and is empty
// for problems with the file as a whole.
type Error struct {
	File   string
	Line   int
	Column int
	Path   string
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.File != "":
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteString(":" + strconv.Itoa(e.Line))
			if e.Column > 0 {
				b.WriteString(":" + strconv.Itoa(e.Column))
			}
		}
	case e.Line > 0:
		b.WriteString("register: line " + strconv.Itoa(e.Line))
		if e.Column > 0 {
			b.WriteString(":" + strconv.Itoa(e.Column))
		}
	default:
		b.WriteString("register")
	}
	if e.Path != "" {
		b.WriteString(": " + e.Path)
	}
	b.WriteString(": " + e.Msg)
	return b.String()
}

// ErrorList is every problem found in a register, in file order. [Load],
// [Parse] and [Register.Validate] return one as their error; its text is one
// line per problem. Get at the problems with errors.As:
//
//	var list register.ErrorList
//	if errors.As(err, &list) {
//		for _, e := range list { … e.Line, e.Path, e.Msg … }
//	}
//
// errors.As with a *[Error] target finds the first problem.
type ErrorList []*Error

func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the individual errors, for errors.Is and errors.As.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// err returns l as an error, or nil if it is empty.
func (l ErrorList) err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// sortAndDedupe orders errors by position (errors without a line last, in
// the order found) and drops repeats, which alias expansion can cause.
func (l ErrorList) sortAndDedupe() ErrorList {
	slices.SortStableFunc(l, func(a, b *Error) int {
		if (a.Line == 0) != (b.Line == 0) {
			if a.Line == 0 {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	// The same message at the same position is one problem, even when an
	// alias makes it appear under several paths.
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

// maxErrors caps how many problems one file reports.
const maxErrors = 50

// suggest returns the candidate closest to s when it is close enough to be
// a likely typo, or "".
func suggest(s string, candidates []string) string {
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

// didYouMean returns ` (did you mean "x"?)` for a close candidate, or "".
func didYouMean(s string, candidates []string) string {
	if c := suggest(s, candidates); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return ""
}

// quote returns s quoted for a message, shortened if long.
func quote(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		return strconv.Quote(string(r[:max])) + "…"
	}
	return strconv.Quote(s)
}
