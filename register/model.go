package register

import (
	"encoding/json"
	"strings"
)

// Register is the organisation's register of special interest groups: the
// people who own the contacts and the groups they keep in touch with. It is
// a plain value: load it with [Load] or [Parse], or build it in code.
type Register struct {
	// Organisation describes the organisation that keeps the register.
	Organisation Organisation `yaml:"organisation,omitempty" json:"organisation,omitzero"`
	// People are the owners and backups that groups refer to by ID.
	People []Person `yaml:"people" json:"people"`
	// Groups are the special interest groups.
	Groups []Group `yaml:"groups" json:"groups"`
}

// Organisation describes the organisation that keeps the register; its
// regions and sectors are what a group's scope is checked against.
type Organisation struct {
	Name    string   `yaml:"name,omitempty" json:"name,omitempty"`
	Regions []string `yaml:"regions,omitempty" json:"regions,omitempty"`
	Sectors []string `yaml:"sectors,omitempty" json:"sectors,omitempty"`
	// Regulations lists the regimes the organisation is subject to that
	// change what the register must record: "dora" makes the check ask for
	// the Article 45(3) notification of each information-sharing membership.
	Regulations []string `yaml:"regulations,omitempty" json:"regulations,omitempty"`
}

// SubjectTo reports whether the organisation lists the regulation (case
// is ignored): SubjectTo("dora").
func (o *Organisation) SubjectTo(regulation string) bool {
	for _, r := range o.Regulations {
		if strings.EqualFold(strings.TrimSpace(r), regulation) {
			return true
		}
	}
	return false
}

// Person is someone who owns or backs up a group.
type Person struct {
	// ID is how groups refer to the person ("akhan"). Required, unique.
	ID    string `yaml:"id" json:"id"`
	Name  string `yaml:"name" json:"name"`
	Email string `yaml:"email,omitempty" json:"email,omitempty"`
	Role  string `yaml:"role,omitempty" json:"role,omitempty"`
	// Technical marks people who run technology (engineers), as opposed to
	// compliance or management roles.
	Technical bool `yaml:"technical,omitempty" json:"technical,omitempty"`
	// Active is false once the person has left; nil means active.
	Active *bool `yaml:"active,omitempty" json:"active,omitempty"`
}

// IsActive reports whether the person is active (Active is nil or true).
func (p *Person) IsActive() bool { return p.Active == nil || *p.Active }

// Kind classifies a group.
type Kind string

// Group kinds.
const (
	KindISAC             Kind = "isac"
	KindCERT             Kind = "cert"
	KindGovernmentCERT   Kind = "government-cert"
	KindGovernmentAgency Kind = "government-agency"
	KindProfessionalBody Kind = "professional-body"
	KindVendor           Kind = "vendor"
	KindForum            Kind = "forum"
	KindMailingList      Kind = "mailing-list"
)

// Kinds lists every valid Kind in a stable order.
func Kinds() []Kind {
	return []Kind{KindISAC, KindCERT, KindGovernmentCERT, KindGovernmentAgency,
		KindProfessionalBody, KindVendor, KindForum, KindMailingList}
}

// Valid reports whether k is one of [Kinds].
func (k Kind) Valid() bool {
	for _, v := range Kinds() {
		if k == v {
			return true
		}
	}
	return false
}

