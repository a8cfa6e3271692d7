package evidence

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// WriteZip writes the pack in dir to w as a zip archive and checks it on
// the way. m is the pack's manifest, as WritePack returned it; nil reads
// dir/manifest.json (which must parse, see [VerifyPack]).
//
// The archive holds the files of the pack and nothing else: those of the
// manifest, manifest.json, SHA256SUMS and, for a signed pack,
// manifest.json.sig and manifest.pub.pem. Each file is listed under one
// folder named after dir (its base name; for "." or "/" the base name of
// the absolute path, or "sigwatch-evidence"), so that `unzip` recreates a
// folder in which `sha256sum -c SHA256SUMS` passes. It is deterministic:
// entries sorted by name, each deflated, with mode 0644 and dated at the
// manifest's as-of instant (truncated to the 2 s the zip format keeps; a
// date before 1980, which the format cannot hold, becomes 1980-01-01), so
// the same pack gives the same bytes.
//
// Files are streamed, never read whole. SHA256SUMS must list every other
// file of the archive, with the manifest's hash for the files the manifest
// lists; a file whose SHA-256 differs from those makes WriteZip fail naming
// it, after its entry was written: a pack changed since it was made — a
// data file, manifest.json or the signature — is not packaged. The archive written to
// w is then incomplete; write to a temporary file and rename it into place
// on success. Errors start with "evidence: zip: " and name the file.
func WriteZip(w io.Writer, dir string, m *Manifest) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("evidence: zip: %w", err)
	}
	defer root.Close()
	if m == nil {
		data, err := readSmall(root, FileManifest, maxManifestBytes)
		if err != nil {
			return fmt.Errorf("evidence: zip: %s %w", filepath.Join(dir, FileManifest), err)
		}
		var problems []PackProblem
		if m, problems = parseManifest(data); len(problems) > 0 {
			return fmt.Errorf("evidence: zip: %s: %s", filepath.Join(dir, FileManifest), problems[0])
		}
	}

	want := map[string]string{} // name → SHA-256 the manifest gives, "" for none
	for _, f := range m.Files {
		if !plainName(f.Name) {
			return fmt.Errorf("evidence: zip: manifest file name %q is not a plain name inside the pack directory", clip(f.Name))
		}
		want[f.Name] = f.SHA256
	}
	want[FileManifest], want[FileSHA256SUMS] = "", ""
	if m.Signature != nil {
		want[FileSignature], want[FilePublicKey] = "", ""
	}
	// SHA256SUMS must vouch for every other file of the archive, with the
	// hash the manifest gives where it gives one: the manifest and the
	// signature files are then checked against it as they are zipped.
	sumsData, err := readSmall(root, FileSHA256SUMS, maxManifestBytes)
	if err != nil {
		return fmt.Errorf("evidence: zip: %s %w", filepath.Join(dir, FileSHA256SUMS), err)
	}
	sums, problems := parseSums(sumsData)
	if len(problems) > 0 {
		return fmt.Errorf("evidence: zip: %s", problems[0])
	}
	listed := map[string]string{}
	for _, l := range sums {
		listed[l.Name] = l.SHA256
	}
	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if name == FileSHA256SUMS {
			continue
		}
		sum, ok := listed[name]
		switch {
		case !ok:
			return fmt.Errorf("evidence: zip: %s does not list %s", filepath.Join(dir, FileSHA256SUMS), name)
		case want[name] == "":
			want[name] = sum
		case want[name] != sum:
			return fmt.Errorf("evidence: zip: %s: SHA256SUMS says %s, the manifest %s: the pack changed since it was written",
				filepath.Join(dir, name), sum, want[name])
		}
	}

	folder := zipFolder(dir)
	mod := m.AsOf.UTC().Truncate(2 * time.Second)
	if mod.Year() < 1980 {
		mod = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	zw := zip.NewWriter(w)
	for _, name := range names {
		if err := zipFile(zw, root, folder, name, mod, want[name]); err != nil {
			return fmt.Errorf("evidence: zip: %s: %w", filepath.Join(dir, name), err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("evidence: zip: %w", err)
	}
	return nil
}

func zipFile(zw *zip.Writer, root *os.Root, folder, name string, mod time.Time, wantSHA256 string) error {
	f, err := openRegular(root, name)
	if err != nil {
		return fmt.Errorf("the file %w", err)
	}
	defer f.Close()
	h := &zip.FileHeader{Name: folder + "/" + name, Method: zip.Deflate, Modified: mod}
	h.SetMode(0o644)
	fw, err := zw.CreateHeader(h)
	if err != nil {
		return err
	}
	sum := sha256.New()
	if _, err := io.Copy(io.MultiWriter(fw, sum), f); err != nil {
		return err
	}
	if got := hex.EncodeToString(sum.Sum(nil)); wantSHA256 != "" && got != wantSHA256 {
		return fmt.Errorf("SHA-256 %s differs from the manifest's and SHA256SUMS' %s: the file changed since the pack was written", got, wantSHA256)
	}
	return nil
}

// zipFolder names the archive's top folder after dir.
func zipFolder(dir string) string {
	clean := filepath.Clean(dir)
	switch filepath.Base(clean) {
	case ".", "..", string(filepath.Separator):
		if abs, err := filepath.Abs(clean); err == nil {
			clean = abs
		}
	}
	base := filepath.Base(clean)
	if base == "." || base == ".." || base == string(filepath.Separator) || !plainName(base) {
		return "sigwatch-evidence"
	}
	return base
}
