package timex_test

import (
	"fmt"
	"time"

	"github.com/sigwatch/sigwatch/internal/timex"
)

func ExampleParse() {
	for _, s := range []string{
		"2025-08-25T17:04:19.9796Z",
		"2023-01-12 10:00:00+0130",
		"2023-09-12T15:15:24.327",
		"2022-12-17",
		"Mon, 02 Jan 2006 15:04:05 PST",
		"0001-01-01T00:00:00Z",
	} {
		t, err := timex.Parse(s)
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(t.Format(time.RFC3339Nano), t.IsZero())
	}
	_, err := timex.Parse("02 Jan 2006 15:04 CEST")
	fmt.Println(err != nil)
	// Output:
	// 2025-08-25T17:04:19.9796Z false
	// 2023-01-12T08:30:00Z false
	// 2023-09-12T15:15:24.327Z false
	// 2022-12-17T00:00:00Z false
	// 2006-01-02T23:04:05Z false
	// 0001-01-01T00:00:00Z true
	// true
}

func ExampleParseDate() {
	d, err := timex.ParseDate("2025-08-25T23:30:00-05:00")
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(d.Format(time.DateOnly))
	// Output:
	// 2025-08-25
}
