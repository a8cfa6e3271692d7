package sigwatch_test

import (
	"fmt"
	"log"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/register/registertest"
	"github.com/sigwatch/sigwatch/triage"
)

// This is the register-checks sample in README.md ("The register file"):
// keep the two in step. Examples run in the module root, so the paths are the
// repository's own files.
func Example_register() {
	now := func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) }

	reg, err := register.Load("examples/register/register.yaml")
	if err != nil {
		log.Fatal(err) // file:line:col: path: message
	}
	stack, err := triage.LoadStack("examples/quickstart/data/stack.yaml")
	if err != nil {
		log.Fatal(err)
	}
	// Optional: Links from register.CheckLinks(ctx, reg, nil) (uses the network),
	// History from intake.History(cases, firstRun) (silent channels).
	findings := register.Check(reg, &register.CheckOptions{Now: now, Stack: stack})
	fmt.Println(len(findings), "findings; errors:", register.HasErrors(findings))

	sample, err := register.Load("examples/quickstart/data/register.yaml")
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range register.Check(sample, &register.CheckOptions{Now: now}) {
		if f.Severity == register.SeverityError {
			fmt.Println(f.Severity, f.Group, f.Code, f.Person)
		}
	}
	// Output:
	// 0 findings; errors: false
	// error ivanti-psirt owner-inactive rpatel
}

// newEmptyStore stands in for a vendor's own register.Store: an empty store
// per check.
func newEmptyStore(*testing.T) register.Store { return &register.MemoryStore{} }

// This is the conformance-kit sample in README.md ("Keeping the register in
// your own database"): keep the two in step.
func TestMyStore(t *testing.T) {
	registertest.Run(t, func(t *testing.T) register.Store { return newEmptyStore(t) })
}
