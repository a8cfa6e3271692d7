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
//	sigwatch feeds parse --kind kev FILE [--json]
//	sigwatch feeds parse --kind kev - [--json]   # read standard input
//
// Parse a downloaded feed file and print its advisories: a table (ID, date
// added, due date, ransomware use, vendor, product, name) followed by a
// count line, or with --json one indented JSON array of normalised
// feeds.Advisory values. FILE "-" reads standard input. Problems that do
// not stop parsing (such as a count that does not match the entries) are
// printed as warnings on standard error. Kinds: kev (CISA Known Exploited
// Vulnerabilities catalog, JSON).
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
//	curl -s https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json | sigwatch feeds parse --kind kev -
package main
