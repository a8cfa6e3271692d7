package evidence

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
)

// Names of the signature files of a signed pack.
const (
	// FileSignature holds the signature of the exact bytes of
	// manifest.json: the raw 64-byte signature for Ed25519, the ASN.1 DER
	// signature of the SHA-256 digest for ECDSA P-256 — the forms openssl
	// reads with -sigfile and -signature.
	FileSignature = "manifest.json.sig"
	// FilePublicKey holds the signer's public key as a PEM "PUBLIC KEY"
	// block (PKIX SubjectPublicKeyInfo), as `openssl pkey -pubout` writes.
	FilePublicKey = "manifest.pub.pem"
)

// Signature algorithms, as recorded in the manifest.
const (
	// SignatureEd25519 is Ed25519 (RFC 8032) over the bytes of manifest.json.
	SignatureEd25519 = "ed25519"
	// SignatureECDSAP256 is ECDSA on NIST P-256 over the SHA-256 digest of
	// manifest.json, ASN.1 DER encoded.
	SignatureECDSAP256 = "ecdsa-p256-sha256"
)

// ManifestSignature describes the signature of a signed pack. It is in
// the manifest it signs: it names the key that signs, not the signature
// itself, which cannot sit inside what it signs.
type ManifestSignature struct {
	// Algorithm is SignatureEd25519 or SignatureECDSAP256.
	Algorithm string `json:"algorithm"`
	// PublicKeySHA256 is the key's fingerprint: the lower-case hex
	// SHA-256 of its DER SubjectPublicKeyInfo ([PublicKeyFingerprint]),
	// which `openssl pkey -pubin -in manifest.pub.pem -outform DER |
	// sha256sum` prints too. Compare it with the fingerprint the
	// organisation publishes for its evidence key.
	PublicKeySHA256 string `json:"public_key_sha256"`
}

// maxKeyFile caps the size of a key file: PEM keys are a few hundred bytes.
const maxKeyFile = 64 << 10

// LoadSigner reads a private key for signing packs from a PEM file: a
// PKCS #8 "PRIVATE KEY" block (what `openssl genpkey -algorithm ed25519`
// and `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`
// write) or a SEC 1 "EC PRIVATE KEY" block (`openssl ecparam -genkey`).
// The key must be Ed25519 or ECDSA on P-256; encrypted keys are refused
// (decrypt with `openssl pkey -in KEY -out PLAIN`). Errors name the file.
func LoadSigner(path string) (crypto.Signer, error) {
	block, err := readPEM(path, "private key")
	if err != nil {
		return nil, err
	}
	var key any
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	case "ENCRYPTED PRIVATE KEY":
		return nil, fmt.Errorf("evidence: private key %s is encrypted; decrypt it first (openssl pkey -in %s -out PLAIN.pem)", path, path)
	case "PUBLIC KEY":
		return nil, fmt.Errorf("evidence: private key %s holds a public key, not a private key", path)
	default:
		return nil, fmt.Errorf("evidence: private key %s: PEM block %q is not a PKCS #8 \"PRIVATE KEY\" or an \"EC PRIVATE KEY\"", path, block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("evidence: private key %s: the %q PEM block does not decode: %w", path, block.Type, err)
	}
	s, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("evidence: private key %s: %T cannot sign", path, key)
	}
	if _, err := signatureAlgorithm(s.Public()); err != nil {
		return nil, fmt.Errorf("evidence: private key %s: %w", path, err)
	}
	return s, nil
}

// LoadPublicKey reads a public key from a PEM "PUBLIC KEY" block (PKIX
// SubjectPublicKeyInfo, what `openssl pkey -in KEY -pubout` writes). The
// key must be Ed25519 or ECDSA on P-256. Errors name the file.
func LoadPublicKey(path string) (crypto.PublicKey, error) {
	block, err := readPEM(path, "public key")
	if err != nil {
		return nil, err
	}
	pub, err := parsePublicKeyBlock(block)
	if err != nil {
		return nil, fmt.Errorf("evidence: public key %s: %w", path, err)
	}
	return pub, nil
}

// PublicKeyFingerprint returns the lower-case hex SHA-256 of the key's DER
// SubjectPublicKeyInfo, the fingerprint manifest.json records.
func PublicKeyFingerprint(pub crypto.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", fmt.Errorf("evidence: public key: %w", err)
	}
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:]), nil
}

func readPEM(path, what string) (*pem.Block, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("evidence: %s: %w", what, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("evidence: %s %s: %w", what, path, err)
	}
	if len(data) > maxKeyFile {
		return nil, fmt.Errorf("evidence: %s %s: larger than %d bytes: not a PEM key", what, path, maxKeyFile)
	}
	block, rest := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("evidence: %s %s: no PEM block (want -----BEGIN ...-----)", what, path)
	}
	if next, _ := pem.Decode(rest); next != nil {
		return nil, fmt.Errorf("evidence: %s %s: more than one PEM block", what, path)
	}
	return block, nil
}

