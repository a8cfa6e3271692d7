package evidence

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
)

// RegisterSchema identifies artefact E1, the register snapshot, in all its
// forms (register.csv, register.json, register.md). Under one schema ID the
// CSV columns, their order and the JSON field names do not change; a
// changed meaning gets a new version.
const RegisterSchema = "sigwatch.evidence.register/v1"

// defaultReviewEvery is the review cadence when a group gives none.
var defaultReviewEvery = register.Period{Months: 12}

// Owner statuses in RegisterRecord.
const (
	PersonActive   = "active"   // a person in the register, active
	PersonInactive = "inactive" // a person in the register who has left
	PersonUnknown  = "unknown"  // an ID that is not among the register's people
	PersonMissing  = "missing"  // no ID recorded
)

// RegisterRecord is one register entry as evidence: a flat, self-contained
// view of a register.Group with its people resolved and its review state
// computed. Dates are YYYY-MM-DD; "" means not recorded.
type RegisterRecord struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	URL       string `json:"url"`
	Relevance string `json:"relevance"`

	ScopeRegions []string `json:"scope_regions"`
	ScopeSectors []string `json:"scope_sectors"`
	ScopeVendors []string `json:"scope_vendors"`

	OwnerID   string `json:"owner_id"`
	OwnerName string `json:"owner_name"`
	// OwnerStatus is PersonActive, PersonInactive, PersonUnknown or PersonMissing.
	OwnerStatus  string `json:"owner_status"`
	BackupID     string `json:"backup_id"`
	BackupName   string `json:"backup_name"`
	BackupStatus string `json:"backup_status"`

	MembershipStatus  string   `json:"membership_status"`
	MembershipSince   string   `json:"membership_since"`
	MembershipUntil   string   `json:"membership_until"`
	MembershipRenewal string   `json:"membership_renewal"`
	MembershipTLP     string   `json:"membership_tlp"`
	Proof             []string `json:"proof"`

	Channels []ChannelRecord `json:"channels"`

	// ReviewEvery is the cadence ("12mo"); the default 12mo when none is set.
	ReviewEvery       string `json:"review_every"`
	LastReviewDate    string `json:"last_review_date"`
	LastReviewBy      string `json:"last_review_by"`
	LastReviewOutcome string `json:"last_review_outcome"`
	// NextReviewDue is the last review date plus the cadence; "" when the
	// entry has never been reviewed.
	NextReviewDue string `json:"next_review_due"`

	Engagements        int    `json:"engagements"`
	LastEngagementDate string `json:"last_engagement_date"`
	LastEngagementKind string `json:"last_engagement_kind"`
}

// ChannelRecord is one channel of a register entry.
type ChannelRecord struct {
	Kind   string `json:"kind"`
	URL    string `json:"url"`
	Source string `json:"source"`
}

// PersonRecord is one person in the register snapshot, with the entries
// they own and back up.
type PersonRecord struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Role      string   `json:"role"`
	Technical bool     `json:"technical"`
	Active    bool     `json:"active"`
	Owns      []string `json:"owns"`
	BacksUp   []string `json:"backs_up"`
}

// RegisterSnapshot is the JSON form of artefact E1 (register.json).
type RegisterSnapshot struct {
	Schema       string           `json:"schema"`
	Organisation string           `json:"organisation"`
	Groups       []RegisterRecord `json:"groups"`
	People       []PersonRecord   `json:"people"`
}

// Snapshot returns the register as evidence records: groups and people
// sorted by ID (stable for duplicate IDs). A nil register is empty.
func Snapshot(reg *register.Register) RegisterSnapshot {
	if reg == nil {
		reg = &register.Register{}
	}
	s := RegisterSnapshot{Schema: RegisterSchema, Organisation: reg.Organisation.Name,
		Groups: make([]RegisterRecord, 0, len(reg.Groups)), People: make([]PersonRecord, 0, len(reg.People))}
	for i := range reg.Groups {
		s.Groups = append(s.Groups, groupRecord(reg, &reg.Groups[i]))
	}
	slices.SortStableFunc(s.Groups, func(a, b RegisterRecord) int { return strings.Compare(a.ID, b.ID) })
	for i := range reg.People {
		p := &reg.People[i]
		pr := PersonRecord{ID: p.ID, Name: p.Name, Role: p.Role, Technical: p.Technical, Active: p.IsActive(),
			Owns: []string{}, BacksUp: []string{}}
		for _, g := range s.Groups {
			if g.OwnerID == p.ID {
				pr.Owns = append(pr.Owns, g.ID)
			}
			if g.BackupID == p.ID {
				pr.BacksUp = append(pr.BacksUp, g.ID)
			}
		}
		s.People = append(s.People, pr)
	}
	slices.SortStableFunc(s.People, func(a, b PersonRecord) int { return strings.Compare(a.ID, b.ID) })
	return s
}

