package evidence

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
)

// ManifestSchema identifies manifest.json.
const ManifestSchema = "sigwatch.evidence.manifest/v1"

// Names of the files in a pack.
const (
	FileRegisterCSV       = "register.csv"
	FileRegisterJSON      = "register.json"
	FileRegisterMD        = "register.md"
	FileResponseLogCSV    = "response-log.csv"
	FileResponseLogJSON   = "response-log.json"
	FileDisseminationCSV  = "dissemination.csv"
	FileDisseminationJSON = "dissemination.json"
	FileReviewsCSV        = "reviews.csv"
	FileReviewsJSON       = "reviews.json"
	FileProofsCSV         = "proofs.csv"
	FileProofsJSON        = "proofs.json"
	FileEngagementsCSV    = "engagements.csv"
	FileEngagementsJSON   = "engagements.json"
	FileHealthCSV         = "register-health.csv"
	FileHealthJSON        = "register-health.json"
	FileHealthMD          = "register-health.md"
	FileKPIJSON           = "kpi.json"
	FileKPIText           = "kpi.txt"
	FileOSCALResults      = "oscal-assessment-results.json"
	FileOSCALPOAM         = "oscal-poam.json"
	FileCrosswalkMD       = "crosswalk.md"
	FileOSCALMapping      = "oscal-mapping.json"
	FileDigestJSON        = "digest.json"
	FileDigestMD          = "digest.md"
	FileReportHTML        = "report.html"
	FileManifest          = "manifest.json"
	FileSHA256SUMS        = "SHA256SUMS"
)

// Control is the control the pack is evidence for.
const Control = "ISO/IEC 27001:2022 A.5.6"

// ErrNotPackDir is returned by WritePack for a directory that holds files
// that are not part of a previous sigwatch evidence pack, unless
// PackOptions.Overwrite is set.
var ErrNotPackDir = errors.New("evidence: directory holds files that are not part of a sigwatch evidence pack")

// Pack is what an evidence pack is made of.
type Pack struct {
	// Register is the register to snapshot (artefact E1). Required.
	Register *register.Register
	// Cases are the cases for the response log (artefact E4) and the
	// rest: the caller chooses which (all, or those of a period). Each is
	// taken as it stood at the pack's as-of instant ([intake.Case.At]):
	// cases first received later are left out, and receipts and events
	// after it are not shown.
	Cases []intake.Case
	// KPI is the KPI report (artefact E9). Optional: without it the pack
	// has no kpi.json and kpi.txt.
	KPI *kpi.Report
	// AsOf is the instant the evidence describes. Optional: defaults to
	// KPI.AsOf, or to the generation time without a KPI report. When both
	// are set they must be equal.
	AsOf time.Time
	// Period is the reporting period. Optional: defaults to KPI.Period.
	// When both are set they must be equal.
	Period kpi.Period
	// Journal is the head of the intake journal the cases come from
	// ([intake.VerifyJournal]'s report gives it). Optional: when set it is
	// recorded in the manifest, so that a later verification can prove,
	// with it as an anchor, that the journal was not cut short or
	// rewritten since the pack was made.
	Journal *intake.Anchor
}

// PackOptions configure WritePack. Nil or zero fields take the documented defaults.
type PackOptions struct {
	// Generator names the program in the manifest and register.md.
	// Optional: defaults to kpi.DefaultGenerator() ("sigwatch" and the
	// module version).
	Generator string
	// Now is the clock for generated_at. Optional: defaults to time.Now.
	Now func() time.Time
	// Redact is the lowest TLP label whose content is redacted in the
	// pack: "amber" redacts AMBER, AMBER+STRICT and RED, "red" only RED.
	// Redacted engagement notes (E7) read "[redacted TLP:AMBER]" and keep
	// the SHA-256 of the original beside them. Cases at or above the label
	// are passed through [RedactCases] before any file is rendered (E4, E5,
	// E6, E10, the digest and the HTML report): their advisory text is
	// replaced, the title by the marker and the SHA-256 of the original
	// title; the KPI report's item titles (E9) are replaced the same way.
	// Optional: "" redacts nothing; a label that is not a TLP label makes
	// WritePack fail.
	Redact string
	// Overwrite allows writing into a directory that holds files which are
	// not part of a previous pack. Those files are left in place (and are
	// not covered by SHA256SUMS); same-named files are replaced. Without
	// it such a directory is refused with ErrNotPackDir. A directory that
	// holds only a previous pack never needs Overwrite.
	Overwrite bool
	// Signer signs manifest.json. Optional: nil writes an unsigned pack.
	// With it the manifest records the algorithm and the key's
	// fingerprint, and the pack gets manifest.json.sig (the signature of
	// the exact bytes of manifest.json) and manifest.pub.pem (the public
	// key), both covered by SHA256SUMS. Ed25519 keys (ed25519.PrivateKey)
	// and ECDSA P-256 keys are supported; any other key makes WritePack
	// fail before anything is written. [LoadSigner] reads a PEM key file.
	Signer crypto.Signer
}

