package evidence_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/ed25519"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sigwatch/sigwatch/evidence"
)

func writeZip(t *testing.T, dir string, m *evidence.Manifest) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := evidence.WriteZip(&b, dir, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// filesOf returns every file of dir by name.
func filesOf(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = data
	}
	return out
}

func TestWriteZip(t *testing.T) {
	for _, signed := range []bool{false, true} {
		t.Run(map[bool]string{false: "unsigned", true: "signed"}[signed], func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "pack-2026")
			var m *evidence.Manifest
			if signed {
				m = writeSignedFixturePack(t, dir, ed25519.NewKeyFromSeed(make([]byte, 32)))
			} else {
				m = writeFixturePack(t, dir)
			}
			// Something that is not part of the pack stays out of the zip.
			if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
				t.Fatal(err)
			}
			a := writeZip(t, dir, m)
			if b := writeZip(t, dir, m); !bytes.Equal(a, b) {
				t.Error("two zips of the same pack differ")
			}
			// The manifest read from dir gives the same archive.
			if b := writeZip(t, dir, nil); !bytes.Equal(a, b) {
				t.Error("the zip with the manifest read from dir differs")
			}

			// archive/zip reads back exactly the pack's files, sorted,
			// under one folder, dated at the as-of instant.
			files := filesOf(t, dir)
			delete(files, "notes.txt")
			zr, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range zr.File {
				name, ok := strings.CutPrefix(f.Name, "pack-2026/")
				if !ok {
					t.Errorf("entry %q is not under pack-2026/", f.Name)
				}
				names = append(names, name)
				if f.Method != zip.Deflate || f.Mode() != 0o644 || !f.Modified.Equal(m.AsOf) {
					t.Errorf("%s: method %d, mode %v, modified %s; want deflate, 0644, %s", f.Name, f.Method, f.Mode(), f.Modified, m.AsOf)
				}
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				body, err := io.ReadAll(rc)
				rc.Close()
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(body, files[name]) {
					t.Errorf("%s differs from the file", f.Name)
				}
			}
			want := make([]string, 0, len(files))
			for name := range files {
				want = append(want, name)
			}
			slices.Sort(want)
			if !slices.Equal(names, want) {
				t.Errorf("entries %v\nwant %v", names, want)
			}
			if signed && !slices.Contains(names, "manifest.json.sig") {
				t.Error("no signature in the zip of a signed pack")
			}

			// The system unzip tests the archive and extracts a folder in
			// which sha256sum -c passes and VerifyPack finds nothing wrong.
			if _, err := exec.LookPath("unzip"); err != nil {
				t.Log("no unzip on PATH: checked with archive/zip only")
				return
			}
			tmp := t.TempDir()
			zipPath := filepath.Join(tmp, "pack.zip")
			if err := os.WriteFile(zipPath, a, 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command("unzip", "-t", zipPath).CombinedOutput(); err != nil ||
				!strings.Contains(string(out), "No errors detected") {
				t.Errorf("unzip -t: %v\n%s", err, out)
			}
			out := filepath.Join(tmp, "out")
			if out, err := exec.Command("unzip", "-q", zipPath, "-d", out).CombinedOutput(); err != nil {
				t.Fatalf("unzip: %v\n%s", err, out)
			}
			extracted := filepath.Join(out, "pack-2026")
			checkSumsCover(t, extracted)
			rep, err := evidence.VerifyPack(context.Background(), extracted, nil)
			if err != nil || !rep.OK() || rep.Signed != signed {
				t.Errorf("VerifyPack of the extracted pack: %+v, %v", rep, err)
			}
		})
	}
}

func TestWriteZipRefusesChangedPack(t *testing.T) {
	dir := t.TempDir()
	m := writeFixturePack(t, dir)
	p := filepath.Join(dir, "response-log.csv")
	if err := os.WriteFile(p, []byte("changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := evidence.WriteZip(io.Discard, dir, m)
	if err == nil || !strings.HasPrefix(err.Error(), "evidence: zip: "+p+": SHA-256 ") {
		t.Errorf("error %v, want one naming %s", err, p)
	}
	os.Remove(p)
	err = evidence.WriteZip(io.Discard, dir, m)
	if err == nil || err.Error() != "evidence: zip: "+p+": the file is missing" {
		t.Errorf("error %v", err)
	}
	empty := t.TempDir()
	err = evidence.WriteZip(io.Discard, empty, nil)
	if err == nil || err.Error() != "evidence: zip: "+filepath.Join(empty, "manifest.json")+" is missing" {
		t.Errorf("no manifest: %v", err)
	}
}

// TestWriteZipOldAsOf: zip dates start in 1980.
func TestWriteZipOldAsOf(t *testing.T) {
	dir := t.TempDir()
	m := writeFixturePack(t, dir)
	old := *m
	old.AsOf = time.Date(1975, 5, 1, 0, 0, 0, 0, time.UTC)
	data := writeZip(t, dir, &old)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if got := zr.File[0].Modified; !got.Equal(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("modified %s", got)
	}
}
