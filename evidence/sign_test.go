package evidence_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/evidence"
	"github.com/sigwatch/sigwatch/register"
)

// writeKeyPEM writes k as a PKCS #8 PEM file and returns its path.
func writeKeyPEM(t *testing.T, k crypto.Signer) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func writeSignedFixturePack(t *testing.T, dir string, s crypto.Signer) *evidence.Manifest {
	t.Helper()
	f := newFixture(t)
	opts := packOptions()
	opts.Signer = s
	m, err := evidence.WritePack(context.Background(), dir, evidence.Pack{Register: f.reg, Cases: f.cases, KPI: f.report()}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func openssl(t *testing.T, dir string, args ...string) ([]byte, error) {
	t.Helper()
	cmd := exec.Command("openssl", args...)
	cmd.Dir = dir
	return cmd.CombinedOutput()
}

// TestSignedPackOpenSSL is the independent check: keys made by openssl,
// read by LoadSigner, the pack signed by WritePack, and the signature and
// the key fingerprint checked by openssl with the commands the package
// documentation gives an auditor.
func TestSignedPackOpenSSL(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("no openssl on PATH")
	}
	for _, tt := range []struct {
		name, alg string
		genpkey   []string
		verify    []string // run in the pack directory
		ok        string
	}{
		{"ed25519", evidence.SignatureEd25519, []string{"-algorithm", "ed25519"},
			[]string{"pkeyutl", "-verify", "-pubin", "-inkey", "manifest.pub.pem", "-rawin", "-in", "manifest.json", "-sigfile", "manifest.json.sig"},
			"Signature Verified Successfully"},
		{"ecdsa_p256", evidence.SignatureECDSAP256, []string{"-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"},
			[]string{"dgst", "-sha256", "-verify", "manifest.pub.pem", "-signature", "manifest.json.sig", "manifest.json"},
			"Verified OK"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tmp := t.TempDir()
			if out, err := openssl(t, tmp, append(append([]string{"genpkey"}, tt.genpkey...), "-out", "key.pem")...); err != nil {
				t.Fatalf("openssl genpkey: %v\n%s", err, out)
			}
			if out, err := openssl(t, tmp, "pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem"); err != nil {
				t.Fatalf("openssl pkey -pubout: %v\n%s", err, out)
			}
			s, err := evidence.LoadSigner(filepath.Join(tmp, "key.pem"))
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(tmp, "pack")
			m := writeSignedFixturePack(t, dir, s)
			if m.Signature == nil || m.Signature.Algorithm != tt.alg {
				t.Fatalf("manifest signature %+v, want %s", m.Signature, tt.alg)
			}

			out, err := openssl(t, dir, tt.verify...)
			if err != nil || !strings.Contains(string(out), tt.ok) {
				t.Errorf("openssl %s: %v\n%s", strings.Join(tt.verify, " "), err, out)
			}
			// The fingerprint is the SHA-256 of the DER key as openssl writes it.
			der, err := exec.Command("openssl", "pkey", "-pubin", "-in", filepath.Join(dir, "manifest.pub.pem"), "-outform", "DER").Output()
			if err != nil {
				t.Fatal(err)
			}
			if sum := sha256.Sum256(der); hex.EncodeToString(sum[:]) != m.Signature.PublicKeySHA256 {
				t.Errorf("fingerprint %s, openssl's DER key hashes to %x", m.Signature.PublicKeySHA256, sum)
			}
			// manifest.pub.pem is what `openssl pkey -pubout` writes.
			ours, _ := os.ReadFile(filepath.Join(dir, "manifest.pub.pem"))
			theirs, _ := os.ReadFile(filepath.Join(tmp, "pub.pem"))
			if !bytes.Equal(ours, theirs) {
				t.Errorf("manifest.pub.pem:\n%s\nopenssl pkey -pubout:\n%s", ours, theirs)
			}
			// SHA256SUMS covers the signature files; sha256sum agrees.
			names := checkSumsCover(t, dir)
			for _, want := range []string{"manifest.json", "manifest.json.sig", "manifest.pub.pem"} {
				if !names[want] {
					t.Errorf("SHA256SUMS does not list %s", want)
				}
			}

			// VerifyPack with the key openssl wrote.
			pub, err := evidence.LoadPublicKey(filepath.Join(tmp, "pub.pem"))
			if err != nil {
				t.Fatal(err)
			}
			rep, err := evidence.VerifyPack(context.Background(), dir, &evidence.VerifyOptions{PublicKey: pub})
			if err != nil || !rep.OK() || !rep.Signed || !rep.KeyGiven || rep.SignedBy != m.Signature.PublicKeySHA256 {
				t.Errorf("VerifyPack: %+v, %v", rep, err)
			}

			// A changed manifest fails openssl's check too.
			data, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
			changed := bytes.Replace(data, []byte(`"cases": `), []byte(`"cases": 1`), 1)
			if err := os.WriteFile(filepath.Join(dir, "manifest.json"), changed, 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := openssl(t, dir, tt.verify...); err == nil {
				t.Errorf("openssl verified a changed manifest:\n%s", out)
			}
		})
	}
}

// checkSumsCover runs sha256sum -c in dir when the system has it and
// returns the names SHA256SUMS lists.
func checkSumsCover(t *testing.T, dir string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for line := range strings.Lines(string(data)) {
		names[strings.TrimSuffix(line[66:], "\n")] = true
	}
	if _, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command("sha256sum", "-c", "--strict", "SHA256SUMS")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum -c: %v\n%s", err, out)
		}
	}
	return names
}

