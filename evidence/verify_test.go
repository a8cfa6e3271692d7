package evidence

// Internal tests: the SHA256SUMS and manifest parsers are fuzzed directly.

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/register"
)

var verifyClock = time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)

// smallRegister is a register of two groups, enough for a pack.
func smallRegister() *register.Register {
	return &register.Register{
		Organisation: register.Organisation{Name: "Example Ltd"},
		People:       []register.Person{{ID: "akhan", Name: "Aisha Khan", Role: "Engineer", Technical: true}},
		Groups: []register.Group{
			{ID: "cisa", Name: "CISA KEV", Kind: register.KindGovernmentCERT, URL: "https://www.cisa.gov/",
				Relevance: "Exploited CVEs.", Owner: "akhan",
				Membership: register.Membership{Status: register.MembershipActive, Since: register.NewDate(2024, 3, 1)}},
			{ID: "forum", Name: "A forum", Kind: register.KindForum, Owner: "akhan",
				Membership: register.Membership{Status: register.MembershipActive, Since: register.NewDate(2025, 1, 1)}},
		},
	}
}

// testKey is an Ed25519 key from a fixed seed.
func testKey(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

func writeSmallPack(t testing.TB, dir string, signer crypto.Signer) *Manifest {
	t.Helper()
	m, err := WritePack(context.Background(), dir, Pack{Register: smallRegister(), AsOf: verifyClock},
		&PackOptions{Generator: "sigwatch test", Now: func() time.Time { return verifyClock }, Signer: signer})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func verify(t *testing.T, dir string, opts *VerifyOptions) *VerifyReport {
	t.Helper()
	rep, err := VerifyPack(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func problemStrings(rep *VerifyReport) []string {
	var out []string
	for _, p := range rep.Problems {
		out = append(out, p.String())
	}
	return out
}

func TestVerifyPackOK(t *testing.T) {
	dir := t.TempDir()
	m := writeSmallPack(t, dir, nil)
	rep := verify(t, dir, nil)
	if !rep.OK() {
		t.Fatalf("problems: %q", problemStrings(rep))
	}
	// Every file of the manifest and manifest.json were hashed.
	if rep.Files != len(m.Files)+1 || rep.Signed || rep.SignedBy != "" || rep.KeyGiven {
		t.Errorf("report %+v, want %d files, unsigned", rep, len(m.Files)+1)
	}
	if diff := cmp.Diff(m, rep.Manifest); diff != "" {
		t.Errorf("manifest (-written +read):\n%s", diff)
	}

	signed := t.TempDir()
	ms := writeSmallPack(t, signed, testKey(1))
	key := testKey(1).Public()
	for _, opts := range []*VerifyOptions{nil, {PublicKey: key}} {
		rep := verify(t, signed, opts)
		if !rep.OK() || !rep.Signed || rep.KeyGiven != (opts != nil) || rep.SignedBy != ms.Signature.PublicKeySHA256 {
			t.Errorf("signed pack, opts %v: %+v", opts, rep)
		}
		// The signature files are hashed too: SHA256SUMS lists them.
		if rep.Files != len(ms.Files)+3 {
			t.Errorf("%d files hashed, want %d", rep.Files, len(ms.Files)+3)
		}
	}
}

// rewrite changes a file of a pack and, when fix is set, makes SHA256SUMS
// agree with every file again (as a tamperer would).
func rewrite(t *testing.T, dir, name string, edit func([]byte) []byte) {
	t.Helper()
	p := filepath.Join(dir, name)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, edit(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// resum rewrites SHA256SUMS from the files on disk, as a tamperer would.
func resum(t *testing.T, dir string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, FileSHA256SUMS))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for line := range strings.Lines(string(data)) {
		name := strings.TrimSpace(line[66:])
		body, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(body)
		fmt.Fprintf(&b, "%x  %s\n", sum, name)
	}
	if err := os.WriteFile(filepath.Join(dir, FileSHA256SUMS), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// editManifest decodes manifest.json into a generic map, lets edit change
// it, and writes it back.
func editManifest(t *testing.T, dir string, edit func(m map[string]any)) {
	t.Helper()
	rewrite(t, dir, FileManifest, func(b []byte) []byte {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		out, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		return append(out, '\n')
	})
}

func flipByte(b []byte) []byte {
	b = slices.Clone(b)
	b[len(b)/2] ^= 0x20
	return b
}

func TestVerifyPackProblems(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(secret, []byte("outside the pack\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		signed bool
		opts   *VerifyOptions
		tamper func(t *testing.T, dir string)
		// want are the problems, each a prefix of one problem's text, in
		// order. {line:NAME} stands for NAME's line in the untampered
		// SHA256SUMS, {next} for the line after its last, {file:N} for the
		// name of the manifest's file N: the pack's contents may grow
		// without these cases changing.
		want []string
	}{
		{"changed_file", false, nil, func(t *testing.T, dir string) { rewrite(t, dir, "register.csv", flipByte) },
			[]string{"register.csv: SHA-256 ", "register.csv: SHA-256 "}},
		{"changed_file_and_sums", false, nil, func(t *testing.T, dir string) {
			rewrite(t, dir, "register.md", flipByte)
			resum(t, dir)
		}, []string{"register.md: SHA-256 "}},
		{"changed_size", false, nil, func(t *testing.T, dir string) {
			rewrite(t, dir, "reviews.csv", func(b []byte) []byte { return append(b, '\n') })
			resum(t, dir)
		}, []string{"reviews.csv: "}},
		{"missing_file", false, nil, func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "proofs.json")) },
			[]string{"proofs.json: listed in SHA256SUMS (line {line:proofs.json}) but is missing", "proofs.json: listed in manifest.json but is missing"}},
		{"extra_file", false, nil, func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644)
		}, []string{"notes.txt: a file that is not part of the pack"}},
		{"extra_directory", false, nil, func(t *testing.T, dir string) { os.Mkdir(filepath.Join(dir, "sub"), 0o755) },
			[]string{"sub: a directory that is not part of the pack"}},
		{"symlink_out", false, nil, func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "register.json"))
			if err := os.Symlink(secret, filepath.Join(dir, "register.json")); err != nil {
				t.Skip("no symbolic links:", err)
			}
		}, []string{"register.json: listed in SHA256SUMS (line {line:register.json}) but is a symbolic link", "register.json: listed in manifest.json but is a symbolic link"}},
		{"manifest_dotdot", false, nil, func(t *testing.T, dir string) {
			editManifest(t, dir, func(m map[string]any) {
				m["files"].([]any)[0].(map[string]any)["name"] = "../" + filepath.Base(filepath.Dir(secret)) + "/secret.txt"
			})
			resum(t, dir)
		}, []string{"manifest.json:", "{file:0}: a file that is not part of the pack"}},
		{"manifest_absolute", false, nil, func(t *testing.T, dir string) {
			editManifest(t, dir, func(m map[string]any) { m["files"].([]any)[1].(map[string]any)["name"] = secret })
			resum(t, dir)
		}, []string{"manifest.json:", "{file:1}: a file that is not part of the pack"}},
		{"sums_dotdot", false, nil, func(t *testing.T, dir string) {
			rewrite(t, dir, FileSHA256SUMS, func(b []byte) []byte {
				return append(b, strings.Repeat("0", 64)+"  ../"+filepath.Base(filepath.Dir(secret))+"/secret.txt\n"...)
			})
		}, []string{"SHA256SUMS:{next}: file name \"../"}},
		{"sums_bad_line", false, nil, func(t *testing.T, dir string) {
			rewrite(t, dir, FileSHA256SUMS, func(b []byte) []byte { return bytes.Replace(b, []byte("  proofs.csv"), []byte("proofs.csv"), 1) })
		}, []string{"SHA256SUMS:{line:proofs.csv}: improperly formatted line", "SHA256SUMS: does not list proofs.csv"}},
		{"sums_lacks_manifest", false, nil, func(t *testing.T, dir string) {
			rewrite(t, dir, FileSHA256SUMS, func(b []byte) []byte {
				var keep []string
				for l := range strings.Lines(string(b)) {
					if !strings.HasSuffix(l, " manifest.json\n") {
						keep = append(keep, l)
					}
				}
				return []byte(strings.Join(keep, ""))
			})
		}, []string{"SHA256SUMS: does not list manifest.json"}},
		{"sums_missing", false, nil, func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, FileSHA256SUMS)) },
			[]string{"SHA256SUMS: is missing"}},
		{"manifest_missing", false, nil, func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, FileManifest)) },
			[]string{"manifest.json: is missing", "manifest.json: listed in SHA256SUMS (line {line:manifest.json}) but is missing"}},
		{"manifest_bad_json", false, nil, func(t *testing.T, dir string) {
			rewrite(t, dir, FileManifest, func(b []byte) []byte { return bytes.Replace(b, []byte(`"groups": 2,`), []byte(`"groups": 2`), 1) })
		}, []string{"manifest.json:9: column ", "manifest.json: SHA-256 "}},
		{"manifest_wrong_schema", false, nil, func(t *testing.T, dir string) {
			rewrite(t, dir, FileManifest, func(b []byte) []byte { return bytes.Replace(b, []byte("manifest/v1"), []byte("manifest/v9"), 1) })
			resum(t, dir)
		}, []string{`manifest.json:2: schema "sigwatch.evidence.manifest/v9" is not supported`}},
		{"manifest_bad_hash", false, nil, func(t *testing.T, dir string) {
			editManifest(t, dir, func(m map[string]any) { m["files"].([]any)[2].(map[string]any)["sha256"] = "XYZ" })
			resum(t, dir)
		}, []string{`manifest.json:`, "{file:2}: SHA-256 "}},

		// Signatures.
		{"required_signature_missing", false, &VerifyOptions{PublicKey: testKey(1).Public()}, nil,
			[]string{"manifest.json.sig: missing: the pack is not signed, and a signature by the given key is required"}},
		{"wrong_key", true, &VerifyOptions{PublicKey: testKey(2).Public()}, nil,
			[]string{"manifest.json.sig: manifest.json says it was signed by ed25519 key ", "manifest.json.sig: signature does not verify with the given public key"}},
		{"signature_removed", true, nil, func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, FileSignature))
		}, []string{"manifest.json.sig: listed in SHA256SUMS (line {line:manifest.json.sig}) but is missing", "manifest.json.sig: missing: manifest.json says the pack is signed"}},
		{"manifest_changed_after_signing", true, nil, func(t *testing.T, dir string) {
			editManifest(t, dir, func(m map[string]any) { m["cases"] = 99 })
			resum(t, dir)
		}, []string{"manifest.json.sig: signature does not verify with manifest.pub.pem (ed25519 key "}},
		{"signature_flipped", true, nil, func(t *testing.T, dir string) {
			rewrite(t, dir, FileSignature, flipByte)
			resum(t, dir)
		}, []string{"manifest.json.sig: signature does not verify with manifest.pub.pem"}},
		{"key_swapped_and_resigned", true, nil, func(t *testing.T, dir string) {
			// A tamperer signs the manifest with a key of their own and
			// ships it: the signature verifies with the shipped key, but
			// that key is not the one the manifest names.
			other := testKey(3)
			data, _ := os.ReadFile(filepath.Join(dir, FileManifest))
			os.WriteFile(filepath.Join(dir, FileSignature), ed25519.Sign(other, data), 0o644)
			g, err := newSigner(other)
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, FilePublicKey), g.pem, 0o644)
			resum(t, dir)
		}, []string{"manifest.json.sig: manifest.json says it was signed by ed25519 key "}},
		{"public_key_garbage", true, nil, func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, FilePublicKey), []byte("not a key\n"), 0o644)
			resum(t, dir)
		}, []string{"manifest.pub.pem: no PEM block"}},
		{"public_key_is_private", true, nil, func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, FilePublicKey), pemPrivate(t, testKey(1)), 0o644)
			resum(t, dir)
		}, []string{"manifest.pub.pem: holds a private key"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var s crypto.Signer
			if tt.signed {
				s = testKey(1)
			}
			writeSmallPack(t, dir, s)
			placeholders := packPlaceholders(t, dir)
			if tt.tamper != nil {
				tt.tamper(t, dir)
			}
			rep := verify(t, dir, tt.opts)
			got := problemStrings(rep)
			t.Logf("problems:\n%s", strings.Join(got, "\n"))
			tt.want = slices.Clone(tt.want)
			for i := range tt.want {
				tt.want[i] = placeholders.Replace(tt.want[i])
			}
			if len(got) != len(tt.want) || rep.OK() {
				t.Fatalf("problems:\n%s\nwant %d:\n%s", strings.Join(got, "\n"), len(tt.want), strings.Join(tt.want, "\n"))
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %d = %q, want it to start with %q", i, got[i], w)
				}
			}
			for _, p := range rep.Problems {
				if strings.Contains(p.Message, "outside the pack") {
					t.Errorf("the file outside the pack was read: %s", p)
				}
			}
			if rep.Signed && tt.name != "key_swapped_and_resigned" {
				t.Errorf("signed = true for a pack with problems")
			}
		})
	}
}

