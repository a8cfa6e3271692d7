package triage

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
)

// Justification says why a component is not affected, in the VEX
// vocabulary shared by CSAF, OpenVEX and CycloneDX.
type Justification string

// VEX justifications.
const (
	JustComponentNotPresent    Justification = "component_not_present"
	JustCodeNotPresent         Justification = "vulnerable_code_not_present"
	JustCodeNotInExecutePath   Justification = "vulnerable_code_not_in_execute_path"
	JustCodeCannotBeControlled Justification = "vulnerable_code_cannot_be_controlled_by_adversary"
	JustInlineMitigationsExist Justification = "inline_mitigations_already_exist"
	JustRiskAccepted           Justification = "risk_accepted" // not VEX: an accepted risk is not "not affected"
	justificationList                        = "component_not_present, vulnerable_code_not_present, vulnerable_code_not_in_execute_path, vulnerable_code_cannot_be_controlled_by_adversary, inline_mitigations_already_exist, risk_accepted"
)

// Valid reports whether j is one of the known justifications.
func (j Justification) Valid() bool {
	switch j {
	case JustComponentNotPresent, JustCodeNotPresent, JustCodeNotInExecutePath,
		JustCodeCannotBeControlled, JustInlineMitigationsExist, JustRiskAccepted:
		return true
	}
	return false
}

// Suppression is an accepted exception: a person decided that an advisory
// does not need action on a component, said why, and until when. The
// engine applies it after the rules; it lapses on its expiry date and is
// reopened when the advisory changes after it was accepted.
type Suppression struct {
	// ID identifies the exception in decisions and evidence.
	ID string `json:"id"`
	// Advisory is the advisory ID or any alias (a CVE ID).
	Advisory string `json:"advisory"`
	// Component is a component ID; empty or "*" covers every component.
	Component string `json:"component,omitempty"`
	// Owner is the person who accepted the exception. Required.
	Owner         string        `json:"owner"`
	Justification Justification `json:"justification"`
	// Statement explains the justification in words. Required.
	Statement string `json:"statement"`
	// Created is when it was accepted; Expires when it lapses (required: an
	// exception without an end date is how risks are forgotten).
	Created time.Time `json:"created,omitzero"`
	Expires time.Time `json:"expires"`
	// Fingerprint is [Fingerprint] of the advisory when the exception was
	// accepted. When set and the advisory's fingerprint differs, the
	// exception no longer applies and the decision says it was reopened.
	Fingerprint string `json:"fingerprint,omitempty"`
}

func (s *Suppression) covers(a *feeds.Advisory, componentID string) bool {
	if s.Component != "" && s.Component != "*" && s.Component != componentID {
		return false
	}
	if strings.EqualFold(s.Advisory, a.ID) {
		return true
	}
	return slices.ContainsFunc(a.Aliases, func(x string) bool { return strings.EqualFold(x, s.Advisory) })
}

// suppressionProblem is one problem with one suppression's field.
type suppressionProblem struct {
	index     int
	id, field string
	msg       string
}

func suppressionProblems(ss []Suppression) []suppressionProblem {
	var out []suppressionProblem
	seen := map[string]int{}
	for i, s := range ss {
		bad := func(field, format string, args ...any) {
			out = append(out, suppressionProblem{index: i, id: s.ID, field: field, msg: fmt.Sprintf(format, args...)})
		}
		switch j, dup := seen[s.ID]; {
		case strings.TrimSpace(s.ID) == "":
			bad("id", "missing id")
		case dup:
			bad("id", "duplicate id %q (first used by suppressions[%d])", s.ID, j)
		default:
			seen[s.ID] = i
		}
		if strings.TrimSpace(s.Advisory) == "" {
			bad("advisory", "missing advisory (an advisory ID or CVE)")
		}
		if strings.TrimSpace(s.Owner) == "" {
			bad("owner", "missing owner: who accepted this exception?")
		}
		if !s.Justification.Valid() {
			bad("justification", "justification %q is not one of %s", s.Justification, justificationList)
		}
		if strings.TrimSpace(s.Statement) == "" {
			bad("statement", "missing statement: say why in words")
		}
		if s.Expires.IsZero() {
			bad("expires", "missing expires: every exception needs an end date")
		} else if !s.Created.IsZero() && !s.Expires.After(s.Created) {
			bad("expires", "expires %s is not after created %s", day(s.Expires), day(s.Created))
		}
	}
	return out
}

// validateSuppressions returns every problem at once.
func validateSuppressions(ss []Suppression) error {
	var errs []error
	for _, p := range suppressionProblems(ss) {
		where := fmt.Sprintf("suppressions[%d]", p.index)
		if p.id != "" {
			where += " (" + p.id + ")"
		}
		errs = append(errs, fmt.Errorf("triage: %s: %s", where, p.msg))
	}
	return errors.Join(errs...)
}

// Fingerprint returns a short hash of the parts of an advisory that a
// triage decision depends on: affected products and versions, exploitation
// facts, severity and scores, and withdrawal. Editorial changes (title,
// summary, references) do not change it. Store it with a [Suppression] so
// that a revised advisory reopens the exception.
func Fingerprint(a *feeds.Advisory) string {
	type kev struct {
		Ransomware string
		DueDate    time.Time
	}
	v := struct {
		Affected   []feeds.Affected
		KEV        *kev
		SSVC       *feeds.SSVC
		Severity   feeds.Severity
		Scores     []feeds.Score
		Withdrawn  time.Time
		Exploited  []string
		Identifier []string
	}{Affected: sortedByJSON(a.Affected), SSVC: a.Exploitation.SSVC, Severity: a.Severity, Scores: sortedByJSON(a.Scores),
		Withdrawn: a.Withdrawn, Exploited: sortedByJSON(a.Exploitation.Statements)}
	if k := a.Exploitation.KEV; k != nil {
		v.KEV = &kev{Ransomware: k.RansomwareUse, DueDate: k.DueDate}
	}
	if v.SSVC != nil {
		s := *v.SSVC
		s.Timestamp = time.Time{} // a re-assessment with the same values is no change
		v.SSVC = &s
	}
	b, err := json.Marshal(v)
	if err != nil { // cannot happen for these types
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// sortedByJSON returns a copy of xs in the order of their JSON encodings,
// so that the order in which feeds were joined does not change a
// fingerprint.
func sortedByJSON[T any](xs []T) []T {
	type keyed struct {
		k string
		v T
	}
	ks := make([]keyed, len(xs))
	for i, x := range xs {
		b, _ := json.Marshal(x)
		ks[i] = keyed{string(b), x}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return strings.Compare(a.k, b.k) })
	out := make([]T, len(xs))
	for i, k := range ks {
		out[i] = k.v
	}
	return out
}

// applySuppression checks the suppressions for one decision and returns the
// one that applies, or a sentence explaining why a matching one did not.
func applySuppression(ss []Suppression, a *feeds.Advisory, componentID string, now time.Time, fp func() string) (*Suppression, string) {
	var note string
	for i := range ss {
		s := &ss[i]
		if !s.covers(a, componentID) {
			continue
		}
		switch {
		case !now.Before(s.Expires):
			note = fmt.Sprintf("Exception %s (owner %s) expired on %s; the rules decide again.", s.ID, s.Owner, day(s.Expires))
		case s.Fingerprint != "" && s.Fingerprint != fp():
			note = fmt.Sprintf("Exception %s (owner %s) is reopened: the advisory changed since it was accepted (fingerprint %s, now %s).",
				s.ID, s.Owner, s.Fingerprint, fp())
		default:
			return s, ""
		}
	}
	return nil, note
}
