package register

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// FileStore is a [Store] that keeps the register in one YAML or JSON file,
// for tools that keep the register as code in git. Create it with
// [NewFileStore].
//
// Get reads the file as [Load] does; a missing file is an empty store, and
// so is a file of zero bytes. A revision is the hex SHA-256 of the file's
// bytes, so an edit made behind the store's back (by hand, by git pull)
// changes the revision and a Put based on the older content fails with
// [ErrConflict]. Storing content identical to what the file holds gives the
// same revision again.
//
// Put writes the register with [Register.WriteYAML], or [Register.WriteJSON]
// when the path ends in ".json" (any case), to a temporary file in the same
// directory (".NAME.tmp-*"), syncs it to disk and renames it over the file,
// so readers see the old file or the new one, never a mix; a crash leaves at
// most a temporary file behind, which Get ignores. The file keeps its
// permission bits; a new file gets 0644. When the path is a symbolic link,
// the file it points to is replaced and the link kept.
//
// Limits:
//   - Put rewrites the file from the model: comments, key order and
//     formatting of a hand-written file are not kept.
//   - A FileStore serialises its own Puts with a mutex, so writers sharing
//     one FileStore never lose an update. Two processes, or two FileStore
//     values for the same file, can still race between Put's revision check
//     and its rename, and the later rename wins; share one FileStore within
//     a process and use one writer process (or a lock of your own) across
//     processes.
type FileStore struct {
	path string
	mu   sync.Mutex // held by Put from the revision check to the rename
}

// NewFileStore returns a store that keeps the register in the file at path.
// It does not touch the file; the directory must exist by the first Put.
func NewFileStore(path string) *FileStore {
	return &FileStore{path: path}
}

// Path returns the path of the file the store keeps.
func (s *FileStore) Path() string { return s.path }

// Get implements [Store]. Problems in the file are reported as [Load]
// reports them, an [ErrorList] naming the path and line.
func (s *FileStore) Get(ctx context.Context) (*Register, Revision, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", fmt.Errorf("register: get %s: %w", s.path, err)
	}
	data, err := readLimited(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return new(Register), "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("register: get: %w", err)
	}
	reg, err := parseStored(data, s.path)
	if err != nil {
		return nil, "", err
	}
	return reg, revisionOf(data), nil
}

// Put implements [Store].
func (s *FileStore) Put(ctx context.Context, r *Register, rev Revision) (Revision, error) {
	c, err := preparePut(ctx, r)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if strings.EqualFold(filepath.Ext(s.path), ".json") {
		err = c.WriteJSON(&buf)
	} else {
		err = c.WriteYAML(&buf)
	}
	if err != nil {
		return "", err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("register: put %s: %w", s.path, err)
	}
	target, err := resolveLink(s.path)
	if err != nil {
		return "", fmt.Errorf("register: put: %w", err)
	}
	cur, err := readLimited(target)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("register: put: %w", err)
	}
	var curRev Revision
	if exists {
		curRev = revisionOf(cur)
	}
	if rev != curRev {
		return "", conflict(rev, curRev)
	}
	mode := fs.FileMode(0o644)
	if exists {
		old, err := parseStored(cur, s.path)
		if err != nil {
			return "", fmt.Errorf("register: put %s: cannot check history against the stored file: %w", s.path, err)
		}
		if err := AppendOnly(old, c); err != nil {
			return "", err
		}
		if fi, err := os.Stat(target); err == nil {
			mode = fi.Mode().Perm()
		}
	}
	if err := writeAtomic(ctx, target, buf.Bytes(), mode); err != nil {
		return "", err
	}
	return revisionOf(buf.Bytes()), nil
}

// parseStored parses a stored file; zero bytes is an empty register.
func parseStored(data []byte, name string) (*Register, error) {
	if len(data) == 0 {
		return new(Register), nil
	}
	return Parse(bytes.NewReader(data), name)
}

// revisionOf returns the revision of a file's content.
func revisionOf(data []byte) Revision {
	sum := sha256.Sum256(data)
	return Revision(hex.EncodeToString(sum[:]))
}

// readLimited reads the file at path, up to one byte more than
// MaxFileSize, so that Parse reports an oversized file.
func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, MaxFileSize+1))
}

// resolveLink returns the file a symbolic link at path points to (through
// any chain of links), or path itself. A link to a missing file resolves to
// that file, so a Put creates it.
func resolveLink(path string) (string, error) {
	for range 40 { // the usual limit on links followed
		fi, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		dest, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(path), dest)
		}
		path = dest
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", path)
}

// writeAtomic replaces the file at path with data: a temporary file in the
// same directory, written, synced and renamed over path. ctx is checked
// last before the rename; once renamed the data is stored.
func writeAtomic(ctx context.Context, path string, data []byte, mode fs.FileMode) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("register: put: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("register: put: %w", err)
	}
	if err := f.Chmod(mode); err != nil {
		return fmt.Errorf("register: put: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("register: put: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("register: put: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("register: put %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("register: put: %w", err)
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename in dir durable where the system supports it. It is
// best effort: the rename has happened, so a failure here does not undo the
// Put.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	d.Close()
}
