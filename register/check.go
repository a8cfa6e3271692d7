package register

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/triage"
)

// Defaults for [CheckOptions].
const (
	DefaultMaxGroups         = 30
	DefaultMaxGroupsPerOwner = 10
)

// Default periods for [CheckOptions].
var (
	defaultSilentAfter   = Period{Days: 90}
	defaultRenewalNotice = Period{Days: 30}
	defaultPendingAfter  = Period{Days: 90}
	defaultReviewEvery   = Period{Months: 12}
	participationWindow  = Period{Months: 12}
)

// CheckOptions configure [Check]. A nil *CheckOptions means all defaults:
// today's date, no stack, no link results, no intake history.
type CheckOptions struct {
	// Now is the clock; the check judges the register as of the UTC day of
	// Now(). Optional: nil means time.Now.
	Now func() time.Time
	// Stack is the organisation's technology stack. With it, Check reports
	// the vendors and package ecosystems the stack uses that no group
	// covers. Optional.
	Stack *triage.Stack
	// Aliases resolve vendor names for the stack check ("Pulse Secure" is
	// Ivanti). Optional: nil means triage.DefaultAliases.
	Aliases *triage.Aliases
	// Links are the results of [CheckLinks]; each one that is not ok
	// becomes a finding. Optional: without them no link is judged.
	Links []LinkResult
	// History is what intake recorded about each channel. With it, Check
	// reports silent channels. Optional.
	History *History
	// MaxGroups is the number of live groups (not ended, not retired, not
	// authorities) above which Check warns of alert fatigue. Optional: 0
	// means DefaultMaxGroups; negative turns the check off.
	MaxGroups int
	// MaxGroupsPerOwner is the number of live groups one person may own
	// before Check warns. Optional: 0 means DefaultMaxGroupsPerOwner;
	// negative turns the check off.
	MaxGroupsPerOwner int
	// SilentAfter is how long a channel may deliver nothing before it is
	// reported silent; a channel whose Every is longer gets twice its
	// Every. Optional: zero means 90 days.
	SilentAfter Period
	// RenewalNotice is how far ahead a renewal date is reported. Optional:
	// zero means 30 days.
	RenewalNotice Period
	// PendingAfter is how long an application may stay "applied" before it
	// is reported. Optional: zero means 90 days.
	PendingAfter Period
}

// History is what intake knows about the channels, for the silent-channel
// check.
type History struct {
	// Since is when intake started recording. A channel with no receipt at
	// all is silent once Since is longer ago than the silence threshold.
	Since time.Time
	// LastReceived maps a channel's source name ([Channel.SourceName]) to the
	// time of its latest receipt.
	LastReceived map[string]time.Time
	// LastManual maps a group ID to the time of the latest receipt a person
	// entered for it (a mailing-list post, a meeting briefing): that is what
	// a manual channel delivers.
	LastManual map[string]time.Time
}

// Check judges the register's health as an auditor would and returns the
// findings, ordered by group (register-wide findings first, then groups in
// register order), then by severity. It never fails: a register that does
// not validate is judged as far as it can be (an owner who is not in
// people is reported as missing).
//
// Groups whose membership has ended or whose last review decided to retire
// them are history: they are only checked for live channels, memberships
// and DORA notifications. The checks and their codes are listed with the
// Code constants; each finding's message says what to do.
func Check(r *Register, opts *CheckOptions) []Finding {
	if r == nil {
		return nil
	}
	c := newHealth(r, opts)
	for i := range r.Groups {
		c.group(&r.Groups[i])
	}
	c.duplicates()
	c.load()
	c.stack()
	for _, l := range c.opts.Links {
		if f, ok := l.Finding(); ok {
			c.out = append(c.out, f)
		}
	}
	order := make(map[string]int, len(r.Groups))
	for i, g := range r.Groups {
		if _, seen := order[g.ID]; !seen {
			order[g.ID] = i
		}
	}
	sortFindings(c.out, order)
	return c.out
}

// health carries one Check run.
type health struct {
	r     *Register
	opts  CheckOptions
	now   time.Time
	today Date
	out   []Finding
}

