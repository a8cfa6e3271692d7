package evidence

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
)

// Keys of [feeds.Advisory].Extra that [RedactCases] sets on the advisory of
// every case it redacts.
const (
	// ExtraRedacted holds the TLP label the case was redacted under
	// ("AMBER", "RED"), as the redaction marker names it. A case's advisory
	// has this key exactly when RedactCases redacted it.
	ExtraRedacted = "evidence.redacted"
	// ExtraAdvisorySHA256 holds the lower-case hex SHA-256 of the original
	// advisory's JSON (feeds.Advisory as encoding/json writes it, computed
	// as the response log's advisory_sha256), so the original can still be
	// proved unchanged once it is shown.
	ExtraAdvisorySHA256 = "evidence.advisory_sha256"
)

// RedactCases returns deep copies of cases with the advisory text of TLP
// labelled cases replaced, for evidence that leaves the organisation (an
// auditor's pack). cases is not changed and shares no memory with the
// result. redact is the lowest label to redact, as for [EngagementRecords]:
// "amber" redacts AMBER, AMBER+STRICT and RED; "red" only RED; "" nothing
// (the copies are then unchanged). An unknown redact level is an error.
//
// A case's label is the most restrictive of its advisory's TLP and, when
// reg is given, the default handling label (membership.tlp) of every
// register group one of its receipts came through. Receipts carry no label
// of their own and intake's merged advisory keeps the label of the earliest
// receipt, so a group's default stands in for the labels of later receipts
// that were merged in: a public KEV entry that an AMBER ISAC also shared
// is redacted, which errs on the side of keeping text in. A label that is
// not a TLP label (an advisory or register built in code) counts as more
// restrictive than RED and is redacted whenever redact is set, as engagement
// notes are. Cases labelled CLEAR or GREEN, and unlabelled ones, are copied
// unchanged.
//
// In the advisory of a redacted case every non-empty free-text value
// becomes the marker "[redacted TLP:<label>]" ("[redacted TLP:AMBER]"):
// the summary; the URL and every reference, remediation and KEV reference
// URL (links to members' portals often spell out the title); every note's
// title and text; every remediation's details; the exploitation
// statements; the KEV listing's vulnerability name, required action and
// notes; every tag; and every Extra value except the release ones
// ([feeds.IsReleaseExtra]: a catalogue version describes the feed, not the
// advisory). The title becomes the marker followed by " sha256:" and the
// lower-case hex SHA-256 of the original title (UTF-8, as received), so
// every artefact that shows a title — the response log (E4), the
// dissemination record (E6), the POA&M (E5), the KPI lists — shows the hash
// without a schema change, and an auditor shown the original later can
// check it. Extra then gets [ExtraRedacted] and [ExtraAdvisorySHA256].
//
// Text people wrote on the case often quotes the advisory, so it is
// replaced the same way, marker and hash of the original: the reject
// reason, the exception reason, and the note of every event a person made
// (an actor other than intake.Actor, except the receipt events intake
// writes itself) and of every failed notification (the far end's error may
// echo the message, which quotes the title).
//
// Identifiers that could spell out the advisory — a URL or a title slug
// that a feed used as the item's ID — are replaced everywhere (case ID and
// keys, advisory ID, aliases, related IDs, receipts, and the notes intake
// writes) by "redacted:" and 16 hex digits of their SHA-256. CVE and GHSA
// IDs and the PREFIX-digits IDs of vendors, OSV databases and ISACs
// (FG-IR-24-015, ISAC-2026-0042) are kept.
//
// Kept, because an auditor needs them and they are not the advisory's
// content: those identifiers, weaknesses, the source and publisher, dates, TLP, severity, scores,
// KEV dates and ransomware use, SSVC and EPSS, affected products (vendor,
// product, product ID, purl, CPEs, package, version ranges), remediation
// categories and products, note categories, reference types, every
// decision, priority, owner and due date, the triage result (its reasons
// are sigwatch's own words on the stack), the receipts, and every event's
// time, kind, states, actor, reference, notifier and recipient, with the
// notes intake writes itself.
//
// The digests are not keyed: a short, guessable title can be confirmed by
// hashing guesses.
func RedactCases(cases []intake.Case, redact string, reg *register.Register) ([]intake.Case, error) {
	_, level, err := redactRank(redact)
	if err != nil {
		return nil, err
	}
	out := make([]intake.Case, len(cases))
	for i := range cases {
		out[i] = cloneCase(&cases[i])
		if level == 0 {
			continue
		}
		if label, rank := caseLabel(&cases[i], reg); rank >= level {
			redactCase(&out[i], label)
		}
	}
	return out, nil
}

