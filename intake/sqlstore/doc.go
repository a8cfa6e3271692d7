// Package sqlstore keeps the intake pipeline's cases, journal, outbox and
// source states in SQLite (the embedded default, through the pure-Go
// modernc.org/sqlite driver: no cgo) or PostgreSQL (through pgx), behind
// [intake.Store]. It behaves exactly like [intake.MemoryStore], durably,
// and several processes may share one database.
//
// # Opening
//
// [Open] takes an address: "sqlite:PATH" for a file (created if needed;
// "sqlite::memory:" is refused, as a store is for durability) or a
// "postgres://" or "postgresql://" pgx connection string. [New] wraps a
// *sql.DB the caller manages. Both apply pending schema migrations, each in
// its own transaction under a lock (BEGIN IMMEDIATE on SQLite, an advisory
// transaction lock on PostgreSQL), recorded in the sigwatch_schema table.
// A database migrated by a newer sigwatch is refused with [ErrNewerSchema]:
// the store never downgrades a schema. Errors name the address with any
// password redacted.
//
// # Transactions
//
// [Store.Save] is one transaction, all or nothing. It locks the journal
// head first (SELECT … FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE
// takes the file's write lock), so writers queue in one order and cannot
// deadlock; then it checks each record's version (a stale one fails with
// [intake.ErrConflict]), files keys (a key owned by another case is a
// conflict too), applies outbox completions (a lapsed lease is
// [intake.ErrLeaseLost]), appends the journal entries sealed with
// [intake.Seal] from the head, and enqueues notifications (an ID already in
// the outbox is not enqueued again). PostgreSQL serialization failures,
// deadlocks and unique violations are reported as [intake.ErrConflict],
// which the pipeline retries. [Store.Claim] leases due notifications with
// FOR UPDATE SKIP LOCKED on PostgreSQL, so concurrent workers never get the
// same one.
//
// # Schema
//
// Cases, notifications and source states are stored as JSON text of the
// intake types, so they read back exactly as saved; the columns SQL
// filters on (state, owner, times as Unix microseconds) are copies, and
// filters on times are re-checked exactly in Go. Journal bodies are TEXT,
// never JSONB, and hold the exact bytes that were hashed. UPDATE and DELETE
// on the journal table are refused by triggers; the hash chain
// ([intake.VerifyJournal]) detects edits made by someone who drops them.
//
// # SQLite
//
// A file opened by [Open] uses WAL mode, foreign keys, Options.Synchronous
// (FULL by default) and Options.BusyTimeout (10 s by default). Writes go
// through one connection; reads through a small pool of read-only
// connections that WAL lets run beside the writer. A writer that waits for
// another process longer than the busy timeout fails with an error naming
// the file.
package sqlstore
