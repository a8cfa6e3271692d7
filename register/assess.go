package register

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sigwatch/sigwatch/internal/timex"
	"github.com/sigwatch/sigwatch/internal/yamlin"
)

// Third-party assessment: a customer assessing a supplier's 5.6 practice
// runs the register checks on the supplier's register, walks the
// questionnaire and gets red flags. Every red flag is derived from data in
// the assessment file or the supplier's register, never from a judgement
// of free text.

// Question is one question of the vendor questionnaire, with the evidence
// to ask for with it.
type Question struct {
	// ID is "q1" to "q6"; answers refer to questions by ID.
	ID   string `yaml:"id" json:"id"`
	Text string `yaml:"text" json:"text"`
	// Evidence lists what to ask the vendor to show.
	Evidence []string `yaml:"evidence" json:"evidence"`
}

// Questionnaire returns the questions a customer asks a supplier about its
// contact with special interest groups, in order (q1 to q6). It is also
// the set of questions a sigwatch user should be able to answer about its
// own practice. Each call returns a fresh copy.
func Questionnaire() []Question {
	return []Question{
		{
			ID: "q1",
			Text: "Which specific groups and channels do you watch for the products and components you supply to us, " +
				"and who is the owner and who the backup of each?",
			Evidence: []string{
				"an extract of the register with each group's owner, backup and last review date",
				"dated subscription or membership confirmations (e-mails, invoices, certificates)",
			},
		},
		{
			ID: "q2",
			Text: "How do you find out about vulnerabilities in the third-party components of your product: " +
				"do you keep an SBOM, and which advisory sources do you match it against?",
			Evidence: []string{
				"the SBOM of the product we use, or an extract of it",
				"the list of advisory sources matched against it, with a sample of intake-log entries showing the source of each",
			},
		},
		{
			ID: "q3",
			Text: "What are your targets from receipt of an advisory to triage and from triage to fix, " +
				"and what median and 90th percentile did you reach last quarter?",
			Evidence: []string{
				"a sample of the intake log with the receipt and triage time and the decision (with its reason) of each advisory",
				"the latest KPI report",
			},
		},
		{
			ID: "q4",
			Text: "How, through which channel and within what time do you tell customers about critical vulnerabilities in your product, " +
				"and do you publish machine-readable advisories (CSAF provider metadata, a CSAF line in security.txt, RSS)?",
			Evidence: []string{
				"the URL of your public advisory channel and a sample advisory (or your provider-metadata.json)",
				"the committed notification time in writing (contract, security schedule or published policy)",
			},
		},
		{
			ID:   "q5",
			Text: "When did you last review the register of groups you watch, and what did the review change?",
			Evidence: []string{
				"the latest review records: date, reviewer, outcome (keep, change or retire) and notes",
			},
		},
		{
			ID: "q6",
			Text: "Give two examples from the last 12 months in which information from outside " +
				"changed one of your controls or triggered a fix.",
			Evidence: []string{
				"two closed trails from advisory to action: the advisory, the ticket or change, and its closure",
			},
		},
	}
}

// questionIDs returns the IDs of the questionnaire, in order.
func questionIDs() []string {
	qs := Questionnaire()
	ids := make([]string, len(qs))
	for i, q := range qs {
		ids[i] = q.ID
	}
	return ids
}

// Assessment is what a customer collected when assessing a supplier's
// practice; it is kept as a YAML or JSON file (see [ParseAssessment]):
//
//	vendor: Contoso Gateway Ltd       # required
//	assessed: 2026-11-23              # required: the day of the assessment
//	assessor: Maria Okafor
//	register: contoso-register.yaml   # the vendor's register, relative to this file
//	answers:
//	  - {question: q1, answer: "…", evidence: [register extract of 2026-11-01]}
//	intake:
//	  targets: {receipt_to_triage: 1d, triage_to_fix: 2w}
//	  measured:
//	    over: 2026-Q3
//	    receipt_to_triage: {median: 1d, p90: 2d}
//	    triage_to_fix: {median: 6d, p90: 3w}
//	  sample:
//	    - {advisory: CVE-2026-20045, received: 2026-10-02T08:14:00Z, triaged: 2026-10-02T11:40:00Z, decision: actionable}
//	disclosure:
//	  advisory_page: https://contoso.example/security/advisories
//	  csaf_provider_metadata: https://contoso.example/.well-known/csaf/provider-metadata.json
//	  security_txt: https://contoso.example/.well-known/security.txt
//	  rss: https://contoso.example/security/advisories.rss
//	  notify_within: 2d
//	examples:
//	  - {date: 2026-03-14, advisory: CVE-2026-1234, change: "…"}
type Assessment struct {
	// Vendor names the supplier assessed. Required.
	Vendor string `yaml:"vendor" json:"vendor"`
	// Assessed is the day of the assessment; [Assess] judges the vendor
	// as of this day. Required.
	Assessed Date `yaml:"assessed" json:"assessed"`
	// Assessor is who carried out the assessment.
	Assessor string `yaml:"assessor,omitempty" json:"assessor,omitempty"`
	// Register is the path of the vendor's register file, relative to the
	// assessment file (or absolute); empty when the vendor could not
	// produce one.
	Register string `yaml:"register,omitempty" json:"register,omitempty"`
	// Answers are the vendor's answers to the [Questionnaire], at most one
	// per question.
	Answers []Answer `yaml:"answers,omitempty" json:"answers,omitempty"`
	// Intake is what the vendor showed of its advisory intake (q3).
	Intake Intake `yaml:"intake,omitempty" json:"intake,omitzero"`
	// Disclosure is how the vendor tells its customers about
	// vulnerabilities in its own products (q4).
	Disclosure Disclosure `yaml:"disclosure,omitempty" json:"disclosure,omitzero"`
	// Examples are cases in which external information changed a control
	// or triggered a fix (q6).
	Examples []ActionExample `yaml:"examples,omitempty" json:"examples,omitempty"`
}