func newHealth(r *Register, opts *CheckOptions) *health {
	c := &health{r: r}
	if opts != nil {
		c.opts = *opts
	}
	c.now = time.Now()
	if c.opts.Now != nil {
		c.now = c.opts.Now()
	}
	c.now = c.now.UTC()
	c.today = DateOf(c.now)
	c.opts.SilentAfter = sanePeriod(c.opts.SilentAfter, defaultSilentAfter)
	c.opts.RenewalNotice = sanePeriod(c.opts.RenewalNotice, defaultRenewalNotice)
	c.opts.PendingAfter = sanePeriod(c.opts.PendingAfter, defaultPendingAfter)
	if c.opts.MaxGroups == 0 {
		c.opts.MaxGroups = DefaultMaxGroups
	}
	if c.opts.MaxGroupsPerOwner == 0 {
		c.opts.MaxGroupsPerOwner = DefaultMaxGroupsPerOwner
	}
	return c
}

// sanePeriod returns p, or def when p is zero, negative or too long to
// add to a date (a register built in code is not validated).
func sanePeriod(p, def Period) Period {
	if p.IsZero() || p.check() != nil {
		return def
	}
	return p
}

func (c *health) add(code Code, sev Severity, g *Group, field, format string, args ...any) {
	f := Finding{Code: code, Severity: sev, Field: field, Message: fmt.Sprintf(format, args...)}
	if g != nil {
		f.Group = g.ID
	}
	c.out = append(c.out, f)
}

// Live reports whether the group is current: its membership has not ended
// and its last review did not decide to retire it.
func (g *Group) Live() bool {
	if g.Membership.Status == MembershipEnded {
		return false
	}
	last, ok := g.Review.Last()
	return !ok || last.Outcome != OutcomeRetire
}

// IsAuthority reports whether the entry is an authority contact (purpose
// authority) rather than a special interest group.
func (g *Group) IsAuthority() bool { return g.Purpose == PurposeAuthority }

func (c *health) group(g *Group) {
	c.futureDates(g)
	c.notifications(g)
	if !g.Live() {
		c.history(g)
		return
	}
	c.owners(g)
	c.review(g)
	c.membership(g)
	c.entry(g)
	c.scope(g)
	c.participation(g)
	c.silence(g)
}

// history checks a group that is no longer live: nothing should still flow.
func (c *health) history(g *Group) {
	last, retired := g.Review.Last()
	retired = retired && last.Outcome == OutcomeRetire
	var live []string
	switch g.Membership.Status {
	case MembershipActive, MembershipApplied, MembershipLapsed:
		live = append(live, "its membership is still "+string(g.Membership.Status))
	}
	if n := len(g.Channels); n > 0 {
		live = append(live, plural(n, "channel", "channels")+" still listed, so intake keeps fetching")
	}
	if len(live) == 0 {
		return
	}
	why := "its membership has ended"
	if retired {
		why = "the review of " + last.Date.String() + " decided to retire it"
	}
	c.add(CodeRetiredStillActive, SeverityWarning, g, "", "%s, but %s; end the membership (status: ended, until) and remove its channels",
		why, strings.Join(live, " and "))
}

func (c *health) owners(g *Group) {
	owner, hasOwner := c.person(g.Owner)
	switch {
	case g.Owner == "":
		c.add(CodeNoOwner, SeverityError, g, "owner", "no owner: nobody is accountable for reading %s; name a primary owner", g.Name)
	case !hasOwner:
		c.add(CodeNoOwner, SeverityError, g, "owner", "owner %q is not in people; name a primary owner who is", g.Owner)
	case !owner.IsActive():
		c.addPerson(CodeOwnerInactive, SeverityError, g, "owner", owner.ID, "owner %s has left (active: false): nobody reads %s; hand it to an active person%s",
			personName(owner), g.Name, backupHint(c, g))
	}
	backup, hasBackup := c.person(g.Backup)
	switch {
	case g.Backup == "":
		c.add(CodeNoBackup, SeverityWarning, g, "backup", "no backup: when %s is away nobody reads %s; name a backup owner", c.displayPerson(g.Owner), g.Name)
	case g.Backup == g.Owner:
		c.add(CodeBackupIsOwner, SeverityError, g, "backup", "the backup is the owner (%s); name a different person as backup", c.displayPerson(g.Owner))
	case !hasBackup:
		c.add(CodeNoBackup, SeverityWarning, g, "backup", "backup %q is not in people; name a backup who is", g.Backup)
	case !backup.IsActive():
		c.addPerson(CodeBackupInactive, SeverityWarning, g, "backup", backup.ID, "backup %s has left (active: false); name an active backup", personName(backup))
	}
	if hasOwner && owner.IsActive() && !owner.Technical && g.technical() {
		c.addPerson(CodeNonTechnicalOwner, SeverityWarning, g, "owner", owner.ID,
			"%s is a technical channel (%s) but its owner %s does not run technology (technical: false); make an engineer who runs the affected systems the owner",
			g.Name, g.technicalWhy(), personName(owner))
	}
}

