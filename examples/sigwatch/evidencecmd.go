package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sigwatch/sigwatch/evidence"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/internal/textx"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
)

// ---------------------------------------------------------------------------
// --period

const periodHelp = "2025-Q3 (quarter), 2025-09 (month), 2025 (year) or FROM..TO (dates or RFC 3339 times, TO excluded)"

// parsePeriod reads a reporting period: a calendar quarter "2025-Q3", a
// month "2025-09", a year "2025", or a half-open range "FROM..TO" (also
// "FROM/TO", the ISO 8601 interval kpi.Period.String prints) whose ends are
// dates (midnight UTC) or RFC 3339 times. All periods are in UTC.
func parsePeriod(s string) (kpi.Period, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return kpi.Period{}, fmt.Errorf("--period is empty: want %s", periodHelp)
	}
	if from, to, ok := cutRange(in); ok {
		start, err := parsePeriodEnd(from)
		if err != nil {
			return kpi.Period{}, fmt.Errorf("%q: start: %w", cell(s, 60), err)
		}
		end, err := parsePeriodEnd(to)
		if err != nil {
			return kpi.Period{}, fmt.Errorf("%q: end: %w", cell(s, 60), err)
		}
		if !end.After(start) {
			return kpi.Period{}, fmt.Errorf("%q: the end %s is not after the start %s (the end is excluded)",
				cell(s, 60), end.Format(time.RFC3339Nano), start.Format(time.RFC3339Nano))
		}
		return kpi.NewPeriod(start, end)
	}
	if y, rest, ok := cutYear(in); ok {
		switch {
		case rest == "":
			return kpi.Period{Start: time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC),
				End: time.Date(y+1, time.January, 1, 0, 0, 0, 0, time.UTC)}, nil
		case len(rest) == 3 && (rest[1] == 'Q' || rest[1] == 'q') && rest[2] >= '1' && rest[2] <= '4':
			return kpi.Quarter(y, int(rest[2]-'0')), nil
		case len(rest) == 3 && isDigits(rest[1:]):
			if m, _ := strconv.Atoi(rest[1:]); m >= 1 && m <= 12 {
				return kpi.Month(y, time.Month(m)), nil
			}
		}
	}
	return kpi.Period{}, fmt.Errorf("%q is not a quarter, month or from..to range (want %s)", cell(s, 60), periodHelp)
}

// cutRange splits "FROM..TO" or "FROM/TO".
func cutRange(s string) (from, to string, ok bool) {
	if from, to, ok := strings.Cut(s, ".."); ok {
		return strings.TrimSpace(from), strings.TrimSpace(to), true
	}
	if from, to, ok := strings.Cut(s, "/"); ok {
		return strings.TrimSpace(from), strings.TrimSpace(to), true
	}
	return "", "", false
}

// cutYear reads four leading digits and a following '-' or the end; rest
// is what follows the year, starting with its '-'.
func cutYear(s string) (year int, rest string, ok bool) {
	if len(s) < 4 || !isDigits(s[:4]) || (len(s) > 4 && s[4] != '-') {
		return 0, "", false
	}
	y, _ := strconv.Atoi(s[:4])
	if y < 1 {
		return 0, "", false
	}
	return y, s[4:], true
}

func isDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// parsePeriodEnd reads one end of a range: a date (midnight UTC) or an
// RFC 3339 time.
func parsePeriodEnd(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, errors.New("missing: want YYYY-MM-DD or an RFC 3339 time")
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not YYYY-MM-DD or an RFC 3339 time", cell(s, 40))
	}
	return t.UTC(), nil
}

// ---------------------------------------------------------------------------
// What kpi and evidence share

// reportFlags are the flags kpi and evidence share.
type reportFlags struct {
	db, register, period, now *string
	asJSON                    *bool
}

func defineReportFlags(fs *flag.FlagSet) *reportFlags {
	return &reportFlags{
		db:       fs.String("db", "", "case store `DSN`: "+dsnHelp+" (required; it must exist)"),
		register: fs.String("register", "", "register `file` (required)"),
		period:   fs.String("period", "", "reporting `period`: "+periodHelp+" (required)"),
		now:      fs.String("now", "", "as-of `time` (YYYY-MM-DD or RFC 3339); default the period's end, or now while the period runs"),
		asJSON:   fs.Bool("json", false, "print JSON"),
	}
}

