package notify_test

import (
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/intake/notify"
)

func TestText(t *testing.T) {
	for _, tt := range []struct {
		name string
		m    *notify.Message
		want string
	}{
		{"one_item", sample(), sampleText},
		{"nil", nil, ""},
		{"no_items", &notify.Message{ID: "m1", Subject: "Nothing new"}, "Nothing new\n\n(no items)\n\n--\nsigwatch message m1\n"},
		{"digest", &notify.Message{
			ID: "digest-akhan-2026-03-02", Kind: "case.digest", Subject: "sigwatch digest: 2 low-priority cases", Digest: true,
			Items: []notify.Item{
				{CaseID: "CVE-2025-0001", Title: "Example lib XSS", Priority: "P4", Decision: "informational",
					Why:        "matched by name only\r\n\r\n\r\n  version unknown  ",
					References: []string{"https://a.example/1", " ", "https://b.example/2"},
					Due:        time.Date(2026, 4, 1, 23, 30, 0, 0, time.FixedZone("X", -2*3600))},
				{CaseID: "GHSA-xxxx-yyyy-zzzz", Priority: "P5"},
			},
		}, `sigwatch digest: 2 low-priority cases
2 items

1. Example lib XSS
Case:       CVE-2025-0001
Priority:   P4
Decision:   informational
Due:        2026-04-02
Why:        matched by name only
            version unknown
References: https://a.example/1
            https://b.example/2

2. GHSA-xxxx-yyyy-zzzz
Case:       GHSA-xxxx-yyyy-zzzz
Priority:   P5

--
sigwatch message digest-akhan-2026-03-02
`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := notify.Text(tt.m)
			if got != tt.want {
				t.Errorf("Text:\n%s\nwant:\n%s", got, tt.want)
			}
			if again := notify.Text(tt.m); again != got {
				t.Error("Text is not deterministic")
			}
		})
	}
}
