// Package intake is the durable path of every advisory: received (from which
// group's channel, when), triaged (decision, by which rule, when), routed
// (to whom), actioned (ticket or change reference) and closed — or rejected
// with the reason. Auditors ask for exactly these records, and the KPIs are
// computed from them.
//
// # Pipeline
//
// A [Pipeline] fetches its sources concurrently (bounded by
// Options.Concurrency, each fetch bounded by Options.FetchTimeout). A source
// that fails, or whose adapter panics, is reported in [RunResult] and never
// blocks the others; [Pipeline.Run] returns an error only when its context
// is cancelled.
//
// Advisories are de-duplicated by ID and aliases: one [Case] per
// vulnerability, keyed by its first CVE, with every [Receipt] kept in arrival
// order — KEV and a vendor PSIRT reporting the same CVE are two receipts of
// one case, and the earliest receipt is the one KPIs use. The case's
// advisory is the merge of every receipt's latest advisory, so a vendor's
// version range completes KEV's version-less listing. Re-fetching an
// unchanged advisory records nothing; a changed one (KEV flipping ransomware
// use from Unknown to Known) is recorded as a revision and triaged again.
//
// Manual receipts — a mailing-list post, a briefing at an ISAC meeting —
// enter through [Pipeline.Receive] and follow the same path.
//
// # Case lifecycle
//
// received → triaged → assigned → actioned → closed, and rejected (with a
// reason) from any open state. Triage and routing to the matched
// component's owner happen automatically; [Pipeline.Assign],
// [Pipeline.Action], [Pipeline.Close] and [Pipeline.Reject] record people's
// steps. Every transition is an [Event] with actor and time; a move the
// state does not allow returns [ErrInvalidTransition].
//
// An [Exception] ([Pipeline.Except]) suspends a case's SLA until it
// expires; [Case.Overdue] tells whether an open case is past its due date.
//
// # Storage
//
// A [Store] keeps cases, the journal, the notification outbox and each
// source's state. [MemoryStore] keeps them in memory; package
// intake/sqlstore keeps them in a SQLite file (the embedded default, pure
// Go) or PostgreSQL; intake/intaketest is the conformance kit for any
// other implementation. The pipeline records advisories in transactions of
// Options.BatchSize: [CaseStore.Save] is all or nothing and checks each
// record's version, so running the same fetch twice, two workers fetching
// at once, or running again after a crash records each advisory once, and
// a conflicted transaction is simply read again and retried.
//
// Every event is also appended to a journal in which each entry carries the
// hash of the one before; [VerifyJournal] recomputes the chain, compares
// every case's history with it, and checks [Anchor]s recorded elsewhere, so
// an edited, inserted or deleted entry, or an edited case, is found.
//
// The HTTP validators (ETag, Last-Modified) of each source are saved once
// what the answer carried is recorded, and loaded into Options.HTTP after a
// restart, so unchanged feeds cost one 304 — and a run whose recording
// failed forgets them, so it can never be told "not modified" about
// advisories it lost.
//
// # Notifications
//
// With Options.Notify, a case routed to an owner (automatically or by
// [Pipeline.Assign]) enqueues one [Notification] per matching [Route], in
// the same transaction as the routing event; a revision that raises the
// priority or puts the case on the KEV list tells the owner again.
// [Pipeline.Deliver] sends what is due through package intake/notify
// (signed webhook, Slack, Teams, e-mail, Jira): low priorities wait for
// the recipient's digest, temporary failures are retried with a growing
// wait (and the server's Retry-After), and every delivery or final failure
// becomes an event on the case — the internal communication record.
// Several processes can deliver from one store: [Outbox.Claim] leases each
// notification to one of them.
//
// # Watching
//
// [Pipeline.Watch] runs a cycle (Run, then Deliver) every interval, with
// jitter, until its context is cancelled; it stops at a transaction
// boundary, so nothing is half recorded.
package intake