// packPlaceholders reads an untampered pack's SHA256SUMS and manifest for
// TestVerifyPackProblems's {line:NAME}, {next} and {file:N}.
func packPlaceholders(t *testing.T, dir string) *strings.Replacer {
	t.Helper()
	sums, err := os.ReadFile(filepath.Join(dir, FileSHA256SUMS))
	if err != nil {
		t.Fatal(err)
	}
	var pairs []string
	n := 0
	for l := range strings.Lines(string(sums)) {
		n++
		_, name, _ := strings.Cut(strings.TrimSuffix(l, "\n"), "  ")
		pairs = append(pairs, "{line:"+name+"}", strconv.Itoa(n))
	}
	pairs = append(pairs, "{next}", strconv.Itoa(n+1))
	m, err := os.ReadFile(filepath.Join(dir, FileManifest))
	if err != nil {
		t.Fatal(err)
	}
	var man Manifest
	if err := json.Unmarshal(m, &man); err != nil {
		t.Fatal(err)
	}
	for i, f := range man.Files {
		pairs = append(pairs, "{file:"+strconv.Itoa(i)+"}", f.Name)
	}
	return strings.NewReplacer(pairs...)
}

func pemPrivate(t *testing.T, k crypto.Signer) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func TestVerifyPackErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := VerifyPack(ctx, filepath.Join(t.TempDir(), "nope"), nil); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("missing dir: %v", err)
	}
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	if _, err := VerifyPack(ctx, file, nil); err == nil || !strings.Contains(err.Error(), "is not a directory") {
		t.Errorf("file: %v", err)
	}
	dir := t.TempDir()
	writeSmallPack(t, dir, nil)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := VerifyPack(cctx, dir, nil); err == nil {
		t.Error("cancelled ctx: no error")
	}
	// An empty directory: both files missing.
	rep := verify(t, t.TempDir(), nil)
	if diff := cmp.Diff([]string{"manifest.json: is missing", "SHA256SUMS: is missing"}, problemStrings(rep)); diff != "" {
		t.Errorf("empty dir (-want +got):\n%s", diff)
	}
}