// Answer is the vendor's answer to one question.
type Answer struct {
	// Question is the question's ID ("q1"). Required.
	Question string `yaml:"question" json:"question"`
	// Answer is what the vendor said, in its words. Required.
	Answer string `yaml:"answer" json:"answer"`
	// Evidence lists references to what the vendor showed.
	Evidence []string `yaml:"evidence,omitempty" json:"evidence,omitempty"`
}

// Intake is what the vendor showed of its advisory intake.
type Intake struct {
	// Targets are the times the vendor commits to.
	Targets IntakeTargets `yaml:"targets,omitempty" json:"targets,omitzero"`
	// Measured is what the vendor reports it reached.
	Measured IntakeMeasured `yaml:"measured,omitempty" json:"measured,omitzero"`
	// Sample is a sample of the vendor's intake log.
	Sample []IntakeRecord `yaml:"sample,omitempty" json:"sample,omitempty"`
}

// IntakeTargets are the vendor's target times.
type IntakeTargets struct {
	// ReceiptToTriage is the target from receipt of an advisory to its triage decision.
	ReceiptToTriage Period `yaml:"receipt_to_triage,omitempty" json:"receipt_to_triage,omitzero"`
	// TriageToFix is the target from an actionable decision to the fix.
	TriageToFix Period `yaml:"triage_to_fix,omitempty" json:"triage_to_fix,omitzero"`
}

// IntakeMeasured is what the vendor reports it reached over a period.
type IntakeMeasured struct {
	// Over names the period measured ("2026-Q3").
	Over            string      `yaml:"over,omitempty" json:"over,omitempty"`
	ReceiptToTriage IntakeStats `yaml:"receipt_to_triage,omitempty" json:"receipt_to_triage,omitzero"`
	TriageToFix     IntakeStats `yaml:"triage_to_fix,omitempty" json:"triage_to_fix,omitzero"`
}

// IntakeStats are the median and 90th percentile of a duration. They are
// periods, so the finest unit is a day.
type IntakeStats struct {
	Median Period `yaml:"median,omitempty" json:"median,omitzero"`
	P90    Period `yaml:"p90,omitempty" json:"p90,omitzero"`
}

// IntakeRecord is one entry of the vendor's intake log.
type IntakeRecord struct {
	// Advisory is the advisory's ID (CVE, GHSA, vendor ID). Required.
	Advisory string `yaml:"advisory" json:"advisory"`
	// Received and Triaged are when the advisory arrived and when it was
	// decided; in a file, an RFC 3339 time ("2026-10-02T08:14:00Z") or a
	// day ("2026-10-02", read as midnight UTC). Both are UTC.
	Received time.Time `yaml:"received,omitempty" json:"received,omitzero"`
	Triaged  time.Time `yaml:"triaged,omitempty" json:"triaged,omitzero"`
	// Decision is the triage decision; empty while untriaged.
	Decision IntakeDecision `yaml:"decision,omitempty" json:"decision,omitempty"`
	// Reason is the recorded reason for the decision.
	Reason string `yaml:"reason,omitempty" json:"reason,omitempty"`
}

// IntakeDecision is a triage decision in a vendor's intake log.
type IntakeDecision string

// Intake decisions (the words of triage's decisions, plus duplicate).
const (
	DecisionActionable    IntakeDecision = "actionable"
	DecisionInformational IntakeDecision = "informational"
	DecisionNotApplicable IntakeDecision = "not_applicable"
	DecisionDuplicate     IntakeDecision = "duplicate"
)

