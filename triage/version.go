package triage

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/pkgid"
	"github.com/sigwatch/sigwatch/internal/textx"
	"github.com/sigwatch/sigwatch/internal/vercmp"
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

func (v Verdict) valid() bool {
	return v.counts() || v == VerdictFixed || v == VerdictNotAffected
}

// basis says how an entry reached its verdict for a version.
type basis int

const (
	// basisNone: the entry says nothing about this version.
	basisNone basis = iota
	// basisDefault: the version is not listed; the verdict comes from the
	// publisher's default status (or its absence).
	basisDefault
	// basisExplicit: the entry lists the version (or covers the whole
	// product), or its data could not be compared.
	basisExplicit
)

// checkVersion decides what one affected entry says about the component's
// version, why, and on what basis. Several entries are combined by
// verdictTier: an explicit statement beats a default status, so a CISA ADP
// entry's "default affected" does not override the CNA's explicit
// "unaffected below 8.0.0".
//
// A publisher status (not affected, fixed, under investigation) applies to
// the versions the entry lists; an entry with a status and no version data
// applies to the whole product. A version no entry lists takes the
// publisher's default status when it gives one; OSV entries (no status)
// are exhaustive, so an unlisted version is not affected; CVE 5 and CSAF
// entries that list affected versions without a default leave the rest
// unknown: needs_review. A version the entry's data cannot place is
// needs_review, never not_affected. siblings are the other entries for the
// same product: when one of them lists the version, its status decides.
func (e *Engine) checkVersion(cc *compiledComponent, a *feeds.Affected, pkg *pkgid.Package, siblings []*feeds.Affected) (Verdict, string, basis) {
	version := cc.version
	stated, statedWhy := statusVerdict(a.Status)
	versions := a.Versions
	// A purl in the entry carries the package version in the ecosystem's
	// own form (Red Hat CSAF lists NEVRA strings as product versions).
	if pkg != nil && pkg.Version != "" && len(a.Ranges) == 0 {
		versions = []string{pkg.Version}
	}
	if len(versions) == 0 && len(a.Ranges) == 0 {
		if a.Status != feeds.StatusUnknown && a.Status != feeds.StatusAffected {
			return stated, statedWhy + " (no versions given: the whole product)", basisExplicit
		}
		b := basisNone
		if a.Status != feeds.StatusUnknown {
			b = basisExplicit
		}
		if version == "" {
			return VerdictNeedsReview, "the advisory lists no affected versions and the component has no version", b
		}
		return VerdictNeedsReview, fmt.Sprintf("the advisory lists no affected versions: check %s against the vendor's advisory", version), b
	}
	if version == "" {
		return VerdictNeedsReview, "the component has no version to compare", basisExplicit
	}
	if a.Status == feeds.StatusFixed && len(a.Ranges) == 0 && len(versions) == 1 && (a.Ecosystem != "" || pkg != nil) {
		return e.fixedIn(cc, a, versions[0])
	}
	in, where, err := e.listed(cc, a, versions)
	switch {
	case err != nil:
		return VerdictNeedsReview, err.Error(), basisExplicit
	case in && (a.Status == feeds.StatusUnknown || a.Status == feeds.StatusAffected):
		return VerdictAffected, fmt.Sprintf("version %s is %s", version, where), basisExplicit
	case in:
		return stated, fmt.Sprintf("version %s is %s: %s", version, where, statedWhy), basisExplicit
	}
	// Not listed by this entry.
	def := a.DefaultStatus
	for _, sib := range siblings {
		switch sin, _, serr := e.listed(cc, sib, sib.Versions); {
		case serr != nil:
			def = feeds.StatusUnderInvestigation // cannot tell whether the sibling lists it
		case sin:
			return VerdictNeedsReview, fmt.Sprintf("version %s is listed by another entry for the product", version), basisNone
		}
	}
	switch def {
	case feeds.StatusAffected:
		return VerdictAffected, fmt.Sprintf("version %s is not listed (%s), and the publisher's default status for unlisted versions is affected", version, describeMiss(where, len(versions))), basisDefault
	case feeds.StatusNotAffected:
		return VerdictNotAffected, fmt.Sprintf("version %s is not listed (%s), and the publisher's default status for unlisted versions is unaffected", version, describeMiss(where, len(versions))), basisDefault
	case feeds.StatusUnderInvestigation:
		return VerdictNeedsReview, fmt.Sprintf("version %s is not listed, and whether the publisher's default status applies cannot be told", version), basisDefault
	}
	switch a.Status {
	case feeds.StatusUnknown:
		if len(a.Ranges) == 0 {
			return VerdictNotAffected, fmt.Sprintf("version %s is not among the %d versions listed as affected", version, len(versions)), basisExplicit
		}
		return VerdictNotAffected, fmt.Sprintf("version %s is outside every affected range (%s)", version, where), basisExplicit
	case feeds.StatusAffected:
		// CVE 5 and CSAF list what is affected; without a default status
		// the rest is unknown, not unaffected.
		return VerdictNeedsReview, fmt.Sprintf("version %s is not among the affected versions listed (%s), and the publisher states no status for other versions", version, describeMiss(where, len(versions))), basisDefault
	}
	return VerdictNeedsReview, fmt.Sprintf("the entry states %q for other versions than %s", a.Status, version), basisNone
}