func backupHint(c *health, g *Group) string {
	if b, ok := c.person(g.Backup); ok && b.IsActive() && b.ID != g.Owner {
		return " (the backup " + personName(b) + " is covering)"
	}
	return ""
}

func (c *health) addPerson(code Code, sev Severity, g *Group, field, person, format string, args ...any) {
	c.add(code, sev, g, field, format, args...)
	c.out[len(c.out)-1].Person = person
}

func (c *health) person(id string) (*Person, bool) {
	if id == "" {
		return nil, false
	}
	return c.r.Person(id)
}

func (c *health) displayPerson(id string) string {
	if p, ok := c.person(id); ok {
		return personName(p)
	}
	if id == "" {
		return "the owner"
	}
	return id
}

func personName(p *Person) string {
	if p.Name != "" && p.Name != p.ID {
		return p.Name + " (" + p.ID + ")"
	}
	return p.ID
}

// technical reports whether the group's warnings need someone who runs the
// technology: CERTs, vendor PSIRTs and any machine-read feed.
func (g *Group) technical() bool { return g.technicalWhy() != "" }

func (g *Group) technicalWhy() string {
	switch g.Kind {
	case KindCERT, KindGovernmentCERT, KindVendor:
		return "kind " + string(g.Kind)
	}
	for _, ch := range g.Channels {
		if k := strings.ToLower(ch.Kind); k != "" && k != "manual" && k != "web" {
			return "a " + k + " feed"
		}
	}
	return ""
}

// futureDates reports records dated after today: a review or meeting
// cannot have happened yet, and a forward-dated record would hide an
// overdue review. Such records are otherwise ignored.
func (c *health) futureDates(g *Group) {
	report := func(field, what string, d Date) {
		if d.After(c.today) {
			c.add(CodeFutureDate, SeverityWarning, g, field,
				"%s is dated %s, after today (%s): it cannot have happened yet and is ignored; correct the date", what, d, c.today)
		}
	}
	for i, r := range g.Review.Records {
		report("review.records["+strconv.Itoa(i)+"].date", "review record", r.Date)
	}
	for i, e := range g.Engagements {
		report("engagements["+strconv.Itoa(i)+"].date", "engagement ("+e.Kind+")", e.Date)
	}
	for i, p := range g.Membership.Proof {
		report("membership.proof["+strconv.Itoa(i)+"].date", "proof "+strconv.Quote(p.Ref), p.Date)
	}
	for i, n := range g.Notifications {
		report("notifications["+strconv.Itoa(i)+"].date", "notification ("+string(n.Event)+")", n.Date)
	}
}

// lastReview is the latest review record dated today or earlier.
func (c *health) lastReview(g *Group) (ReviewRecord, bool) {
	past := Review{Records: slices.DeleteFunc(slices.Clone(g.Review.Records), func(r ReviewRecord) bool { return r.Date.After(c.today) })}
	return past.Last()
}

func (c *health) review(g *Group) {
	every := sanePeriod(g.Review.Every, defaultReviewEvery)
	last, ok := c.lastReview(g)
	if !ok {
		c.add(CodeReviewNever, SeverityWarning, g, "review.records",
			"never reviewed: record a review (date, by, outcome keep/change/retire), at least every %s", every)
		return
	}
	due := last.Date.AddPeriod(every)
	if due.Before(c.today) {
		c.add(CodeReviewOverdue, SeverityWarning, g, "review.records",
			"review overdue by %s: last reviewed %s by %s, due every %s (was due %s)",
			plural(daysBetween(due, c.today), "day", "days"), last.Date, c.displayPerson(last.By), every, due)
	}
}