// reportInputs are the checked flags and loaded files of kpi and evidence.
type reportInputs struct {
	period kpi.Period
	asOf   time.Time
	// clock is the generation time: --now when given, otherwise the
	// time the command started.
	clock time.Time
	reg   *register.Register
}

// checkReportFlags checks the flags and loads the register, before any
// store is opened, so that a mistake creates or reads nothing.
func checkReportFlags(f *reportFlags, started time.Time) (*reportInputs, error) {
	switch {
	case *f.register == "":
		return nil, usagef("--register is required")
	case *f.period == "":
		return nil, usagef("--period is required: %s", periodHelp)
	}
	if err := checkDSN(*f.db); err != nil {
		return nil, err
	}
	p, err := parsePeriod(*f.period)
	if err != nil {
		return nil, usagef("--period: %v", err)
	}
	in := &reportInputs{period: p, clock: started.UTC()}
	switch {
	case *f.now != "":
		t, err := parseNow(*f.now)
		if err != nil {
			return nil, usagef("--now: %v", err)
		}
		if t.Before(p.Start) {
			return nil, usagef("--now %s is before the period %s starts: nothing in it has happened yet",
				t.Format(time.RFC3339), p)
		}
		in.asOf, in.clock = t, t
	case p.End.After(in.clock):
		in.asOf = in.clock // the period is still running
	default:
		in.asOf = p.End
	}
	if in.reg, err = register.Load(*f.register); err != nil {
		return nil, err
	}
	return in, nil
}

// reportData reads what the KPIs need from the store: every case, and the
// sources' fetch states (for feed freshness). Link-check results need the
// network and are not stored, so the register health KPI reports its link
// criterion as unknown.
func reportData(ctx context.Context, st *caseStore, cmd string) ([]intake.Case, *kpi.Options, error) {
	cases, err := st.Cases(ctx, &intake.Query{})
	if err != nil {
		return nil, nil, fmt.Errorf("%s: reading the cases of %s: %w", cmd, st.name, err)
	}
	states, err := st.SourceStates(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: reading the source states of %s: %w", cmd, st.name, err)
	}
	return cases, &kpi.Options{SourceStates: states}, nil
}

// ---------------------------------------------------------------------------
// kpi

func kpiCommand() command {
	return command{
		name:    "kpi",
		args:    "--db DSN --register FILE --period P [--now TIME] [--json]",
		summary: "compute the control 5.6 KPIs for a period",
		help: `Compute the KPIs of control 5.6 (package kpi) over every case in the store and
the register: active memberships by kind (orphaned entries apart), actionable
items and the actionable rate, receipt-to-triage time (median, p90, max, % within
SLA and the untriaged backlog), memberships reviewed in the last 12 months,
time to action (with what is overdue), the register health score, feed
freshness per channel and channel yield (the last 365 days), and the trend of
KPIs 2, 3 and 5 against the previous period. Each KPI is printed with its
definition, numerator and denominator, what was excluded and why, and the hash
of its inputs. The register health score needs link-check results, which the
store does not keep: its link criterion reads "unknown" and no entry passes
until 'sigwatch register check --links' results are given to the library
(kpi.Options.Links).

--period is a calendar quarter (2025-Q3), month (2025-09), year (2025) or a
range FROM..TO (2025-07-01..2025-10-01; TO is excluded; dates are midnight UTC,
RFC 3339 times are accepted). --now is the as-of instant; by default the
period's end, or the current time while the period runs. The same store,
register, period and --now always give the same report.

--json prints the report in its versioned JSON form (schema
sigwatch.kpi.report/v1: snake_case names, RFC 3339 UTC times, durations in
seconds, null for n/a), the same document an evidence pack stores as kpi.json.`,
		setup: func(fs *flag.FlagSet) runFunc {
			f := defineReportFlags(fs)
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", cell(args[0], 60))
				}
				return runKPI(ctx, e, f, time.Now())
			}
		},
	}
}

