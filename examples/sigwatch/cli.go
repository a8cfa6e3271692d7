package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/sigwatch/sigwatch/internal/textx"
)

// env is what a command may touch of the outside world.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// runFunc runs a command with its positional arguments after the flags have
// been parsed.
type runFunc func(ctx context.Context, e *env, args []string) error

// command is one entry of the command table. To add a command, write a
// function that defines its flags and returns its runFunc, and list it in
// commands.
type command struct {
	// name is the command path, words separated by single spaces
	// ("feeds parse").
	name string
	// args is the synopsis after the name ("--kind KIND [--json] FILE").
	args string
	// summary is one line for the command list.
	summary string
	// help is the longer description shown by "sigwatch help <name>".
	help string
	// setup defines the flags on fs and returns the function to run.
	setup func(fs *flag.FlagSet) runFunc
}

// commands returns the command table, in the order "sigwatch help" lists it.
func commands() []command {
	return []command{
		feedsParseCommand(),
		feedsDiffCommand(),
		feedsFetchCommand(),
		triageCommand(),
		registerCheckCommand(),
		registerShowCommand(),
		registerAssessCommand(),
		intakeRunCommand(),
		intakeWatchCommand(),
		intakeCasesCommand(),
		journalVerifyCommand(),
		kpiCommand(),
		evidenceCommand(),
		evidenceVerifyCommand(),
	}
}

// usageError marks mistakes in the command line (exit status 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// run is the whole program: it returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		printUsage(stderr)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[0] == "help" {
			cmd, rest, ok := lookup(args[1:])
			if !ok || len(rest) > 0 {
				return fail(stderr, usagef("unknown command %q; run 'sigwatch help' for the list", strings.Join(args[1:], " ")))
			}
			printCommandUsage(stdout, cmd)
			return 0
		}
		printUsage(stdout)
		return 0
	}

	cmd, rest, ok := lookup(args)
	if !ok {
		if group := subcommands(args[0]); len(group) > 0 {
			return fail(stderr, usagef("%q needs a subcommand: %s", args[0], strings.Join(group, ", ")))
		}
		return fail(stderr, usagef("unknown command %q; run 'sigwatch help' for the list", args[0]))
	}
	fs := flag.NewFlagSet("sigwatch "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	runCmd := cmd.setup(fs)
	positional, err := parseFlags(fs, rest)
	if errors.Is(err, flag.ErrHelp) {
		printCommandUsage(stdout, cmd)
		return 0
	}
	if err != nil {
		return fail(stderr, usagef("%s: %v; run 'sigwatch help %s' for usage", cmd.name, err, cmd.name))
	}
	if err := runCmd(ctx, e, positional); err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			return fail(stderr, usagef("%s: %s; run 'sigwatch help %s' for usage", cmd.name, ue.msg, cmd.name))
		}
		return fail(stderr, err)
	}
	return 0
}

// fail prints err as one line — or, for a list of errors (every problem
// in a register file, say), one line per error — and returns the exit
// status for it.
func fail(stderr io.Writer, err error) int {
	if list, ok := err.(interface{ Unwrap() []error }); ok && len(list.Unwrap()) > 0 {
		for _, e := range list.Unwrap() {
			fmt.Fprintf(stderr, "sigwatch: %s\n", textx.OneLine(e.Error()))
		}
	} else {
		fmt.Fprintf(stderr, "sigwatch: %s\n", textx.OneLine(err.Error()))
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// lookup finds the longest command whose name is a prefix of args and
// returns the remaining arguments.
func lookup(args []string) (command, []string, bool) {
	var (
		best command
		n    int
	)
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(words) <= n || len(args) < len(words) {
			continue
		}
		match := true
		for i, w := range words {
			if args[i] != w {
				match = false
				break
			}
		}
		if match {
			best, n = c, len(words)
		}
	}
	if n == 0 {
		return command{}, nil, false
	}
	return best, args[n:], true
}

// subcommands lists the commands whose name starts with the word group.
func subcommands(group string) []string {
	var out []string
	for _, c := range commands() {
		if strings.HasPrefix(c.name, group+" ") {
			out = append(out, c.name)
		}
	}
	return out
}

// parseFlags parses flags anywhere among the arguments ("FILE --json" as
// well as "--json FILE"); the standard flag package stops at the first
// non-flag. "--" ends the flags; "-" is an argument (standard input).
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" && !flagTakesValue(fs, args, consumed-1) {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// flagTakesValue reports whether args[i] is the separate value of the flag
// before it ("--kind --"), not a terminator.
func flagTakesValue(fs *flag.FlagSet, args []string, i int) bool {
	if i == 0 {
		return false
	}
	prev := strings.TrimLeft(args[i-1], "-")
	if prev == args[i-1] || strings.Contains(prev, "=") {
		return false
	}
	f := fs.Lookup(prev)
	if f == nil {
		return false
	}
	if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
		return false
	}
	return true
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `sigwatch: advisories from the special interest groups you listen to
(ISO/IEC 27001:2022 control 5.6).

Usage:
  sigwatch <command> [flags] [arguments]
  sigwatch help [command]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-15s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Flags may come before or after the arguments. Run 'sigwatch help <command>'
for the flags of a command.
`)
}

func printCommandUsage(w io.Writer, c command) {
	fmt.Fprintf(w, "Usage: sigwatch %s %s\n\n%s\n", c.name, c.args, strings.TrimSpace(c.help))
	fs := flag.NewFlagSet("sigwatch "+c.name, flag.ContinueOnError)
	c.setup(fs)
	fs.SetOutput(w)
	fmt.Fprintln(w, "\nFlags:")
	fs.PrintDefaults()
}
