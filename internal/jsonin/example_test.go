package jsonin_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/jsonin"
)

func ExampleDecode() {
	type catalog struct {
		Version         string `json:"catalogVersion"`
		Vulnerabilities []struct {
			CVE string `json:"cveID"`
		} `json:"vulnerabilities"`
	}

	var cat catalog
	good := `{"catalogVersion": "2025.08.25", "vulnerabilities": [{"cveID": "CVE-2025-48384"}]}`
	if err := jsonin.Decode(strings.NewReader(good), "kev.json", 0, &cat); err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(cat.Version, cat.Vulnerabilities[0].CVE)

	// A value of the wrong type is reported with its line, column and path.
	bad := "{\"catalogVersion\": \"x\",\n \"vulnerabilities\": [{\"cveID\": 42}]}"
	err := jsonin.Decode(strings.NewReader(bad), "kev.json", 0, &cat)
	fmt.Println(err)
	var pe *feeds.ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.Line, pe.Column, pe.Field)
	}

	// An HTML error page served in place of the feed is refused.
	err = jsonin.Decode(strings.NewReader("<!DOCTYPE html><html>Not Found</html>"), "kev.json", 0, &cat)
	fmt.Println(err, errors.Is(err, feeds.ErrNotFeed))
	// Output:
	// 2025.08.25 CVE-2025-48384
	// kev.json:2:32: vulnerabilities[0].cveID: expected string, found number
	// 2 32 vulnerabilities[0].cveID
	// kev.json:1:1: got an HTML page, not a JSON feed true
}
