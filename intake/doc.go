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
// # Storage
//
// Cases are kept in memory for now; durable stores (SQLite, PostgreSQL) and
// notifications arrive behind interfaces in later versions.
package intake