// RedactReport returns a copy of the KPI report with what [RedactCases]
// redacted in the cases redacted in the report too: original are the cases
// the report was computed from, redacted what RedactCases returned for
// them (same order). The title of every listed redacted case becomes the
// title the other artefacts show (kpi.Report.Redacted), and every
// identifier RedactCases replaced by a pseudonym is replaced wherever it
// appears in the report (item lists, exclusions, per-group lists). Compute
// the report from the original cases — its input hashes then prove the
// real inputs, and KPI 2 reads the original triage notes — then redact it:
//
//	report := kpi.Compute(reg, cases, p, asOf, nil)
//	redacted, err := evidence.RedactCases(cases, "amber", reg)
//	...
//	report = evidence.RedactReport(report, cases, redacted)
//
// A nil report gives nil. Cases beyond the shorter of the two slices are
// ignored.
func RedactReport(report *kpi.Report, original, redacted []intake.Case) *kpi.Report {
	if report == nil {
		return nil
	}
	titles, ids := map[string]string{}, map[string]string{}
	for i := range min(len(original), len(redacted)) {
		o, r := &original[i], &redacted[i]
		if r.Advisory.Extra[ExtraRedacted] == "" {
			continue
		}
		titles[o.ID] = r.Advisory.Title
		for id, p := range pseudonyms(o) {
			ids[id] = p
		}
	}
	out := report.Redacted(func(caseID string) (string, bool) {
		t, ok := titles[caseID]
		return t, ok
	})
	if len(ids) > 0 {
		replaceStrings(reflect.ValueOf(out), ids)
	}
	return out
}

// replaceStrings replaces, in place, every string reachable from v that
// equals a key of m by its value. v must be reachable memory of the
// caller's own (a deep copy).
func replaceStrings(v reflect.Value, m map[string]string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			replaceStrings(v.Elem(), m)
		}
	case reflect.String:
		if r, ok := m[v.String()]; ok && v.CanSet() {
			v.SetString(r)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			replaceStrings(v.Index(i), m)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			replaceStrings(e, m)
			nk := k
			if k.Kind() == reflect.String {
				if r, ok := m[k.String()]; ok {
					nk = reflect.ValueOf(r).Convert(k.Type())
					v.SetMapIndex(k, reflect.Value{})
				}
			}
			v.SetMapIndex(nk, e)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				replaceStrings(v.Field(i), m)
			}
		}
	}
}

// knownID matches identifiers that name a vulnerability without describing
// it, and are kept in a redacted case: GHSA IDs and upper-case codes of
// letters and digits joined by - _ . or : (CVE-2024-3400, GO-2024-1234,
// FG-IR-24-015, ISAC-2026-0042, RHSA-2024:1234), at most 64 characters.
// Any other identifier — a URL, or a lower-case title slug an RSS item used
// as its ID — may spell out the advisory, and is replaced by a pseudonym.
var knownID = regexp.MustCompile(`^(?:GHSA(?:-[a-z0-9]{4}){3}|[A-Z0-9]+(?:[-_.:][A-Z0-9]+)*)$`)

// pseudonym is the replacement of an identifier that is not a knownID:
// "redacted:" and the first 16 hex digits of its SHA-256, enough to tell
// cases apart and to check an original shown later.
func pseudonym(id string) string {
	sum := sha256.Sum256([]byte(id))
	return "redacted:" + hex.EncodeToString(sum[:8])
}

// pseudonyms returns the identifiers of a case that redaction replaces,
// with their pseudonyms.
func pseudonyms(c *intake.Case) map[string]string {
	m := map[string]string{}
	add := func(id string) {
		if id != "" && (len(id) > 64 || !knownID.MatchString(id)) {
			m[id] = pseudonym(id)
		}
	}
	add(c.ID)
	for _, k := range c.Keys {
		add(k)
	}
	add(c.Advisory.ID)
	for _, k := range c.Advisory.Aliases {
		add(k)
	}
	for _, k := range c.Advisory.Related {
		add(k)
	}
	for _, r := range c.Receipts {
		add(r.AdvisoryID)
	}
	return m
}

// labelRank parses a TLP label as written; "" is rank 0. The label returned
// is the canonical one ("AMBER") or, for an unknown label, the trimmed text,
// ranked above RED (feeds.TLP.Rank) so that it is redacted at every level.
func labelRank(label string) (string, int) {
	label = strings.TrimSpace(label)
	if label == "" {
		return "", 0
	}
	if t, ok := feeds.ParseTLP(label); ok {
		return string(t), t.Rank()
	}
	return label, feeds.TLP(label).Rank()
}

