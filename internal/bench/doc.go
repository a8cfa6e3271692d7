// Command bench measures sigwatch on synthetic but realistic data and
// prints one table: parse throughput, triage build and evaluation time,
// intake cycle time on memory, SQLite and PostgreSQL stores, allocations,
// peak heap and peak RSS, with the machine it ran on.
//
// Usage:
//
//	go run ./internal/bench [-sizes small|medium|large|default|all] [-only parse,triage,intake]
//	                        [-seed N] [-json | -md] [-postgres URL] [-out FILE] [-benchtime D] [-q]
//
// The default grid (small and medium) takes one to two minutes on two CPUs;
// -sizes large runs 100,000 components against 100,000 advisories, and
// intake over 100 sources of 1,000 items. -md prints a Markdown table for
// the README; -json the report as sigwatch.bench/v1.
//
// # Data
//
// Everything is generated from -seed with math/rand/v2 (PCG), so the
// same seed gives the same bytes:
//
//   - a stack of N components: one in ten a vendor product (40 real
//     vendors, their product lines with model codes such as "FortiGate
//     103D", vendor-style versions such as "22.7R2.3" or "13.1-49.15", a
//     CPE 2.3 name), the rest language packages of npm, Go, PyPI, Maven and
//     crates.io identified by purl;
//   - M advisories in the real wire formats: a fifth as one KEV catalog in
//     CISA's JSON (the catalog's fields, CISA's required-action texts and
//     their frequencies, CWE and ransomware shares of the 2025 catalog), the
//     rest as OSV records shaped like the Go vulnerability database's, GitHub's,
//     PyPA's and RustSec's (IDs, aliases, ranges, references,
//     database_specific, about 1.5 KB each);
//   - for intake, S feeds on loopback HTTP servers: two in five KEV
//     catalogs, the rest vendor PSIRT RSS 2.0 feeds, a fifth of each feed's
//     items published by another feed too, each answering 304 to its ETag.
//
// 5 % of the advisories name a component of the stack at a version they
// affect (KEV entries, without versions, must come out as needs_review),
// and 2 % of the OSV records name one already at or past the fix.
//
// # Measurements and guards
//
// Parse times kevfeed.Parse on the catalog and osvfeed.Parse on every
// record. Triage times triage.New over the stack, then Evaluate over every
// advisory (the whole set, keeping every result, and each advisory alone
// for the median and the 99th percentile), for every N×M pair of the chosen
// sizes. Intake runs intake.Pipeline.Run twice into a fresh store: the first
// cycle files every advisory, the second finds every feed unchanged.
// Repeated measurements run for at least -benchtime after a warm-up;
// allocations come from runtime.MemStats, the peak heap from sampling
// runtime/metrics every millisecond, the peak RSS from VmHWM in
// /proc/self/status, reset before each case where Linux allows it.
//
// A benchmark that silently measures nothing is a defect, so every case is
// checked against what the generator planted, and the run fails (exit
// status 1) otherwise: the documents parse with the real parsers into the
// generated number of advisories without warnings; triage finds exactly the
// planted advisories affected or needing review and exactly the planted
// fixed ones, and the engine reports no coverage gaps; the first intake
// cycle opens one case per distinct CVE and the second none, with every
// source answering 304.
//
// PostgreSQL is measured when -postgres (or $SIGWATCH_BENCH_POSTGRES) gives
// a postgres:// URL whose role may create databases: each run gets a fresh
// database, dropped afterwards. Usage errors exit with status 2.
package main
