package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/sigwatch/sigwatch/intake/notify"
)

func ExampleWebhook() {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

	// The receiving end: verify, then decode.
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := notify.Verify(secret, r.Header, body, time.Now(), 0); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		var ev notify.WebhookEvent
		if err := json.Unmarshal(body, &ev); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Println("verified", ev.Type, ev.Data.Schema, ev.Data.Items[0].CaseID)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer receiver.Close()

	wh := &notify.Webhook{Label: "ops-webhook", URL: receiver.URL, Secret: secret}
	if err := wh.Validate(); err != nil {
		log.Fatal(err)
	}
	d, err := wh.Notify(context.Background(), &notify.Message{
		ID:   "case-CVE-2024-3400-routed-1",
		Kind: "case.routed",
		To:   notify.Recipient{ID: "akhan", Email: "aisha.khan@example.com"},
		Items: []notify.Item{{
			CaseID: "CVE-2024-3400", Title: "PAN-OS GlobalProtect command injection",
			Priority: "P1", Decision: "actionable", Owner: "akhan", KEV: true,
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Status, d.ID)
	// Output:
	// verified case.routed sigwatch.notify/v1 CVE-2024-3400
	// 204 case-CVE-2024-3400-routed-1
}

func ExampleText() {
	fmt.Print(notify.Text(&notify.Message{
		ID: "m-1",
		Items: []notify.Item{{
			CaseID: "CVE-2024-3400", Title: "PAN-OS GlobalProtect command injection",
			Priority: "P1", Owner: "akhan", Due: time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC),
		}},
	}))
	// Output:
	// PAN-OS GlobalProtect command injection
	// Case:       CVE-2024-3400
	// Priority:   P1
	// Due:        2026-03-04
	// Owner:      akhan
	//
	// --
	// sigwatch message m-1
}