func (c *health) membership(g *Group) {
	m := &g.Membership
	switch m.Status {
	case "":
		if !g.IsAuthority() {
			c.add(CodeNoMembership, SeverityInfo, g, "membership.status",
				"no membership recorded: record the subscription or membership (status, since, proof) so it counts as an active membership")
		}
		return
	case MembershipLapsed:
		c.add(CodeMembershipLapsed, SeverityWarning, g, "membership.status",
			"membership has lapsed%s: renew it, or end it and say so in a review", since(" on ", m.Until))
		return
	case MembershipApplied, MembershipEnded:
		if m.Status == MembershipEnded {
			return
		}
		if !m.Since.IsZero() && m.Since.AddPeriod(c.opts.PendingAfter).Before(c.today) {
			c.add(CodeMembershipPending, SeverityInfo, g, "membership.status",
				"applied on %s and still not active after %s: chase the application or withdraw it",
				m.Since, plural(daysBetween(m.Since, c.today), "day", "days"))
		}
		return
	case MembershipActive:
	default:
		c.add(CodeNoMembership, SeverityInfo, g, "membership.status",
			"membership status %q is not one of applied, active, lapsed, ended, so it does not count as an active membership", m.Status)
		return
	}
	// Active.
	if !m.Until.IsZero() && m.Until.Before(c.today) {
		c.add(CodeMembershipExpired, SeverityError, g, "membership.until",
			"membership is marked active but ended on %s: renew it (and record the new until date) or set status: ended", m.Until)
	}
	if !m.Renewal.IsZero() && (m.Until.IsZero() || !m.Until.Before(c.today)) {
		switch {
		case m.Renewal.Before(c.today):
			c.add(CodeRenewalDue, SeverityWarning, g, "membership.renewal",
				"renewal date %s has passed: renew and record the next renewal date and its proof", m.Renewal)
		case !c.today.AddPeriod(c.opts.RenewalNotice).Before(m.Renewal):
			c.add(CodeRenewalDue, SeverityInfo, g, "membership.renewal",
				"renewal due on %s (in %s)", m.Renewal, plural(daysBetween(c.today, m.Renewal), "day", "days"))
		}
	}
	if len(m.Proof) == 0 {
		c.add(CodeNoProof, SeverityWarning, g, "membership.proof",
			"active membership without proof: add a reference to the confirmation e-mail, invoice, certificate or portal access")
	}
}

func since(prefix string, d Date) string {
	if d.IsZero() {
		return ""
	}
	return prefix + d.String()
}

func (c *health) entry(g *Group) {
	if platform, ok := vagueName(g.Name); ok {
		c.add(CodeVague, SeverityError, g, "name",
			"%q names %s, not a specific group: name the account, list or feed you follow (e.g. \"CISA on X (@CISAgov)\") with its URL", g.Name, platform)
	} else if platform, ok := vagueURL(g.URL); ok {
		c.add(CodeVague, SeverityError, g, "url",
			"url %s is the front page of %s, not a specific group: link the account, list or feed you follow", g.URL, platform)
	}
	if g.URL == "" && !slices.ContainsFunc(g.Channels, func(ch Channel) bool { return ch.URL != "" }) {
		c.add(CodeNoURL, SeverityWarning, g, "url", "no URL for the group or any of its channels: nobody can verify the entry; add its home page")
	}
	if strings.TrimSpace(g.Relevance) == "" {
		c.add(CodeNoRelevance, SeverityWarning, g, "relevance",
			"no relevance statement: say why the organisation listens to %s (which risks, systems or obligations)", g.Name)
	}
	if len(g.Channels) == 0 && !g.IsAuthority() {
		c.add(CodeNoChannel, SeverityWarning, g, "channels",
			"no channel: say how %s's warnings reach you (a feed kind and URL, or kind: manual for a mailing list or meeting)", g.Name)
	}
	if g.IsAuthority() {
		c.add(CodeAuthority, SeverityWarning, g, "purpose",
			"%s is an authority contact (purpose: authority): it belongs on the control 5.5 list, not in the 5.6 register; it is left out of the KPIs", g.Name)
	} else if g.Purpose == "" {
		if word, ok := authorityName(g.Name); ok {
			c.add(CodeAuthority, SeverityWarning, g, "name",
				"%s looks like an authority (%q): regulators and police belong on the control 5.5 list; if you listen to it for advisories, set purpose: advisory-source", g.Name, word)
		}
	}
}

