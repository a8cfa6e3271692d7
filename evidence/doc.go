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
//   - E2, review records: [WriteReviewsCSV] and [WriteReviewsJSON]; one
//     record per review of each entry ([ReviewRecordRow]: date, by,
//     outcome keep/change/retire, notes), beside the entry's cadence, last
//     review, next review due and review status as of the pack's as-of
//     day, computed as register.Check does (reviews dated later are listed
//     and flagged, not counted); an entry never reviewed has one row with
//     empty review fields.
//   - E3, membership proof index: [WriteProofsCSV] and [WriteProofsJSON];
//     one record per proof reference ([ProofRecord]: ref, kind, date,
//     SHA-256), and a record flagged missing for every live entry with an
//     active membership and no proof (register.Check's no-proof).
//     sigwatch stores references; the organisation keeps the files.
//   - E4, advisory response log: [WriteResponseLogCSV] and
//     [WriteResponseLogJSON]; one record per case ([ResponseRecord]): IDs and
//     aliases, title, a hash of the normalised advisory, the first receipt
//     (time, source, group, manual) and the receipt count, KEV listing and
//     known ransomware use, decision, priority, rule, triaged at and by,
//     owner, due, state, action reference, closed at, reject reason, the
//     reasons, the matched components (ID, version, confidence, verdict)
//     and, in JSON, every receipt and the full event trail.
//   - E6, dissemination record: [WriteDisseminationCSV] and
//     [WriteDisseminationJSON]; one record per notification delivered or
//     given up.
//   - E7, participation and contribution log: [WriteEngagementsCSV] and
//     [WriteEngagementsJSON]; one record per engagement
//     ([EngagementRecord]: group, date, kind, who, TLP, notes and the
//     SHA-256 of the notes), with TLP-labelled notes redacted on request
//     (see Redaction).
//   - E8, register health report: [WriteHealthCSV], [WriteHealthJSON] and
//     [WriteHealthMarkdown]; the findings of register.Check as of the
//     pack's as-of instant ([HealthRecord]: code, severity, group, field,
//     person, message) and their count by severity. Link findings need the
//     network and are not in the pack: `sigwatch register check --links`
//     (register.CheckLinks) produces them.
//   - E9, KPI report: kpi.Report as JSON and as text.
//   - E5 and E10, OSCAL: [WriteOSCALPOAM] writes an OSCAL 1.1.3 plan of
//     action and milestones (one poam-item per open actionable case: owner,
//     due date, advisory title, CVE IDs as properties, remarks) and
//     [WriteOSCALAssessmentResults] an OSCAL 1.1.3 assessment-results
//     document (observations on E1, E2, E4 and E8 that cite the pack files
//     with their SHA-256, and a finding on A.5.6 that is "not-satisfied"
//     when the register health check has an error finding). Both validate
//     against NIST's official OSCAL 1.1.3 JSON schemas; their UUIDs are
//     name-based (version 5), so the same inputs give the same bytes.
//   - E11, cross-framework mapping: [Crosswalk] is the A.5.6 mapping to
//     NIST SP 800-53 PM-15 and SI-5, SOC 2 CC2.3 (CC7.2 recorded as not
//     supported), NIST CSF 2.0 ID.RA-02 and GV.OC-02, CIS Controls v8 17.2,
//     DORA Art. 13(1), 45(1) and 45(3), RTS 2024/1774 Art. 10(2)(a), NIS2
//     IR 2024/2690 6.10.2(a), BSI DER.1.A12, SCF GOV-07 and PCI DSS 6.3.1,
//     each with the relationship, a verdict, our own one-line description
//     and rationale (no control text is copied), its provenance and the
//     artefacts that answer it. [WriteCrosswalkMarkdown] writes it as a
//     table, [WriteOSCALMapping] as an OSCAL 1.2.1 mapping-collection that
//     validates against NIST's schema.
//   - Digest of what each group brought ("what did you learn from this
//     group recently?"), filed under E7: [DigestRecords],
//     [WriteDigestJSON] and [WriteDigestMarkdown]; per group, the
//     advisories received through it in the period, how many were
//     actionable (as KPI 2 counts them) and which, with their decision,
//     owner, state and action, the engagements in the period, the last
//     engagement and the last review, and findings such as
//     nothing-received.
//   - The HTML report, [WriteHTMLReport]: one self-contained page for
//     people (summary figures, KPI charts as inline SVG with their numbers
//     beside them, the register, open actions, health findings and the
//     pack's files with their SHA-256). It loads and runs nothing: no
//     script, no external resource, a Content-Security-Policy forbidding
//     both, and every text escaped by html/template.
//
// # Schemas and compatibility
//
// Each artefact has a versioned schema ID: [RegisterSchema]
// ("sigwatch.evidence.register/v1"), [ReviewsSchema], [ProofsSchema],
// [ResponseLogSchema] ("sigwatch.evidence.response-log/v1"),
// [DisseminationSchema], [EngagementsSchema], [HealthSchema],
// [DigestSchema], [CrosswalkSchema], [HTMLReportSchema], kpi.ReportSchema
// and [ManifestSchema]; the OSCAL documents are identified by the $id of
// the official schema ([OSCALAssessmentResultsSchema], [OSCALPOAMSchema],
// [OSCALMappingSchema]) and carry no "schema" field. Other JSON documents carry
// their schema ID in a top-level "schema" field; CSV files are identified
// by the manifest. This is the compatibility promise: under one schema ID,
// JSON field names (snake_case) and CSV columns (same names, same order)
// keep their meaning; fields may be added at the end; anything else gets a
// new version. Times are RFC 3339 in UTC and "" when not recorded; dates are
// YYYY-MM-DD; lists are [] rather than null. Output is deterministic:
// records are sorted (registers by ID, logs by time, then ID), and the same
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
// # Redaction
//
// [PackOptions].Redact (and the redact argument of the E7 writers) names
// the lowest TLP label to keep out of the pack: "amber" redacts AMBER,
// AMBER+STRICT and RED, "red" only RED. An engagement's label is its own
// TLP or, when it has none, its group's default (membership.tlp); a label
// that is not a TLP label is redacted too. A redacted note reads
// "[redacted TLP:AMBER]" and its notes_sha256 column keeps the SHA-256 of
// the original, so an auditor shown the original later can check it. The
// digest is not keyed: short, guessable notes can be confirmed by
// hashing guesses.
//
// Cases are redacted by [RedactCases] before any file is rendered. A
// case's label is the strictest of its advisory's TLP and the default
// TLP of every group it was received through. At or above the level, the
// advisory's free text (title, summary, notes, URLs, tags, KEV text) is
// replaced: the title by "[redacted TLP:AMBER] sha256:<hex>" with the
// SHA-256 of the original title, the rest by the marker alone; notes
// people wrote on the case keep their hash the same way. An identifier
// that could spell out the advisory (a URL or a title slug used as an ID)
// becomes "redacted:" and 16 hex digits of its SHA-256, everywhere; CVE,
// GHSA and vendor or ISAC codes stay, and so do dates, labels, scores,
// decisions, owners and the event trail, and
// the response log's advisory_sha256 remains the original advisory's. The
// KPI report's item titles are replaced through kpi.Report.Redacted.
//
// # Packs
//
// [WritePack] writes a folder: register.csv, register.json, register.md,
// reviews.csv, reviews.json, proofs.csv, proofs.json, response-log.csv,
// response-log.json, dissemination.csv, dissemination.json,
// engagements.csv, engagements.json, register-health.csv,
// register-health.json, register-health.md, kpi.json and kpi.txt (with a
// KPI report), oscal-poam.json, oscal-assessment-results.json,
// digest.json and digest.md (with a period), crosswalk.md,
// oscal-mapping.json, report.html, manifest.json (every other file with its
// artefact ID, schema, media type, size and SHA-256, plus the generator,
// generated-at, as-of, period, journal head, redaction level and schema
// IDs) and SHA256SUMS, which `sha256sum -c SHA256SUMS` checks and which
// covers every file including manifest.json.
//
// With [PackOptions].Signer the manifest is signed: manifest.json.sig
// holds the raw Ed25519 (or ECDSA P-256) signature over manifest.json's
// bytes and manifest.pub.pem the public key, which the manifest names by
// fingerprint. openssl verifies it without sigwatch:
//
//	openssl pkeyutl -verify -pubin -inkey manifest.pub.pem -rawin \
//	    -in manifest.json -sigfile manifest.json.sig        # Ed25519
//	openssl dgst -sha256 -verify manifest.pub.pem \
//	    -signature manifest.json.sig manifest.json           # ECDSA P-256
//
// [VerifyPack] checks a pack: SHA256SUMS, every file's size and hash, no
// file left out or added, and the signature, against a key the auditor
// holds when one is given ([LoadSigner] and [LoadPublicKey] read PEM key
// files). [WriteZip] writes a pack as a deterministic
// zip.
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