// Manifest describes a pack: it is written as manifest.json.
type Manifest struct {
	Schema      string    `json:"schema"`
	Control     string    `json:"control"`
	Generator   string    `json:"generator"`
	GeneratedAt time.Time `json:"generated_at"`
	AsOf        time.Time `json:"as_of"`
	// Period is omitted when the pack has none.
	Period       kpi.Period `json:"period,omitzero"`
	Organisation string     `json:"organisation"`
	Groups       int        `json:"groups"`
	Cases        int        `json:"cases"`
	// JournalHead is Pack.Journal; omitted when not given.
	JournalHead *intake.Anchor `json:"journal_head,omitempty"`
	// Redacted is PackOptions.Redact, the lowest TLP label whose content
	// the pack redacts (upper case); omitted when nothing is redacted.
	Redacted string `json:"redacted,omitempty"`
	// Schemas lists the schema IDs of the files, sorted.
	Schemas []string `json:"schemas"`
	// Files lists every file of the pack except manifest.json itself,
	// SHA256SUMS (which covers manifest.json) and the signature files
	// manifest.json.sig and manifest.pub.pem, sorted by name.
	Files []ManifestFile `json:"files"`
	// Signature names the algorithm and the key that signed this manifest
	// (PackOptions.Signer); omitted for an unsigned pack.
	Signature *ManifestSignature `json:"signature,omitempty"`
}

// ManifestFile is one file of a pack.
type ManifestFile struct {
	Name string `json:"name"`
	// Artefact is the evidence artefact ID: "E1" register snapshot, "E2"
	// review records, "E3" membership proof index, "E4" advisory response
	// log, "E5" OSCAL plan of action and milestones, "E6" dissemination
	// record, "E7" engagement log and the per-group digest of what was
	// learned, "E8" register health report, "E9" KPI report, "E10" OSCAL
	// assessment results, "E11" cross-framework mapping; "report" is the
	// HTML report, a reading copy of the others.
	Artefact  string `json:"artefact"`
	Schema    string `json:"schema"`
	MediaType string `json:"media_type"`
	Size      int64  `json:"size"`
	// SHA256 is the lower-case hex SHA-256 of the file's bytes.
	SHA256 string `json:"sha256"`
}

type packFile struct {
	ManifestFile
	data []byte
}