func groupRecord(reg *register.Register, g *register.Group) RegisterRecord {
	r := RegisterRecord{
		ID: g.ID, Name: g.Name, Kind: string(g.Kind), URL: g.URL, Relevance: g.Relevance,
		ScopeRegions: nonNil(g.Scope.Regions), ScopeSectors: nonNil(g.Scope.Sectors), ScopeVendors: nonNil(g.Scope.Vendors),
		OwnerID: g.Owner, BackupID: g.Backup,
		MembershipStatus: string(g.Membership.Status), MembershipSince: g.Membership.Since.String(),
		MembershipUntil: g.Membership.Until.String(), MembershipRenewal: g.Membership.Renewal.String(),
		MembershipTLP: g.Membership.TLP, Proof: proofStrings(g.Membership.Proof),
		Channels: make([]ChannelRecord, 0, len(g.Channels)), Engagements: len(g.Engagements),
	}
	r.OwnerName, r.OwnerStatus = person(reg, g.Owner)
	r.BackupName, r.BackupStatus = person(reg, g.Backup)
	for i := range g.Channels {
		c := &g.Channels[i]
		r.Channels = append(r.Channels, ChannelRecord{Kind: c.Kind, URL: c.URL, Source: c.SourceName()})
	}
	every := g.Review.Every
	if every.IsZero() {
		every = defaultReviewEvery
	}
	r.ReviewEvery = every.String()
	if last, ok := g.Review.Last(); ok {
		r.LastReviewDate, r.LastReviewBy, r.LastReviewOutcome = last.Date.String(), last.By, string(last.Outcome)
		r.NextReviewDue = last.Date.AddPeriod(every).String()
	}
	var lastEng *register.Engagement
	for i := range g.Engagements {
		e := &g.Engagements[i]
		if lastEng == nil || lastEng.Date.Before(e.Date) {
			lastEng = e
		}
	}
	if lastEng != nil {
		r.LastEngagementDate, r.LastEngagementKind = lastEng.Date.String(), lastEng.Kind
	}
	return r
}

func person(reg *register.Register, id string) (name, status string) {
	if strings.TrimSpace(id) == "" {
		return "", PersonMissing
	}
	p, ok := reg.Person(id)
	switch {
	case !ok:
		return "", PersonUnknown
	case !p.IsActive():
		return p.Name, PersonInactive
	}
	return p.Name, PersonActive
}

// proofStrings renders each proof as one line (reference, kind, date).
func proofStrings(ps []register.Proof) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}

// registerColumns are the CSV columns of RegisterSchema, in order.
var registerColumns = []string{
	"id", "name", "kind", "url", "relevance", "scope_regions", "scope_sectors", "scope_vendors",
	"owner_id", "owner_name", "owner_status", "backup_id", "backup_name", "backup_status",
	"membership_status", "membership_since", "membership_until", "membership_renewal", "membership_tlp", "proof",
	"channels", "review_every", "last_review_date", "last_review_by", "last_review_outcome", "next_review_due",
	"engagements", "last_engagement_date", "last_engagement_kind",
}

// listSep joins multi-valued cells.
const listSep = "; "

// String implements fmt.Stringer.
func (c ChannelRecord) String() string {
	s := c.Kind
	if c.URL != "" {
		s += " " + c.URL
	}
	return s
}

func channelsString(cs []ChannelRecord) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.String()
	}
	return strings.Join(parts, listSep)
}

func (r *RegisterRecord) row() []string {
	return []string{
		r.ID, r.Name, r.Kind, r.URL, r.Relevance,
		strings.Join(r.ScopeRegions, listSep), strings.Join(r.ScopeSectors, listSep), strings.Join(r.ScopeVendors, listSep),
		r.OwnerID, r.OwnerName, r.OwnerStatus, r.BackupID, r.BackupName, r.BackupStatus,
		r.MembershipStatus, r.MembershipSince, r.MembershipUntil, r.MembershipRenewal, r.MembershipTLP,
		strings.Join(r.Proof, listSep), channelsString(r.Channels),
		r.ReviewEvery, r.LastReviewDate, r.LastReviewBy, r.LastReviewOutcome, r.NextReviewDue,
		strconv.Itoa(r.Engagements), r.LastEngagementDate, r.LastEngagementKind,
	}
}

// WriteRegisterCSV writes artefact E1 as CSV: a header row, then one row
// per group sorted by ID, with the columns of RegisterRecord in its field
// order (multi-valued cells joined with "; ", channels as "kind url").
// Cells are neutralised against formula injection (see SafeCSVCell).
func WriteRegisterCSV(w io.Writer, reg *register.Register) error {
	s := Snapshot(reg)
	rows := make([][]string, len(s.Groups))
	for i := range s.Groups {
		rows[i] = s.Groups[i].row()
	}
	return writeCSV(w, "register", registerColumns, rows)
}

