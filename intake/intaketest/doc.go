// Package intaketest is a conformance kit for [intake.Store]
// implementations, in the spirit of testing/fstest and feeds/feedtest: one
// call checks that a store keeps the contract the pipeline relies on.
// sigwatch runs it on [intake.MemoryStore] and on the SQLite and PostgreSQL
// stores of intake/sqlstore; a vendor keeping cases in its own database
// runs it from its own tests:
//
//	func TestStoreConforms(t *testing.T) {
//		intaketest.Run(t, func(t *testing.T) intake.Store {
//			db := newTestDatabase(t) // empty, dropped by t.Cleanup
//			return mystore.New(db)
//		})
//	}
//
// [Run] calls newStore once per check, as a subtest, and expects a new,
// empty store each time. [Check] runs the same checks outside a test and
// returns the problems as one error. The checks:
//
//   - LoadMissing: Load on an empty store, or with no keys, wraps
//     [intake.ErrNotFound]; Cases and Journal are empty.
//   - RoundTrip: a case setting every field (receipts, triage, exception,
//     every event kind, non-ASCII and multi-line text, a non-UTC time)
//     comes back from Load by any of its keys, in any case and with
//     surrounding spaces, exactly as saved (compared as JSON), with
//     Version 1; changing a loaded record does not change the store.
//   - Versions: a Save at a stale version, of a new case whose ID is
//     stored, or of an unstored case at a non-zero version wraps
//     [intake.ErrConflict] and writes nothing; a Save at the loaded version
//     bumps Version by one.
//   - KeyOwnership: a key filed under one case cannot be claimed by
//     another (ErrConflict), nor by two new cases in one Save (refused,
//     nothing stored); a key that is not upper-case is refused or still
//     found; a key added to a case finds it.
//   - AllOrNothing: a Save of a good change and a conflicting one stores
//     neither record, journal entry nor notification.
//   - BadChanges: malformed changes are errors but not ErrConflict (a
//     retry cannot fix them); an empty Save is a no-op.
//   - Journal: one entry per event, numbered from 1, each sealed with its
//     predecessor's hash ([intake.Seal]) and recording its case and event;
//     paging works; [intake.VerifyJournal] passes.
//   - Query: States, Owner, Since and Limit select as documented, sorted by ID.
//   - Enqueue: enqueuing an ID twice keeps one; notifications come back
//     from Claim exactly as enqueued, in enqueue order.
//   - Claim: only due notifications, earliest first, up to the limit; a
//     lease keeps others off until it lapses; Claim needs a worker name.
//   - Complete: only the lease holder completes ([intake.ErrLeaseLost]
//     otherwise, also for a second completion); sent and failed
//     notifications never come back; a retry comes back at its time with
//     its attempts and error.
//   - ConcurrentClaims: 8 workers claiming from 60 notifications never
//     get the same one, and together get all.
//   - ConcurrentSaves: 12 writers updating one case with retries on
//     conflict lose no update, and the journal still verifies.
//   - SourceStates: states with validators round-trip, sorted by source,
//     and a second Put replaces the first; a nameless state is refused.
//   - CancelledContext: Save, Load, Cases and Claim with a cancelled
//     context fail with context.Canceled, and Save stores nothing.
//
// The kit's own test breaks a MemoryStore in 17 ways and shows that each
// of the 15 checks catches at least one of them.
//
// Run the tests with -race: the concurrency checks are meant for the race
// detector.
package intaketest