// WritePack writes an evidence pack into dir and returns its manifest. The
// pack holds register.csv, register.json and register.md (E1), reviews.csv
// and reviews.json (E2), proofs.csv and proofs.json (E3), response-log.csv
// and response-log.json (E4), dissemination.csv and dissemination.json
// (E6), engagements.csv and engagements.json (E7, with notes redacted as
// opts.Redact says; advisory text of AMBER and RED cases is redacted in
// every file as [PackOptions].Redact describes), register-health.csv, register-health.json and
// register-health.md (E8, register.Check at the pack's as-of instant),
// kpi.json and kpi.txt (E9, when in.KPI is set), oscal-poam.json (E5, the
// open actionable cases as an OSCAL 1.1.3 POA&M: [WriteOSCALPOAM]) and
// oscal-assessment-results.json (E10, an OSCAL 1.1.3 assessment result
// whose observations cite the E1, E2, E4 and E8 files with their SHA-256:
// [WriteOSCALAssessmentResults]), digest.json and digest.md (what each
// group brought in the period: [DigestRecords]; only when the pack has a
// period), crosswalk.md and oscal-mapping.json (E11, the A.5.6
// cross-framework mapping, the latter an OSCAL 1.2.1 mapping-collection:
// [Crosswalk]), report.html (one self-contained page for people, whose
// appendix lists the other files with their SHA-256: [WriteHTMLReport]),
// manifest.json, and SHA256SUMS in the format `sha256sum -c` checks (covering every other
// file of the pack, manifest.json included). With opts.Signer,
// manifest.json.sig and manifest.pub.pem follow manifest.json and
// SHA256SUMS covers them too (see [PackOptions].Signer and [VerifyPack]).
//
// dir is created when missing. An existing dir must be empty or hold a
// previous pack, recognised by its manifest.json; the previous pack is
// replaced, and files it listed that the new pack lacks (kpi.json when there
// is no KPI report this time) are removed. Any other file makes WritePack
// fail with ErrNotPackDir unless opts.Overwrite is set; foreign files are
// never deleted. Each file is written to a temporary file in dir and renamed
// into place; manifest.json and SHA256SUMS are written last. Errors name
// the file.
func WritePack(ctx context.Context, dir string, in Pack, opts *PackOptions) (*Manifest, error) {
	if opts == nil {
		opts = &PackOptions{}
	}
	if in.Register == nil {
		return nil, errNilRegister
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	gen := opts.Generator
	if gen == "" {
		gen = kpi.DefaultGenerator()
	}
	generatedAt := now().UTC()
	asOf, period, err := packTime(in, generatedAt)
	if err != nil {
		return nil, err
	}
	var sg *signer
	if opts.Signer != nil {
		if sg, err = newSigner(opts.Signer); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Advisory text of AMBER/RED cases is redacted before any file sees
	// it. The KPI report was computed by the caller from the original
	// cases (so its input hashes stay true); only its item titles change.
	// The pack describes the cases as they stood at as-of: a case received
	// later is left out, one closed later is still open (intake.Case.At).
	asOfCases := make([]intake.Case, 0, len(in.Cases))
	for i := range in.Cases {
		if c, ok := in.Cases[i].At(asOf); ok {
			asOfCases = append(asOfCases, c)
		}
	}
	cases, err := RedactCases(asOfCases, opts.Redact, in.Register)
	if err != nil {
		return nil, err
	}
	report := in.KPI
	if report != nil && opts.Redact != "" {
		report = RedactReport(report, asOfCases, cases)
	}

	// Render everything in memory first: a rendering error leaves dir untouched.
	type render struct {
		name, artefact, schema, media string
		fn                            func(io.Writer) error
	}
	renders := []render{
		{FileRegisterCSV, "E1", RegisterSchema, "text/csv", func(w io.Writer) error { return WriteRegisterCSV(w, in.Register) }},
		{FileRegisterJSON, "E1", RegisterSchema, "application/json", func(w io.Writer) error { return WriteRegisterJSON(w, in.Register) }},
		{FileRegisterMD, "E1", RegisterSchema, "text/markdown", func(w io.Writer) error {
			return WriteRegisterMarkdown(w, in.Register, &MarkdownOptions{GeneratedAt: generatedAt, Generator: gen})
		}},
		{FileResponseLogCSV, "E4", ResponseLogSchema, "text/csv", func(w io.Writer) error { return WriteResponseLogCSV(w, cases) }},
		{FileResponseLogJSON, "E4", ResponseLogSchema, "application/json", func(w io.Writer) error { return WriteResponseLogJSON(w, cases) }},
		{FileDisseminationCSV, "E6", DisseminationSchema, "text/csv", func(w io.Writer) error { return WriteDisseminationCSV(w, cases) }},
		{FileDisseminationJSON, "E6", DisseminationSchema, "application/json", func(w io.Writer) error { return WriteDisseminationJSON(w, cases) }},
		{FileReviewsCSV, "E2", ReviewsSchema, "text/csv", func(w io.Writer) error { return WriteReviewsCSV(w, in.Register, asOf) }},
		{FileReviewsJSON, "E2", ReviewsSchema, "application/json", func(w io.Writer) error { return WriteReviewsJSON(w, in.Register, asOf) }},
		{FileProofsCSV, "E3", ProofsSchema, "text/csv", func(w io.Writer) error { return WriteProofsCSV(w, in.Register, asOf) }},
		{FileProofsJSON, "E3", ProofsSchema, "application/json", func(w io.Writer) error { return WriteProofsJSON(w, in.Register, asOf) }},
		{FileEngagementsCSV, "E7", EngagementsSchema, "text/csv", func(w io.Writer) error { return WriteEngagementsCSV(w, in.Register, opts.Redact) }},
		{FileEngagementsJSON, "E7", EngagementsSchema, "application/json", func(w io.Writer) error {
			return WriteEngagementsJSON(w, in.Register, opts.Redact)
		}},
		{FileHealthCSV, "E8", HealthSchema, "text/csv", func(w io.Writer) error { return WriteHealthCSV(w, in.Register, asOf) }},
		{FileHealthJSON, "E8", HealthSchema, "application/json", func(w io.Writer) error { return WriteHealthJSON(w, in.Register, asOf) }},
		{FileHealthMD, "E8", HealthSchema, "text/markdown", func(w io.Writer) error { return WriteHealthMarkdown(w, in.Register, asOf) }},
	}
	if report != nil {
		renders = append(renders,
			render{FileKPIJSON, "E9", kpi.ReportSchema, "application/json", func(w io.Writer) error { return writeJSON(w, "KPI report", report) }},
			render{FileKPIText, "E9", kpi.ReportSchema, "text/plain", report.WriteText})
	}
	if !period.IsZero() {
		renders = append(renders,
			render{FileDigestJSON, "E7", DigestSchema, "application/json", func(w io.Writer) error {
				return WriteDigestJSON(w, in.Register, cases, period, asOf, opts.Redact)
			}},
			render{FileDigestMD, "E7", DigestSchema, "text/markdown", func(w io.Writer) error {
				return WriteDigestMarkdown(w, in.Register, cases, period, asOf, opts.Redact)
			}})
	}
	renders = append(renders,
		render{FileCrosswalkMD, "E11", CrosswalkSchema, "text/markdown", WriteCrosswalkMarkdown},
		render{FileOSCALMapping, "E11", OSCALMappingSchema, "application/json", func(w io.Writer) error {
			return WriteOSCALMapping(w, MappingInput{AsOf: asOf, Generator: gen})
		}})
	files := make([]packFile, 0, len(renders)+2)
	renderAll := func(rs []render) error {
		for _, r := range rs {
			var buf bytes.Buffer
			if err := r.fn(&buf); err != nil {
				return fmt.Errorf("evidence: render %s: %w", r.name, err)
			}
			sum := sha256.Sum256(buf.Bytes())
			files = append(files, packFile{ManifestFile: ManifestFile{Name: r.name, Artefact: r.artefact, Schema: r.schema,
				MediaType: r.media, Size: int64(buf.Len()), SHA256: hex.EncodeToString(sum[:])}, data: buf.Bytes()})
		}
		return nil
	}
	if err := renderAll(renders); err != nil {
		return nil, err
	}
	// The OSCAL documents come last: the assessment results cite the other
	// files with their SHA-256.
	evidenceFiles := make([]ManifestFile, len(files))
	for i, f := range files {
		evidenceFiles[i] = f.ManifestFile
	}
	oscalIn := OSCALInput{Register: in.Register, Cases: cases, AsOf: asOf, Period: period, Generator: gen, Evidence: evidenceFiles}
	if err := renderAll([]render{
		{FileOSCALPOAM, "E5", OSCALPOAMSchema, "application/json", func(w io.Writer) error { return WriteOSCALPOAM(w, oscalIn) }},
		{FileOSCALResults, "E10", OSCALAssessmentResultsSchema, "application/json", func(w io.Writer) error {
			return WriteOSCALAssessmentResults(w, oscalIn)
		}},
	}); err != nil {
		return nil, err
	}
	slices.SortFunc(files, func(a, b packFile) int { return strings.Compare(a.Name, b.Name) })
	// The HTML report comes last: its appendix lists every other file with
	// its SHA-256.
	listed := make([]ManifestFile, len(files))
	for i, f := range files {
		listed[i] = f.ManifestFile
	}
	redacted := strings.ToUpper(strings.TrimSpace(opts.Redact))
	if err := renderAll([]render{{FileReportHTML, "report", HTMLReportSchema, "text/html", func(w io.Writer) error {
		return WriteHTMLReport(w, HTMLInput{Register: in.Register, Cases: cases, KPI: report, AsOf: asOf, Period: period,
			Generator: gen, Files: listed, Redacted: redacted})
	}}}); err != nil {
		return nil, err
	}
	slices.SortFunc(files, func(a, b packFile) int { return strings.Compare(a.Name, b.Name) })

	m := &Manifest{Schema: ManifestSchema, Control: Control, Generator: gen, GeneratedAt: generatedAt,
		AsOf: asOf, Period: period, Organisation: in.Register.Organisation.Name,
		Groups: len(in.Register.Groups), Cases: len(cases), JournalHead: in.Journal, Redacted: redacted,
		Files: make([]ManifestFile, len(files))}
	for i, f := range files {
		m.Files[i] = f.ManifestFile
		if !slices.Contains(m.Schemas, f.Schema) {
			m.Schemas = append(m.Schemas, f.Schema)
		}
	}
	slices.Sort(m.Schemas)
	if sg != nil {
		m.Signature = &sg.info
	}
	var mbuf bytes.Buffer
	if err := writeJSON(&mbuf, "manifest", m); err != nil {
		return nil, err
	}
	var sigFiles []packFile
	if sg != nil {
		if sigFiles, err = sg.files(mbuf.Bytes()); err != nil {
			return nil, err
		}
	}
	// SHA256SUMS: "<hex>  <name>" per line (two spaces: text mode), sorted by name.
	msum := sha256.Sum256(mbuf.Bytes())
	covered := append(slices.Clone(m.Files), ManifestFile{Name: FileManifest, SHA256: hex.EncodeToString(msum[:])})
	for _, f := range sigFiles {
		covered = append(covered, f.ManifestFile)
	}
	slices.SortFunc(covered, func(a, b ManifestFile) int { return strings.Compare(a.Name, b.Name) })
	var sums bytes.Buffer
	for _, f := range covered {
		sums.WriteString(f.SHA256 + "  " + f.Name + "\n")
	}

	stale, err := prepareDir(dir, opts.Overwrite, files)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := writeFileAtomic(dir, f.Name, f.data); err != nil {
			return nil, err
		}
	}
	for _, name := range stale {
		p := filepath.Join(dir, name)
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("evidence: remove stale %s: %w", p, err)
		}
	}
	if err := writeFileAtomic(dir, FileManifest, mbuf.Bytes()); err != nil {
		return nil, err
	}
	for _, f := range sigFiles {
		if err := writeFileAtomic(dir, f.Name, f.data); err != nil {
			return nil, err
		}
	}
	if err := writeFileAtomic(dir, FileSHA256SUMS, sums.Bytes()); err != nil {
		return nil, err
	}
	return m, nil
}