// WriteRegisterJSON writes artefact E1 as JSON: a RegisterSnapshot.
func WriteRegisterJSON(w io.Writer, reg *register.Register) error {
	return writeJSON(w, "register", Snapshot(reg))
}

// MarkdownOptions configure WriteRegisterMarkdown. Nil or zero fields take
// the documented defaults.
type MarkdownOptions struct {
	// GeneratedAt is printed in the "Generated at" line. Optional: the
	// zero time means time.Now().
	GeneratedAt time.Time
	// Generator is printed beside it. Optional: defaults to kpi.DefaultGenerator().
	Generator string
}

// WriteRegisterMarkdown writes artefact E1 for people: a title, a
// generated-at line, one table row per group sorted by ID, and the list of
// people. Every cell goes through MarkdownCell, so text cannot break the
// table or inject HTML.
func WriteRegisterMarkdown(w io.Writer, reg *register.Register, opts *MarkdownOptions) error {
	if opts == nil {
		opts = &MarkdownOptions{}
	}
	at := opts.GeneratedAt
	if at.IsZero() {
		at = time.Now()
	}
	gen := opts.Generator
	if gen == "" {
		gen = kpi.DefaultGenerator()
	}
	s := Snapshot(reg)
	md := newMarkdown(w)
	line, row := md.line, md.row
	line("# Special interest group register")
	line()
	if s.Organisation != "" {
		line("Organisation: ", MarkdownCell(s.Organisation), "  ")
	}
	line("Control: ISO/IEC 27001:2022 A.5.6 (contact with special interest groups)  ")
	line("Generated at: ", timeString(at), " by ", MarkdownCell(gen), "  ")
	line("Schema: ", RegisterSchema, "  ")
	line("Groups: ", strconv.Itoa(len(s.Groups)), ", people: ", strconv.Itoa(len(s.People)))
	line()
	line("## Groups")
	line()
	row("ID", "Name", "Kind", "URL", "Relevance", "Owner", "Backup", "Membership", "Proof", "Channels",
		"Review every", "Last review", "Next review due", "Engagements")
	line("|", strings.Repeat("---|", 14))
	for _, g := range s.Groups {
		row(g.ID, g.Name, g.Kind, g.URL, g.Relevance,
			personCell(g.OwnerName, g.OwnerID, g.OwnerStatus), personCell(g.BackupName, g.BackupID, g.BackupStatus),
			membershipCell(&g), strings.Join(g.Proof, listSep), channelsString(g.Channels),
			g.ReviewEvery, reviewCell(&g), orDash(g.NextReviewDue, "never reviewed"), engagementCell(&g))
	}
	if len(s.Groups) == 0 {
		line()
		line("The register has no groups.")
	}
	line()
	line("## People")
	line()
	row("ID", "Name", "Role", "Technical", "Active", "Owns", "Backs up")
	line("|", strings.Repeat("---|", 7))
	for _, p := range s.People {
		row(p.ID, p.Name, p.Role, yesNo(p.Technical), yesNo(p.Active),
			strings.Join(p.Owns, ", "), strings.Join(p.BacksUp, ", "))
	}
	return md.close("register")
}

func personCell(name, id, status string) string {
	switch status {
	case PersonMissing:
		return "none"
	case PersonUnknown:
		return id + " (unknown person)"
	}
	s := name + " (" + id + ")"
	if name == "" {
		s = id
	}
	if status == PersonInactive {
		s += ", inactive"
	}
	return s
}

func membershipCell(g *RegisterRecord) string {
	s := orDash(g.MembershipStatus, "none")
	switch {
	case g.MembershipSince != "" && g.MembershipUntil != "":
		s += ", " + g.MembershipSince + " to " + g.MembershipUntil
	case g.MembershipSince != "":
		s += " since " + g.MembershipSince
	case g.MembershipUntil != "":
		s += " until " + g.MembershipUntil
	}
	return s
}

func reviewCell(g *RegisterRecord) string {
	if g.LastReviewDate == "" {
		return "none"
	}
	return strings.TrimSpace(g.LastReviewDate + " by " + orDash(g.LastReviewBy, "?") + ": " + g.LastReviewOutcome)
}

func engagementCell(g *RegisterRecord) string {
	if g.Engagements == 0 {
		return "0"
	}
	return fmt.Sprintf("%d (last %s %s)", g.Engagements, g.LastEngagementDate, g.LastEngagementKind)
}

func orDash(s, none string) string {
	if s == "" {
		return none
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// errNilRegister is returned by WritePack without a register.
var errNilRegister = errors.New("evidence: the pack has no register (Pack.Register is nil)")