// IntakeDecisions lists every valid IntakeDecision in a stable order.
func IntakeDecisions() []IntakeDecision {
	return []IntakeDecision{DecisionActionable, DecisionInformational, DecisionNotApplicable, DecisionDuplicate}
}

// Valid reports whether d is one of [IntakeDecisions].
func (d IntakeDecision) Valid() bool { return slices.Contains(IntakeDecisions(), d) }

// Disclosure is how the vendor tells its customers about vulnerabilities
// in its own products. The URLs are http or https URLs.
type Disclosure struct {
	// AdvisoryPage is the web page listing the vendor's advisories.
	AdvisoryPage string `yaml:"advisory_page,omitempty" json:"advisory_page,omitempty"`
	// CSAFProviderMetadata is the URL of the vendor's CSAF 2.0 provider-metadata.json.
	CSAFProviderMetadata string `yaml:"csaf_provider_metadata,omitempty" json:"csaf_provider_metadata,omitempty"`
	// SecurityTxt is the URL of the vendor's security.txt (RFC 9116).
	SecurityTxt string `yaml:"security_txt,omitempty" json:"security_txt,omitempty"`
	// RSS is the URL of an RSS or Atom feed of advisories.
	RSS string `yaml:"rss,omitempty" json:"rss,omitempty"`
	// Channel says how customers are told directly ("e-mail to registered
	// security contacts").
	Channel string `yaml:"channel,omitempty" json:"channel,omitempty"`
	// NotifyWithin is the committed time within which customers are told
	// of a critical vulnerability.
	NotifyWithin Period `yaml:"notify_within,omitempty" json:"notify_within,omitzero"`
}

// ActionExample is a case in which external information changed a control
// or triggered a fix (q6).
type ActionExample struct {
	// Date is when the change was made. Required.
	Date Date `yaml:"date" json:"date"`
	// Advisory names the external information (an advisory ID, a
	// briefing). Required.
	Advisory string `yaml:"advisory" json:"advisory"`
	// Change is what changed. Required.
	Change string `yaml:"change" json:"change"`
}

// ParseAssessment reads an assessment in YAML or JSON; name identifies the
// input in messages ("" means "<input>"). Like [Parse] it reports every
// problem at once, as an [ErrorList] of [*Error] values with line and
// column: syntax errors, unknown fields (with a suggestion), values of the
// wrong type, and the checks of [Assessment.Validate] (a missing vendor or
// day, an unknown question ID, two answers to one question, a decision
// that is not one of [IntakeDecisions], a triage before its receipt, a URL
// that is not http or https). It returns a nil Assessment whenever it
// returns an error. Input larger than [MaxFileSize] is rejected.
func ParseAssessment(r io.Reader, name string) (*Assessment, error) {
	data, name, err := readInput(r, name)
	if err != nil {
		return nil, err
	}
	a, errs := parseAssessment(data, name)
	if len(errs) > 0 {
		return nil, errs
	}
	return a, nil
}

func parseAssessment(data []byte, name string) (*Assessment, ErrorList) {
	a := new(Assessment)
	opts := &yamlin.Options{File: name, MaxErrors: maxErrors, Value: decodeAssessmentValue}
	if errs := decodeFile(data, name, "an assessment", [2]string{"vendor", "assessed"}, a, opts,
		func(c *checker) { c.assessment(a) }); len(errs) > 0 {
		return nil, errs
	}
	return a, nil
}

var timeType = reflect.TypeFor[time.Time]()

// decodeAssessmentValue decodes the register's text types and times.
func decodeAssessmentValue(n *yaml.Node, v reflect.Value, path string) (bool, error) {
	if v.Type() != timeType {
		return decodeText(n, v, path)
	}
	if n.Kind != yaml.ScalarNode {
		return true, fmt.Errorf("want a time (RFC 3339, such as 2026-10-02T08:14:00Z, or a day, YYYY-MM-DD), got %s", yamlin.DescribeNode(n))
	}
	t, err := parseInstant(n.Value)
	if err != nil {
		return true, err
	}
	v.Set(reflect.ValueOf(t))
	return true, nil
}

// parseInstant parses a time as every sigwatch input does (internal/timex:
// RFC 3339, a space for the T, a YYYY-MM-DD day as midnight UTC, and the
// other forms feeds use) and returns it in UTC.
func parseInstant(s string) (time.Time, error) {
	t, err := timex.Parse(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid time %q: want RFC 3339 (2026-10-02T08:14:00Z) or a day (YYYY-MM-DD)", clipText(s))
	}
	return t, nil
}