func parsePublicKeyBlock(block *pem.Block) (crypto.PublicKey, error) {
	switch block.Type {
	case "PUBLIC KEY":
	case "PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY":
		return nil, errors.New("holds a private key; give the public key (openssl pkey -in KEY -pubout)")
	default:
		return nil, fmt.Errorf("PEM block %q is not a \"PUBLIC KEY\"", block.Type)
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("the \"PUBLIC KEY\" PEM block does not decode: %w", err)
	}
	if _, err := signatureAlgorithm(pub); err != nil {
		return nil, err
	}
	return pub, nil
}

// signatureAlgorithm names the algorithm for a public key, or refuses it.
func signatureAlgorithm(pub crypto.PublicKey) (string, error) {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return "", fmt.Errorf("Ed25519 public key of %d bytes, want %d", len(k), ed25519.PublicKeySize)
		}
		return SignatureEd25519, nil
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() {
			return "", fmt.Errorf("ECDSA key on %s: only P-256 is supported", k.Curve.Params().Name)
		}
		return SignatureECDSAP256, nil
	case nil:
		return "", errors.New("no public key")
	}
	return "", fmt.Errorf("%T keys are not supported: use Ed25519 (openssl genpkey -algorithm ed25519) or ECDSA P-256", pub)
}

// signer is a PackOptions.Signer checked up front.
type signer struct {
	s    crypto.Signer
	pub  crypto.PublicKey
	info ManifestSignature
	pem  []byte
}

// newSigner checks s before anything is rendered or written.
func newSigner(s crypto.Signer) (*signer, error) {
	pub := s.Public()
	alg, err := signatureAlgorithm(pub)
	if err != nil {
		return nil, fmt.Errorf("evidence: PackOptions.Signer: %w", err)
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("evidence: PackOptions.Signer: public key: %w", err)
	}
	sum := sha256.Sum256(der)
	return &signer{s: s, pub: pub, info: ManifestSignature{Algorithm: alg, PublicKeySHA256: hex.EncodeToString(sum[:])},
		pem: pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})}, nil
}

// sign signs the manifest's bytes and checks the signature with the public
// key, so that a signer whose key is not the one it reports (a remote or
// hardware signer set up wrongly) fails here and not at the auditor's.
func (g *signer) sign(manifest []byte) ([]byte, error) {
	var (
		sig []byte
		err error
	)
	switch g.info.Algorithm {
	case SignatureEd25519:
		// Ed25519 signs the message itself; rand is unused by the standard
		// library and by well-behaved remote signers.
		sig, err = g.s.Sign(rand.Reader, manifest, crypto.Hash(0))
	case SignatureECDSAP256:
		digest := sha256.Sum256(manifest)
		var random io.Reader = rand.Reader
		if _, ok := g.s.(*ecdsa.PrivateKey); ok {
			random = nil // deterministic (RFC 6979): the same pack gives the same bytes
		}
		sig, err = g.s.Sign(random, digest[:], crypto.SHA256)
	}
	if err != nil {
		return nil, fmt.Errorf("evidence: sign %s: %w", FileManifest, err)
	}
	if err := verifySignature(g.pub, manifest, sig); err != nil {
		return nil, fmt.Errorf("evidence: sign %s: the signer's signature does not verify with its own public key (%s): %w",
			FileManifest, g.info.PublicKeySHA256, err)
	}
	return sig, nil
}

// errBadSignature is what verifySignature reports for a signature that does
// not match.
var errBadSignature = errors.New("signature does not verify")

// verifySignature checks sig over the bytes of manifest.json.
func verifySignature(pub crypto.PublicKey, manifest, sig []byte) error {
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if len(sig) != ed25519.SignatureSize {
			return fmt.Errorf("%w: an Ed25519 signature has %d bytes, this one %d", errBadSignature, ed25519.SignatureSize, len(sig))
		}
		if len(k) != ed25519.PublicKeySize || !ed25519.Verify(k, manifest, sig) {
			return errBadSignature
		}
		return nil
	case *ecdsa.PublicKey:
		digest := sha256.Sum256(manifest)
		if !ecdsa.VerifyASN1(k, digest[:], sig) {
			return errBadSignature
		}
		return nil
	}
	_, err := signatureAlgorithm(pub)
	return err
}

// files renders the signature and the public key as pack files.
func (g *signer) files(manifest []byte) ([]packFile, error) {
	sig, err := g.sign(manifest)
	if err != nil {
		return nil, err
	}
	mk := func(name, media string, data []byte) packFile {
		sum := sha256.Sum256(data)
		return packFile{ManifestFile: ManifestFile{Name: name, MediaType: media, Size: int64(len(data)),
			SHA256: hex.EncodeToString(sum[:])}, data: data}
	}
	return []packFile{
		mk(FileSignature, "application/octet-stream", sig),
		mk(FilePublicKey, "application/x-pem-file", bytes.Clone(g.pem)),
	}, nil
}
