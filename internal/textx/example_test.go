package textx_test

import (
	"fmt"

	"github.com/sigwatch/sigwatch/internal/textx"
)

func ExampleClip() {
	fmt.Println(textx.Clip("vulnerabilities[0].dateAdded is 2025-13-45T99:99:99 and more", 30))
	// Output:
	// vulnerabilities[0].dateAdded i…
}

func ExampleOneLine() {
	// A title from a feed that tries to add a fake log line and to colour the terminal.
	title := "Patch now\n2026-11-23 INFO all clear\x1b[32m"
	fmt.Printf("%q\n", textx.OneLine(title))
	// Output: "Patch now 2026-11-23 INFO all clear[32m"
}