func (c *health) scope(g *Group) {
	org := &c.r.Organisation
	if len(org.Regions) > 0 && len(g.Scope.Regions) > 0 && !regionsOverlap(org.Regions, g.Scope.Regions) {
		c.add(CodeRegionOutOfScope, SeverityWarning, g, "scope.regions",
			"%s serves %s, where the organisation does not operate (%s): drop the group, or add the region to organisation.regions if you do operate there",
			g.Name, strings.Join(g.Scope.Regions, ", "), strings.Join(org.Regions, ", "))
	}
	if len(org.Sectors) > 0 && len(g.Scope.Sectors) > 0 && !sectorsOverlap(org.Sectors, g.Scope.Sectors) {
		c.add(CodeSectorOutOfScope, SeverityInfo, g, "scope.sectors",
			"%s serves the %s sector(s), not the organisation's (%s): check it is still relevant",
			g.Name, strings.Join(g.Scope.Sectors, ", "), strings.Join(org.Sectors, ", "))
	}
}

// communities are the kinds where membership means taking part.
var communities = map[Kind]bool{KindISAC: true, KindProfessionalBody: true, KindForum: true}

func (c *health) participation(g *Group) {
	m := &g.Membership
	if !communities[g.Kind] || m.Status != MembershipActive {
		return
	}
	if !m.Since.IsZero() && c.today.Before(m.Since.AddPeriod(Period{Days: 90})) {
		// Joined less than a quarter ago: too early to ask.
		return
	}
	from := c.today.AddPeriod(negate(participationWindow))
	for _, e := range g.Engagements {
		if !e.Date.Before(from) && !e.Date.After(c.today) {
			return
		}
	}
	c.add(CodeNoParticipation, SeverityInfo, g, "engagements",
		"no engagement with %s recorded since %s: membership without participation; record the meetings, webinars or contributions", g.Name, from)
}

func (c *health) silence(g *Group) {
	h := c.opts.History
	if h == nil {
		return
	}
	for i, ch := range g.Channels {
		limit := c.opts.SilentAfter
		if !ch.Every.IsZero() {
			twice := Period{Years: 2 * ch.Every.Years, Months: 2 * ch.Every.Months, Days: 2 * ch.Every.Days}
			if c.today.AddPeriod(twice).After(c.today.AddPeriod(limit)) {
				limit = twice
			}
		}
		field := "channels[" + strconv.Itoa(i) + "]"
		cut := c.today.AddPeriod(negate(limit)).Time()
		last, ok := h.LastReceived[ch.SourceName()]
		name := ch.SourceName()
		if strings.EqualFold(ch.Kind, "manual") && ch.Source == "" {
			last, ok = h.LastManual[g.ID]
			name = "manual"
		}
		switch {
		case ok && last.Before(cut):
			c.add(CodeChannelSilent, SeverityWarning, g, field,
				"channel %s (%s) has delivered nothing since %s (%s): check the subscription still works, or retire the channel",
				name, ch.Kind, DateOf(last), plural(daysBetween(DateOf(last), c.today), "day", "days"))
		case !ok && !h.Since.IsZero() && h.Since.Before(cut):
			c.add(CodeChannelSilent, SeverityWarning, g, field,
				"channel %s (%s) has delivered nothing since intake started recording on %s: check the subscription works, or retire the channel",
				name, ch.Kind, DateOf(h.Since))
		}
	}
}

func negate(p Period) Period { return Period{Years: -p.Years, Months: -p.Months, Days: -p.Days} }