// Group is one special interest group: a CERT, an ISAC, a vendor's security
// channel, a professional body, a forum or a mailing list.
type Group struct {
	// ID identifies the group within the register ("cisa-kev"). Required, unique.
	ID string `yaml:"id" json:"id"`
	// Name is the group's specific name, not a platform ("UK NCSC", not "Twitter").
	Name string `yaml:"name" json:"name"`
	Kind Kind   `yaml:"kind" json:"kind"`
	// Purpose says what the contact is for; empty means an advisory source.
	// An authority (regulator, police, supervisor) belongs on the A.5.5
	// list of authority contacts: [Check] reports it and the KPIs leave it
	// out.
	Purpose Purpose `yaml:"purpose,omitempty" json:"purpose,omitempty"`
	// URL is the group's home page.
	URL string `yaml:"url,omitempty" json:"url,omitempty"`
	// Relevance states why the organisation listens to this group.
	Relevance string `yaml:"relevance,omitempty" json:"relevance,omitempty"`
	Scope     Scope  `yaml:"scope,omitempty" json:"scope,omitzero"`
	// Owner and Backup are person IDs.
	Owner       string       `yaml:"owner,omitempty" json:"owner,omitempty"`
	Backup      string       `yaml:"backup,omitempty" json:"backup,omitempty"`
	Membership  Membership   `yaml:"membership,omitempty" json:"membership,omitzero"`
	Channels    []Channel    `yaml:"channels,omitempty" json:"channels,omitempty"`
	Review      Review       `yaml:"review,omitempty" json:"review,omitzero"`
	Engagements []Engagement `yaml:"engagements,omitempty" json:"engagements,omitempty"`
	// Notifications record what the competent authority was told about the
	// membership (DORA Article 45(3): when it was validated and when it ended).
	Notifications []Notification `yaml:"notifications,omitempty" json:"notifications,omitempty"`
}

// Purpose is what a register entry is for.
type Purpose string

// Purposes.
const (
	// PurposeAdvisory: the group is a source of advisories and warnings.
	PurposeAdvisory Purpose = "advisory-source"
	// PurposePeerExchange: sharing with peers (ISAC working groups, forums).
	PurposePeerExchange Purpose = "peer-exchange"
	// PurposeProfessional: professional development (bodies, conferences).
	PurposeProfessional Purpose = "professional-development"
	// PurposeAuthority: a regulator, supervisor or law-enforcement contact;
	// that is control 5.5, not 5.6.
	PurposeAuthority Purpose = "authority"
)

// Purposes lists every valid Purpose in a stable order.
func Purposes() []Purpose {
	return []Purpose{PurposeAdvisory, PurposePeerExchange, PurposeProfessional, PurposeAuthority}
}

// Valid reports whether p is one of [Purposes].
func (p Purpose) Valid() bool {
	for _, v := range Purposes() {
		if p == v {
			return true
		}
	}
	return false
}

// Notification is one message to a competent authority about a membership
// of an information-sharing arrangement (DORA Article 45(3)).
type Notification struct {
	// Event is "joined" (the membership was validated) or "left" (it ended).
	Event NotificationEvent `yaml:"event" json:"event"`
	Date  Date              `yaml:"date" json:"date"`
	// Authority is who was told ("FCA", "BaFin").
	Authority string `yaml:"authority" json:"authority"`
	// Ref points at the record of the notification (a case or letter reference).
	Ref string `yaml:"ref,omitempty" json:"ref,omitempty"`
}

// NotificationEvent is what a [Notification] reports.
type NotificationEvent string

// Notification events.
const (
	NotifiedJoined NotificationEvent = "joined"
	NotifiedLeft   NotificationEvent = "left"
)

// Scope is what a group covers.
type Scope struct {
	Regions []string `yaml:"regions,omitempty" json:"regions,omitempty"`
	Sectors []string `yaml:"sectors,omitempty" json:"sectors,omitempty"`
	// Vendors are the vendors whose advisories the group carries
	// specifically ("Fortinet"); "all" marks an aggregator.
	Vendors []string `yaml:"vendors,omitempty" json:"vendors,omitempty"`
	// Ecosystems are the package ecosystems the group covers ("Go", "npm",
	// "PyPI", "Maven"; "all" for every one), for stacks imported from SBOMs.
	Ecosystems []string `yaml:"ecosystems,omitempty" json:"ecosystems,omitempty"`
}

// MembershipStatus is where a membership is in its lifecycle.
type MembershipStatus string

// Membership statuses.
const (
	MembershipApplied MembershipStatus = "applied"
	MembershipActive  MembershipStatus = "active"
	MembershipLapsed  MembershipStatus = "lapsed"
	MembershipEnded   MembershipStatus = "ended"
)

// Valid reports whether s is a known status (the empty status is not).
func (s MembershipStatus) Valid() bool {
	switch s {
	case MembershipApplied, MembershipActive, MembershipLapsed, MembershipEnded:
		return true
	}
	return false
}