// TestVerifyPackStreams checks that a large file is hashed as a stream: a
// 256 MiB file listed in SHA256SUMS costs far less memory than its size.
func TestVerifyPackStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("hashes 256 MiB")
	}
	dir := t.TempDir()
	writeSmallPack(t, dir, nil)
	big := filepath.Join(dir, "big.bin")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	const size = 256 << 20
	if err := f.Truncate(size); err != nil { // sparse: costs no disk
		t.Fatal(err)
	}
	f.Close()
	sumsLines := 0
	rewrite(t, dir, FileSHA256SUMS, func(b []byte) []byte {
		sumsLines = bytes.Count(b, []byte("\n"))
		return append(b, strings.Repeat("0", 64)+"  big.bin\n"...)
	})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rep := verify(t, dir, nil)
	runtime.ReadMemStats(&after)
	// The SHA-256 of 256 MiB of zero bytes, from
	// `head -c 268435456 /dev/zero | sha256sum`.
	const zeros = "a6d72ac7690f53be6ae46ba88506bd97302a093f7108472bd9efc3cefda06484"
	want := []string{
		"big.bin: SHA-256 " + zeros + " differs from SHA256SUMS line " + strconv.Itoa(sumsLines+1),
		"big.bin: a file that is not part of the pack (not listed in manifest.json)",
	}
	got := problemStrings(rep)
	if len(got) != 2 || !strings.HasPrefix(got[0], want[0]) || got[1] != want[1] {
		t.Errorf("problems %q, want %q", got, want)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("VerifyPack allocated %d bytes for a %d-byte file: not streamed", alloc, size)
	}
}

