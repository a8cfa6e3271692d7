package sniff

import (
	"fmt"

	"github.com/sigwatch/sigwatch/feeds"
)

// NotFeed returns an error with message msg that wraps feeds.ErrNotFeed,
// for input that is plainly not the expected format (an HTML page, a
// different JSON document). Unlike fmt.Errorf("%w: …", feeds.ErrNotFeed)
// the message does not repeat "feeds: not a feed".
func NotFeed(msg string) error { return &notFeedError{msg: msg} }

// NotFeedf is NotFeed with a formatted message.
func NotFeedf(format string, args ...any) error {
	return &notFeedError{msg: fmt.Sprintf(format, args...)}
}

type notFeedError struct{ msg string }

func (e *notFeedError) Error() string { return e.msg }
func (e *notFeedError) Unwrap() error { return feeds.ErrNotFeed }