// Membership records the organisation's membership of or subscription to a group.
type Membership struct {
	Status MembershipStatus `yaml:"status,omitempty" json:"status,omitempty"`
	Since  Date             `yaml:"since,omitempty" json:"since,omitzero"`
	Until  Date             `yaml:"until,omitempty" json:"until,omitzero"`
	// Renewal is the next renewal date of a paid or time-limited membership.
	Renewal Date `yaml:"renewal,omitempty" json:"renewal,omitzero"`
	// Level is the membership tier ("core member", "free subscriber").
	Level string `yaml:"level,omitempty" json:"level,omitempty"`
	// Reference is the organisation's member number or account at the group.
	Reference string `yaml:"reference,omitempty" json:"reference,omitempty"`
	// Proof lists evidence of membership (confirmation e-mails, invoices,
	// portal access); sigwatch stores references, not files. In a file a
	// proof may be written as a plain string, the reference alone.
	Proof []Proof `yaml:"proof,omitempty" json:"proof,omitempty"`
	// TLP is the default handling label for what the group shares.
	TLP string `yaml:"tlp,omitempty" json:"tlp,omitempty"`
	// Terms are the sharing terms agreed with the group ("members only,
	// Chatham House rule").
	Terms string `yaml:"terms,omitempty" json:"terms,omitempty"`
}

// Proof is one piece of evidence of a membership. sigwatch keeps the
// reference (and optionally a digest of the file), never the file.
type Proof struct {
	// Ref says where the proof is: "confirmation e-mail 2024-03-01 in the
	// GRC mailbox", "invoice INV-2025-001", a URL of a document store.
	Ref string `yaml:"ref" json:"ref"`
	// Kind is what the proof is ("email", "invoice", "portal", "certificate", "contract").
	Kind string `yaml:"kind,omitempty" json:"kind,omitempty"`
	// Date is when the proof was issued or captured.
	Date Date `yaml:"date,omitempty" json:"date,omitzero"`
	// SHA256 is the hex digest of the proof file, so an auditor can check it.
	SHA256 string `yaml:"sha256,omitempty" json:"sha256,omitempty"`
}

// String returns the proof as one line: the reference, then the kind and
// date when set ("invoice INV-1 (invoice, 2025-01-03)").
func (p Proof) String() string {
	var extra []string
	if p.Kind != "" {
		extra = append(extra, p.Kind)
	}
	if !p.Date.IsZero() {
		extra = append(extra, p.Date.String())
	}
	if len(extra) == 0 {
		return p.Ref
	}
	return p.Ref + " (" + strings.Join(extra, ", ") + ")"
}

// ActiveAt reports whether the membership is active on day d: status active,
// started on or before d (or no start recorded), and not ended before d.
func (m *Membership) ActiveAt(d Date) bool {
	if m.Status != MembershipActive {
		return false
	}
	if !m.Since.IsZero() && d.Before(m.Since) {
		return false
	}
	if !m.Until.IsZero() && m.Until.Before(d) {
		return false
	}
	return true
}

// Channel is one way a group's advisories reach the organisation.
type Channel struct {
	// Kind is the adapter kind ("kev", "rss", "csaf", "osv", "cve5") or
	// "manual" for mailing lists, meetings and briefings.
	Kind string `yaml:"kind" json:"kind"`
	// URL is the feed URL; empty for manual channels.
	URL string `yaml:"url,omitempty" json:"url,omitempty"`
	// Source is the feeds.Source name that delivers this channel; it
	// defaults to the kind's standard source name (see DefaultSourceName).
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
	// Every is how often the channel is expected to publish (for freshness).
	Every Period `yaml:"every,omitempty" json:"every,omitzero"`
}

// SourceName returns Source, or the kind's default source name.
func (c *Channel) SourceName() string {
	if c.Source != "" {
		return c.Source
	}
	return DefaultSourceName(c.Kind)
}

// DefaultSourceName maps a channel kind to the name of the source sigwatch's
// own adapter for it uses ("kev" → "cisa-kev"). Other kinds map to themselves.
func DefaultSourceName(kind string) string {
	if strings.EqualFold(kind, "kev") {
		return "cisa-kev"
	}
	return kind
}

