// Package sigwatch is the root of a library that makes ISO/IEC 27001:2022
// Annex A control 5.6, "contact with special interest groups", work: the
// organisation keeps a register of the groups that warn it (CERTs, ISACs,
// vendor security channels, professional bodies, forums); their advisories
// arrive automatically, are triaged against the real technology stack,
// routed to a named owner and tracked to an action; and every step leaves
// evidence and KPIs an auditor can verify.
//
// The packages, in the order data flows through them:
//
//   - register: the register of groups, people, memberships, channels,
//     reviews and engagements, loaded from YAML or JSON files kept in git.
//   - feeds: the normalised Advisory and the two-method Source interface;
//     feeds/kevfeed reads CISA's Known Exploited Vulnerabilities catalog.
//   - triage: the stack of components, identity and version matching, and
//     the rules that decide what is actionable, for whom and by when.
//   - intake: the pipeline from fetch to case — received, triaged, routed,
//     actioned, closed — with one case per vulnerability across sources.
//   - kpi and evidence: the 5.6 KPIs with exact definitions, and the audit
//     pack with its manifest and SHA256SUMS.
//
// This package itself holds no code: import the packages above. The
// runnable programs are in examples/: quickstart (bundled data, no network)
// and sigwatch (the command line).
package sigwatch