// reconcileTime takes the as-of instant and period of a document (what
// names it in errors) from the caller and, where the caller left them zero,
// from the KPI report; when both give one they must be equal. A zero as-of
// is left for the caller to settle.
func reconcileTime(what string, asOf time.Time, period kpi.Period, r *kpi.Report) (time.Time, kpi.Period, error) {
	given := asOf
	asOf = asOf.UTC()
	if r == nil {
		return asOf, period, nil
	}
	switch {
	case given.IsZero():
		asOf = r.AsOf.UTC()
	case !r.AsOf.IsZero() && !r.AsOf.Equal(given):
		return time.Time{}, kpi.Period{}, fmt.Errorf("evidence: %s as-of %s differs from the KPI report's as-of %s",
			what, timeString(given), timeString(r.AsOf))
	}
	switch {
	case period.IsZero():
		period = r.Period
	case !r.Period.IsZero() && (!r.Period.Start.Equal(period.Start) || !r.Period.End.Equal(period.End)):
		return time.Time{}, kpi.Period{}, fmt.Errorf("evidence: %s period %s differs from the KPI report's period %s",
			what, period, r.Period)
	}
	return asOf, period, nil
}

// packTime settles the pack's as-of instant and period.
func packTime(in Pack, generatedAt time.Time) (time.Time, kpi.Period, error) {
	asOf, period, err := reconcileTime("pack", in.AsOf, in.Period, in.KPI)
	if err != nil {
		return time.Time{}, kpi.Period{}, err
	}
	if asOf.IsZero() {
		asOf = generatedAt
	}
	if !period.IsZero() {
		period = kpi.Period{Start: period.Start.UTC(), End: period.End.UTC()}
	}
	return asOf, period, nil
}

