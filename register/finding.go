package register

import (
	"cmp"
	"slices"
)

// Severity says how bad a [Finding] is.
type Severity string

// Severities, most severe first.
const (
	// SeverityError: an auditor would raise a nonconformity (nobody owns
	// the contact, the link is dead, the entry names a platform, not a
	// group). The command line exits 1 when there is one.
	SeverityError Severity = "error"
	// SeverityWarning: a weakness to fix before the next audit.
	SeverityWarning Severity = "warning"
	// SeverityInfo: worth knowing; nothing to fix yet.
	SeverityInfo Severity = "info"
)

// Rank orders severities: error 3, warning 2, info 1, anything else 0.
func (s Severity) Rank() int {
	switch s {
	case SeverityError:
		return 3
	case SeverityWarning:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

// Code identifies the kind of a [Finding]. Codes are stable: tools may
// filter on them, and a new check gets a new code.
type Code string

// Finding codes. The doc comment of each says when it is reported and its
// severity.
const (
	// CodeNoOwner (error): the group has no primary owner.
	CodeNoOwner Code = "no-owner"
	// CodeNoBackup (warning): the group has no backup owner.
	CodeNoBackup Code = "no-backup"
	// CodeBackupIsOwner (error): the backup is the owner.
	CodeBackupIsOwner Code = "backup-is-owner"
	// CodeOwnerInactive (error): the owner has left (active: false).
	CodeOwnerInactive Code = "owner-inactive"
	// CodeBackupInactive (warning): the backup has left.
	CodeBackupInactive Code = "backup-inactive"
	// CodeNonTechnicalOwner (warning): a technical channel (a CERT, a
	// vendor PSIRT, a machine-read feed) is owned by someone who does not
	// run technology (the compliance lead as owner of every feed).
	CodeNonTechnicalOwner Code = "non-technical-owner"
	// CodeReviewNever (warning): the group has no review record.
	CodeReviewNever Code = "review-never"
	// CodeReviewOverdue (warning): the last review is older than the cadence.
	CodeReviewOverdue Code = "review-overdue"
	// CodeMembershipLapsed (warning): the membership status is lapsed.
	CodeMembershipLapsed Code = "membership-lapsed"
	// CodeMembershipExpired (error): the membership says active but its
	// until date has passed.
	CodeMembershipExpired Code = "membership-expired"
	// CodeRenewalDue (info within the notice period, warning once passed):
	// a renewal date is coming up or was missed.
	CodeRenewalDue Code = "renewal-due"
	// CodeNoMembership (info): no membership status at all, so the group
	// does not count as an active membership (authorities excepted).
	CodeNoMembership Code = "no-membership"
	// CodeMembershipPending (info): applied for long ago and still not active.
	CodeMembershipPending Code = "membership-pending"
	// CodeNoProof (warning): an active membership with no proof reference.
	CodeNoProof Code = "no-proof"
	// CodeVague (error): the entry names a platform or a medium ("Twitter",
	// "the news", "Google Alerts"), not a specific group.
	CodeVague Code = "vague-entry"
	// CodeNoURL (warning): neither the group nor any of its channels has a
	// URL, so nobody can verify the entry.
	CodeNoURL Code = "no-url"
	// CodeNoRelevance (warning): no relevance statement.
	CodeNoRelevance Code = "no-relevance"
	// CodeNoChannel (warning): no channel, so nothing says how the group's
	// warnings reach the organisation.
	CodeNoChannel Code = "no-channel"
	// CodeDuplicate (warning): two entries are the same group (same name,
	// home page or feed URL; scheme, "www." and a trailing slash ignored).
	CodeDuplicate Code = "duplicate"
	// CodeRegionOutOfScope (warning): the group serves only regions the
	// organisation does not operate in.
	CodeRegionOutOfScope Code = "region-out-of-scope"
	// CodeSectorOutOfScope (info): the group serves only sectors the
	// organisation is not in.
	CodeSectorOutOfScope Code = "sector-out-of-scope"
	// CodeAuthority (warning): a regulator, supervisor or police contact;
	// those belong on the control 5.5 list of authority contacts.
	CodeAuthority Code = "authority"
	// CodeRetiredStillActive (warning): the last review decided to retire
	// the group, but its membership or channels are still live.
	CodeRetiredStillActive Code = "retired-still-active"
	// CodeNotificationMissing (warning): the organisation is subject to
	// DORA and the competent authority was not told that an
	// information-sharing membership started or ended (Article 45(3)).
	CodeNotificationMissing Code = "notification-missing"
	// CodeNoParticipation (info): a membership of a community (ISAC,
	// professional body, forum) with no engagement recorded in the last 12
	// months — membership without participation.
	CodeNoParticipation Code = "no-participation"
	// CodeTooManyGroups (warning): more active groups than the team can
	// read ([CheckOptions.MaxGroups]).
	CodeTooManyGroups Code = "too-many-groups"
	// CodeOwnerOverloaded (warning): one person owns more groups than
	// [CheckOptions.MaxGroupsPerOwner].
	CodeOwnerOverloaded Code = "owner-overloaded"
	// CodeStackVendorUncovered (warning): the stack runs a vendor's
	// products and no group carries that vendor's advisories.
	CodeStackVendorUncovered Code = "stack-vendor-uncovered"
	// CodeStackEcosystemUncovered (warning): the stack has packages of an
	// ecosystem (Go, npm, …) and no group covers it.
	CodeStackEcosystemUncovered Code = "stack-ecosystem-uncovered"
	// CodeFutureDate (warning): a review record, engagement, proof or
	// notification dated after today; it is ignored by the other checks.
	CodeFutureDate Code = "future-date"
	// CodeChannelSilent (warning): nothing received through the channel
	// for longer than [CheckOptions.SilentAfter] (needs [History]).
	CodeChannelSilent Code = "channel-silent"

	// Link checker findings (see [CheckLinks]).

	// CodeLinkNotFound (error): the URL answers 404 or 410.
	CodeLinkNotFound Code = "link-not-found"
	// CodeLinkUnreachable (error): the host does not resolve or refuses
	// connections.
	CodeLinkUnreachable Code = "link-unreachable"
	// CodeLinkTLS (error): the TLS handshake failed (expired, self-signed
	// or wrong-host certificate).
	CodeLinkTLS Code = "link-tls"
	// CodeLinkTimeout (warning): no answer within the timeout.
	CodeLinkTimeout Code = "link-timeout"
	// CodeLinkHTTPError (warning): another HTTP error (5xx, 4xx other than
	// 401, 403, 404, 410).
	CodeLinkHTTPError Code = "link-http-error"
	// CodeLinkRestricted (info): 401 or 403, as members-only portals answer;
	// check it by hand.
	CodeLinkRestricted Code = "link-restricted"
	// CodeLinkMoved (info): a permanent redirect (301, 308) to another URL;
	// update the register.
	CodeLinkMoved Code = "link-moved"
	// CodeLinkParked (error): the domain is parked or for sale; the group
	// is gone.
	CodeLinkParked Code = "link-parked"
	// CodeLinkNotFeed (warning): a feed channel's URL answers with an HTML
	// page instead of a feed.
	CodeLinkNotFeed Code = "link-not-feed"
	// CodeLinkInsecure (warning): a feed channel is fetched over plain
	// http://, so its content can be altered on the way.
	CodeLinkInsecure Code = "link-insecure"
)

// Codes lists every finding code [Check] and [LinkResult.Finding] report,
// in the order they are documented.
func Codes() []Code {
	return []Code{
		CodeNoOwner, CodeNoBackup, CodeBackupIsOwner, CodeOwnerInactive,
		CodeBackupInactive, CodeNonTechnicalOwner, CodeReviewNever, CodeReviewOverdue,
		CodeMembershipLapsed, CodeMembershipExpired, CodeRenewalDue, CodeNoMembership,
		CodeMembershipPending, CodeNoProof, CodeVague, CodeNoURL,
		CodeNoRelevance, CodeNoChannel, CodeDuplicate, CodeRegionOutOfScope,
		CodeSectorOutOfScope, CodeAuthority, CodeRetiredStillActive, CodeNotificationMissing,
		CodeNoParticipation, CodeTooManyGroups, CodeOwnerOverloaded, CodeStackVendorUncovered,
		CodeStackEcosystemUncovered, CodeFutureDate, CodeChannelSilent, CodeLinkNotFound, CodeLinkUnreachable,
		CodeLinkTLS, CodeLinkTimeout, CodeLinkHTTPError, CodeLinkRestricted,
		CodeLinkMoved, CodeLinkParked, CodeLinkNotFeed, CodeLinkInsecure,
	}
}

// Finding is one problem [Check] found in a register.
type Finding struct {
	Code     Code     `json:"code"`
	Severity Severity `json:"severity"`
	// Group is the ID of the group concerned; empty for findings about the
	// register as a whole (too many groups, an uncovered stack vendor).
	Group string `json:"group"`
	// Message says what is wrong and what to do, for a person.
	Message string `json:"message"`
	// Field is the path of the value concerned within the group ("owner",
	// "channels[1].url"), when there is one.
	Field string `json:"field,omitempty"`
	// Person is the ID of the person concerned (an inactive owner, an
	// overloaded owner), when there is one.
	Person string `json:"person,omitempty"`
}

// sortFindings orders findings by group (register-wide findings first, then
// groups in register order), then severity, code and field.
func sortFindings(fs []Finding, order map[string]int) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		ga, gb := -1, -1
		if a.Group != "" {
			ga = order[a.Group]
		}
		if b.Group != "" {
			gb = order[b.Group]
		}
		return cmp.Or(cmp.Compare(ga, gb), cmp.Compare(b.Severity.Rank(), a.Severity.Rank()),
			cmp.Compare(a.Code, b.Code), cmp.Compare(a.Field, b.Field), cmp.Compare(a.Message, b.Message))
	})
}

// HasErrors reports whether any finding has severity error.
func HasErrors(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == SeverityError {
			return true
		}
	}
	return false
}