// LoadAssessment reads the assessment file at path and, when it names one,
// the vendor's register (its Register path is relative to the assessment
// file). Problems in either file come as an [ErrorList] whose entries name
// that file and the line; a file that cannot be opened gives an error that
// names it and wraps the os error, so errors.Is(err, fs.ErrNotExist)
// works. The register is nil when the assessment names none. Nothing is
// returned with an error.
func LoadAssessment(path string) (*Assessment, *Register, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("register: %w", err)
	}
	defer f.Close()
	a, err := ParseAssessment(f, path)
	if err != nil {
		return nil, nil, err
	}
	if a.Register == "" {
		return a, nil, nil
	}
	rp := a.Register
	if !filepath.IsAbs(rp) {
		rp = filepath.Join(filepath.Dir(path), rp)
	}
	reg, err := Load(rp)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, nil, fmt.Errorf("register: %s: cannot read the vendor's register %q: %w", path, a.Register, pe)
		}
		return nil, nil, err
	}
	return a, reg, nil
}

// Validate checks that an assessment built in code is well formed, with
// the checks [ParseAssessment] runs; the [ErrorList] it returns names the
// path of each problem and has no positions.
func (a *Assessment) Validate() error {
	c := &checker{}
	c.assessment(a)
	return c.errs.err()
}

// assessment runs the semantic checks of an assessment.
func (c *checker) assessment(a *Assessment) {
	c.strings(reflect.ValueOf(a).Elem(), "")
	c.required("", "vendor", strings.TrimSpace(a.Vendor))
	c.requiredDate("", "assessed", a.Assessed)
	if a.Register != "" && strings.Contains(a.Register, "://") {
		c.errorf("register", "want the path of the vendor's register file, relative to this file, not a URL")
	}

	ids := questionIDs()
	answered := map[string]string{}
	for i := range a.Answers {
		ans := &a.Answers[i]
		path := "answers[" + strconv.Itoa(i) + "]"
		c.required(path, "question", ans.Question)
		c.required(path, "answer", strings.TrimSpace(ans.Answer))
		switch q := ans.Question; {
		case q == "":
		case !slices.Contains(ids, q):
			hint := ""
			if j := slices.IndexFunc(ids, func(id string) bool { return strings.EqualFold(id, strings.TrimSpace(q)) }); j >= 0 {
				hint = fmt.Sprintf(" (did you mean %q?)", ids[j])
			}
			c.errorf(path+".question", "unknown question %q%s; want one of %s", clipText(q), hint, strings.Join(ids, ", "))
		case answered[q] != "":
			c.errorf(path+".question", "a second answer to %s (first %s); put the whole answer in one entry", q, c.where(answered[q]))
		default:
			answered[q] = path + ".question"
		}
	}

	in := &a.Intake
	c.period("intake.targets.receipt_to_triage", in.Targets.ReceiptToTriage)
	c.period("intake.targets.triage_to_fix", in.Targets.TriageToFix)
	c.stats("intake.measured.receipt_to_triage", in.Measured.ReceiptToTriage)
	c.stats("intake.measured.triage_to_fix", in.Measured.TriageToFix)
	for i := range in.Sample {
		rec := &in.Sample[i]
		path := "intake.sample[" + strconv.Itoa(i) + "]"
		c.required(path, "advisory", strings.TrimSpace(rec.Advisory))
		c.instant(path+".received", rec.Received)
		c.instant(path+".triaged", rec.Triaged)
		if !rec.Received.IsZero() && !rec.Triaged.IsZero() && rec.Triaged.Before(rec.Received) {
			c.errorf(path+".triaged", "triaged (%s) before it was received (%s)",
				rec.Triaged.Format(time.RFC3339), rec.Received.Format(time.RFC3339))
		}
		if d := rec.Decision; d != "" && !d.Valid() {
			words := make([]string, 0, 4)
			for _, w := range IntakeDecisions() {
				words = append(words, string(w))
			}
			c.errorf(path+".decision", "unknown decision %q%s; want one of %s", clipText(string(d)), didYouMean(string(d), words), strings.Join(words, ", "))
		}
	}

	ds := &a.Disclosure
	c.webURL("disclosure.advisory_page", ds.AdvisoryPage)
	c.webURL("disclosure.csaf_provider_metadata", ds.CSAFProviderMetadata)
	c.webURL("disclosure.security_txt", ds.SecurityTxt)
	c.webURL("disclosure.rss", ds.RSS)
	c.period("disclosure.notify_within", ds.NotifyWithin)

	for i := range a.Examples {
		ex := &a.Examples[i]
		path := "examples[" + strconv.Itoa(i) + "]"
		c.requiredDate(path, "date", ex.Date)
		c.required(path, "advisory", strings.TrimSpace(ex.Advisory))
		c.required(path, "change", strings.TrimSpace(ex.Change))
	}
}

