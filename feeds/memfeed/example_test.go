package memfeed_test

import (
	"context"
	"fmt"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/memfeed"
)

func Example() {
	// A briefing from an ISAC meeting, entered by hand.
	src := memfeed.New("finance-isac",
		feeds.Advisory{ID: "FS-2025-017", Title: "Phishing kit targeting treasury teams", Related: []string{"CVE-2025-0001"}},
	)
	src.Put(feeds.Advisory{ID: "FS-2025-018", Title: "Wire-fraud playbook update"})

	advs, err := src.Fetch(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range advs {
		fmt.Println(a.Source, a.ID, a.Title)
	}
	// Output:
	// finance-isac FS-2025-017 Phishing kit targeting treasury teams
	// finance-isac FS-2025-018 Wire-fraud playbook update
}
