package csaffeed

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/jsonin"
	"github.com/sigwatch/sigwatch/internal/sniff"
)

// DistributionMaxBytes is the size limit of ParseProviderMetadata,
// ParseROLIE and ParseChanges: 64 MiB. CISA's OT feed (2,379 entries) is
// 2.6 MB and Red Hat's full changes.csv is a few MB.
const DistributionMaxBytes = 64 << 20

// ErrChecksumMismatch reports a document whose hash differs from the one in
// its .sha512 / .sha256 file, or a hash file that names another document.
var ErrChecksumMismatch = errors.New("csaffeed: checksum mismatch")

// distPrefix adds the package name to errors that do not carry a position.
func distPrefix(err error) error {
	var pe *feeds.ParseError
	if err == nil || errors.As(err, &pe) {
		return err
	}
	return fmt.Errorf("csaffeed: %w", err)
}

// distTopLevel returns the first byte of data after a byte order mark and
// whitespace, 0 when there is none.
func distTopLevel(data []byte) byte {
	b := sniff.TrimLeft(data)
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// distTLPLabel maps a TLP label as written in CSAF distribution files
// (TLP 1.0 names in CSAF 2.0: WHITE, GREEN, AMBER, RED, UNLABELED; TLP 2.0
// CLEAR and AMBER+STRICT are accepted too) to a feeds.TLP. ok is false for
// an empty or unknown label. UNLABELED maps to feeds.TLPUnspecified with ok
// true.
func distTLPLabel(label string) (feeds.TLP, bool) {
	if strings.EqualFold(strings.TrimSpace(label), "UNLABELED") {
		return feeds.TLPUnspecified, true
	}
	return feeds.ParseTLP(label)
}

var distFileNameRun = regexp.MustCompile(`[^+\-a-z0-9]+`)

// FileName returns the file name the CSAF 2.0 specification (section 5.1)
// prescribes for a document with the given /document/tracking/id: the ID in
// lower case, every run of characters outside [+\-a-z0-9] replaced by "_",
// followed by ".json". FileName("ICSA-24-298-03") is "icsa-24-298-03.json";
// FileName("RHSA-2024:6220") is "rhsa-2024_6220.json".
func FileName(trackingID string) string {
	return distFileNameRun.ReplaceAllString(strings.ToLower(trackingID), "_") + ".json"
}

// distBaseName returns the last path element of a URL or file name, "" when
// there is none.
func distBaseName(name string) string {
	if u, err := url.Parse(name); err == nil && u.Scheme != "" {
		name = u.Path
	}
	name = strings.ReplaceAll(name, `\`, "/")
	b := path.Base(name)
	if b == "." || b == "/" {
		return ""
	}
	return b
}

// distClip shortens s for an error message.
func distClip(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// distCheckURL checks a URL value read from a distribution file: non-empty,
// parseable, and if absolute, http or https.
func distCheckURL(raw string) error {
	s := strings.TrimSpace(raw)
	if s == "" {
		return errors.New("empty URL")
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("invalid URL %q", distClip(raw))
	}
	if u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("URL %q: scheme %q not supported (want http or https)", distClip(raw), u.Scheme)
	}
	return nil
}

// distResolve resolves ref (as written in a distribution file) against the
// URL of the file that contains it. The result must be an absolute http or
// https URL.
func distResolve(base, ref string) (string, error) {
	r, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return "", fmt.Errorf("invalid URL %q", distClip(ref))
	}
	if !r.IsAbs() {
		b, err := url.Parse(base)
		if err != nil {
			return "", fmt.Errorf("invalid base URL %q", distClip(base))
		}
		r = b.ResolveReference(r)
	}
	if r.Scheme != "http" && r.Scheme != "https" || r.Host == "" {
		return "", fmt.Errorf("URL %q: want an absolute http or https URL", distClip(r.String()))
	}
	return r.String(), nil
}

// distCheckObject checks that data, a JSON document that has decoded
// without error, is an object (and not, say, null).
func distCheckObject(data []byte, name, what string) error {
	if c := distTopLevel(data); c != '{' {
		return jsonin.ErrorAt(data, name, "", sniff.NotFeed("not a "+what+": want a JSON object"))
	}
	return nil
}