// Review holds a group's review cadence and its review records.
type Review struct {
	// Every is the review cadence ("12mo"); zero means the default of 12 months.
	Every Period `yaml:"every,omitempty" json:"every,omitzero"`
	// Records are the reviews done, oldest first.
	Records []ReviewRecord `yaml:"records,omitempty" json:"records,omitempty"`
}

// Last returns the most recent review record, or false if there is none.
func (r *Review) Last() (ReviewRecord, bool) {
	var last ReviewRecord
	found := false
	for _, rec := range r.Records {
		if !found || last.Date.Before(rec.Date) {
			last, found = rec, true
		}
	}
	return last, found
}

// ReviewOutcome is the decision a review reached.
type ReviewOutcome string

// Review outcomes.
const (
	OutcomeKeep   ReviewOutcome = "keep"
	OutcomeChange ReviewOutcome = "change"
	OutcomeRetire ReviewOutcome = "retire"
)

// ReviewRecord is one review of a group.
type ReviewRecord struct {
	Date    Date          `yaml:"date" json:"date"`
	By      string        `yaml:"by" json:"by"`
	Outcome ReviewOutcome `yaml:"outcome" json:"outcome"`
	Notes   string        `yaml:"notes,omitempty" json:"notes,omitempty"`
}

// Engagement is a record of interaction with a group: a meeting, webinar,
// conference, or a contribution made back to the community.
type Engagement struct {
	Date Date `yaml:"date" json:"date"`
	// Kind is what happened: "meeting", "webinar", "conference",
	// "contribution" (something shared back), "briefing", "training".
	Kind string `yaml:"kind" json:"kind"`
	// Who are the person IDs that took part.
	Who   []string `yaml:"who,omitempty" json:"who,omitempty"`
	Notes string   `yaml:"notes,omitempty" json:"notes,omitempty"`
	// TLP is the label of what was shared or learned, when there is one.
	TLP string `yaml:"tlp,omitempty" json:"tlp,omitempty"`
}

// Person returns the person with the given ID.
func (r *Register) Person(id string) (*Person, bool) {
	for i := range r.People {
		if r.People[i].ID == id {
			return &r.People[i], true
		}
	}
	return nil, false
}

// Group returns the group with the given ID.
func (r *Register) Group(id string) (*Group, bool) {
	for i := range r.Groups {
		if r.Groups[i].ID == id {
			return &r.Groups[i], true
		}
	}
	return nil, false
}

// GroupForSource returns the first group (in register order) with a channel
// delivered by the named feeds.Source.
func (r *Register) GroupForSource(source string) (*Group, bool) {
	for i := range r.Groups {
		for _, c := range r.Groups[i].Channels {
			if c.SourceName() == source {
				return &r.Groups[i], true
			}
		}
	}
	return nil, false
}

// SourceKinds maps every channel's source name to the channel's kind, for
// triage.Options.SourceKinds, so that rules testing source_kind see the
// register's word for a custom source ("isac-portal" → "manual"). The first
// channel (in register order) of a source wins.
func (r *Register) SourceKinds() map[string]string {
	out := map[string]string{}
	for i := range r.Groups {
		for _, c := range r.Groups[i].Channels {
			name := c.SourceName()
			if _, ok := out[name]; !ok && name != "" && c.Kind != "" {
				out[name] = strings.ToLower(c.Kind)
			}
		}
	}
	return out
}

// MarshalJSON writes a proof that is only a reference as a JSON string,
// as [Register.WriteYAML] does; other proofs are objects.
func (p Proof) MarshalJSON() ([]byte, error) {
	if p.Kind == "" && p.Date.IsZero() && p.SHA256 == "" {
		return json.Marshal(p.Ref)
	}
	type plain Proof // without this method
	return json.Marshal(plain(p))
}

// UnmarshalJSON reads a proof written either way.
func (p *Proof) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		*p = Proof{}
		return json.Unmarshal(b, &p.Ref)
	}
	type plain Proof
	return json.Unmarshal(b, (*plain)(p))
}