// notifications checks DORA Article 45(3): the competent authority is told
// when a membership of an information-sharing arrangement is validated and
// when it ends.
func (c *health) notifications(g *Group) {
	if !c.r.Organisation.SubjectTo("dora") || !(g.Kind == KindISAC || g.Purpose == PurposePeerExchange) {
		return
	}
	has := func(ev NotificationEvent) bool {
		return slices.ContainsFunc(g.Notifications, func(n Notification) bool { return n.Event == ev })
	}
	m := &g.Membership
	started := m.Status == MembershipActive || m.Status == MembershipLapsed || m.Status == MembershipEnded && !m.Since.IsZero()
	if started && !has(NotifiedJoined) {
		c.add(CodeNotificationMissing, SeverityWarning, g, "notifications",
			"no record that the competent authority was told the membership of %s started%s (DORA Art. 45(3)): add a notification with event: joined, date and authority",
			g.Name, since(" on ", m.Since))
	}
	if m.Status == MembershipEnded && !has(NotifiedLeft) {
		c.add(CodeNotificationMissing, SeverityWarning, g, "notifications",
			"no record that the competent authority was told the membership of %s ended%s (DORA Art. 45(3)): add a notification with event: left, date and authority",
			g.Name, since(" on ", m.Until))
	}
}

// duplicates reports a live group with the same name or the same feed URL
// as an earlier live group.
func (c *health) duplicates() {
	names := map[string]*Group{}
	urls := map[string]*Group{}
	homes := map[string]*Group{}
	for i := range c.r.Groups {
		g := &c.r.Groups[i]
		if !g.Live() {
			continue
		}
		if n := strings.Join(nameWords(g.Name), " "); n != "" {
			if first, ok := names[n]; ok && first.ID != g.ID {
				c.add(CodeDuplicate, SeverityWarning, g, "name", "same name as group %s (%s): merge the two entries", first.ID, first.Name)
			} else if !ok {
				names[n] = g
			}
		}
		if u := urlKey(g.URL); u != "" {
			if first, ok := homes[u]; ok && first.ID != g.ID {
				c.add(CodeDuplicate, SeverityWarning, g, "url",
					"home page %s is also that of group %s (%s): if they are the same group, merge them; if they are two channels of one group, list them as its channels", g.URL, first.ID, first.Name)
			} else if !ok {
				homes[u] = g
			}
		}
		for j, ch := range g.Channels {
			u := urlKey(ch.URL)
			if u == "" {
				continue
			}
			if first, ok := urls[u]; ok && first.ID != g.ID {
				c.add(CodeDuplicate, SeverityWarning, g, "channels["+strconv.Itoa(j)+"].url",
					"feed %s is also a channel of group %s (%s): the same feed is listed twice; keep it on one group", ch.URL, first.ID, first.Name)
			} else if !ok {
				urls[u] = g
			}
		}
	}
}

// urlKey normalises a URL for duplicate detection: scheme, "www." and a
// trailing slash do not matter; the query does.
func urlKey(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	key := host + strings.TrimRight(u.EscapedPath(), "/")
	if u.RawQuery != "" {
		key += "?" + u.RawQuery
	}
	return key
}

// load reports more live groups than the team can read, and owners with
// too many groups.
func (c *health) load() {
	live := 0
	owned := map[string]int{}
	for i := range c.r.Groups {
		g := &c.r.Groups[i]
		if !g.Live() || g.IsAuthority() {
			continue
		}
		live++
		if g.Owner != "" {
			owned[g.Owner]++
		}
	}
	if max := c.opts.MaxGroups; max > 0 && live > max {
		c.add(CodeTooManyGroups, SeverityWarning, nil, "",
			"%d live groups, more than the %d the team can read: warnings drown in noise (alert fatigue); retire the low-yield ones at the next review",
			live, max)
	}
	if max := c.opts.MaxGroupsPerOwner; max > 0 {
		ids := make([]string, 0, len(owned))
		for id := range owned {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			if n := owned[id]; n > max {
				c.out = append(c.out, Finding{Code: CodeOwnerOverloaded, Severity: SeverityWarning, Person: id,
					Message: fmt.Sprintf("%s owns %d live groups, more than %d: spread them over more people", c.displayPerson(id), n, max)})
			}
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func daysBetween(a, b Date) int {
	return int(b.Time().Sub(a.Time()).Hours() / 24)
}