// prepareDir makes sure dir exists and may be written, and returns the files
// of a previous pack that the new one does not have.
func prepareDir(dir string, overwrite bool, files []packFile) ([]string, error) {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("evidence: create pack directory: %w", err)
		}
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("evidence: pack directory: %w", err)
	case !info.IsDir():
		return nil, fmt.Errorf("evidence: pack directory %s is not a directory", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("evidence: read pack directory: %w", err)
	}
	// A previous pack is recognised by its manifest; without one, even
	// files with our names are someone else's.
	ours := map[string]bool{}
	var previous []string
	if prev, ok := readManifest(filepath.Join(dir, FileManifest)); ok {
		ours[FileManifest], ours[FileSHA256SUMS] = true, true
		// A previous signature is replaced, or removed as stale.
		ours[FileSignature], ours[FilePublicKey] = true, true
		previous = append(previous, FileSignature, FilePublicKey)
		for _, f := range prev.Files {
			// Only plain names: a tampered manifest must not reach outside dir.
			if f.Name != "" && f.Name == filepath.Base(f.Name) && f.Name != "." && f.Name != ".." {
				ours[f.Name] = true
				previous = append(previous, f.Name)
			}
		}
	}
	var foreign []string
	for _, e := range entries {
		name := e.Name()
		if isTempName(name) {
			// A leftover of an interrupted WritePack.
			if err := os.Remove(filepath.Join(dir, name)); err != nil {
				return nil, fmt.Errorf("evidence: remove leftover %s: %w", filepath.Join(dir, name), err)
			}
			continue
		}
		if !ours[name] || e.IsDir() {
			foreign = append(foreign, name)
		}
	}
	if len(foreign) > 0 && !overwrite {
		shown := foreign
		if len(shown) > 5 {
			shown = append(slices.Clone(shown[:5]), fmt.Sprintf("and %d more", len(foreign)-5))
		}
		what := "is not empty and is not a sigwatch evidence pack (no sigwatch manifest.json)"
		if ours[FileManifest] {
			what = "holds a sigwatch evidence pack and files that are not part of it"
		}
		return nil, fmt.Errorf("%w: %s %s: %s; choose an empty or new directory, or set PackOptions.Overwrite to write into it anyway",
			ErrNotPackDir, dir, what, strings.Join(shown, ", "))
	}
	var stale []string
	for _, name := range previous {
		if !slices.ContainsFunc(files, func(f packFile) bool { return f.Name == name }) {
			stale = append(stale, name)
		}
	}
	slices.Sort(stale)
	return slices.Compact(stale), nil
}