func TestParseSums(t *testing.T) {
	h := func(c byte) string { return strings.Repeat(string(c), 64) }
	in := "" +
		h('a') + "  register.csv\n" + // text mode
		h('B') + " *register.json\n" + // binary mode, upper-case hex
		"# a comment\n" +
		"\n" +
		"SHA256 (a b.md) = " + h('c') + "\n" + // BSD tag form, a space in the name
		h('d') + "  crlf.txt\r\n" +
		"\\" + h('e') + "  back\\\\slash\n" + // escaped: the name has a backslash
		"  " + h('f') + "  indented\n" +
		h('0') + " one-space\n" // one space: accepted by sha256sum -c too
	got, problems := parseSums([]byte(in))
	want := []sumLine{
		{Line: 1, SHA256: h('a'), Name: "register.csv"},
		{Line: 2, SHA256: h('b'), Name: "register.json", Binary: true},
		{Line: 5, SHA256: h('c'), Name: "a b.md", Binary: true},
		{Line: 6, SHA256: h('d'), Name: "crlf.txt"},
		{Line: 8, SHA256: h('f'), Name: "indented"},
		{Line: 9, SHA256: h('0'), Name: "one-space"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	// Line 7 parses, but a backslash is not in a plain file name.
	if len(problems) != 1 || problems[0].Line != 7 || !strings.Contains(problems[0].Message, `"back\\slash" is not a plain name`) {
		t.Errorf("problems %v", problems)
	}

	for _, tt := range []struct{ in, want string }{
		{"xyz  a\n", "SHA256SUMS:1: improperly formatted line \"xyz  a\""},
		{h('a') + "\n", "SHA256SUMS:1: improperly formatted line"},
		{h('a') + "  \n", "SHA256SUMS:1: no file name"},
		{h('g') + "  a\n", "SHA256SUMS:1: \"" + h('g') + "\" is not a SHA-256"},
		{h('a') + "x  a\n", "SHA256SUMS:1: improperly formatted line"},
		{h('a') + "  a\n" + h('b') + "  a\n", "SHA256SUMS:2: lists a again (first on line 1)"},
		{h('a') + "  ../x\n", "SHA256SUMS:1: file name \"../x\" is not a plain name"},
		{h('a') + "  /etc/passwd\n", "SHA256SUMS:1: file name \"/etc/passwd\" is not a plain name"},
		{h('a') + "  .\n", "SHA256SUMS:1: file name \".\" is not a plain name"},
		{"\\" + h('a') + "  a\\n\n", "SHA256SUMS:1: file name \"a\\n\" is not a plain name"},
		{"\\" + h('a') + "  a\\x\n", "SHA256SUMS:1: file name has the unknown escape '\\x'"},
		{"\\" + h('a') + "  a\\\n", "SHA256SUMS:1: file name ends with a lone '\\'"},
		{"SHA256 (a = " + h('a') + "\n", "SHA256SUMS:1: malformed \"SHA256 (NAME) = HEX\" line: no ')'"},
		{"SHA256 (a) " + h('a') + "\n", "SHA256SUMS:1: malformed \"SHA256 (NAME) = HEX\" line: no '='"},
		{"SHA256 (a) = abc\n", "SHA256SUMS:1: \"abc\" is not a SHA-256"},
		{"\n\n" + h('a') + "\t\x00\n", "SHA256SUMS:3: file name \"\\x00\" is not a plain name"},
	} {
		_, problems := parseSums([]byte(tt.in))
		if len(problems) != 1 || !strings.HasPrefix(problems[0].String(), tt.want) {
			t.Errorf("parseSums(%q) problems %v, want one starting %q", tt.in, problems, tt.want)
		}
	}
}

// TestParseSumsReadsSha256sum parses what GNU sha256sum writes, in both
// forms, and compares with hashes computed here.
func TestParseSumsReadsSha256sum(t *testing.T) {
	tool, err := exec.LookPath("sha256sum")
	if err != nil {
		t.Skip("no sha256sum on PATH")
	}
	dir := t.TempDir()
	files := map[string]string{"a.txt": "hello\n", "with space.csv": "x,y\n", "empty": ""}
	names := []string{"a.txt", "empty", "with space.csv"}
	for name, body := range files {
		os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644)
	}
	for _, args := range [][]string{nil, {"--tag"}, {"--binary"}} {
		cmd := exec.Command(tool, append(args, names...)...)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		got, problems := parseSums(out)
		if len(problems) > 0 || len(got) != len(names) {
			t.Fatalf("%v: %v %v from\n%s", args, got, problems, out)
		}
		for i, s := range got {
			sum := sha256.Sum256([]byte(files[names[i]]))
			if s.Name != names[i] || s.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("%v: line %d = %+v, want %s %x", args, i+1, s, names[i], sum)
			}
		}
	}
}