// TestSignedPackDeterministic: Ed25519 signatures are deterministic, and
// ECDSA ones are made deterministic (RFC 6979), so a signed pack is the
// same bytes every time.
func TestSignedPackDeterministic(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []crypto.Signer{ed25519.NewKeyFromSeed(make([]byte, 32)), ec} {
		a, b := t.TempDir(), t.TempDir()
		writeSignedFixturePack(t, a, k)
		writeSignedFixturePack(t, b, k)
		for _, name := range []string{"manifest.json", "manifest.json.sig", "manifest.pub.pem", "SHA256SUMS"} {
			x, _ := os.ReadFile(filepath.Join(a, name))
			y, _ := os.ReadFile(filepath.Join(b, name))
			if len(x) == 0 || !bytes.Equal(x, y) {
				t.Errorf("%T: %s differs between writes", k, name)
			}
		}
	}
}

// otherSigner reports one key and signs with another, as a wrongly set up
// remote signer might.
type otherSigner struct {
	crypto.Signer
	pub crypto.PublicKey
}

func (o otherSigner) Public() crypto.PublicKey { return o.pub }

func TestWritePackSignerErrors(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	lying := otherSigner{Signer: ed25519.NewKeyFromSeed(make([]byte, 32)), pub: ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, 32)).Public()}
	for _, tt := range []struct {
		name string
		s    crypto.Signer
		want string
	}{
		{"rsa", rsaKey, "evidence: PackOptions.Signer: *rsa.PublicKey keys are not supported: use Ed25519"},
		{"p384", p384, "evidence: PackOptions.Signer: ECDSA key on P-384: only P-256 is supported"},
		{"lying", lying, "evidence: sign manifest.json: the signer's signature does not verify with its own public key"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "pack")
			f := newFixture(t)
			opts := packOptions()
			opts.Signer = tt.s
			_, err := evidence.WritePack(context.Background(), dir, evidence.Pack{Register: f.reg, Cases: f.cases}, opts)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the pack directory exists after the error: %v", err)
			}
		})
	}
}

// TestPackSignThenUnsign writes a signed pack, then an unsigned one into
// the same directory, then a signed one again: the signature files come
// and go with the signer, and each pack verifies.
func TestPackSignThenUnsign(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pack")
	key := ed25519.NewKeyFromSeed(make([]byte, 32))
	check := func(signed bool) {
		t.Helper()
		rep, err := evidence.VerifyPack(context.Background(), dir, nil)
		if err != nil || !rep.OK() || rep.Signed != signed {
			t.Fatalf("signed %v: %+v, %v", signed, rep, err)
		}
		for _, name := range []string{"manifest.json.sig", "manifest.pub.pem"} {
			if _, err := os.Stat(filepath.Join(dir, name)); (err == nil) != signed {
				t.Errorf("signed %v: %s: %v", signed, name, err)
			}
		}
	}
	writeSignedFixturePack(t, dir, key)
	check(true)
	writeSignedFixturePack(t, dir, nil)
	check(false)
	writeSignedFixturePack(t, dir, key)
	check(true)
}

