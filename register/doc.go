// Package register is the organisation's register of special interest
// groups, kept for ISO/IEC 27001:2022 Annex A control 5.6 ("contact with
// special interest groups"): which external groups it listens to, why, who
// owns each contact, how their advisories arrive, and the evidence that the
// contact is kept up (memberships, reviews, engagements).
//
// # The model
//
// A [Register] holds [Person] values (owners and backups, referred to by ID)
// and [Group] values. A group has a [Kind] (ISAC, CERT, government CERT or
// agency, professional body, vendor, forum, mailing list), a relevance
// statement, a [Scope] of regions, sectors and vendors, a primary owner and a
// backup, a [Membership] (status, dates, proof references, TLP), the
// [Channel] values through which its advisories arrive (each delivered by a
// feeds.Source, see [Channel.SourceName] and [Register.GroupForSource]), a
// [Review] cadence with [ReviewRecord] entries, and [Engagement] records of
// meetings, webinars and contributions.
//
// Days are [Date] values and cadences are [Period] values; both are written
// as text: "2025-11-02", "12mo", "1y", "90d", "2w", "1y6mo".
//
// The register is a plain value: build it in code, or keep it as a file in
// git ("register as code") and read it with [Load] or [Parse]. Write it back
// with [Register.WriteYAML] or [Register.WriteJSON]; reading the output gives
// an equal register. [Register.Validate] checks a register built in code.
// Judging its health (a group without a backup, an overdue review, an
// inactive owner) is a separate step: those are findings, not load errors.
//
// # The file format
//
// A register file is one YAML document; JSON with the same field names is
// read too (through the same parser, so errors have line numbers in both).
// Field names are lower case; optional fields may be left out. A complete
// example:
//
//	organisation:
//	  name: Northwind Payments Ltd
//	  regions: [uk, eu]               # where it operates: groups are checked against it
//	  sectors: [financial-services]
//	  regulations: [dora]             # asks for DORA Art. 45(3) notifications
//
//	people:
//	  - id: akhan                     # required, unique; groups refer to it
//	    name: Aisha Khan              # required
//	    email: aisha.khan@northwind.example
//	    role: Network Engineer
//	    technical: true               # runs technology (default false)
//	  - id: jlee
//	    name: James Lee
//	    role: Security Operations Lead
//	    technical: true
//	  - id: rpatel
//	    name: Ravi Patel
//	    active: false                 # has left (default true)
//
//	groups:
//	  - id: cisa-kev                  # required, unique
//	    name: CISA Known Exploited Vulnerabilities Catalog   # required
//	    # required: isac | cert | government-cert | government-agency |
//	    #           professional-body | vendor | forum | mailing-list
//	    kind: government-cert
//	    # advisory-source (default) | peer-exchange | professional-development |
//	    # authority (a control 5.5 contact: reported, left out of the KPIs)
//	    purpose: advisory-source
//	    url: https://www.cisa.gov/known-exploited-vulnerabilities-catalog
//	    relevance: Authoritative list of exploited CVEs; drives patch SLAs.
//	    # vendors and ecosystems (Go, npm, PyPI, …) are what the stack check uses
//	    scope: {regions: [global], sectors: [all], vendors: [all], ecosystems: []}
//	    owner: akhan                  # a person ID
//	    backup: jlee                  # a person ID
//	    membership:
//	      status: active              # applied | active | lapsed | ended
//	      since: 2024-03-01
//	      until: 2027-03-01           # when it ended or will end
//	      renewal: 2026-03-01         # next renewal of a paid membership
//	      level: subscriber           # membership tier
//	      reference: ""               # member number or account
//	      proof:                      # a plain string is a reference alone
//	        - "subscription confirmation e-mail 2024-03-01"
//	        - {ref: invoice INV-2025-001, kind: invoice, date: 2025-01-03,
//	           sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08}
//	      tlp: CLEAR                  # default handling label (TLP 2.0)
//	      terms: public               # sharing terms agreed with the group
//	    channels:                     # how advisories arrive; kind is required
//	      - kind: kev                 # kev | rss | csaf | osv | cve5 | manual | …
//	        url: https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json
//	        source: cisa-kev          # feeds.Source name (default: from kind)
//	        every: 1w                 # expected publishing interval
//	    review:
//	      every: 12mo                 # review cadence (default 12mo)
//	      records:                    # date, by (a person ID) and outcome required
//	        - date: 2025-11-02
//	          by: akhan
//	          outcome: keep           # keep | change | retire
//	          notes: |
//	            Still the primary source for exploited CVEs.
//	    engagements:                  # date and kind required
//	      - {date: 2025-06-12, kind: webinar, who: [akhan], notes: KEV programme update, tlp: CLEAR}
//	    notifications:                # DORA Art. 45(3); event, date and authority required
//	      - {event: joined, date: 2024-03-05, authority: Central Bank of Ireland, ref: NW-2024-003}
//
// YAML anchors, aliases and merge keys ("<<: *defaults") may be used to
// share values. Files larger than [MaxFileSize] are rejected.
//
// # Errors
//
// [Load] and [Parse] report every problem in the file, not just the first,
// as an [ErrorList] of [*Error] values, one line each, in file order:
//
//	register.yaml:12:5: groups[2].ownr: unknown field "ownr" (did you mean "owner"?)
//	register.yaml:14:12: groups[2].membership.since: invalid date "yesterday": want YYYY-MM-DD
//	register.yaml:20:14: groups[3].owner: unknown person "akahn" (did you mean "akhan"?)
//
// The position is the line and column of the offending key or value, and the
// path names it. Syntax errors carry the line the YAML parser reports; a
// missing required field is reported at the map that lacks it. Errors found
// by [Register.Validate] have no position and start with "register:".
// Use errors.As with an ErrorList (or a *Error, for the first problem) to
// inspect them. A file that cannot be opened gives a wrapped os error, so
// errors.Is(err, fs.ErrNotExist) works.
//
// # Health checks
//
// [Check] judges a register as an auditor would and returns [Finding]
// values, each with a stable [Code], a [Severity] (error: an auditor would
// raise a nonconformity; warning: fix before the audit; info: worth
// knowing), the group and a message that says what to do. It finds groups
// without an owner or backup, owners who have left, technical feeds owned by
// people who do not run technology, reviews overdue or never done,
// memberships lapsed, expired, pending or without proof, platforms named
// instead of groups ("Twitter", "the news"), entries without URL, relevance
// or channel, duplicates, groups for regions or sectors the organisation is
// not in, authorities that belong under control 5.5, missing DORA Art. 45(3)
// notifications, memberships without participation, more groups than a
// team can read, and groups retired on paper but still live. [CheckOptions]
// add the stack check (vendors and package ecosystems of a triage.Stack
// that no group covers), the silent-channel check (from intake's [History])
// and link findings (from [CheckLinks]). [Codes] lists every code.
//
// Groups whose membership has ended or whose last review retired them are
// history ([Group.Live] is false) and are only checked for what still
// flows.
//
// # Links
//
// [CheckLinks] fetches every URL of the register (home pages and channel
// URLs) through feeds/feedhttp and classifies each as a [LinkResult]: ok,
// moved (a permanent redirect), not found, restricted (401/403, as
// members-only portals answer), HTTP error, unreachable, TLS failure,
// timeout, parked or for-sale domain, an HTML page where a feed should be,
// or a feed over plain http://. Pass the results to [Check] in
// [CheckOptions.Links]. It is the only part of the package that uses the
// network.
//
// # Stores
//
// A [Store] keeps a register: [MemoryStore], [FileStore] (a YAML or JSON
// file, written by atomic rename), or a vendor's own database. Put uses a
// [Revision] for optimistic concurrency ([ErrConflict]) and refuses to edit
// or drop review records, engagements and notifications already stored
// ([ErrHistory], see [AppendOnly]): they are audit records. [Update] is
// the read-modify-write loop. Package registertest is the conformance kit
// for Store implementations.
//
// # Assessing a supplier
//
// [Assess] judges a supplier's 5.6 practice: [Check] on the supplier's
// register, the [Questionnaire], and [RedFlag] values derived from an
// [Assessment] file ([LoadAssessment], [ParseAssessment]) — groups that
// cannot be named, platforms instead of groups, one person and no backup,
// no intake timestamps, no public advisory channel, no examples of
// information that changed a control, questions left unanswered.
package register
