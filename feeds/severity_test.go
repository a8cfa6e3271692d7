package feeds

import "testing"

// TestParseSeverity: the words publishers use (moved here with the
// rssfeed table it replaces; "negligible" is Ubuntu's, as osvfeed read it).
func TestParseSeverity(t *testing.T) {
	for word, want := range map[string]Severity{
		"CRITICAL": SeverityCritical, "High": SeverityHigh, "important": SeverityHigh,
		"MODERATE": SeverityMedium, "medium": SeverityMedium, "Low": SeverityLow,
		"none": SeverityNone, " low ": SeverityLow, "negligible": SeverityLow,
	} {
		if got, ok := ParseSeverity(word); !ok || got != want {
			t.Errorf("ParseSeverity(%q) = %q, %v; want %q", word, got, ok, want)
		}
	}
	for _, word := range []string{"urgent", "", "unknown", "5"} {
		if got, ok := ParseSeverity(word); ok || got != SeverityUnknown {
			t.Errorf("ParseSeverity(%q) = %q, %v; want unknown", word, got, ok)
		}
	}
	order := []Severity{SeverityUnknown, SeverityNone, SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}
	for i := 1; i < len(order); i++ {
		if order[i-1].Rank() >= order[i].Rank() {
			t.Errorf("%q ranks %d, not below %q (%d)", order[i-1], order[i-1].Rank(), order[i], order[i].Rank())
		}
	}
	if Severity("bogus").Rank() != 0 {
		t.Error("a value off the scale ranks above unknown")
	}
}