// stats checks a median and p90: each a valid period, the p90 not shorter
// than the median.
func (c *checker) stats(path string, s IntakeStats) {
	c.period(path+".median", s.Median)
	c.period(path+".p90", s.P90)
	if s.Median.IsZero() || s.P90.IsZero() || s.Median.check() != nil || s.P90.check() != nil {
		return
	}
	base := NewDate(2000, time.January, 1)
	if base.AddPeriod(s.P90).Before(base.AddPeriod(s.Median)) {
		c.errorf(path+".p90", "p90 (%s) is shorter than the median (%s)", s.P90, s.Median)
	}
}

// instant checks a time can be written as RFC 3339.
func (c *checker) instant(path string, t time.Time) {
	if y := t.Year(); !t.IsZero() && (y < 0 || y > 9999) {
		c.errorf(path, "time %s is outside the years 0000-9999", t.Format(time.RFC3339))
	}
}

// webURL checks an optional http or https URL.
func (c *checker) webURL(path, s string) {
	if s == "" {
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		c.errorf(path, "want an http or https URL, got %q", clipText(s))
	}
}

// RedFlagCode identifies a kind of [RedFlag]. Codes are stable: tools may
// filter on them, and a new red flag gets a new code.
type RedFlagCode string

// Red-flag codes. The doc comment of each says exactly when [Assess]
// raises it. "Live" groups are those whose membership has not ended and
// whose last review did not retire them ([Group.Live]); authorities
// ([Group.IsAuthority], or an authority's name without a stated purpose)
// are not special interest groups. The 12 months before the assessment day
// d run from d minus 12 months to d, both included. Each code is raised at
// most once, listing everything it concerns.
const (
	// RedFlagCannotNameGroups: there is no vendor register, or it has no
	// live group that is neither vague (a platform, see [CodeVague]) nor
	// an authority.
	RedFlagCannotNameGroups RedFlagCode = "cannot-name-groups"
	// RedFlagPlatformsOnly: the vendor's register has a vague-entry
	// finding ("we follow Twitter / the news").
	RedFlagPlatformsOnly RedFlagCode = "platforms-only"
	// RedFlagSinglePerson: no live group has a backup who is in the
	// register's people, active and not its owner ("one person and no
	// backup"); the message says when one person also owns every group.
	RedFlagSinglePerson RedFlagCode = "single-person"
	// RedFlagReviewStale: the vendor's register has no review record on
	// any group dated in the 12 months before the assessment.
	RedFlagReviewStale RedFlagCode = "review-stale"
	// RedFlagNoIntakeProcess: the assessment has no intake sample and no
	// receipt-to-triage or triage-to-fix target.
	RedFlagNoIntakeProcess RedFlagCode = "no-intake-process"
	// RedFlagNoTimestamps: an intake sample record lacks its received or
	// its triaged time, so receipt-to-triage cannot be computed.
	RedFlagNoTimestamps RedFlagCode = "no-timestamps"
	// RedFlagUnexplainedNotApplicable: every intake sample record is
	// not_applicable and at least one has no reason.
	RedFlagUnexplainedNotApplicable RedFlagCode = "unexplained-not-applicable"
	// RedFlagNoPublicChannel: no advisory page, CSAF provider metadata,
	// security.txt or RSS URL for the vendor's own products.
	RedFlagNoPublicChannel RedFlagCode = "no-public-channel"
	// RedFlagNoNotificationCommitment: no committed time to tell
	// customers of a critical vulnerability (disclosure.notify_within).
	RedFlagNoNotificationCommitment RedFlagCode = "no-notification-commitment"
	// RedFlagParticipationMissing: the vendor's register has at least one
	// active community membership (ISAC, professional body, forum) and
	// every one has a [CodeNoParticipation] finding: membership without
	// participation.
	RedFlagParticipationMissing RedFlagCode = "participation-missing"
	// RedFlagUndatedProof: a live group's membership, active on the
	// assessment day, has proofs and none is dated: neither its date is
	// set nor its reference contains a YYYY-MM-DD day (undated
	// screenshots).
	RedFlagUndatedProof RedFlagCode = "undated-proof"
	// RedFlagNoExamples: fewer than two examples (q6) dated in the 12
	// months before the assessment.
	RedFlagNoExamples RedFlagCode = "no-examples"
	// RedFlagUnanswered: questions of the [Questionnaire] without an
	// answer — gaps hidden rather than stated.
	RedFlagUnanswered RedFlagCode = "unanswered"
)

// RedFlagCodes lists every red-flag code in the order they are documented,
// which is the order of [AssessmentResult.RedFlags].
func RedFlagCodes() []RedFlagCode {
	return []RedFlagCode{
		RedFlagCannotNameGroups, RedFlagPlatformsOnly, RedFlagSinglePerson, RedFlagReviewStale,
		RedFlagNoIntakeProcess, RedFlagNoTimestamps, RedFlagUnexplainedNotApplicable,
		RedFlagNoPublicChannel, RedFlagNoNotificationCommitment, RedFlagParticipationMissing,
		RedFlagUndatedProof, RedFlagNoExamples, RedFlagUnanswered,
	}
}