func FuzzParseSums(f *testing.F) {
	h := strings.Repeat("a", 64)
	for _, s := range []string{h + "  a\n", h + " *b\r\n# c\n\n", "SHA256 (x y) = " + h, "\\" + h + "  a\\\\b\n",
		"", "\n\n\n", h + "  ../x\n" + h + "  x\n" + h + "  x\n", "SHA256 ()) = " + h} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, problems := parseSums(data)
		lines := bytes.Count(data, []byte("\n")) + 1
		seen := map[string]bool{}
		for _, s := range got {
			if !isHexSHA256(s.SHA256) || !plainName(s.Name) || seen[s.Name] || s.Line < 1 || s.Line > lines {
				t.Fatalf("bad entry %+v", s)
			}
			seen[s.Name] = true
		}
		for _, p := range problems {
			if p.File != FileSHA256SUMS || p.Line < 1 || p.Line > lines || p.Message == "" {
				t.Fatalf("bad problem %+v", p)
			}
		}
		// What parses, written back in sha256sum's text form, reads back
		// the same.
		var b strings.Builder
		for _, s := range got {
			b.WriteString(s.SHA256 + "  " + s.Name + "\n")
		}
		again, problems := parseSums([]byte(b.String()))
		if len(problems) > 0 || len(again) != len(got) {
			t.Fatalf("round trip: %v, %v", again, problems)
		}
		for i := range got {
			if again[i].Name != got[i].Name || again[i].SHA256 != got[i].SHA256 {
				t.Fatalf("round trip: %+v, then %+v", got[i], again[i])
			}
		}
	})
}