// splitNEVRA reads an RPM NEVRA as Red Hat CSAF lists it
// ("git-lfs-debuginfo-0:2.13.3-3.el8_6.1.x86_64") into the package name and
// the epoch:version-release the ordering compares. ok is false when v is
// not shaped like a NEVRA.
func splitNEVRA(v string) (name, evr string, ok bool) {
	if i := strings.LastIndexByte(v, '.'); i > 0 {
		switch v[i+1:] {
		case "src", "noarch", "x86_64", "aarch64", "ppc64le", "s390x", "i686", "i386":
			v = v[:i]
		}
	}
	r := strings.LastIndexByte(v, '-')
	if r <= 0 {
		return "", "", false
	}
	n := strings.LastIndexByte(v[:r], '-')
	if n <= 0 {
		return "", "", false
	}
	return v[:n], v[n+1:], true
}

// rpmStream is the Red Hat release stream in an RPM version ("el8_6" in
// "2.13.3-3.el8_6.1", "el9" in "1:3.0.7-27.el9"), or "".
func rpmStream(v string) string {
	return elStream.FindString(v)
}

var elStream = regexp.MustCompile(`\bel\d+(?:_\d+)?`)

func describeMiss(where string, n int) string {
	if where != "" {
		return where
	}
	return fmt.Sprintf("%d versions", n)
}