// RedFlag is a reason to distrust the vendor's practice.
type RedFlag struct {
	Code RedFlagCode `json:"code"`
	// Question is the ID of the question the flag concerns, when there is one.
	Question string `json:"question,omitempty"`
	// Message says what is missing and what to ask the vendor for.
	Message string `json:"message"`
}

// AssessmentResult is the outcome of [Assess].
type AssessmentResult struct {
	Vendor string `json:"vendor"`
	// Assessed is the day the vendor was judged as of.
	Assessed Date `json:"assessed"`
	// Findings are [Check]'s findings on the vendor's register; empty
	// without a register.
	Findings []Finding `json:"findings"`
	// RedFlags are in the order of [RedFlagCodes].
	RedFlags []RedFlag `json:"red_flags"`
	// Unanswered are the IDs of the questions without an answer, in order.
	Unanswered []string `json:"unanswered"`
}

// Assess judges a vendor's practice from an assessment and the vendor's
// register (nil when the vendor could not produce one): it runs [Check] on
// the register and derives the red flags listed with the [RedFlagCode]
// constants. opts configures the check (MaxGroups, Stack, …); the clock is
// the assessment day unless opts.Now is set, in which case opts.Now's day
// is the day for the check and the red flags alike (and an assessment
// without a day is judged as of today). Assess does not validate its
// input; a nil assessment is judged as an empty one. The result's slices
// are never nil.
func Assess(a *Assessment, vendor *Register, opts *CheckOptions) *AssessmentResult {
	if a == nil {
		a = &Assessment{}
	}
	var o CheckOptions
	if opts != nil {
		o = *opts
	}
	var now time.Time
	switch {
	case o.Now != nil:
		now = o.Now()
	case !a.Assessed.IsZero():
		now = a.Assessed.Time()
	default:
		now = time.Now()
	}
	now = now.UTC()
	o.Now = func() time.Time { return now }

	res := &AssessmentResult{Vendor: a.Vendor, Assessed: DateOf(now), Findings: []Finding{}, RedFlags: []RedFlag{}, Unanswered: []string{}}
	if vendor != nil {
		if fs := Check(vendor, &o); fs != nil {
			res.Findings = fs
		}
	}
	f := &flagger{a: a, r: vendor, day: res.Assessed, findings: res.Findings}
	f.yearAgo = f.day.AddPeriod(negate(Period{Months: 12}))
	f.run()
	if f.out != nil {
		res.RedFlags = f.out
	}
	if f.unanswered != nil {
		res.Unanswered = f.unanswered
	}
	return res
}

// flagger derives one assessment's red flags.
type flagger struct {
	a          *Assessment
	r          *Register
	day        Date
	yearAgo    Date
	findings   []Finding
	out        []RedFlag
	unanswered []string
}

func (f *flagger) add(code RedFlagCode, question, format string, args ...any) {
	f.out = append(f.out, RedFlag{Code: code, Question: question, Message: fmt.Sprintf(format, args...)})
}

// run raises the flags in the order of RedFlagCodes.
func (f *flagger) run() {
	f.groups()
	if f.r != nil {
		f.platforms()
		f.people()
		f.reviews()
	}
	f.intake()
	f.disclosure()
	if f.r != nil {
		f.participation()
		f.proofs()
	}
	f.examples()
	f.answers()
}

// live returns the register's live groups that are not authorities.
func (f *flagger) live() []*Group {
	var out []*Group
	for i := range f.r.Groups {
		g := &f.r.Groups[i]
		if g.Live() && !isAuthority(g) {
			out = append(out, g)
		}
	}
	return out
}

// isAuthority reports whether a group is an authority as Check judges it:
// purpose authority, or an authority's name and no stated purpose.
func isAuthority(g *Group) bool {
	if g.IsAuthority() {
		return true
	}
	_, named := authorityName(g.Name)
	return g.Purpose == "" && named
}

func isVague(g *Group) bool {
	if _, ok := vagueName(g.Name); ok {
		return true
	}
	_, ok := vagueURL(g.URL)
	return ok
}