func runKPI(ctx context.Context, e *env, f *reportFlags, started time.Time) error {
	in, err := checkReportFlags(f, started)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, *f.db, true)
	if err != nil {
		return err
	}
	defer st.close()
	cases, opts, err := reportData(ctx, st, "kpi")
	if err != nil {
		return err
	}
	report := kpi.Compute(in.reg, cases, in.period, in.asOf, opts)
	if *f.asJSON {
		return writeIndentedJSON(e.stdout, report)
	}
	var b bytes.Buffer
	if st.memory {
		b.WriteString(st.note() + "\n\n")
	}
	if err := report.WriteText(&b); err != nil {
		return err
	}
	_, err = e.stdout.Write(b.Bytes())
	return err
}

// ---------------------------------------------------------------------------
// evidence

func evidenceCommand() command {
	return command{
		name:    "evidence",
		args:    "--db DSN --register FILE --period P --out DIR [--zip] [--redact amber|red] [--sign-key FILE] [--now TIME] [--json]",
		summary: "write the audit evidence pack for a period",
		help: `Write the evidence pack of control 5.6 for a period (package evidence) into DIR:
the register snapshot, review records, membership proof index, advisory
response log (every case in the store, with every transition), OSCAL POA&M,
dissemination record, engagement log and per-group digest, register health
report, the KPI report (as the kpi command computes it), OSCAL assessment
results, the cross-framework mapping and report.html (one page for people),
with manifest.json and SHA256SUMS, which 'sha256sum -c SHA256SUMS' checks
inside DIR ('sigwatch evidence verify DIR' checks more).

The store's journal is verified first (as 'sigwatch journal verify' does): a
journal that does not verify is an error and no pack is written, so no pack is
made from tampered data. Its head is recorded in the manifest (journal_head):
'sigwatch journal verify --anchor SEQ:HASH' with it proves later that the
journal was not cut short or rewritten since the pack was made.

--zip also writes DIR.zip with the pack's files under one folder, sorted by
name, each dated at the as-of instant, so the same inputs give the same bytes.
--redact amber redacts TLP:AMBER, AMBER+STRICT and RED content in every file:
engagement notes, and the text of every case whose advisory or group is
labelled so (titles become "[redacted TLP:…] sha256:…", summaries, URLs and
people's notes the marker, IDs that could spell out the title a pseudonym);
--redact red only RED; the manifest records it. Identifiers such as CVE IDs,
decisions, owners and dates stay. The pack shows the cases as they stood at
the as-of instant. DIR is created when missing; a DIR holding a previous pack is
replaced, one holding other files is refused.

--sign-key FILE signs manifest.json with a PEM private key: Ed25519 (make one
with 'openssl genpkey -algorithm ed25519 -out key.pem') or ECDSA P-256. The
pack then also holds manifest.json.sig (the signature of the exact bytes of
manifest.json) and manifest.pub.pem (the public key), and the manifest names
the key's SHA-256 fingerprint. Anyone can check it without sigwatch:
  openssl pkeyutl -verify -pubin -inkey manifest.pub.pem -rawin \
    -in manifest.json -sigfile manifest.json.sig             (Ed25519)
  openssl dgst -sha256 -verify manifest.pub.pem \
    -signature manifest.json.sig manifest.json              (ECDSA P-256)
or with 'sigwatch evidence verify DIR --pubkey PUB.pem'. Publish the public
key (openssl pkey -in key.pem -pubout) where auditors can get it apart from the
pack: the copy inside the pack proves nothing about who made it.

--period and --now are as for 'sigwatch kpi'; --now also fixes the pack's
generation time, so the same store, register, period and --now give a
byte-identical pack (and zip; signed packs too). --json prints {"dir","zip",
"zip_sha256","manifest"}.`,
		setup: func(fs *flag.FlagSet) runFunc {
			f := defineReportFlags(fs)
			out := fs.String("out", "", "write the pack into `DIR` (required)")
			zipToo := fs.Bool("zip", false, "also write DIR.zip")
			redact := fs.String("redact", "", "redact content labelled TLP `level` and above: amber or red")
			signKey := fs.String("sign-key", "", "sign manifest.json with the PEM private key in `FILE` (Ed25519 or ECDSA P-256)")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected argument %q", cell(args[0], 60))
				}
				return runEvidence(ctx, e, &evidenceFlags{reportFlags: f, out: *out, zip: *zipToo, redact: *redact, signKey: *signKey}, time.Now())
			}
		},
	}
}

