// Command quickstart runs sigwatch end to end on bundled data, with no
// network and no set-up: a register of special interest groups, a stack of
// components and a snapshot of CISA's Known Exploited Vulnerabilities
// catalog go through triage and intake; it prints which advisories touch
// which components, why, who owns them and what is due, the KPIs, and writes
// an evidence pack.
//
// Usage:
//
//	go run ./examples/quickstart [-live] [-out DIR] [-register FILE] [-stack FILE] [-now TIME] [-top N]
//
// -live fetches the current catalog from cisa.gov instead of the bundled
// 2025-08-25 snapshot.
package main