func (f *flagger) groups() {
	const ask = "ask for an extract of the register naming each group and channel watched for the products supplied to you, with owner, backup and last review date"
	if f.r == nil {
		f.add(RedFlagCannotNameGroups, "q1", "the vendor produced no register of the groups it watches: %s", ask)
		return
	}
	var vague, authorities, past []string
	for i := range f.r.Groups {
		g := &f.r.Groups[i]
		switch {
		case !g.Live():
			past = append(past, g.ID)
		case isAuthority(g):
			authorities = append(authorities, g.ID)
		case isVague(g):
			vague = append(vague, g.ID)
		default:
			return // a specific, live group
		}
	}
	var why []string
	if len(vague) > 0 {
		why = append(why, "platforms, not groups: "+strings.Join(vague, ", "))
	}
	if len(authorities) > 0 {
		why = append(why, "authorities: "+strings.Join(authorities, ", "))
	}
	if len(past) > 0 {
		why = append(why, "ended or retired: "+strings.Join(past, ", "))
	}
	detail := "the register is empty"
	if len(why) > 0 {
		detail = strings.Join(why, "; ")
	}
	f.add(RedFlagCannotNameGroups, "q1", "the vendor's register names no live, specific group (%s): %s", detail, ask)
}

func (f *flagger) platforms() {
	var vague []string
	for _, fd := range f.findings {
		if fd.Code != CodeVague {
			continue
		}
		name := fd.Group
		if g, ok := f.r.Group(fd.Group); ok {
			name = fmt.Sprintf("%s (%q)", g.ID, g.Name)
		}
		vague = append(vague, name)
	}
	if len(vague) == 0 {
		return
	}
	f.add(RedFlagPlatformsOnly, "q1",
		"the register lists platforms or media instead of groups (\"we follow Twitter / the news\"): %s; ask which accounts, lists or feeds exactly, with their URLs",
		strings.Join(vague, ", "))
}

func (f *flagger) people() {
	live := f.live()
	if len(live) == 0 {
		return // cannot-name-groups says it
	}
	owners := map[string]bool{}
	backed := false
	for _, g := range live {
		if g.Owner != "" {
			owners[g.Owner] = true
		}
		if b, ok := f.r.Person(g.Backup); ok && g.Backup != "" && g.Backup != g.Owner && b.IsActive() {
			backed = true
		}
	}
	if backed {
		return
	}
	var why []string
	switch len(owners) {
	case 0:
		why = append(why, fmt.Sprintf("none of the %s has an owner", plural(len(live), "live group", "live groups")))
	case 1:
		for id := range owners {
			who := id
			if p, ok := f.r.Person(id); ok {
				who = personName(p)
			}
			why = append(why, fmt.Sprintf("%s owns every one of the %s", who, plural(len(live), "live group", "live groups")))
		}
	}
	why = append(why, "no live group has a backup (an active person other than its owner)")
	f.add(RedFlagSinglePerson, "q1", "%s: when that person is away or leaves nobody reads the warnings; ask who owns and who backs up each group",
		strings.Join(why, "; "))
}

func (f *flagger) reviews() {
	var last Date
	for _, g := range f.r.Groups {
		for _, rec := range g.Review.Records {
			if rec.Date.After(f.day) {
				continue // dated after the assessment: not evidence of it
			}
			if !rec.Date.Before(f.yearAgo) {
				return
			}
			if last.IsZero() || last.Before(rec.Date) {
				last = rec.Date
			}
		}
	}
	when := "none is recorded before the assessment"
	if !last.IsZero() {
		when = "the latest is of " + last.String()
	}
	f.add(RedFlagReviewStale, "q5", "no group of the register was reviewed between %s and %s (%s): ask for the latest review records — date, reviewer, outcome and what changed",
		f.yearAgo, f.day, when)
}

func (f *flagger) intake() {
	in := &f.a.Intake
	if len(in.Sample) == 0 && in.Targets.ReceiptToTriage.IsZero() && in.Targets.TriageToFix.IsZero() {
		f.add(RedFlagNoIntakeProcess, "q3",
			"no intake-log sample and no receipt-to-triage or triage-to-fix target: ask for the targets and a sample of the intake log with receipt and triage times and the decision of each advisory")
		return
	}
	var missing []string
	for i, rec := range in.Sample {
		var lacks []string
		if rec.Received.IsZero() {
			lacks = append(lacks, "received")
		}
		if rec.Triaged.IsZero() {
			lacks = append(lacks, "triaged")
		}
		if len(lacks) > 0 {
			missing = append(missing, fmt.Sprintf("%s (no %s time)", sampleName(i, rec), strings.Join(lacks, " or ")))
		}
	}
	if len(missing) > 0 {
		f.add(RedFlagNoTimestamps, "q3",
			"intake records without a receipt or triage time, so receipt-to-triage cannot be computed (%d of %d): %s; ask for the intake log with the receipt and the triage time of every advisory",
			len(missing), len(in.Sample), strings.Join(missing, ", "))
	}
	if len(in.Sample) == 0 {
		return
	}
	var unexplained []string
	for i, rec := range in.Sample {
		if rec.Decision != DecisionNotApplicable {
			return
		}
		if strings.TrimSpace(rec.Reason) == "" {
			unexplained = append(unexplained, sampleName(i, rec))
		}
	}
	if len(unexplained) == 0 {
		return
	}
	what := fmt.Sprintf("all %d intake records are not_applicable, and these give no reason", len(in.Sample))
	if len(in.Sample) == 1 {
		what = "the one intake record is not_applicable and gives no reason"
	}
	f.add(RedFlagUnexplainedNotApplicable, "q3",
		"%s: %s; ask for the recorded reason of each decision (the component or rule that decided it) and a sample that includes actionable advisories",
		what, strings.Join(unexplained, ", "))
}

