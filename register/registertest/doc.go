// Package registertest is a conformance kit for [register.Store]
// implementations, in the spirit of testing/fstest and feeds/feedtest:
// one call checks that a store keeps the contract the rest of sigwatch
// relies on. sigwatch runs it on its own [register.MemoryStore] and
// [register.FileStore]; a vendor keeping the register in its own database
// runs it from its own tests:
//
//	func TestStoreConforms(t *testing.T) {
//		registertest.Run(t, func(t *testing.T) register.Store {
//			db := newTestDatabase(t) // empty, dropped by t.Cleanup
//			return mystore.New(db)
//		})
//	}
//
// [Run] calls newStore once per check, as a subtest, and expects a new,
// empty store each time. [Check] runs the same checks outside a test and
// returns the problems as one error. The checks:
//
//   - Empty: Get on an empty store returns an empty, non-nil register and
//     the empty revision; a Put with any other revision is a conflict.
//   - RoundTrip: a register that sets every field of the model (proofs
//     with kind, date and digest, notifications, engagements with TLP,
//     multi-line and non-ASCII text) comes back from Get exactly, with the
//     revision Put returned. Registers are compared by their YAML, so a
//     nil list and an empty one are the same.
//   - Revisions: every Put of new content returns a new, non-empty revision.
//   - StaleRevision: a Put with an older, an empty or an unknown revision
//     fails with an error wrapping [register.ErrConflict] and changes
//     nothing.
//   - Invalid: a register that fails [register.Register.Validate] (a
//     dangling owner) and a nil register give an error that errors.As
//     finds a [register.ErrorList] in, and change nothing.
//   - History: editing or dropping a stored review record, engagement or
//     notification, or removing a group with history that is not retired,
//     fails with an error wrapping [register.ErrHistory] and changes
//     nothing (see [register.AppendOnly]).
//   - AppendHistory: adding records (also back-dated ones in the middle of
//     a list) and editing fields that are not history works.
//   - RemoveRetired: a group whose latest review retired it, and a group
//     without history, may be removed.
//   - Isolation: changing every value of the register passed to Put, or of
//     one returned by Get, afterwards does not change the store.
//   - CancelledContext: Get and Put with a cancelled context fail with an
//     error wrapping context.Canceled, and Put stores nothing.
//   - CompareAndSwap: of 8 simultaneous Puts with the same revision (10 rounds),
//     exactly one succeeds and the others conflict.
//   - ConcurrentUpdates: 16 goroutines each add one group with
//     [register.Update] (calling it again when it gives up on conflicts);
//     all 16 groups are there at the end (no lost update).
//
// Run the tests with -race: the concurrency checks are meant to be run
// under the race detector.
package registertest
