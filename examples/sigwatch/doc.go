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
//	curl -s https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json | sigwatch feeds parse --kind kev -
package main
