package evidence

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/jsonin"
	"github.com/sigwatch/sigwatch/internal/textx"
)

// VerifyOptions configure VerifyPack. Nil or zero fields take the documented defaults.
type VerifyOptions struct {
	// PublicKey is the key the pack must be signed with: an
	// ed25519.PublicKey or a P-256 *ecdsa.PublicKey ([LoadPublicKey]
	// reads one). Optional. When set, manifest.json.sig is required and
	// must verify with this key; the manifest.pub.pem shipped in the pack
	// is not used. When nil, a signature present in the pack is checked
	// against the pack's own manifest.pub.pem, which shows the pack is
	// intact but not who made it: anyone who rewrites a pack can sign it
	// with a key of their own.
	PublicKey crypto.PublicKey
}

// VerifyReport is the outcome of [VerifyPack].
type VerifyReport struct {
	// Dir is the pack directory.
	Dir string `json:"dir"`
	// Manifest is the pack's manifest as read; nil when manifest.json is
	// missing or does not parse.
	Manifest *Manifest `json:"manifest,omitempty"`
	// Files is how many files were read and hashed (manifest.json included).
	Files int `json:"files"`
	// Signed reports that manifest.json.sig verifies.
	Signed bool `json:"signed"`
	// SignedBy is the fingerprint ([PublicKeyFingerprint]) of the key the
	// signature verifies with; empty when it does not.
	SignedBy string `json:"signed_by,omitempty"`
	// KeyGiven reports that the signature was checked with
	// VerifyOptions.PublicKey rather than the key shipped in the pack.
	KeyGiven bool `json:"key_given"`
	// Problems lists everything found wrong; empty when the pack verifies.
	Problems []PackProblem `json:"problems,omitempty"`
}

// OK reports whether nothing was found wrong.
func (r *VerifyReport) OK() bool { return len(r.Problems) == 0 }

