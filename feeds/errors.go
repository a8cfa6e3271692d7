package feeds

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Sentinel errors that callers branch on.
var (
	// ErrNotModified reports that a conditional fetch found nothing new.
	ErrNotModified = errors.New("feeds: not modified")
	// ErrTooLarge reports that an input exceeded the configured size limit.
	ErrTooLarge = errors.New("feeds: input too large")
	// ErrNotFeed reports that a body is not the expected format, typically an
	// HTML error page served in place of a feed.
	ErrNotFeed = errors.New("feeds: not a feed")
)

// ParseError reports malformed input at a position. Input names the file or
// URL; Line and Column are 1-based and zero when unknown; Field is the path of
// the offending value ("vulnerabilities[12].dateAdded") when known.
type ParseError struct {
	Input  string
	Line   int
	Column int
	Field  string
	Err    error
}

// Error implements the error interface.
func (e *ParseError) Error() string {
	pos := e.Input
	if pos == "" {
		pos = "<input>"
	}
	if e.Line > 0 {
		pos += ":" + strconv.Itoa(e.Line)
		if e.Column > 0 {
			pos += ":" + strconv.Itoa(e.Column)
		}
	}
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %v", pos, e.Field, e.Err)
	}
	return fmt.Sprintf("%s: %v", pos, e.Err)
}

// Unwrap returns the underlying error, for errors.Is and errors.As.
func (e *ParseError) Unwrap() error { return e.Err }

// HTTPError reports an unsuccessful HTTP response from a feed.
type HTTPError struct {
	URL        string
	StatusCode int
	// RetryAfter is the server's Retry-After hint; zero when absent.
	RetryAfter time.Duration
}

// Error implements the error interface.
func (e *HTTPError) Error() string {
	return fmt.Sprintf("feeds: GET %s: HTTP %d", e.URL, e.StatusCode)
}
