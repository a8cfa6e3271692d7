package intaketest_test

import (
	"context"
	"fmt"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/intaketest"
)

// Check runs the conformance checks outside a test, for example from a
// vendor's start-up self-test against a scratch database.
func ExampleCheck() {
	err := intaketest.Check(context.Background(), func() (intake.Store, error) {
		return intake.NewMemoryStore(), nil // a new, empty store per check
	})
	fmt.Println("conforms:", err == nil)
	// Output: conforms: true
}
