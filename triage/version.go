package triage

import (
	"fmt"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/sigwatch/sigwatch/feeds"
)

// Verdict is the version-level answer for one component and one advisory.
type Verdict string

// Verdicts. Anything that cannot be decided is VerdictNeedsReview — never
// VerdictNotAffected.
const (
	VerdictAffected           Verdict = "affected"
	VerdictFixed              Verdict = "fixed"
	VerdictNotAffected        Verdict = "not_affected"
	VerdictUnderInvestigation Verdict = "under_investigation"
	VerdictNeedsReview        Verdict = "needs_review"
)

// counts reports whether a verdict keeps a match relevant for triage.
func (v Verdict) counts() bool {
	return v == VerdictAffected || v == VerdictNeedsReview || v == VerdictUnderInvestigation
}

// checkVersion decides whether version is affected by the version data of one
// affected entry, and says why.
func checkVersion(version string, a *feeds.Affected) (Verdict, string) {
	switch a.Status {
	case feeds.StatusNotAffected:
		return VerdictNotAffected, "the publisher states the product is not affected"
	case feeds.StatusFixed:
		return VerdictFixed, "the publisher lists the product as fixed"
	case feeds.StatusUnderInvestigation:
		return VerdictUnderInvestigation, "the publisher is still investigating"
	}
	if !a.HasVersionData() {
		if version == "" {
			return VerdictNeedsReview, "the advisory lists no affected versions and the component has no version"
		}
		return VerdictNeedsReview, fmt.Sprintf("the advisory lists no affected versions: check %s against the vendor's advisory", version)
	}
	if strings.TrimSpace(version) == "" {
		return VerdictNeedsReview, "the component has no version to compare"
	}
	want := trimV(version)
	for _, v := range a.Versions {
		if trimV(v) == want {
			return VerdictAffected, fmt.Sprintf("version %s is listed as affected", version)
		}
	}
	if len(a.Ranges) == 0 {
		return VerdictNotAffected, fmt.Sprintf("version %s is not among the %d versions listed as affected", version, len(a.Versions))
	}
	installed, err := semver.NewVersion(want)
	if err != nil {
		return VerdictNeedsReview, fmt.Sprintf("version %q cannot be compared as a semantic version", version)
	}
	for _, r := range a.Ranges {
		in, why, err := inRange(installed, r)
		if err != nil {
			return VerdictNeedsReview, err.Error()
		}
		if in {
			return VerdictAffected, fmt.Sprintf("version %s is %s", version, why)
		}
	}
	return VerdictNotAffected, fmt.Sprintf("version %s is outside every affected range", version)
}

// inRange walks OSV-style events (introduced/fixed/last_affected/limit) over
// semantic versions. Other range types are not comparable yet.
func inRange(v *semver.Version, r feeds.Range) (bool, string, error) {
	switch strings.ToUpper(r.Type) {
	case "SEMVER", "ECOSYSTEM":
	default:
		return false, "", fmt.Errorf("range type %q cannot be compared yet", r.Type)
	}
	if len(r.Events) == 0 {
		return false, "", fmt.Errorf("range %q has no events", r.Expr)
	}
	inside, lo := false, ""
	for _, e := range r.Events {
		var bound string
		switch {
		case e.Introduced != "":
			bound = e.Introduced
		case e.Fixed != "":
			bound = e.Fixed
		case e.LastAffected != "":
			bound = e.LastAffected
		case e.Limit != "":
			bound = e.Limit
		default:
			continue
		}
		var b *semver.Version
		if bound != "0" {
			var err error
			if b, err = semver.NewVersion(trimV(bound)); err != nil {
				return false, "", fmt.Errorf("range bound %q cannot be compared as a semantic version", bound)
			}
		}
		switch {
		case e.Introduced != "":
			if b == nil || !v.LessThan(b) {
				inside, lo = true, bound
			}
		case e.Fixed != "", e.Limit != "":
			if inside && v.LessThan(b) {
				return true, fmt.Sprintf("in the affected range [%s, %s)", lo, bound), nil
			}
			inside = false
		case e.LastAffected != "":
			if inside && !v.GreaterThan(b) {
				return true, fmt.Sprintf("in the affected range [%s, %s]", lo, bound), nil
			}
			inside = false
		}
	}
	if inside {
		return true, fmt.Sprintf("at or after %s with no fix recorded", lo), nil
	}
	return false, "", nil
}

func trimV(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 1 && (s[0] == 'v' || s[0] == 'V') && s[1] >= '0' && s[1] <= '9' {
		return s[1:]
	}
	return s
}