func sampleName(i int, rec IntakeRecord) string {
	if a := strings.TrimSpace(rec.Advisory); a != "" {
		return clipText(a)
	}
	return "sample[" + strconv.Itoa(i) + "]"
}

func (f *flagger) disclosure() {
	ds := &f.a.Disclosure
	if ds.AdvisoryPage == "" && ds.CSAFProviderMetadata == "" && ds.SecurityTxt == "" && ds.RSS == "" {
		f.add(RedFlagNoPublicChannel, "q4",
			"no public advisory channel for the vendor's own products (no advisory page, CSAF provider metadata, security.txt or RSS feed): ask for its URL and a sample advisory")
	}
	if ds.NotifyWithin.IsZero() {
		f.add(RedFlagNoNotificationCommitment, "q4",
			"no committed time to tell customers of a critical vulnerability: ask for it in writing (contract, security schedule or published policy)")
	}
}

func (f *flagger) participation() {
	silent := map[string]bool{}
	for _, fd := range f.findings {
		if fd.Code == CodeNoParticipation {
			silent[fd.Group] = true
		}
	}
	var members []string
	for _, g := range f.live() {
		if !communities[g.Kind] || g.Membership.Status != MembershipActive {
			continue
		}
		if !silent[g.ID] {
			return // takes part in at least one community
		}
		members = append(members, g.ID)
	}
	if len(members) == 0 {
		return
	}
	f.add(RedFlagParticipationMissing, "q1",
		"no engagement recorded since %s with any community the vendor is a member of (%s): membership without participation; ask for minutes, attendance records or contributions from the last 12 months",
		f.yearAgo, strings.Join(members, ", "))
}

// isoDay finds a YYYY-MM-DD day in a proof's reference.
var isoDay = regexp.MustCompile(`(^|[^0-9])([0-9]{4}-[0-9]{2}-[0-9]{2})($|[^0-9])`)

// dated reports whether a proof carries its date: the date field, or a
// valid YYYY-MM-DD day in its reference ("confirmation e-mail 2024-03-01").
func dated(p Proof) bool {
	if !p.Date.IsZero() {
		return true
	}
	for _, m := range isoDay.FindAllStringSubmatch(p.Ref, -1) {
		if _, err := ParseDate(m[2]); err == nil {
			return true
		}
	}
	return false
}

func (f *flagger) proofs() {
	var undated []string
	for _, g := range f.live() {
		m := &g.Membership
		if !m.ActiveAt(f.day) || len(m.Proof) == 0 || slices.ContainsFunc(m.Proof, dated) {
			continue
		}
		undated = append(undated, g.ID)
	}
	if len(undated) == 0 {
		return
	}
	f.add(RedFlagUndatedProof, "q1",
		"no proof of membership carries a date for %s: ask for dated confirmations (e-mails, invoices, certificates, dated portal screenshots)",
		strings.Join(undated, ", "))
}

func (f *flagger) examples() {
	n := 0
	for _, ex := range f.a.Examples {
		if !ex.Date.Before(f.yearAgo) && !ex.Date.After(f.day) {
			n++
		}
	}
	if n >= 2 {
		return
	}
	f.add(RedFlagNoExamples, "q6",
		"%s between %s and %s of external information changing a control or triggering a fix, 2 wanted: ask for two closed trails from advisory to action (the advisory, the ticket or change, its closure)",
		plural(n, "example", "examples"), f.yearAgo, f.day)
}

func (f *flagger) answers() {
	given := map[string]bool{}
	for _, ans := range f.a.Answers {
		if strings.TrimSpace(ans.Answer) != "" {
			given[ans.Question] = true
		}
	}
	for _, id := range questionIDs() {
		if !given[id] {
			f.unanswered = append(f.unanswered, id)
		}
	}
	if len(f.unanswered) == 0 {
		return
	}
	f.add(RedFlagUnanswered, "",
		"%s left unanswered: %s; ask the vendor to answer, or to say plainly what it does not do — a stated gap is better than a hidden one",
		plural(len(f.unanswered), "question", "questions"), strings.Join(f.unanswered, ", "))
}