type evidenceFlags struct {
	*reportFlags
	out     string
	zip     bool
	redact  string
	signKey string
}

// evidenceOutput is the --json form of the evidence command.
type evidenceOutput struct {
	Dir       string             `json:"dir"`
	Zip       string             `json:"zip,omitempty"`
	ZipSHA256 string             `json:"zip_sha256,omitempty"`
	Manifest  *evidence.Manifest `json:"manifest"`
}

func runEvidence(ctx context.Context, e *env, f *evidenceFlags, started time.Time) error {
	if f.out == "" {
		return usagef("--out is required: the folder to write the pack into")
	}
	redact := strings.ToLower(strings.TrimSpace(f.redact))
	if redact != "" && redact != "amber" && redact != "red" {
		return usagef("--redact: %q is not amber or red", cell(f.redact, 30))
	}
	zipPath := ""
	if f.zip {
		zipPath = zipPathFor(f.out)
	}
	in, err := checkReportFlags(f.reportFlags, started)
	if err != nil {
		return err
	}
	var signer crypto.Signer
	if f.signKey != "" {
		// Before the store is opened: a bad key creates or reads nothing.
		if signer, err = evidence.LoadSigner(f.signKey); err != nil {
			return fmt.Errorf("--sign-key: %w", err)
		}
	}
	st, err := openStore(ctx, *f.db, true)
	if err != nil {
		return err
	}
	defer st.close()

	// No pack from data whose history does not verify.
	rep, err := intake.VerifyJournal(ctx, st, nil)
	if err != nil {
		return fmt.Errorf("evidence: verifying the journal of %s: %w", st.name, err)
	}
	if !rep.OK() {
		return fmt.Errorf("evidence: the journal of %s does not verify (%s; the first: %s); no pack written; 'sigwatch journal verify --db %s' lists them",
			st.name, countOf(len(rep.Problems), "problem", "problems"), rep.Problems[0].String(), shellQuote(st.name))
	}
	cases, opts, err := reportData(ctx, st, "evidence")
	if err != nil {
		return err
	}
	pack := evidence.Pack{
		Register: in.reg,
		Cases:    cases,
		KPI:      kpi.Compute(in.reg, cases, in.period, in.asOf, opts),
	}
	if rep.Entries > 0 {
		head := rep.Head
		pack.Journal = &head
	}
	clock := in.clock
	m, err := evidence.WritePack(ctx, f.out, pack, &evidence.PackOptions{
		Now:    func() time.Time { return clock },
		Redact: redact,
		Signer: signer,
	})
	if errors.Is(err, evidence.ErrNotPackDir) {
		return fmt.Errorf("evidence: --out %s holds files that are not a sigwatch evidence pack: give an empty or new folder", f.out)
	}
	if err != nil {
		return err
	}
	out := evidenceOutput{Dir: f.out, Manifest: m}
	if zipPath != "" {
		sum, err := writePackZip(f.out, zipPath, m)
		if err != nil {
			return err
		}
		out.Zip, out.ZipSHA256 = zipPath, sum
	}
	if *f.asJSON {
		return writeIndentedJSON(e.stdout, out)
	}
	return writeEvidenceText(e.stdout, st, &out)
}

