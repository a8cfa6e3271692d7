package csaffeed

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/sniff"
)

// VerifySHA512 checks doc against sumFile, the content of the document's
// .sha512 file. name is the document's file name or URL: it names the
// document in errors and selects the line of a multi-line sum file.
//
// sumFile is in sha512sum format: "<hex>  <filename>" (text mode),
// "<hex> *<filename>" (binary mode) or the hex digest alone; the BSD form
// "SHA512 (<filename>) = <hex>" is accepted too. Blank lines are ignored.
// When the sum file names files, the line for name's base name is used; a
// single-line sum file for another file is an error (a hash file copied
// next to the wrong document). The digest is compared case-insensitively.
//
// A digest that differs, or a sum file without a line for the document,
// gives an error wrapping ErrChecksumMismatch. A sum file that cannot be
// read (an HTML page, a digest of the wrong length, a non-hex digest) gives
// a *feeds.ParseError with its line and column.
func VerifySHA512(doc, sumFile []byte, name string) error {
	return verifySum(doc, sumFile, name, "SHA-512", sha512.New)
}

// VerifySHA256 is [VerifySHA512] for .sha256 files (sha256sum format), the
// other hash the CSAF specification allows.
func VerifySHA256(doc, sumFile []byte, name string) error {
	return verifySum(doc, sumFile, name, "SHA-256", sha256.New)
}

type sumLine struct {
	digest   []byte
	file     string
	line     int
	explicit bool // the line names a file
}

func verifySum(doc, sumFile []byte, name, algo string, newHash func() hash.Hash) error {
	h := newHash()
	size := h.Size()
	sumName := name + "." + strings.ToLower(strings.ReplaceAll(algo, "-", ""))
	perr := func(line, col int, err error) error {
		return &feeds.ParseError{Input: sumName, Line: line, Column: col, Err: err}
	}
	data := sniff.TrimBOM(sumFile)
	if sniff.HTML(data) {
		return perr(1, 1, sniff.NotFeed("got an HTML page, not a "+algo+" sum file"))
	}
	var lines []sumLine
	for i, raw := range bytes.Split(data, []byte("\n")) {
		ln := i + 1
		text := strings.TrimRight(string(raw), "\r")
		indent := len(text) - len(strings.TrimLeft(text, " \t"))
		s := strings.TrimSpace(text)
		if s == "" {
			continue
		}
		var hexPart, file string
		col := indent + 1
		explicit := false
		if rest, ok := strings.CutPrefix(s, strings.ReplaceAll(algo, "-", "")+" ("); ok {
			// BSD form: SHA512 (file) = hex
			f, d, ok := strings.Cut(rest, ") = ")
			if !ok {
				return perr(ln, col, fmt.Errorf("malformed BSD-style line %q", distClip(s)))
			}
			file, hexPart, explicit = f, strings.TrimSpace(d), true
			col = indent + 1 + strings.Index(s, ") = ") + 4
		} else {
			hexPart = s
			if j := strings.IndexAny(s, " \t"); j >= 0 {
				hexPart = s[:j]
				file = strings.TrimLeft(s[j:], " \t")
				file = strings.TrimPrefix(file, "*")
				explicit = file != ""
			}
		}
		if len(hexPart) != 2*size {
			return perr(ln, col, fmt.Errorf("%s digest has %d characters, want %d hex digits", algo, len(hexPart), 2*size))
		}
		d, err := hex.DecodeString(hexPart)
		if err != nil {
			return perr(ln, col, fmt.Errorf("%s digest is not hexadecimal: %q", algo, distClip(hexPart)))
		}
		lines = append(lines, sumLine{digest: d, file: file, line: ln, explicit: explicit})
	}
	if len(lines) == 0 {
		return perr(1, 1, fmt.Errorf("empty %s sum file", algo))
	}

	base := distBaseName(name)
	var pick *sumLine
	switch {
	case len(lines) == 1:
		pick = &lines[0]
		if pick.explicit && base != "" && distBaseName(pick.file) != base {
			return fmt.Errorf("%w: %s: the %s file is for %q, not %q", ErrChecksumMismatch, name, algo, distClip(pick.file), base)
		}
	default:
		for i := range lines {
			if lines[i].explicit && distBaseName(lines[i].file) == base {
				pick = &lines[i]
				break
			}
		}
		if pick == nil {
			return fmt.Errorf("%w: %s: the %s file has %d lines, none for %q", ErrChecksumMismatch, name, algo, len(lines), base)
		}
	}
	h.Write(doc)
	got := h.Sum(nil)
	if !bytes.Equal(got, pick.digest) {
		return fmt.Errorf("%w: %s: the %s file (line %d) says %s…, the document hashes to %s…",
			ErrChecksumMismatch, name, algo, pick.line, hex.EncodeToString(pick.digest)[:16], hex.EncodeToString(got)[:16])
	}
	return nil
}
