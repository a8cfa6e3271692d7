package csaffeed

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/sigwatch/sigwatch/feeds"
)

var distITDocs = []string{"va-24-201-01.json", "va-24-254-01.json", "va-24-254-02.json", "va-24-262-01.json"}

// All four CISA IT documents verify against the .sha512 files CISA
// published next to them (sha512sum -c agrees: checked with python3's
// hashlib, whose digests start e26aaf54…, dffe3156…, aadc4284…, e3fe2343…,
// the first characters of the four .sha512 files).
func TestVerifySHA512CISA(t *testing.T) {
	for _, f := range distITDocs {
		doc := distRead(t, "cisa/IT/2024/"+f)
		sum := distRead(t, "cisa/IT/2024/"+f+".sha512")
		for _, name := range []string{f, "https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/IT/white/2024/" + f, ""} {
			if err := VerifySHA512(doc, sum, name); err != nil {
				t.Errorf("VerifySHA512(%s, name %q): %v", f, name, err)
			}
		}
		// The sum file names the document: another name is refused.
		if err := VerifySHA512(doc, sum, "other.json"); !errors.Is(err, ErrChecksumMismatch) {
			t.Errorf("VerifySHA512(%s, name other.json) = %v, want ErrChecksumMismatch", f, err)
		}
		// Tampered: one byte changed.
		bad := append([]byte(nil), doc...)
		bad[len(bad)/2] ^= 0x20
		err := VerifySHA512(bad, sum, f)
		if !errors.Is(err, ErrChecksumMismatch) || !strings.Contains(err.Error(), f) {
			t.Errorf("tampered %s: err = %v, want ErrChecksumMismatch naming the file", f, err)
		}
		// Truncated.
		if err := VerifySHA512(doc[:len(doc)-1], sum, f); !errors.Is(err, ErrChecksumMismatch) {
			t.Errorf("truncated %s: err = %v", f, err)
		}
	}
	// A hash file copied next to the wrong document.
	err := VerifySHA512(distRead(t, "cisa/IT/2024/va-24-254-01.json"), distRead(t, "cisa/IT/2024/va-24-201-01.json.sha512"), "va-24-254-01.json")
	if !errors.Is(err, ErrChecksumMismatch) || !strings.Contains(err.Error(), `is for "va-24-201-01.json"`) {
		t.Errorf("wrong sum file: err = %v", err)
	}
}

func TestVerifySumFormats(t *testing.T) {
	doc := []byte(`{"document": {}}`)
	s512 := sha512.Sum512(doc)
	h512 := hex.EncodeToString(s512[:])
	s256 := sha256.Sum256(doc)
	h256 := hex.EncodeToString(s256[:])
	other := strings.Repeat("ab", 64)
	for _, tc := range []struct {
		name string
		sum  string
	}{
		{"text_mode", h512 + "  a.json\n"},
		{"binary_mode", h512 + " *a.json\n"},
		{"hex_only", h512},
		{"hex_only_newline_crlf", h512 + "\r\n"},
		{"upper_case", strings.ToUpper(h512) + "  a.json"},
		{"bsd", "SHA512 (a.json) = " + h512 + "\n"},
		{"path_in_sum_file", h512 + "  2024/a.json\n"},
		{"several_lines", other + "  b.json\n" + h512 + "  a.json\n" + other + "  c.json\n"},
		{"indented_and_blank_lines", "\n\n  " + h512 + "\ta.json\n\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := VerifySHA512(doc, []byte(tc.sum), "https://a.example/2024/a.json"); err != nil {
				t.Error(err)
			}
		})
	}
	if err := VerifySHA256(doc, []byte(h256+"  a.json\n"), "a.json"); err != nil {
		t.Errorf("VerifySHA256: %v", err)
	}
	if err := VerifySHA256(doc, []byte("SHA256 (a.json) = "+h256), "a.json"); err != nil {
		t.Errorf("VerifySHA256 BSD: %v", err)
	}
	// A SHA-512 digest is not a SHA-256 digest.
	if err := VerifySHA256(doc, []byte(h512), "a.json"); err == nil {
		t.Errorf("VerifySHA256 accepted a SHA-512 digest")
	}
	// Several lines, none for the document.
	err := VerifySHA512(doc, []byte(other+"  b.json\n"+other+"  c.json\n"), "a.json")
	if !errors.Is(err, ErrChecksumMismatch) || !strings.Contains(err.Error(), `none for "a.json"`) {
		t.Errorf("err = %v", err)
	}
}

// Positions counted by hand.
func TestVerifySHA512MalformedSumFile(t *testing.T) {
	doc := []byte("x")
	hex128 := strings.Repeat("0", 128)
	for _, tc := range []struct {
		name      string
		sum       string
		line, col int
		target    error
		msg       string
	}{
		{"html", "<!DOCTYPE html><title>404</title>", 1, 1, feeds.ErrNotFeed, "HTML"},
		{"empty", "", 1, 1, nil, "empty SHA-512 sum file"},
		{"blank", "\n \n", 1, 1, nil, "empty SHA-512 sum file"},
		{"short_digest", "abc  a.json", 1, 1, nil, "has 3 characters, want 128"},
		{"sha256_length", "\n  " + strings.Repeat("a", 64) + "  a.json", 2, 3, nil, "has 64 characters, want 128"},
		{"not_hex", "zz" + hex128[2:] + "  a.json", 1, 1, nil, "not hexadecimal"},
		{"bsd_malformed", "SHA512 (a.json " + hex128, 1, 1, nil, "malformed BSD-style line"},
		{"bsd_bad_digest", "SHA512 (a.json) = 12", 1, 19, nil, "has 2 characters"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := VerifySHA512(doc, []byte(tc.sum), "a.json")
			if err == nil {
				t.Fatal("no error")
			}
			distWantParseError(t, err, tc.line, tc.col, "", tc.target)
			if !strings.Contains(err.Error(), tc.msg) || !strings.HasPrefix(err.Error(), "a.json.sha512:") {
				t.Errorf("error %q: want prefix a.json.sha512: and %q", err, tc.msg)
			}
		})
	}
}
