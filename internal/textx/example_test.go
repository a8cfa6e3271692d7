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
