// Command sigwatch is the command-line front end to the sigwatch library
// (ISO/IEC 27001:2022 control 5.6, contact with special interest groups).
//
// # Usage
//
//	sigwatch <command> [flags] [arguments]
//	sigwatch help [command]
//
// Flags may come before or after the arguments; "--" ends the flags.
//
// # Commands
//
//	sigwatch feeds parse --kind KIND [--json] PATH...
//
// Parse downloaded feed files and print their advisories: a table (ID,
// date, due date, ransomware use, vendor, product, name) followed by a
// count line, or with --json one indented JSON array of normalised
// feeds.Advisory values from all inputs. PATH "-" reads standard input; a
// directory (csaf, osv, cve5) or an OSV ecosystem zip is accepted where the
// format has one. Warnings (problems that did not stop parsing) go to
// standard error. Kinds: kev, rss (RSS 2.0, RSS 1.0/RDF, Atom, JSON Feed;
// detected from content), ncsc (rss with the UK NCSC preset), csaf, osv,
// cve5.
//
//	sigwatch feeds diff --kind kev [--json] OLD NEW
//
// Compare two KEV catalog releases: added and removed CVE IDs and, for
// entries revised in place, the names of the changed fields. --json prints
// {"from", "to", "added", "removed", "changed": [{"id", "fields"}]}.
//
//	sigwatch feeds fetch [--kind KIND] [--json] [--timeout D] NAME|URL
//
// Fetch a live feed through feeds/feedhttp and print it as feeds parse
// does, with one line per HTTP request on standard error (status, bytes,
// time, attempts). NAME is cisa-kev or an RSS preset (ncsc-all, msrc,
// cisco-psirt, …; "sigwatch help feeds fetch" lists them); a URL needs
// --kind.
//
// # Intake
//
//	sigwatch intake run --register FILE --stack FILE --db DSN [--rules FILE] [--offline DIR] [--notify FILE] [--now TIME] [--json]
//
// Run one intake cycle (package intake): one source per feed channel of the
// register's live groups (kinds kev, rss, ncsc, csaf, osv), named by the
// channel's source name and fetched through one feeds/feedhttp client;
// advisories de-duplicated into one case per vulnerability, triaged against
// the stack, routed to the component's owner, recorded with a hash-chained
// journal, and the owners told. Prints one line per source (advisories,
// "not modified", the error, or why it was skipped), the cases opened or
// updated (decision, priority, owner, due date, title, why), every delivery
// (notifier, recipient, cases, state, reference or error) and a summary.
// A failing source is a result (exit 0); a failing store or delivery exits
// 1. Running the same fetch twice records and sends nothing twice.
//
// --db is sqlite:PATH (package intake/sqlstore; created if needed),
// postgres://… or memory: (in memory, nothing kept). --offline DIR fetches no
// feed over the network: each source reads DIR/<source name> (a directory for csaf, osv,
// cve5) or DIR/<source name>.{json,xml,rss,atom,rdf,zip}; a kev channel
// without a file reads the embedded KEV snapshot, other channels without a
// file are listed as skipped; --offline bundled uses the snapshot only.
// --now fixes the clock. --json prints {"store", "run", "skipped",
// "delivered", "cases", "opened"}.
//
// --notify FILE configures notifications in YAML:
//
//	notifiers:
//	  - {name: ops-hook, kind: webhook, url: "https://…", secret_env: SIGWATCH_WEBHOOK_SECRET}
//	  - {name: chat, kind: slack, url_env: SLACK_WEBHOOK_URL}
//	  - {name: teams, kind: teams, url_env: TEAMS_WEBHOOK_URL}
//	  - {name: mail, kind: smtp, addr: "smtp.example.org:587", from: "sigwatch@example.org",
//	     username_env: SMTP_USER, password_env: SMTP_PASSWORD, starttls: required}
//	  - {name: tickets, kind: jira, base_url: "https://example.atlassian.net", project: SEC,
//	     issue_type: Task, email_env: JIRA_EMAIL, token_env: JIRA_TOKEN}
//	routes:
//	  - {owner: netops, priorities: [P1, P2], notifier: chat}
//	  - {notifier: mail}
//	digest: {priorities: [P4], every: 24h, at: "08:00"}
//
// Secrets, and the Slack and Teams URLs (which carry a token), come only
// from the environment variables the *_env keys name; a missing variable is
// an error at its position in the file. Webhook keys: url or url_env,
// secret_env. SMTP: addr, from, username_env, password_env, starttls
// (required, opportunistic, never), implicit_tls, hello. Jira: base_url,
// project, issue_type, email_env and token_env or bearer_token_env, labels,
// priority_map ({P1: Highest}), set_due_date. A route matches an owner
// ("*" or none: any) and priorities (none: any), and may send to a fixed
// recipient (to: {id, name, email}) or always to the digest (digest: true).
// Without routes every notifier tells every owner. Unknown keys, kinds and
// notifiers, duplicate names and keys of another kind are errors, all
// reported at once with their line and column.
//
//	sigwatch intake watch [same flags] [--interval D]
//
// Run a cycle at once and then every interval (default 1h, with jitter),
// printing a short block per cycle (JSON Lines with --json); an interrupt
// stops it between transactions with exit status 0.
//
//	sigwatch intake cases --db DSN [--state S,...] [--owner O] [--now TIME] [--json]
//
// List the cases: ID, state, decision, priority, owner, due date, first
// receipt, an overdue mark and the title, then a count. --json prints
// {"store", "cases"} with each case in full, receipts and events (its
// history) included.
//
//	sigwatch journal verify --db DSN [--anchor SEQ:HASH ...] [--json]
//
// Check the journal's hash chain and every case against it
// (intake.VerifyJournal): prints the entries and cases compared, the head
// to record as an anchor, and every problem on a line of its own ("problem:
// entry 3: content does not match its hash: the entry was edited"); exit 1
// when there is any problem.
//
// # KPIs and evidence
//
//	sigwatch kpi --db DSN --register FILE --period P [--now TIME] [--json]
//
// Compute the control 5.6 KPIs (package kpi) over every case in the store
// and the register, for a period: a calendar quarter (2025-Q3), month
// (2025-09), year (2025) or range FROM..TO (2025-07-01..2025-10-01, TO
// excluded; dates are midnight UTC, RFC 3339 times are accepted; FROM/TO as
// kpi prints it works too). --now is the as-of instant: by default the
// period's end, or the current time while the period runs; before the
// period's start it is an error. Prints each KPI with its definition,
// numerator, denominator, exclusions and input hash; --json prints the
// report in its versioned form (schema sigwatch.kpi.report/v1), the same
// document an evidence pack holds as kpi.json.
//
//	sigwatch evidence --db DSN --register FILE --period P --out DIR [--zip] [--redact amber|red] [--now TIME] [--json]
//
// Write the evidence pack (package evidence) for the period into DIR: the
// register snapshot, reviews, proofs, the response log of every case in the
// store, dissemination and engagement records, the register health report,
// the KPI report, manifest.json and SHA256SUMS. The journal is verified
// first (intake.VerifyJournal): a journal that does not verify is an error
// (exit 1) and no pack is written; its head goes into the manifest as
// journal_head, to be used later as 'journal verify --anchor SEQ:HASH'.
// --zip also writes DIR.zip, deterministic (names sorted under one folder,
// every entry dated at the as-of instant). --redact amber (or red) redacts
// TLP-labelled engagement notes, keeping their hashes, and is recorded in
// the manifest. --now also fixes the generation time, so the same store,
// register, period and --now give a byte-identical pack and zip. Prints
// the files with their artefact, size and SHA-256, and the line to check
// them: cd DIR && sha256sum -c SHA256SUMS. --json prints {"dir", "zip",
// "zip_sha256", "manifest"}.
//
// # Exit status
//
// Errors are printed as one line, "sigwatch: <message>", on standard error.
// The exit status is 0 on success (including help), 1 for errors (unreadable
// or malformed input) and 2 for usage mistakes (unknown command or flag,
// missing --kind, wrong number of arguments).
//
// # Examples
//
//	go run ./examples/sigwatch feeds parse --kind kev feeds/kevfeed/data/known_exploited_vulnerabilities.json --json
//	go run ./examples/sigwatch feeds parse --kind osv feeds/osvfeed/testdata/go-vulndb.zip
//	go run ./examples/sigwatch feeds diff --kind kev feeds/kevfeed/testdata/known_exploited_vulnerabilities_2025-08-21.json feeds/kevfeed/data/known_exploited_vulnerabilities.json
//	go run ./examples/sigwatch feeds fetch ncsc-all
//	go run ./examples/sigwatch intake run --register examples/register/register.yaml --stack examples/quickstart/data/stack.yaml --offline bundled --db sqlite:sigwatch.db
//	go run ./examples/sigwatch journal verify --db sqlite:sigwatch.db
//	go run ./examples/sigwatch kpi --db sqlite:sigwatch.db --register examples/register/register.yaml --period 2025-Q3 --json
//	go run ./examples/sigwatch evidence --db sqlite:sigwatch.db --register examples/register/register.yaml --period 2025-Q3 --out evidence-2025-Q3 --zip --redact amber
//	curl -s https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json | sigwatch feeds parse --kind kev -
package main
