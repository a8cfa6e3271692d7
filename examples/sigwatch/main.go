// Command sigwatch is the command-line front end to the sigwatch library
// (ISO/IEC 27001:2022 control 5.6, contact with special interest groups).
//
// Usage:
//
//	sigwatch <command> [flags] [arguments]
//	sigwatch help [command]
//
// Commands:
//
//	feeds parse --kind KIND [--json] FILE
//	    Parse a downloaded feed file ("-" reads standard input) and print its
//	    advisories as a table, or as one indented JSON array of normalised
//	    feeds.Advisory values with --json. Kinds: kev (CISA KEV catalog JSON).
//
// Flags may come before or after the arguments; "--" ends the flags.
// Errors are printed as one line, "sigwatch: <message>", on standard error;
// the exit status is 1 for errors and 2 for usage mistakes.
//
// Example:
//
//	go run ./examples/sigwatch feeds parse --kind kev feeds/kevfeed/data/known_exploited_vulnerabilities.json --json
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
