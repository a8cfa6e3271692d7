package register

import (
	"strconv"
	"strings"

	"github.com/sigwatch/sigwatch/internal/yamlin"
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

// Error implements the error interface.
func (e *Error) Error() string {
	if e.File != "" {
		return (*yamlin.Error)(e).Error()
	}
	// A problem in a register built in code, or in unnamed input.
	var b strings.Builder
	b.WriteString("register")
	if e.Line > 0 {
		b.WriteString(": line " + strconv.Itoa(e.Line))
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

// Error implements the error interface.
func (l ErrorList) Error() string { return yamlin.Lines(l) }

// Unwrap returns the individual errors, for errors.Is and errors.As.
func (l ErrorList) Unwrap() []error { return yamlin.Errors(l) }

// err returns l as an error, or nil if it is empty.
func (l ErrorList) err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// toYAMLIn and fromYAMLIn convert between the register's errors and
// internal/yamlin's, which have the same fields.
func toYAMLIn(l ErrorList) yamlin.ErrorList {
	out := make(yamlin.ErrorList, len(l))
	for i, e := range l {
		out[i] = (*yamlin.Error)(e)
	}
	return out
}

func fromYAMLIn(l yamlin.ErrorList) ErrorList {
	out := make(ErrorList, len(l))
	for i, e := range l {
		out[i] = (*Error)(e)
	}
	return out
}

// maxErrors caps how many problems one file reports.
const maxErrors = yamlin.DefaultMaxErrors

// suggest returns the candidate closest to s when it is close enough to be
// a likely typo, or "".
func suggest(s string, candidates []string) string { return yamlin.Suggest(s, candidates) }

// didYouMean returns ` (did you mean "x"?)` for a close candidate, or "".
func didYouMean(s string, candidates []string) string { return yamlin.DidYouMean(s, candidates) }
