// Package memfeed is an in-memory feeds.Source for tests, demos and
// programs that produce advisories themselves (a form where staff record a
// briefing, an import from a spreadsheet).
//
// A [Source] holds advisories keyed by ID in insertion order. [Source.Set]
// replaces them, [Source.Put] adds or replaces some, [Source.Remove] deletes
// some, and [Source.FailWith] makes Fetch fail, to test how a pipeline
// handles a dead channel. Fetch returns deep copies, so neither side can
// change the other's data, and sets each advisory's Source to the source's
// name. A Source is safe for concurrent use.
package memfeed