// caseLabel returns the most restrictive label of the case's advisory and
// of the default labels of its receipts' groups in reg.
func caseLabel(c *intake.Case, reg *register.Register) (string, int) {
	label, rank := labelRank(string(c.Advisory.TLP))
	if reg == nil {
		return label, rank
	}
	for _, r := range c.Receipts {
		if r.Group == "" {
			continue
		}
		for i := range reg.Groups {
			if g := &reg.Groups[i]; g.ID == r.Group {
				if l, k := labelRank(g.Membership.TLP); k > rank {
					label, rank = l, k
				}
			}
		}
	}
	return label, rank
}

// cloneCase is intake.Case.Clone plus the slices it leaves shared.
func cloneCase(c *intake.Case) intake.Case {
	out := c.Clone()
	if out.Triage != nil {
		for i := range out.Triage.Matches {
			out.Triage.Matches[i].SSVC.Assumed = slices.Clone(out.Triage.Matches[i].SSVC.Assumed)
		}
	}
	return out
}

// redactCase replaces the advisory text and people's notes of c, a copy.
func redactCase(c *intake.Case, label string) {
	marker := "[redacted TLP:" + label + "]"
	bare := func(s *string) {
		if *s != "" {
			*s = marker
		}
	}
	hashed := func(s *string) {
		if *s != "" {
			sum := sha256.Sum256([]byte(*s))
			*s = marker + " sha256:" + hex.EncodeToString(sum[:])
		}
	}

	ids := pseudonyms(c)
	rename := func(s *string) {
		if p, ok := ids[*s]; ok {
			*s = p
		}
	}
	rename(&c.ID)
	for i := range c.Keys {
		rename(&c.Keys[i])
	}
	for i := range c.Receipts {
		rename(&c.Receipts[i].AdvisoryID)
	}

	a := &c.Advisory
	var advisorySum string
	if b, err := json.Marshal(a); err == nil { // an Advisory always encodes; no sum otherwise
		sum := sha256.Sum256(b)
		advisorySum = hex.EncodeToString(sum[:])
	}
	rename(&a.ID)
	for i := range a.Aliases {
		rename(&a.Aliases[i])
	}
	for i := range a.Related {
		rename(&a.Related[i])
	}
	hashed(&a.Title)
	bare(&a.Summary)
	bare(&a.URL)
	for i := range a.References {
		bare(&a.References[i].URL)
	}
	for i := range a.Remediations {
		bare(&a.Remediations[i].Details)
		bare(&a.Remediations[i].URL)
	}
	for i := range a.Notes {
		bare(&a.Notes[i].Title)
		bare(&a.Notes[i].Text)
	}
	for i := range a.Exploitation.Statements {
		bare(&a.Exploitation.Statements[i])
	}
	if k := a.Exploitation.KEV; k != nil { // a copy: cloneCase cloned the listing
		bare(&k.VulnerabilityName)
		bare(&k.RequiredAction)
		bare(&k.Notes)
		bare(&k.Reference)
	}
	for i := range a.Tags {
		bare(&a.Tags[i])
	}
	extra := make(map[string]string, len(a.Extra)+2)
	for k, v := range a.Extra {
		if !feeds.IsReleaseExtra(k) {
			bare(&v)
		}
		extra[k] = v
	}
	extra[ExtraRedacted] = label
	if advisorySum != "" {
		extra[ExtraAdvisorySHA256] = advisorySum
	}
	a.Extra = extra

	hashed(&c.RejectReason)
	if c.Exception != nil {
		hashed(&c.Exception.Reason)
	}
	// Longest first, so that an ID that contains another is replaced whole.
	olds := make([]string, 0, len(ids))
	for id := range ids {
		olds = append(olds, id)
	}
	slices.SortFunc(olds, func(x, y string) int { return cmp.Or(len(y)-len(x), strings.Compare(x, y)) })
	for i := range c.Events {
		e := &c.Events[i]
		if personNote(e) {
			hashed(&e.Note)
			continue
		}
		// intake's own notes name the advisory ("received … from …").
		for _, id := range olds {
			e.Note = strings.ReplaceAll(e.Note, id, ids[id])
		}
	}
}

// personNote reports whether an event's note may hold words a person wrote
// or the far end echoed, rather than text intake composed from IDs.
func personNote(e *intake.Event) bool {
	switch e.Kind {
	case intake.EventNotifyFailed:
		return true
	case intake.EventReceived, intake.EventReceipt, intake.EventRevision:
		return false // "received X from Y", composed by intake even for manual receipts
	}
	return e.Actor != intake.Actor
}