// PackProblem is one thing wrong with a pack.
type PackProblem struct {
	// File is the file concerned, a name inside the pack directory.
	File string `json:"file"`
	// Line is the line of File concerned, when there is one.
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// String implements fmt.Stringer.
func (p PackProblem) String() string {
	where := p.File
	if p.Line > 0 {
		where += ":" + strconv.Itoa(p.Line)
	}
	return where + ": " + p.Message
}

// Limits on what VerifyPack reads into memory; data files are hashed as
// streams and may be of any size.
const (
	maxManifestBytes  = 16 << 20
	maxSumsBytes      = 1 << 20
	maxSignatureBytes = 4 << 10
	maxPackProblems   = 200
)

// VerifyPack checks an evidence pack in dir as an auditor would, and reads
// nothing outside dir (it opens files through an [os.Root]; names with a
// path separator, "..", or that are symbolic links are problems, not
// followed). It checks that:
//
//   - SHA256SUMS parses (in the format `sha256sum -c` reads: "HEX  NAME"
//     or "HEX *NAME" lines, the BSD "SHA256 (NAME) = HEX" form, '\'
//     escapes, comments, blank lines and CRLF) and every file it lists
//     exists and has that SHA-256; it lists manifest.json and every file
//     of the manifest (and the signature files when the manifest says the
//     pack is signed);
//   - manifest.json parses and has the schema sigwatch.evidence.manifest/v1,
//     and every file it lists exists with the listed size and SHA-256;
//   - the directory holds nothing else: any other file or directory is a
//     problem (manifest.json.sig and manifest.pub.pem belong to the pack);
//   - manifest.json.sig, when present, verifies over the exact bytes of
//     manifest.json with opts.PublicKey, or else with manifest.pub.pem,
//     and that key is the one the manifest names. With opts.PublicKey the
//     signature is required.
//
// Data files are hashed as streams. The error is for failures that stop
// the check (dir cannot be opened or listed, ctx is done); what is wrong
// with the pack is in the report, each problem naming the file and, in
// SHA256SUMS and manifest.json, the line.
func VerifyPack(ctx context.Context, dir string, opts *VerifyOptions) (*VerifyReport, error) {
	if opts == nil {
		opts = &VerifyOptions{}
	}
	rep := &VerifyReport{Dir: dir}
	omitted := 0
	add := func(file string, line int, format string, args ...any) {
		if len(rep.Problems) >= maxPackProblems {
			omitted++
			return
		}
		rep.Problems = append(rep.Problems, PackProblem{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
	}
	if info, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("evidence: verify: %w", err)
	} else if !info.IsDir() {
		return nil, fmt.Errorf("evidence: verify: %s is not a directory", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("evidence: verify: %w", err)
	}
	defer root.Close()
	entries, err := fs.ReadDir(root.FS(), ".")
	if err != nil {
		return nil, fmt.Errorf("evidence: verify: read %s: %w", dir, err)
	}
	present := map[string]fs.DirEntry{}
	for _, e := range entries {
		present[e.Name()] = e
	}

	// Hashes, computed once per file.
	type digest struct {
		size int64
		sum  string
		err  error
	}
	hashes := map[string]*digest{}
	hashOf := func(name string) *digest {
		if d, ok := hashes[name]; ok {
			return d
		}
		d := &digest{}
		d.size, d.sum, d.err = hashFile(ctx, root, name)
		if d.err == nil {
			rep.Files++
		}
		hashes[name] = d
		return d
	}

	// manifest.json
	var m *Manifest
	mdata, err := readSmall(root, FileManifest, maxManifestBytes)
	if err != nil {
		add(FileManifest, 0, "%v", err)
	} else {
		sum := sha256.Sum256(mdata)
		hashes[FileManifest] = &digest{size: int64(len(mdata)), sum: hex.EncodeToString(sum[:])}
		rep.Files++
		var problems []PackProblem
		m, problems = parseManifest(mdata)
		for _, p := range problems {
			add(p.File, p.Line, "%s", p.Message)
		}
		rep.Manifest = m
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// SHA256SUMS
	var sums []sumLine
	if data, err := readSmall(root, FileSHA256SUMS, maxSumsBytes); err != nil {
		add(FileSHA256SUMS, 0, "%v", err)
	} else {
		var problems []PackProblem
		sums, problems = parseSums(data)
		for _, p := range problems {
			add(FileSHA256SUMS, p.Line, "%s", p.Message)
		}
		if len(sums) == 0 && len(problems) == 0 {
			add(FileSHA256SUMS, 0, "lists no files")
		}
	}
	for _, s := range sums {
		d := hashOf(s.Name)
		switch {
		case d.err != nil:
			add(s.Name, 0, "listed in SHA256SUMS (line %d) but %v", s.Line, d.err)
		case d.sum != s.SHA256:
			add(s.Name, 0, "SHA-256 %s differs from SHA256SUMS line %d (%s): the file was changed", d.sum, s.Line, s.SHA256)
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}

	// The manifest's files.
	listed := map[string]bool{FileManifest: true, FileSHA256SUMS: true, FileSignature: true, FilePublicKey: true}
	if m != nil {
		for _, f := range m.Files {
			if listed[f.Name] || !plainName(f.Name) {
				continue // parseManifest reported it
			}
			listed[f.Name] = true
			d := hashOf(f.Name)
			switch {
			case d.err != nil:
				add(f.Name, 0, "listed in manifest.json but %v", d.err)
			case d.size != f.Size:
				add(f.Name, 0, "%d bytes, manifest.json says %d: the file was changed", d.size, f.Size)
			case d.sum != f.SHA256:
				add(f.Name, 0, "SHA-256 %s differs from manifest.json (%s): the file was changed", d.sum, f.SHA256)
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		// SHA256SUMS must cover the pack.
		inSums := map[string]bool{}
		for _, s := range sums {
			inSums[s.Name] = true
		}
		if sums != nil {
			want := []string{FileManifest}
			for _, f := range m.Files {
				want = append(want, f.Name)
			}
			if m.Signature != nil {
				want = append(want, FileSignature, FilePublicKey)
			}
			for _, name := range want {
				if !inSums[name] && plainName(name) {
					add(FileSHA256SUMS, 0, "does not list %s", name)
				}
			}
		}
		// Nothing else in the directory.
		names := make([]string, 0, len(present))
		for name := range present {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			if !listed[name] {
				what := "file"
				if present[name].IsDir() {
					what = "directory"
				}
				add(name, 0, "a %s that is not part of the pack (not listed in manifest.json)", what)
			}
		}
	}

	checkSignature(root, present, m, mdata, opts, rep, add)
	if omitted > 0 {
		rep.Problems = append(rep.Problems, PackProblem{File: ".", Message: fmt.Sprintf("%d more problems not listed", omitted)})
	}
	return rep, nil
}

// checkSignature checks manifest.json.sig and manifest.pub.pem.
func checkSignature(root *os.Root, present map[string]fs.DirEntry, m *Manifest, mdata []byte, opts *VerifyOptions,
	rep *VerifyReport, add func(file string, line int, format string, args ...any)) {
	var declared *ManifestSignature
	if m != nil {
		declared = m.Signature
	}
	_, hasSig := present[FileSignature]
	_, hasPub := present[FilePublicKey]
	if !hasSig {
		switch {
		case opts.PublicKey != nil:
			add(FileSignature, 0, "missing: the pack is not signed, and a signature by the given key is required")
		case declared != nil:
			add(FileSignature, 0, "missing: manifest.json says the pack is signed (%s, key %s)", declared.Algorithm, declared.PublicKeySHA256)
		case hasPub:
			add(FilePublicKey, 0, "a public key without a signature (manifest.json.sig is missing)")
		}
		return
	}
	sig, err := readSmall(root, FileSignature, maxSignatureBytes)
	if err != nil {
		add(FileSignature, 0, "%v", err)
		return
	}
	if mdata == nil {
		add(FileSignature, 0, "cannot be checked: manifest.json could not be read")
		return
	}

	var (
		key     crypto.PublicKey
		keyName string
	)
	if opts.PublicKey != nil {
		key, keyName = opts.PublicKey, "the given public key"
		rep.KeyGiven = true
	} else {
		if !hasPub {
			add(FileSignature, 0, "cannot be checked: manifest.pub.pem is missing and no public key was given")
			return
		}
		data, err := readSmall(root, FilePublicKey, maxKeyFile)
		if err != nil {
			add(FilePublicKey, 0, "%v", err)
			return
		}
		block, rest := pem.Decode(data)
		if block == nil {
			add(FilePublicKey, 0, "no PEM block")
			return
		}
		if next, _ := pem.Decode(rest); next != nil {
			add(FilePublicKey, 0, "more than one PEM block")
			return
		}
		if key, err = parsePublicKeyBlock(block); err != nil {
			add(FilePublicKey, 0, "%v", err)
			return
		}
		keyName = FilePublicKey
	}
	alg, err := signatureAlgorithm(key)
	if err != nil {
		add(FileSignature, 0, "cannot be checked with %s: %v", keyName, err)
		return
	}
	fp, err := PublicKeyFingerprint(key)
	if err != nil {
		add(FileSignature, 0, "cannot be checked with %s: %v", keyName, err)
		return
	}
	if declared != nil && (declared.PublicKeySHA256 != fp || declared.Algorithm != alg) {
		add(FileSignature, 0, "manifest.json says it was signed by %s key %s, but %s is %s key %s",
			declared.Algorithm, declared.PublicKeySHA256, keyName, alg, fp)
	}
	if err := verifySignature(key, mdata, sig); err != nil {
		add(FileSignature, 0, "%v with %s (%s key %s): manifest.json was changed after signing, or signed with another key", err, keyName, alg, fp)
		return
	}
	rep.Signed, rep.SignedBy = true, fp
}

// hashFile hashes one file of the pack as a stream.
func hashFile(ctx context.Context, root *os.Root, name string) (int64, string, error) {
	f, err := openRegular(root, name)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, ctxReader{ctx, f})
	if err != nil {
		return 0, "", fmt.Errorf("cannot be read: %w", err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// openRegular opens a plain file directly inside root.
func openRegular(root *os.Root, name string) (*os.File, error) {
	if !plainName(name) {
		return nil, errors.New("its name is not a plain file name in the pack directory")
	}
	info, err := root.Lstat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, errors.New("is missing")
	case err != nil:
		return nil, fmt.Errorf("cannot be read: %w", err)
	case info.Mode()&fs.ModeSymlink != 0:
		return nil, errors.New("is a symbolic link, not a file")
	case !info.Mode().IsRegular():
		return nil, errors.New("is not a regular file")
	}
	f, err := root.Open(name)
	if err != nil {
		return nil, fmt.Errorf("cannot be read: %w", err)
	}
	return f, nil
}

// readSmall reads a file of the pack that must fit in memory.
func readSmall(root *os.Root, name string, limit int64) ([]byte, error) {
	f, err := openRegular(root, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("cannot be read: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	return data, nil
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// plainName reports whether name is a file name directly inside a
// directory: no separators, not "." or "..", no NUL or other control
// characters, valid UTF-8.
func plainName(name string) bool {
	if name == "" || name == "." || name == ".." || len(name) > 255 || !utf8.ValidString(name) {
		return false
	}
	for _, r := range name {
		if r == '/' || r == '\\' || r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

func isHexSHA256(s string) bool {
	return len(s) == 64 && strings.Trim(s, "0123456789abcdef") == ""
}

// parseManifest reads manifest.json: the JSON with positions, then the
// schema and every file entry. Unknown fields are accepted (a v1 manifest
// may gain fields).
func parseManifest(data []byte) (*Manifest, []PackProblem) {
	var m Manifest
	if err := jsonin.Unmarshal(data, FileManifest, &m); err != nil {
		p := PackProblem{File: FileManifest, Message: err.Error()}
		var pe *feeds.ParseError
		if errors.As(err, &pe) {
			p.Line = pe.Line
			p.Message = fmt.Sprint(pe.Err)
			if pe.Field != "" {
				p.Message = pe.Field + ": " + p.Message
			}
			if pe.Column > 0 {
				p.Message = "column " + strconv.Itoa(pe.Column) + ": " + p.Message
			}
		}
		return nil, []PackProblem{p}
	}
	var problems []PackProblem
	at := func(path, format string, args ...any) {
		line := 0
		if off, ok := jsonin.Locate(data, path); ok {
			line, _ = jsonin.Position(data, off)
		}
		problems = append(problems, PackProblem{File: FileManifest, Line: line, Message: fmt.Sprintf(format, args...)})
	}
	switch {
	case m.Schema == ManifestSchema:
	case strings.HasPrefix(m.Schema, "sigwatch.evidence.manifest/"):
		at("schema", "schema %q is not supported: this verifier reads %s", m.Schema, ManifestSchema)
		return nil, problems
	default:
		at("schema", "schema %q: not a sigwatch evidence manifest (want %s)", m.Schema, ManifestSchema)
		return nil, problems
	}
	if len(m.Files) == 0 {
		at("files", "lists no files")
	}
	seen := map[string]bool{}
	for i, f := range m.Files {
		path := "files[" + strconv.Itoa(i) + "]"
		switch {
		case !plainName(f.Name):
			at(path+".name", "file name %q is not a plain name inside the pack directory; not read", clip(f.Name))
			continue
		case f.Name == FileManifest || f.Name == FileSHA256SUMS || f.Name == FileSignature || f.Name == FilePublicKey:
			at(path+".name", "lists %s, which is not a data file", f.Name)
			continue
		case seen[f.Name]:
			at(path+".name", "lists %s twice", f.Name)
			continue
		}
		seen[f.Name] = true
		if !isHexSHA256(f.SHA256) {
			at(path+".sha256", "%s: sha256 %q is not 64 lower-case hex digits", f.Name, clip(f.SHA256))
		}
		if f.Size < 0 {
			at(path+".size", "%s: negative size %d", f.Name, f.Size)
		}
	}
	if s := m.Signature; s != nil {
		if s.Algorithm != SignatureEd25519 && s.Algorithm != SignatureECDSAP256 {
			at("signature.algorithm", "signature algorithm %q is not %s or %s", clip(s.Algorithm), SignatureEd25519, SignatureECDSAP256)
		}
		if !isHexSHA256(s.PublicKeySHA256) {
			at("signature.public_key_sha256", "public key fingerprint %q is not 64 lower-case hex digits", clip(s.PublicKeySHA256))
		}
	}
	return &m, problems
}

func clip(s string) string { return textx.Clip(s, 80) }

// sumLine is one line of SHA256SUMS.
type sumLine struct {
	Line   int
	SHA256 string // lower case
	Name   string
	Binary bool // "*NAME": binary mode, the same bytes on POSIX systems
}

// parseSums reads SHA256SUMS as GNU coreutils' `sha256sum -c` does: lines
// "HEX  NAME" (text mode) or "HEX *NAME" (binary mode), or the BSD form
// "SHA256 (NAME) = HEX"; a leading '\' means NAME has "\\", "\n" and "\r"
// escapes; lines starting with '#' are comments; a trailing CR and blank
// lines are ignored. Names must be plain file names of the pack directory.
// A name listed twice is a problem. Problems carry the line number.
func parseSums(data []byte) ([]sumLine, []PackProblem) {
	var (
		out      []sumLine
		problems []PackProblem
		seen     = map[string]int{}
	)
	bad := func(line int, format string, args ...any) {
		problems = append(problems, PackProblem{File: FileSHA256SUMS, Line: line, Message: fmt.Sprintf(format, args...)})
	}
	n := 0
	for len(data) > 0 {
		n++
		var raw []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			raw, data = data[:i], data[i+1:]
		} else {
			raw, data = data, nil
		}
		if len(raw) > 0 && raw[0] == '#' {
			continue
		}
		raw = bytes.TrimSuffix(raw, []byte("\r"))
		if len(raw) == 0 {
			continue
		}
		s, err := parseSumLine(string(raw))
		if err != nil {
			bad(n, "%v", err)
			continue
		}
		if !plainName(s.Name) {
			bad(n, "file name %q is not a plain name inside the pack directory; not read", clip(s.Name))
			continue
		}
		if first, dup := seen[s.Name]; dup {
			bad(n, "lists %s again (first on line %d)", s.Name, first)
			continue
		}
		seen[s.Name] = n
		s.Line = n
		out = append(out, s)
	}
	return out, problems
}

// parseSumLine reads one non-blank, non-comment line.
func parseSumLine(line string) (sumLine, error) {
	s := strings.TrimLeft(line, " \t")
	escaped := strings.HasPrefix(s, "\\")
	if escaped {
		s = s[1:]
	}
	var out sumLine
	if rest, ok := strings.CutPrefix(s, "SHA256 ("); ok {
		// BSD tag form; the name is up to the last ") = ".
		i := strings.LastIndex(rest, ")")
		if i < 0 {
			return out, errors.New(`malformed "SHA256 (NAME) = HEX" line: no ')'`)
		}
		name, tail := rest[:i], strings.TrimLeft(rest[i+1:], " \t")
		hexPart, ok := strings.CutPrefix(tail, "=")
		if !ok {
			return out, errors.New(`malformed "SHA256 (NAME) = HEX" line: no '=' after the name`)
		}
		out.Name, out.SHA256 = name, strings.TrimLeft(hexPart, " \t")
		out.Binary = true
	} else {
		if len(s) < 64 {
			return out, fmt.Errorf("improperly formatted line %q: want 64 hex digits, two spaces and a file name", clip(line))
		}
		out.SHA256, s = s[:64], s[64:]
		if s == "" || (s[0] != ' ' && s[0] != '\t') {
			return out, fmt.Errorf("improperly formatted line %q: want 64 hex digits, two spaces and a file name", clip(line))
		}
		s = s[1:]
		if s != "" && (s[0] == ' ' || s[0] == '*') {
			out.Binary = s[0] == '*'
			s = s[1:]
		}
		out.Name = s
	}
	out.SHA256 = strings.ToLower(out.SHA256)
	if !isHexSHA256(out.SHA256) {
		return out, fmt.Errorf("%q is not a SHA-256 (64 hex digits)", clip(out.SHA256))
	}
	if out.Name == "" {
		return out, errors.New("no file name")
	}
	if escaped {
		name, err := unescapeSumName(out.Name)
		if err != nil {
			return out, err
		}
		out.Name = name
	}
	return out, nil
}

// unescapeSumName undoes sha256sum's escaping of "\", LF and CR.
func unescapeSumName(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 == len(s) {
			return "", errors.New(`file name ends with a lone '\'`)
		}
		i++
		switch s[i] {
		case '\\':
			b.WriteByte('\\')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		default:
			return "", fmt.Errorf(`file name has the unknown escape '\%c'`, s[i])
		}
	}
	return b.String(), nil
}