func TestLoadKeys(t *testing.T) {
	ed := ed25519.NewKeyFromSeed(make([]byte, 32))
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []crypto.Signer{ed, ec} {
		s, err := evidence.LoadSigner(writeKeyPEM(t, k))
		if err != nil {
			t.Fatal(err)
		}
		if !k.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(s.Public()) {
			t.Errorf("%T: loaded a different key", k)
		}
	}
	// SEC 1 "EC PRIVATE KEY", as `openssl ecparam -genkey` writes.
	sec1, err := x509.MarshalECPrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	sec1Path := filepath.Join(t.TempDir(), "ec.pem")
	os.WriteFile(sec1Path, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1}), 0o600)
	if s, err := evidence.LoadSigner(sec1Path); err != nil || !ec.PublicKey.Equal(s.Public()) {
		t.Errorf("SEC 1 key: %v", err)
	}
	pubDER, _ := x509.MarshalPKIXPublicKey(ed.Public())
	pubPath := filepath.Join(t.TempDir(), "pub.pem")
	os.WriteFile(pubPath, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}), 0o644)
	if pub, err := evidence.LoadPublicKey(pubPath); err != nil || !ed.Public().(ed25519.PublicKey).Equal(pub) {
		t.Errorf("LoadPublicKey: %v", err)
	}
	fp, err := evidence.PublicKeyFingerprint(ed.Public())
	if sum := sha256.Sum256(pubDER); err != nil || fp != hex.EncodeToString(sum[:]) {
		t.Errorf("fingerprint %s, %v", fp, err)
	}

	rsaKey, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	rsaPath := writeKeyPEM(t, rsaKey)
	rsaPubDER, _ := x509.MarshalPKIXPublicKey(rsaKey.Public())
	dir := t.TempDir()
	file := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	edPath := writeKeyPEM(t, ed)
	edPEM, _ := os.ReadFile(edPath)
	for _, tt := range []struct {
		load func(string) (any, error)
		path string
		want string // after "evidence: "; %s is the path
	}{
		{signer, filepath.Join(dir, "missing.pem"), "private key: open %s: no such file"},
		{signer, file("empty.pem", nil), "private key %s: no PEM block"},
		{signer, file("garbage.pem", []byte("-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n")), "private key %s: no PEM block"},
		{signer, file("bad-der.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2, 3}})), "private key %s: the \"PRIVATE KEY\" PEM block does not decode: "},
		{signer, rsaPath, "private key %s: *rsa.PublicKey keys are not supported"},
		{signer, file("enc.pem", pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{1}})), "private key %s is encrypted"},
		{signer, pubPath, "private key %s holds a public key"},
		{signer, file("cert.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}})), "private key %s: PEM block \"CERTIFICATE\" is not"},
		{signer, file("two.pem", append(slicesClone(edPEM), edPEM...)), "private key %s: more than one PEM block"},
		{signer, file("big.pem", bytes.Repeat([]byte("A"), 70<<10)), "private key %s: larger than 65536 bytes"},
		{public, edPath, "public key %s: holds a private key"},
		{public, file("rsa-pub.pem", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: rsaPubDER})), "public key %s: *rsa.PublicKey keys are not supported"},
		{public, filepath.Join(dir, "missing.pem"), "public key: open %s: no such file"},
	} {
		_, err := tt.load(tt.path)
		want := "evidence: " + fmt.Sprintf(tt.want, tt.path)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", filepath.Base(tt.path), err, want)
		}
	}
}

func signer(p string) (any, error) { return evidence.LoadSigner(p) }
func public(p string) (any, error) { return evidence.LoadPublicKey(p) }

func slicesClone(b []byte) []byte { return append([]byte(nil), b...) }

// ExampleVerifyPack signs a pack and verifies it with the public key the
// organisation published, then after a file was changed.
func ExampleVerifyPack() {
	dir, err := os.MkdirTemp("", "pack")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize)) // LoadSigner("evidence-key.pem") in real use
	reg := &register.Register{Organisation: register.Organisation{Name: "Example Ltd"}}
	asOf := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	_, err = evidence.WritePack(context.Background(), dir, evidence.Pack{Register: reg, AsOf: asOf},
		&evidence.PackOptions{Now: func() time.Time { return asOf }, Signer: key})
	if err != nil {
		log.Fatal(err)
	}

	opts := &evidence.VerifyOptions{PublicKey: key.Public()} // LoadPublicKey("evidence-key.pub.pem")
	rep, err := evidence.VerifyPack(context.Background(), dir, opts)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("ok:", rep.OK(), "signed:", rep.Signed)

	f, err := os.OpenFile(filepath.Join(dir, "register.csv"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		log.Fatal(err)
	}
	io.WriteString(f, "extra,row\n")
	f.Close()
	rep, err = evidence.VerifyPack(context.Background(), dir, opts)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("ok:", rep.OK())
	for _, p := range rep.Problems {
		// p.String() also gives the hashes, sizes and line numbers.
		fmt.Println(p.File, "changed:", strings.Contains(p.Message, "the file was changed"))
	}
	// Output:
	// ok: true signed: true
	// ok: false
	// register.csv changed: true
	// register.csv changed: true
}