// readManifest reads a previous pack's manifest; ok is false when the file is
// missing or is not a sigwatch manifest.
func readManifest(path string) (*Manifest, bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	var m Manifest
	if err := json.NewDecoder(io.LimitReader(f, 16<<20)).Decode(&m); err != nil {
		return nil, false
	}
	if !strings.HasPrefix(m.Schema, "sigwatch.evidence.manifest/") {
		return nil, false
	}
	return &m, true
}

const tempMarker = ".tmp-"

func isTempName(name string) bool {
	if !strings.HasPrefix(name, ".") {
		return false
	}
	base, _, ok := strings.Cut(name[1:], tempMarker)
	if !ok {
		return false
	}
	switch base {
	case FileRegisterCSV, FileRegisterJSON, FileRegisterMD, FileResponseLogCSV, FileResponseLogJSON,
		FileDisseminationCSV, FileDisseminationJSON, FileReviewsCSV, FileReviewsJSON, FileProofsCSV, FileProofsJSON,
		FileEngagementsCSV, FileEngagementsJSON, FileHealthCSV, FileHealthJSON, FileHealthMD,
		FileKPIJSON, FileKPIText, FileOSCALResults, FileOSCALPOAM, FileCrosswalkMD, FileOSCALMapping,
		FileDigestJSON, FileDigestMD, FileReportHTML, FileManifest, FileSHA256SUMS, FileSignature, FilePublicKey:
		return true
	}
	return false
}

// writeFileAtomic writes data to dir/name through a temporary file in dir
// and a rename, so readers see the old file or the new one, never half.
func writeFileAtomic(dir, name string, data []byte) (err error) {
	path := filepath.Join(dir, name)
	tmp, err := os.CreateTemp(dir, "."+name+tempMarker+"*")
	if err != nil {
		return fmt.Errorf("evidence: write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("evidence: write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("evidence: write %s: %w", path, err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("evidence: write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("evidence: write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("evidence: write %s: %w", path, err)
	}
	return nil
}
