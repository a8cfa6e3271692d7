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

// checkVersion decides what one affected entry says about version, and
// why. informed is false when the entry says nothing about this version
// (it states a status for other versions only), so that another entry's
// answer wins.
//
// A publisher status (not affected, fixed, under investigation) applies to
// the versions the entry lists; an entry with a status and no version data
// applies to the whole product. A version the entry's data cannot place
// is needs_review, never not_affected.
//
// siblings are the other entries for the same product (see siblings in
// engine.go): a default status applies only when none of them lists the
// version either.
func checkVersion(version string, a *feeds.Affected, siblings []*feeds.Affected) (v Verdict, why string, informed bool) {
	stated, statedWhy := statusVerdict(a.Status)
	if !a.HasVersionData() {
		if a.Status != feeds.StatusUnknown && a.Status != feeds.StatusAffected {
			return stated, statedWhy, true
		}
		if version == "" {
			return VerdictNeedsReview, "the advisory lists no affected versions and the component has no version", a.Status != feeds.StatusUnknown
		}
		return VerdictNeedsReview, fmt.Sprintf("the advisory lists no affected versions: check %s against the vendor's advisory", version), a.Status != feeds.StatusUnknown
	}
	if strings.TrimSpace(version) == "" {
		return VerdictNeedsReview, "the component has no version to compare", true
	}
	in, where, err := listed(version, a)
	switch {
	case err != nil:
		return VerdictNeedsReview, err.Error(), true
	case a.Status == feeds.StatusUnknown || a.Status == feeds.StatusAffected:
		if in {
			return VerdictAffected, fmt.Sprintf("version %s is %s", version, where), true
		}
		def := a.DefaultStatus
		for _, sib := range siblings {
			switch sin, _, serr := listed(version, sib); {
			case serr != nil:
				def = feeds.StatusUnderInvestigation // cannot tell whether the sibling lists it
			case sin:
				def = feeds.StatusUnknown // the sibling's status decides
			}
			if def != a.DefaultStatus {
				break
			}
		}
		switch def {
		case feeds.StatusAffected:
			return VerdictAffected, fmt.Sprintf("version %s is not listed, and the publisher's default status for unlisted versions is affected", version), true
		case feeds.StatusUnderInvestigation:
			return VerdictNeedsReview, fmt.Sprintf("version %s is not listed, and the publisher's default status for unlisted versions is unknown", version), true
		}
		if len(a.Ranges) == 0 {
			return VerdictNotAffected, fmt.Sprintf("version %s is not among the %d versions listed as affected", version, len(a.Versions)), true
		}
		return VerdictNotAffected, fmt.Sprintf("version %s is outside every affected range", version), true
	case in:
		return stated, fmt.Sprintf("version %s is %s: %s", version, where, statedWhy), true
	}
	return VerdictNeedsReview, fmt.Sprintf("the entry states %q for other versions than %s", a.Status, version), false
}

// statusVerdict maps a publisher status to a verdict and its reason.
func statusVerdict(s feeds.Status) (Verdict, string) {
	switch s {
	case feeds.StatusNotAffected:
		return VerdictNotAffected, "the publisher states it is not affected"
	case feeds.StatusFixed:
		return VerdictFixed, "the publisher lists it as fixed"
	case feeds.StatusUnderInvestigation:
		return VerdictUnderInvestigation, "the publisher is still investigating"
	}
	return VerdictAffected, "the publisher lists it as affected"
}

// listed reports whether version is among the entry's versions or inside
// one of its ranges, and where. err says why it cannot be decided.
func listed(version string, a *feeds.Affected) (bool, string, error) {
	want := trimV(version)
	for _, v := range a.Versions {
		if trimV(v) == want {
			return true, "listed explicitly", nil
		}
	}
	if len(a.Ranges) == 0 {
		return false, "", nil
	}
	installed, err := semver.NewVersion(want)
	if err != nil {
		return false, "", fmt.Errorf("version %q cannot be compared as a semantic version", version)
	}
	for _, r := range a.Ranges {
		in, why, err := inRange(installed, r)
		if err != nil {
			return false, "", err
		}
		if in {
			return true, why, nil
		}
	}
	return false, "", nil
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
