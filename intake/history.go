package intake

import (
	"time"

	"github.com/sigwatch/sigwatch/register"
)

// History summarises the receipts of cases for the register's
// silent-channel check ([register.CheckOptions.History]): the latest
// receipt per source and, for receipts a person entered, per group. since
// is when recording started (the first run); a channel with no receipt is
// judged silent only once since is far enough back.
func History(cases []Case, since time.Time) *register.History {
	h := &register.History{Since: since, LastReceived: map[string]time.Time{}, LastManual: map[string]time.Time{}}
	for i := range cases {
		for _, r := range cases[i].Receipts {
			if r.Manual {
				if r.Group != "" && r.ReceivedAt.After(h.LastManual[r.Group]) {
					h.LastManual[r.Group] = r.ReceivedAt
				}
				continue
			}
			if r.Source != "" && r.ReceivedAt.After(h.LastReceived[r.Source]) {
				h.LastReceived[r.Source] = r.ReceivedAt
			}
		}
	}
	return h
}