func FuzzParseManifest(f *testing.F) {
	dir := f.TempDir()
	writeSmallPack(f, dir, testKey(1))
	good, err := os.ReadFile(filepath.Join(dir, FileManifest))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"schema":"sigwatch.evidence.manifest/v1","files":[{"name":"../x","sha256":"` + strings.Repeat("0", 64) + `"}]}`))
	f.Add([]byte(`{"schema":"sigwatch.evidence.manifest/v1","files":[{"name":"a","size":-1},{"name":"a"}],"signature":{}}`))
	f.Add([]byte(`{"schema":"x"}`))
	f.Add([]byte(`[`))
	f.Add([]byte("{\"schema\":\"sigwatch.evidence.manifest/v1\",\n\"files\":[{\"name\":\"/etc/passwd\"}]}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, problems := parseManifest(data)
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, p := range problems {
			if p.File != FileManifest || p.Line < 0 || p.Line > lines || p.Message == "" {
				t.Fatalf("bad problem %+v", p)
			}
		}
		if m == nil {
			if len(problems) == 0 {
				t.Fatal("no manifest and no problem")
			}
			return
		}
		if m.Schema != ManifestSchema {
			t.Fatalf("schema %q accepted", m.Schema)
		}
		if len(problems) > 0 {
			return
		}
		// A manifest without problems names only plain, distinct files
		// with well-formed hashes, and survives a round trip.
		seen := map[string]bool{}
		for _, f := range m.Files {
			if !plainName(f.Name) || seen[f.Name] || !isHexSHA256(f.SHA256) || f.Size < 0 {
				t.Fatalf("accepted file %+v", f)
			}
			seen[f.Name] = true
		}
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		again, problems := parseManifest(out)
		if len(problems) > 0 || !cmp.Equal(m.Files, again.Files) {
			t.Fatalf("round trip: %v", problems)
		}
	})
}
