package sqlstore_test

import (
	"testing"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/intaketest"
)

// TestConformance runs the intake store conformance kit on both dialects.
func TestConformance(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, d dialect) {
		intaketest.Run(t, func(t *testing.T) intake.Store { return fresh(t, d) })
	})
}
