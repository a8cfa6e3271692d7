// Package epssfeed reads FIRST's Exploit Prediction Scoring System (EPSS)
// files and enriches advisories with their scores.
//
// EPSS is an enrichment, not an advisory source: it says how likely a CVE is
// to be exploited in the next 30 days, for every published CVE, and no
// advisory carries it. The package therefore has no feeds.Source; [Parse]
// reads a file into [Scores], [Fetch] downloads one through
// [feedhttp.Client], and [Scores.Enrich] sets Exploitation.EPSS on
// advisories.
//
// # Format
//
//	#model_version:v2023.03.01,score_date:2025-02-20T00:00:00+0000
//	cve,epss,percentile
//	CVE-1999-0001,0.00383,0.73075
//
// The comment line is optional (files from 2021 have none) and may come
// as "+0000" or "Z" timestamps; its model_version becomes Scores.Model and
// EPSS.Model, its score_date Scores.Date and EPSS.Date; other keys are
// warnings. The header must name "cve" and "epss" (any order, any case);
// "percentile" is optional (2021 files have only cve,epss) and gives
// EPSS.Percentile, zero without it; other columns are warnings and are
// ignored. Scores and percentiles are decimal numbers between 0 and 1;
// scientific notation ("5e-05") is accepted. CVE IDs are matched
// case-insensitively and stored upper-case. A UTF-8 byte order mark and
// CRLF line ends are accepted.
//
// Parse streams: it reads one row at a time and keeps only a map from CVE
// to two float64s, so a full daily file (about 300,000 rows) costs a few
// tens of megabytes and no copy of the text. gzip input is recognised by
// its magic bytes, whatever the file name or Content-Type. Input is capped
// at DefaultMaxBytes (256 MiB) after decompression.
//
// # Enrichment
//
// Enrich looks each advisory's CVEs up (its ID and aliases, see
// feeds.Advisory.CVEs; Related CVEs are other vulnerabilities and are not
// used), takes the highest score among them, and sets
// Exploitation.EPSS to a new *feeds.EPSS per advisory. It returns the
// number of advisories enriched.
//
// # Errors
//
// Malformed input is a *[feeds.ParseError] naming the input and the
// 1-based line, and the column name for a bad value:
//
//	epss.csv:1: score_date: invalid date "yesterday"
//	epss.csv:2: bad header "id,score": want "cve,epss" and optionally "percentile"
//	epss.csv:7: cve: "GHSA-jfh8-c2jp-5v3q" is not a CVE ID
//	epss.csv:7: epss: CVE-2021-44228: 1.5 is outside 0–1
//	epss.csv:7: percentile: CVE-2021-44228: "high" is not a number
//	epss.csv:9: cve: duplicate CVE-2021-44228
//	epss.csv:4: wrong number of fields
//	epss.csv:1: got an HTML page, not an EPSS file                 (wraps feeds.ErrNotFeed)
//
// Empty input and input without a header line wrap feeds.ErrNotFeed; a
// corrupt gzip stream is a ParseError without a line; input over the cap
// wraps feeds.ErrTooLarge. Fetch adds feedhttp's errors unchanged
// (*feeds.HTTPError, feeds.ErrNotModified for a 304, the context's error).
package epssfeed
