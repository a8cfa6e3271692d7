package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigwatch/sigwatch/feeds"
)

// kevFile is the bundled 2025-08-25 catalog (1404 entries).
const kevFile = "../../feeds/kevfeed/data/known_exploited_vulnerabilities.json"

type result struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

func TestFeedsParseJSON(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"flag_after_file", []string{"feeds", "parse", "--kind", "kev", kevFile, "--json"}},
		{"flags_first", []string{"feeds", "parse", "--json", "--kind=kev", kevFile}},
		{"single_dash_flags", []string{"feeds", "parse", kevFile, "-kind", "kev", "-json"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "", tt.args...)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			var advs []feeds.Advisory
			if err := json.Unmarshal([]byte(r.stdout), &advs); err != nil {
				t.Fatalf("stdout is not a JSON array of advisories: %v", err)
			}
			if len(advs) != 1404 {
				t.Errorf("%d advisories, want 1404", len(advs))
			}
			if advs[0].ID != "CVE-2025-48384" || advs[0].Exploitation.KEV == nil {
				t.Errorf("first advisory %+v", advs[0])
			}
			if !strings.HasPrefix(r.stdout, "[\n  {\n") {
				t.Errorf("output is not indented: %.40q", r.stdout)
			}
		})
	}
}

func TestFeedsParseTable(t *testing.T) {
	r := runCLI(t, "", "feeds", "parse", "--kind", "kev", kevFile)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if !strings.HasSuffix(r.stdout, ")\n") {
		t.Errorf("output does not end with the count line and a newline: %q", r.stdout[max(0, len(r.stdout)-40):])
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 1+1404+1 {
		t.Fatalf("%d lines, want header + 1404 rows + count", len(lines))
	}
	if f := strings.Fields(lines[0]); strings.Join(f, " ") != "ID ADDED DUE RANSOMWARE VENDOR PRODUCT NAME" {
		t.Errorf("header %q", lines[0])
	}
	if f := strings.Fields(lines[1]); len(f) < 7 || f[0] != "CVE-2025-48384" || f[1] != "2025-08-25" || f[2] != "2025-09-15" || f[3] != "Unknown" || f[4] != "Git" {
		t.Errorf("first row %q", lines[1])
	}
	if want := "1404 advisories (CISA Catalog of Known Exploited Vulnerabilities, catalogVersion 2025.08.25, released 2025-08-25T17:04:19.9796Z)"; lines[len(lines)-1] != want {
		t.Errorf("count line %q\nwant %q", lines[len(lines)-1], want)
	}
}

func TestFeedsParseStdin(t *testing.T) {
	in := `{"catalogVersion": "2025.01.01", "count": 2, "vulnerabilities": [
	  {"cveID": "CVE-2021-44228", "vendorProject": "Apache\u001b[2J", "product": "Log4j2",
	   "vulnerabilityName": "Log4Shell\nsecond line", "dateAdded": "2021-12-10", "dueDate": "2021-12-24",
	   "knownRansomwareCampaignUse": "Known"}]}`
	r := runCLI(t, in, "feeds", "parse", "-", "--kind", "kev")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if want := "sigwatch: warning: <stdin>: \"count\" is 2 but the catalog lists 1 vulnerabilities\n"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr %q does not contain %q", r.stderr, want)
	}
	if strings.ContainsAny(r.stdout, "\x1b\t") || !strings.Contains(r.stdout, "Log4Shell second line") {
		t.Errorf("control characters not neutralised:\n%s", r.stdout)
	}
	if !strings.HasSuffix(r.stdout, "1 advisory (CISA KEV, catalogVersion 2025.01.01)\n") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	real, err := os.ReadFile(kevFile)
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "truncated.json")
	// 600000 bytes end inside `"dueDate": "20` on line 8740 (derived with
	// python3: the cut text has 8739 newlines and 26 characters after the last).
	if err := os.WriteFile(truncated, real[:600000], 0o644); err != nil {
		t.Fatal(err)
	}
	html := filepath.Join(dir, "error.html")
	if err := os.WriteFile(html, []byte("<!DOCTYPE html>\n<html>Not Found</html>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.json")

	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string // exact, or a prefix when it ends in "…"
	}{
		{"missing_file", []string{"feeds", "parse", "--kind", "kev", missing},
			1, "sigwatch: open " + missing + ": no such file or directory\n"},
		{"truncated_json", []string{"feeds", "parse", "--kind", "kev", truncated, "--json"},
			1, "sigwatch: " + truncated + ":8740:27: unexpected end of input (truncated JSON)\n"},
		{"html_page", []string{"feeds", "parse", "--kind", "kev", html},
			1, "sigwatch: " + html + ":1:1: got an HTML page, not a JSON feed\n"},
		{"directory", []string{"feeds", "parse", "--kind", "kev", dir},
			1, "sigwatch: " + dir + ": is a directory, not a feed file\n"},
		{"unknown_kind", []string{"feeds", "parse", "--kind", "misp", kevFile},
			2, "sigwatch: feeds parse: unknown feed kind \"misp\" (known kinds: kev, rss, ncsc, csaf, osv, cve5); run 'sigwatch help feeds parse' for usage\n"},
		{"wrong_kind", []string{"feeds", "parse", "--kind", "csaf", kevFile},
			1, "sigwatch: " + kevFile + ":1:1: not a CSAF document: no \"document\" object\n"},
		{"missing_kind", []string{"feeds", "parse", kevFile},
			2, "sigwatch: feeds parse: --kind is required (known kinds: kev, rss, ncsc, csaf, osv, cve5); run 'sigwatch help feeds parse' for usage\n"},
		{"no_file", []string{"feeds", "parse", "--kind", "kev"},
			2, "sigwatch: feeds parse: want at least one PATH (or - for standard input); run 'sigwatch help feeds parse' for usage\n"},
		{"stdin_and_file", []string{"feeds", "parse", "--kind", "kev", "-", kevFile},
			2, "sigwatch: feeds parse: standard input (-) cannot be combined with other paths; run 'sigwatch help feeds parse' for usage\n"},
		{"unknown_flag", []string{"feeds", "parse", "--kind", "kev", "--yaml", kevFile},
			2, "sigwatch: feeds parse: flag provided but not defined: -yaml; run 'sigwatch help feeds parse' for usage\n"},
		{"flag_without_value", []string{"feeds", "parse", kevFile, "--kind"},
			2, "sigwatch: feeds parse: flag needs an argument: -kind; run 'sigwatch help feeds parse' for usage\n"},
		{"unknown_command", []string{"frobnicate"},
			2, "sigwatch: unknown command \"frobnicate\"; run 'sigwatch help' for the list\n"},
		{"group_without_subcommand", []string{"feeds"},
			2, "sigwatch: \"feeds\" needs a subcommand: feeds parse, feeds diff, feeds fetch\n"},
		{"help_unknown", []string{"help", "feeds", "watch"},
			2, "sigwatch: unknown command \"feeds watch\"; run 'sigwatch help' for the list\n"},
		{"no_args", nil, 2, "sigwatch: advisories…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "", tt.args...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d", r.code, tt.code)
			}
			if p, ok := strings.CutSuffix(tt.stderr, "…"); ok {
				if !strings.HasPrefix(r.stderr, p) {
					t.Errorf("stderr %q, want prefix %q", r.stderr, p)
				}
			} else if r.stderr != tt.stderr {
				t.Errorf("stderr\n got %q\nwant %q", r.stderr, tt.stderr)
			}
			if tt.code != 0 && r.stdout != "" {
				t.Errorf("stdout not empty on error: %.80q", r.stdout)
			}
			if strings.Contains(r.stderr, "goroutine") || strings.Contains(r.stderr, "panic") {
				t.Errorf("stack trace on stderr: %s", r.stderr)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		r := runCLI(t, "", args...)
		if r.code != 0 || !strings.Contains(r.stdout, "feeds parse") || r.stderr != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
	}
	for _, args := range [][]string{{"help", "feeds", "parse"}, {"feeds", "parse", "-h"}, {"feeds", "parse", "--kind", "kev", "--help"}} {
		r := runCLI(t, "", args...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "Usage: sigwatch feeds parse --kind KIND [--json] PATH...") ||
			!strings.Contains(r.stdout, "-kind format") || !strings.Contains(r.stdout, "kev    CISA Known Exploited Vulnerabilities") {
			t.Errorf("%q: exit %d, stdout:\n%s", args, r.code, r.stdout)
		}
	}
}

func TestParseFlagsTerminator(t *testing.T) {
	dir := t.TempDir()
	// A file whose name looks like a flag, after "--".
	name := filepath.Join(dir, "-data.json")
	if err := os.WriteFile(name, []byte(`{"catalogVersion": "x", "vulnerabilities": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	r := runCLI(t, "", "feeds", "parse", "--kind", "kev", "--json", "--", "-data.json")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	code := run(ctx, []string{"feeds", "parse", "--kind", "kev", kevFile}, nil, &out, &errOut)
	if code != 1 || errOut.String() != "sigwatch: context canceled\n" {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}
