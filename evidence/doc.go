// Package evidence writes the audit evidence of ISO/IEC 27001:2022 control
// A.5.6: what the organisation listens to, what arrived, what was decided and
// why, in forms an auditor can read and a machine can verify.
//
//	report := kpi.Compute(reg, cases, kpi.Quarter(2026, 4), asOf, nil)
//	m, err := evidence.WritePack(ctx, "sigwatch-evidence",
//		evidence.Pack{Register: reg, Cases: cases, KPI: report}, nil)
//
// # Artefacts
//
// The artefact IDs follow sigwatch's evidence reference:
//
//   - E1, register snapshot: [WriteRegisterCSV], [WriteRegisterJSON] and
//     [WriteRegisterMarkdown]; one record per group ([RegisterRecord]): id,
//     name, kind, URL, relevance, scope, owner and backup (ID, name and
//     whether they are active, unknown or missing), membership status,
//     since, until, renewal, TLP and proof references, channels, review
//     cadence, last review (date, by, outcome), next review due (last review
//     plus cadence, default 12 months; empty when never reviewed), number of
//     engagements and the last one. The Markdown form adds the people.
//   - E4, advisory response log: [WriteResponseLogCSV] and
//     [WriteResponseLogJSON]; one record per case ([ResponseRecord]): IDs and
//     aliases, title, a hash of the normalised advisory, the first receipt
//     (time, source, group, manual) and the receipt count, KEV listing and
//     known ransomware use, decision, priority, rule, triaged at and by,
//     owner, due, state, action reference, closed at, reject reason, the
//     reasons, the matched components (ID, version, confidence, verdict)
//     and, in JSON, every receipt and the full event trail.
//   - E9, KPI report: kpi.Report as JSON and as text.
//
// # Schemas and compatibility
//
// Each artefact has a versioned schema ID: [RegisterSchema]
// ("sigwatch.evidence.register/v1"), [ResponseLogSchema]
// ("sigwatch.evidence.response-log/v1"), kpi.ReportSchema and
// [ManifestSchema]. JSON documents carry their schema ID in a top-level
// "schema" field; CSV files are identified by the manifest. This is the
// compatibility promise: under one schema ID, JSON field names (snake_case)
// and CSV columns (same names, same order) keep their meaning; fields may be
// added at the end; anything else gets a new version. Times are RFC 3339 in
// UTC and "" when not recorded; dates are YYYY-MM-DD; lists are [] rather
// than null. Output is deterministic: records are sorted by ID, and the same
// inputs give the same bytes.
//
// # CSV and Markdown safety
//
// Text in the register and, above all, in advisories comes from outside.
// In CSV every data cell that starts with '=', '+', '-', '@', a tab or a
// carriage return gets a leading apostrophe ([SafeCSVCell]), so a
// spreadsheet shows "=HYPERLINK(…)" as text instead of running it; quoting
// is encoding/csv's. Cells that are negative numbers would be prefixed too;
// the schemas have none. In Markdown every cell goes through [MarkdownCell]:
// line breaks become spaces and | \ ` * _ ~ [ ] < > & are backslash-escaped,
// so text can neither break the table nor inject links or HTML.
//
// # Packs
//
// [WritePack] writes a folder: register.csv, register.json, register.md,
// response-log.csv, response-log.json, kpi.json and kpi.txt (with a KPI
// report), manifest.json (every other file with its artefact ID, schema,
// media type, size and SHA-256, plus the generator, generated-at, as-of,
// period and schema IDs) and SHA256SUMS, which `sha256sum -c SHA256SUMS`
// checks and which covers every file including manifest.json.
//
// The folder is created when missing. Writing again into a folder that
// holds a previous pack replaces it (a quickstart can write to
// ./sigwatch-evidence on every run); a folder with other files is refused
// with [ErrNotPackDir] unless [PackOptions].Overwrite is set, and foreign
// files are never deleted. A previous pack is recognised by its
// manifest.json, so a folder left by an interrupted first write (data
// files but no manifest) is refused too: empty it, or set Overwrite. Each
// file is written to a temporary file and renamed into place; the manifest
// and SHA256SUMS come last.
//
// # Errors
//
// Errors start with "evidence: ", wrap the cause with %w, and name the file
// or directory involved. Writers return the first write error of w.
package evidence