func writeEvidenceText(w io.Writer, st *caseStore, out *evidenceOutput) error {
	m := out.Manifest
	var b strings.Builder
	fmt.Fprintf(&b, "Evidence pack for %s, period %s, as of %s\n", m.Control, m.Period, m.AsOf.UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "%s: %s, %s", st.note(), countOf(m.Cases, "case", "cases"), countOf(m.Groups, "register group", "register groups"))
	if m.Redacted != "" {
		fmt.Fprintf(&b, "; TLP:%s and above redacted", m.Redacted)
	}
	b.WriteString("\n")
	if h := m.JournalHead; h != nil {
		fmt.Fprintf(&b, "Journal verified; head entry %d, hash %s\n  (later: sigwatch journal verify --db %s --anchor %d:%s)\n", h.Seq, h.Hash, shellQuote(st.name), h.Seq, h.Hash)
	} else {
		b.WriteString("Journal verified; it is empty\n")
	}
	fmt.Fprintf(&b, "\nWrote %s\n", out.Dir)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  FILE\tARTEFACT\tBYTES\tSHA-256")
	for _, f := range m.Files {
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\n", f.Name, f.Artefact, f.Size, f.SHA256)
	}
	fmt.Fprintf(tw, "  %s\t-\t\t(describes the files above)\n", evidence.FileManifest)
	if m.Signature != nil {
		fmt.Fprintf(tw, "  %s\t-\t\t(%s signature of manifest.json)\n", evidence.FileSignature, m.Signature.Algorithm)
		fmt.Fprintf(tw, "  %s\t-\t\t(the public key, SHA-256 fingerprint %s)\n", evidence.FilePublicKey, m.Signature.PublicKeySHA256)
	}
	fmt.Fprintf(tw, "  %s\t-\t\t(checksums of every file, manifest.json included)\n", evidence.FileSHA256SUMS)
	tw.Flush()
	if out.Zip != "" {
		fmt.Fprintf(&b, "\nWrote %s (SHA-256 %s)\n", out.Zip, out.ZipSHA256)
	}
	fmt.Fprintf(&b, "\nCheck it: cd %s && sha256sum -c %s\n", shellQuote(out.Dir), evidence.FileSHA256SUMS)
	if s := m.Signature; s != nil {
		fmt.Fprintf(&b, "Check the signature: %s\n", opensslVerifyCommand(s.Algorithm))
		fmt.Fprintf(&b, "  (or: sigwatch evidence verify %s --pubkey PUB.pem, with the key published apart from the pack)\n", shellQuote(out.Dir))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// shellQuote quotes a path for the check line when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./+,:@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// zipPathFor is DIR.zip beside DIR ("out/pack/" gives "out/pack.zip"; "."
// gives the absolute name of the current directory plus ".zip").
func zipPathFor(dir string) string {
	clean := filepath.Clean(dir)
	switch filepath.Base(clean) {
	case ".", "..", string(filepath.Separator):
		if abs, err := filepath.Abs(clean); err == nil {
			clean = abs
		}
	}
	return clean + ".zip"
}

// opensslVerifyCommand is the openssl command that checks manifest.json.sig
// inside the pack directory.
func opensslVerifyCommand(alg string) string {
	if alg == evidence.SignatureECDSAP256 {
		return "openssl dgst -sha256 -verify manifest.pub.pem -signature manifest.json.sig manifest.json"
	}
	return "openssl pkeyutl -verify -pubin -inkey manifest.pub.pem -rawin -in manifest.json -sigfile manifest.json.sig"
}

// writePackZip writes the pack in dir as a zip at path (evidence.WriteZip:
// sorted, dated at the as-of instant, under one folder named after dir)
// and returns its SHA-256. The archive is written to a temporary file and
// renamed into place, so a failure leaves no half zip behind.
func writePackZip(dir, path string, m *evidence.Manifest) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("evidence: zip: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	sum := sha256.New()
	if err := evidence.WriteZip(io.MultiWriter(tmp, sum), dir, m); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return "", fmt.Errorf("evidence: zip: %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("evidence: zip: writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("evidence: zip: %w", err)
	}
	return hex.EncodeToString(sum.Sum(nil)), nil
}

// ---------------------------------------------------------------------------
// evidence verify

func evidenceVerifyCommand() command {
	return command{
		name:    "evidence verify",
		args:    "DIR [--pubkey FILE] [--json]",
		summary: "check an evidence pack: checksums, manifest, signature",
		help: `Check an evidence pack as an auditor would (evidence.VerifyPack): that
SHA256SUMS parses and every file it lists has that SHA-256; that manifest.json
is a sigwatch manifest and every file it lists is there with its size and
SHA-256; that DIR holds nothing that is not part of the pack; and that
manifest.json.sig, when there is one, verifies over manifest.json.

--pubkey FILE is the organisation's public key (PEM, as 'openssl pkey -pubout'
writes): the pack must then be signed with that key. Without it a signature
is checked against the manifest.pub.pem inside the pack, which shows the pack
is intact but not who made it.

Prints what was checked and every problem, one per line, naming the file (and
the line, in SHA256SUMS and manifest.json). The exit status is 1 when there is
any problem. Nothing outside DIR is read. --json prints {"dir","ok","files",
"signed","signed_by","key_given","problems","manifest"}.`,
		setup: func(fs *flag.FlagSet) runFunc {
			pubkey := fs.String("pubkey", "", "require a signature by the PEM public key in `FILE`")
			asJSON := fs.Bool("json", false, "print the report as JSON")
			return func(ctx context.Context, e *env, args []string) error {
				switch {
				case len(args) == 0:
					return usagef("the pack directory is required")
				case len(args) > 1:
					return usagef("unexpected argument %q", cell(args[1], 60))
				}
				return runEvidenceVerify(ctx, e, args[0], *pubkey, *asJSON)
			}
		},
	}
}

// evidenceVerifyOutput is the --json form of evidence verify.
type evidenceVerifyOutput struct {
	OK bool `json:"ok"`
	*evidence.VerifyReport
	// Problems is always printed, [] when there is none.
	Problems []evidence.PackProblem `json:"problems"`
}

func runEvidenceVerify(ctx context.Context, e *env, dir, pubkey string, asJSON bool) error {
	opts := &evidence.VerifyOptions{}
	if pubkey != "" {
		pub, err := evidence.LoadPublicKey(pubkey)
		if err != nil {
			return fmt.Errorf("evidence verify: --pubkey: %w", err)
		}
		opts.PublicKey = pub
	}
	rep, err := evidence.VerifyPack(ctx, dir, opts)
	if err != nil {
		return fmt.Errorf("evidence verify: %w", err)
	}
	if asJSON {
		problems := rep.Problems
		if problems == nil {
			problems = []evidence.PackProblem{}
		}
		if err := writeIndentedJSON(e.stdout, evidenceVerifyOutput{OK: rep.OK(), VerifyReport: rep, Problems: problems}); err != nil {
			return err
		}
	} else {
		var b strings.Builder
		fmt.Fprintf(&b, "Evidence pack %s: %s hashed", dir, countOf(rep.Files, "file", "files"))
		if m := rep.Manifest; m != nil {
			fmt.Fprintf(&b, "; %s, period %s, as of %s, generated by %s", m.Control, m.Period, m.AsOf.UTC().Format(time.RFC3339), textx.OneLine(m.Generator))
		}
		b.WriteString(".\n")
		if m := rep.Manifest; m != nil && m.JournalHead != nil {
			fmt.Fprintf(&b, "Journal head when packed: entry %d, hash %s\n  (check the journal still holds it: sigwatch journal verify --db DSN --anchor %d:%s)\n",
				m.JournalHead.Seq, m.JournalHead.Hash, m.JournalHead.Seq, m.JournalHead.Hash)
		}
		switch {
		case rep.Signed && rep.KeyGiven:
			fmt.Fprintf(&b, "Signed: the signature verifies with the given key (SHA-256 %s).\n", rep.SignedBy)
		case rep.Signed:
			fmt.Fprintf(&b, "Signed: the signature verifies with the key in the pack (SHA-256 %s); give --pubkey to check who signed it.\n", rep.SignedBy)
		case rep.Manifest != nil && rep.Manifest.Signature == nil && opts.PublicKey == nil && rep.OK():
			b.WriteString("Not signed.\n")
		}
		for _, p := range rep.Problems {
			fmt.Fprintf(&b, "problem: %s\n", textx.OneLine(p.String()))
		}
		if rep.OK() {
			b.WriteString("OK: every file matches SHA256SUMS and manifest.json, and nothing else is in the folder")
			if rep.Signed {
				b.WriteString("; the signature verifies")
			}
			b.WriteString(".\n")
		}
		if _, err := io.WriteString(e.stdout, b.String()); err != nil {
			return err
		}
	}
	if !rep.OK() {
		return fmt.Errorf("evidence verify: %s: %s found", dir, countOf(len(rep.Problems), "problem", "problems"))
	}
	return nil
}
