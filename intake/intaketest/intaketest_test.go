package intaketest_test

import (
	"testing"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/intaketest"
)

func TestMemoryStoreConforms(t *testing.T) {
	intaketest.Run(t, func(t *testing.T) intake.Store { return intake.NewMemoryStore() })
}
