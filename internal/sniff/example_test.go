package sniff_test

import (
	"fmt"

	"github.com/sigwatch/sigwatch/internal/sniff"
)

func ExampleHTML() {
	for _, body := range []string{
		"\xef\xbb\xbf\n<!DOCTYPE html><html><body>Access denied</body></html>",
		"<!-- cache miss -->\n<html>",
		`{"title": "<html>"}`,
		`<?xml version="1.0"?><rss version="2.0">`,
	} {
		fmt.Println(sniff.HTML([]byte(body)))
	}
	// Output:
	// true
	// true
	// false
	// false
}

func ExampleTrimLeft() {
	fmt.Printf("%q\n", sniff.TrimLeft([]byte("\xef\xbb\xbf \n\t{\"a\": 1}")))
	// Output:
	// "{\"a\": 1}"
}