// fixedIn handles a package entry that names the one version carrying the
// fix (Red Hat and distribution advisories): older versions of the package
// are affected, that version and later ones are fixed.
func (e *Engine) fixedIn(cc *compiledComponent, a *feeds.Affected, fixed string) (Verdict, string, basis) {
	sch, name, err := e.schemeFor(cc, a, "")
	if err != nil {
		return VerdictNeedsReview, err.Error(), basisExplicit
	}
	iv, err := e.parseInstalled(cc, sch)
	if err != nil {
		return VerdictNeedsReview, err.Error(), basisExplicit
	}
	fv, err := sch.Parse(fixed)
	if err != nil {
		return VerdictNeedsReview, fmt.Sprintf("the fixed version %q is not a valid %s version", fixed, name), basisExplicit
	}
	c, err := iv.Compare(fv)
	if err != nil {
		return VerdictNeedsReview, fmt.Sprintf("version %s cannot be compared with the fixed version %s: %v", cc.version, fixed, err), basisExplicit
	}
	if is, fs := rpmStream(cc.version), rpmStream(fixed); is != fs {
		// Red Hat numbers z-stream builds (el8_6) below later main-stream
		// ones (el8_8): ordering across streams says nothing.
		return VerdictNeedsReview, fmt.Sprintf("the fix %s is for another release stream (%s) than version %s (%s)",
			fixed, firstNonEmpty(fs, "none"), cc.version, firstNonEmpty(is, "none")), basisExplicit
	}
	if c < 0 {
		return VerdictAffected, fmt.Sprintf("version %s is older than the fixed version %s (%s ordering)", cc.version, fixed, name), basisExplicit
	}
	return VerdictFixed, fmt.Sprintf("version %s is at or after the fixed version %s (%s ordering)", cc.version, fixed, name), basisExplicit
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

// schemeFor picks the version ordering for an entry (and a range type):
// the entry's ecosystem, else the component's, else the generic vendor
// scheme. name describes the choice for reasons.
func (e *Engine) schemeFor(cc *compiledComponent, a *feeds.Affected, rangeType string) (vercmp.Scheme, string, error) {
	eco := strings.TrimSpace(a.Ecosystem)
	if eco == "" {
		eco = cc.ecosystem
	}
	if rangeType != "" {
		s, err := vercmp.ForRange(rangeType, eco)
		if err != nil {
			return nil, "", fmt.Errorf("range type %q cannot be compared: %v", rangeType, err)
		}
		return s, s.Name(), nil
	}
	if eco != "" {
		s, err := vercmp.ForEcosystem(eco)
		if err != nil {
			return nil, "", fmt.Errorf("ecosystem %q has no known version ordering", eco)
		}
		return s, s.Name(), nil
	}
	s := vercmp.Generic()
	return s, s.Name(), nil
}

// parseInstalled returns the component's version in scheme s, reusing the
// versions parsed when the engine was built.
func (e *Engine) parseInstalled(cc *compiledComponent, s vercmp.Scheme) (vercmp.Version, error) {
	switch {
	case cc.native != nil && cc.scheme != nil && cc.scheme.Name() == s.Name():
		return cc.native, nil
	case cc.generic != nil && s.Name() == vercmp.Generic().Name():
		return cc.generic, nil
	}
	v, err := s.Parse(cc.version)
	if err != nil {
		return nil, fmt.Errorf("version %q cannot be compared as a %s version: %v", cc.version, s.Name(), err)
	}
	return v, nil
}

// listed reports whether the component's version is among versions or
// inside one of the entry's ranges, and where. err says why it cannot be
// decided.
func (e *Engine) listed(cc *compiledComponent, a *feeds.Affected, versions []string) (bool, string, error) {
	if len(versions) > 0 {
		want := trimV(cc.version)
		var sch vercmp.Scheme
		var iv vercmp.Version
		var failed error
		if s, _, err := e.schemeFor(cc, a, ""); err != nil {
			failed = err
		} else if v, err := e.parseInstalled(cc, s); err != nil {
			failed = err
		} else {
			sch, iv = s, v
		}
		for _, v := range versions {
			if trimV(v) == want {
				return true, "listed explicitly", nil
			}
			if sch == nil {
				continue
			}
			if cc.pkg != nil && cc.pkg.Type == "rpm" {
				if name, evr, ok := splitNEVRA(v); ok {
					if name != cc.pkg.Name {
						continue // another package of the same build (git-lfs-debuginfo)
					}
					v = evr
				}
			}
			pv, err := sch.Parse(v)
			if err != nil {
				failed = fmt.Errorf("the listed version %q cannot be compared as a %s version", textx.Clip(v, 80), sch.Name())
				continue
			}
			c, err := pv.Compare(iv)
			if err != nil {
				failed = fmt.Errorf("version %s cannot be compared with the listed version %q: %v", cc.version, textx.Clip(v, 80), err)
				continue
			}
			if c == 0 {
				return true, fmt.Sprintf("listed explicitly (as %s)", v), nil
			}
		}
		// OSV lists (no status, no default) are exact strings; elsewhere a
		// list we could not compare against is no evidence of absence.
		if failed != nil && (a.Status != feeds.StatusUnknown || a.DefaultStatus != feeds.StatusUnknown) {
			return false, "", failed
		}
	}
	if len(a.Ranges) == 0 {
		return false, "", nil
	}
	var outside []string
	for _, r := range a.Ranges {
		in, why, err := e.inRange(cc, a, r)
		if err != nil {
			return false, "", err
		}
		if in {
			return true, why, nil
		}
		outside = append(outside, why)
	}
	return false, strings.Join(outside, "; "), nil
}

// inRange checks one range: OSV/CVE 5 events, a vers expression or a
// free-text comparator list. The why of a miss names the scheme used.
func (e *Engine) inRange(cc *compiledComponent, a *feeds.Affected, r feeds.Range) (bool, string, error) {
	switch strings.ToUpper(strings.TrimSpace(r.Type)) {
	case "GIT":
		return false, "", fmt.Errorf("the affected range is given as git commits (%s), which cannot be ordered offline", firstNonEmpty(r.Repo, "no repository"))
	case "VERS":
		vr, err := vercmp.ParseVers(r.Expr)
		if err != nil {
			return false, "", fmt.Errorf("vers range %q cannot be read: %v", textx.Clip(r.Expr, 80), err)
		}
		if len(vr.Constraints) == 1 && vr.Constraints[0].Comparator == "*" {
			return true, "inside " + r.Expr + " (every version)", nil
		}
		sch, err := vercmp.ForVers(vr.Scheme)
		if err != nil {
			return false, "", fmt.Errorf("vers range %q: %v", textx.Clip(r.Expr, 80), err)
		}
		iv, err := e.parseInstalled(cc, sch)
		if err != nil {
			return false, "", err
		}
		in, err := vr.Contains(sch, iv)
		if err != nil {
			return false, "", fmt.Errorf("vers range %q: %v", textx.Clip(r.Expr, 80), err)
		}
		if in {
			return true, "inside " + r.Expr, nil
		}
		return false, "outside " + r.Expr, nil
	case "TEXT":
		cs, err := textComparators(r.Expr)
		if err != nil {
			return false, "", err
		}
		sch, name, err := e.schemeFor(cc, a, "")
		if err != nil {
			return false, "", err
		}
		iv, err := e.parseInstalled(cc, sch)
		if err != nil {
			return false, "", err
		}
		in, _, err := vercmp.MatchComparators(sch, iv, cs)
		if err != nil {
			return false, "", fmt.Errorf("the affected range %q: %v", textx.Clip(r.Expr, 80), err)
		}
		if in {
			return true, fmt.Sprintf("inside %q (%s ordering)", r.Expr, name), nil
		}
		return false, fmt.Sprintf("outside %q (%s ordering)", r.Expr, name), nil
	}
	sch, name, err := e.schemeFor(cc, a, r.Type)
	if err != nil {
		return false, "", err
	}
	iv, err := e.parseInstalled(cc, sch)
	if err != nil {
		return false, "", err
	}
	in, why, err := vercmp.InEvents(sch, iv, r.Events)
	if err != nil {
		return false, "", err
	}
	if in {
		return true, why + " (" + name + " ordering)", nil
	}
	return false, "compared with " + name + " ordering", nil
}

// textComparators reads a free-text range. Publishers also separate the
// comparators of one interval with "|" as vers does (">=12|<=68"); several
// versions packed into one token with "_" ("<v36.011_v35.013_v34.014",
// one bound per release line) are not a comparable range.
func textComparators(expr string) ([]vercmp.Constraint, error) {
	t := strings.TrimSpace(expr)
	if !strings.HasPrefix(t, "vers:") {
		t = strings.ReplaceAll(t, "|", ",")
	}
	cs, err := vercmp.ParseComparators(t)
	if err == nil {
		for _, c := range cs {
			if strings.Contains(c.Version, "_") {
				err = fmt.Errorf("bound %q packs several versions into one token", c.Version)
				break
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("the affected range %q is free text that cannot be compared (%v)", textx.Clip(expr, 80), err)
	}
	return cs, nil
}

func trimV(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 1 && (s[0] == 'v' || s[0] == 'V') && s[1] >= '0' && s[1] <= '9' {
		return s[1:]
	}
	return s
}
