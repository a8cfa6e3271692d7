package register_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/sigwatch/sigwatch/register"
	"github.com/sigwatch/sigwatch/register/registertest"
)

func TestMemoryStoreConforms(t *testing.T) {
	t.Run("New", func(t *testing.T) {
		registertest.Run(t, func(t *testing.T) register.Store {
			s, err := register.NewMemoryStore(nil)
			if err != nil {
				t.Fatal(err)
			}
			return s
		})
	})
	t.Run("ZeroValue", func(t *testing.T) {
		registertest.Run(t, func(t *testing.T) register.Store { return new(register.MemoryStore) })
	})
}

func TestFileStoreConforms(t *testing.T) {
	for _, name := range []string{"register.yaml", "register.json"} {
		t.Run(strings.ReplaceAll(name, ".", "_"), func(t *testing.T) {
			registertest.Run(t, func(t *testing.T) register.Store {
				return register.NewFileStore(filepath.Join(t.TempDir(), name))
			})
		})
	}
}

// sample is a small valid register with one group that has a review,
// an engagement and a notification.
func sample() *register.Register {
	return &register.Register{
		People: []register.Person{
			{ID: "akhan", Name: "Aisha Khan", Technical: true},
			{ID: "jlee", Name: "James Lee", Technical: true},
		},
		Groups: []register.Group{
			{
				ID: "cisa-kev", Name: "CISA KEV", Kind: register.KindGovernmentCERT, Owner: "akhan", Backup: "jlee",
				Review: register.Review{Records: []register.ReviewRecord{
					{Date: register.NewDate(2024, 11, 4), By: "akhan", Outcome: register.OutcomeKeep, Notes: "first"},
					{Date: register.NewDate(2025, 11, 2), By: "jlee", Outcome: register.OutcomeChange, Notes: "second"},
				}},
				Engagements: []register.Engagement{
					{Date: register.NewDate(2025, 6, 12), Kind: "webinar", Who: []string{"akhan"}, Notes: "KEV update", TLP: "CLEAR"},
				},
				Notifications: []register.Notification{
					{Event: register.NotifiedJoined, Date: register.NewDate(2024, 3, 5), Authority: "FCA", Ref: "case 1"},
				},
			},
			{ID: "quiet", Name: "A group without history", Kind: register.KindMailingList},
		},
	}
}

func TestNewMemoryStore(t *testing.T) {
	ctx := context.Background()
	bad := sample()
	bad.Groups[0].Owner = "nobody"
	_, err := register.NewMemoryStore(bad)
	var list register.ErrorList
	if !errors.As(err, &list) || !strings.Contains(err.Error(), `groups[0].owner: unknown person "nobody"`) {
		t.Errorf("NewMemoryStore(invalid): got error %v, want the ErrorList naming groups[0].owner", err)
	}

	in := sample()
	s, err := register.NewMemoryStore(in)
	if err != nil {
		t.Fatal(err)
	}
	in.Groups[0].Review.Records[0].Notes = "changed by the caller"
	got, rev, err := s.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rev != "1" {
		t.Errorf("revision %q, want \"1\"", rev)
	}
	if diff := cmp.Diff(sample(), got); diff != "" {
		t.Errorf("Get after changing the initial register (-want +got):\n%s", diff)
	}
	rev2, err := s.Put(ctx, got, rev)
	if err != nil || rev2 != "2" {
		t.Errorf("Put: revision %q, error %v; want \"2\", nil", rev2, err)
	}
}

// TestMemoryStoreIsolationEveryField changes every value of registers
// passed in and out, field by field through reflection, so a field added
// to the model later is covered too.
func TestMemoryStoreIsolationEveryField(t *testing.T) {
	ctx := context.Background()
	for i, want := range []*register.Register{sample(), fullRegister(t)} {
		s, err := register.NewMemoryStore(nil)
		if err != nil {
			t.Fatal(err)
		}
		want, in := clone(t, want), clone(t, want)
		rev, err := s.Put(ctx, in, "")
		if err != nil {
			t.Fatal(err)
		}
		n := scribble(reflect.ValueOf(in).Elem())
		out, _, err := s.Get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, out); diff != "" {
			t.Errorf("register %d: Get after changing the Put argument (%d values) (-want +got):\n%s", i, n, diff)
		}
		scribble(reflect.ValueOf(out).Elem())
		again, rev2, err := s.Get(ctx)
		if err != nil || rev2 != rev {
			t.Fatalf("Get: revision %q, error %v", rev2, err)
		}
		if diff := cmp.Diff(want, again); diff != "" {
			t.Errorf("register %d: Get after changing a returned register (-want +got):\n%s", i, diff)
		}
		if n < 50 && i == 1 {
			t.Errorf("only %d values changed in the full register; the scribbler misses fields", n)
		}
	}
}

// fullRegister is the repository's rich fixture.
func fullRegister(t *testing.T) *register.Register {
	t.Helper()
	r, err := register.Load("testdata/register.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func clone(t *testing.T, r *register.Register) *register.Register {
	t.Helper()
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	c, err := register.Parse(&b, "clone.json")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// scribble changes every settable value reachable from v and returns how
// many it changed.
func scribble(v reflect.Value) int {
	if v.Type() == reflect.TypeFor[register.Date]() {
		v.Set(reflect.ValueOf(v.Interface().(register.Date).AddPeriod(register.Period{Days: 1})))
		return 1
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "~")
		return 1
	case reflect.Bool:
		v.SetBool(!v.Bool())
		return 1
	case reflect.Int:
		v.SetInt(v.Int() + 1)
		return 1
	case reflect.Pointer:
		if v.IsNil() {
			return 0
		}
		return scribble(v.Elem())
	case reflect.Slice:
		n := 0
		for i := range v.Len() {
			n += scribble(v.Index(i))
		}
		return n
	case reflect.Struct:
		n := 0
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				n += scribble(f)
			}
		}
		return n
	}
	panic(fmt.Sprintf("scribble: unhandled %s", v.Type()))
}

func TestAppendOnly(t *testing.T) {
	edit := func(fn func(r *register.Register)) *register.Register {
		r := sample()
		fn(r)
		return r
	}
	retired := func() *register.Register {
		r := sample()
		g := &r.Groups[0]
		g.Review.Records = append(g.Review.Records, register.ReviewRecord{Date: register.NewDate(2026, 1, 5), By: "akhan", Outcome: register.OutcomeRetire})
		return r
	}
	tests := []struct {
		name     string
		old, new *register.Register
		want     string // "" for no error
	}{
		{"unchanged", sample(), sample(), ""},
		{"nil old", nil, sample(), ""},
		{"empty old", &register.Register{}, sample(), ""},
		{"appended", sample(), edit(func(r *register.Register) {
			g := &r.Groups[0]
			g.Review.Records = append(g.Review.Records, register.ReviewRecord{Date: register.NewDate(2026, 1, 1), By: "akhan", Outcome: register.OutcomeKeep})
			g.Engagements = append(g.Engagements, register.Engagement{Date: register.NewDate(2026, 1, 2), Kind: "meeting"})
			g.Notifications = append(g.Notifications, register.Notification{Event: register.NotifiedLeft, Date: register.NewDate(2026, 1, 3), Authority: "FCA"})
		}), ""},
		{"inserted and reordered", sample(), edit(func(r *register.Register) {
			g := &r.Groups[0]
			g.Review.Records = []register.ReviewRecord{
				g.Review.Records[1],
				{Date: register.NewDate(2020, 1, 1), By: "jlee", Outcome: register.OutcomeKeep},
				g.Review.Records[0],
			}
		}), ""},
		{"other fields edited", sample(), edit(func(r *register.Register) {
			r.Groups[0].Name, r.Groups[0].Owner = "Renamed", "jlee"
			r.Groups[0].Review.Every = register.Period{Months: 6}
			r.People = r.People[:1]
		}), ""},
		{"outcome edited", sample(), edit(func(r *register.Register) { r.Groups[0].Review.Records[0].Outcome = register.OutcomeRetire }),
			`register: history records are append-only: group "cisa-kev": review record 2024-11-04 by akhan (keep) was edited`},
		{"review dropped", sample(), edit(func(r *register.Register) { r.Groups[0].Review.Records = r.Groups[0].Review.Records[1:] }),
			`group "cisa-kev": review record 2024-11-04 by akhan (keep) was removed`},
		{"review reattributed", sample(), edit(func(r *register.Register) { r.Groups[0].Review.Records[1].By = "akhan" }),
			`group "cisa-kev": review record 2025-11-02 by jlee (change) was removed`},
		{"engagement dropped", sample(), edit(func(r *register.Register) { r.Groups[0].Engagements = nil }),
			`group "cisa-kev": engagement 2025-06-12 webinar was removed`},
		{"engagement edited", sample(), edit(func(r *register.Register) { r.Groups[0].Engagements[0].Who = nil }),
			`group "cisa-kev": engagement 2025-06-12 webinar was edited`},
		{"notification edited", sample(), edit(func(r *register.Register) { r.Groups[0].Notifications[0].Ref = "" }),
			`group "cisa-kev": notification 2024-03-05 joined (FCA) was edited`},
		{"duplicate kept once", edit(func(r *register.Register) {
			r.Groups[0].Engagements = append(r.Groups[0].Engagements, r.Groups[0].Engagements[0])
		}), sample(), `group "cisa-kev": engagement 2025-06-12 webinar was edited`},
		{"group removed", sample(), edit(func(r *register.Register) { r.Groups = r.Groups[1:] }),
			`group "cisa-kev": removed with its review record 2024-11-04 by akhan (keep)`},
		{"group renamed", sample(), edit(func(r *register.Register) { r.Groups[0].ID = "kev" }),
			`group "cisa-kev": removed with`},
		{"nil new", sample(), nil, `group "cisa-kev": removed with`},
		{"group with engagements only removed", edit(func(r *register.Register) {
			r.Groups[0].Review.Records, r.Groups[0].Notifications = nil, nil
		}), edit(func(r *register.Register) { r.Groups = r.Groups[1:] }),
			`group "cisa-kev": removed with its engagement 2025-06-12 webinar`},
		{"group without history removed", sample(), edit(func(r *register.Register) { r.Groups = r.Groups[:1] }), ""},
		{"retired group removed", retired(), edit(func(r *register.Register) { r.Groups = r.Groups[1:] }), ""},
		{"retire review added in the same change", sample(), edit(func(r *register.Register) { r.Groups = r.Groups[1:] }), "removed with"},
		{"retired earlier, kept since", edit(func(r *register.Register) {
			// The latest review by date decides, not the last in the list.
			r.Groups[0].Review.Records[0].Outcome = register.OutcomeRetire
		}), edit(func(r *register.Register) { r.Groups = r.Groups[1:] }), "removed with"},
	}
	for _, tc := range tests {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			err := register.AppendOnly(tc.old, tc.new)
			if tc.want == "" {
				if err != nil {
					t.Errorf("AppendOnly: %v", err)
				}
				return
			}
			if !errors.Is(err, register.ErrHistory) {
				t.Fatalf("AppendOnly: got %v, want an error wrapping ErrHistory", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("AppendOnly: got %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestAppendOnlyEveryField edits each field of each kind of history
// record in turn; every edit must be refused. Fields are enumerated by
// reflection, so a field added to a record type is covered too.
func TestAppendOnlyEveryField(t *testing.T) {
	records := []struct {
		name  string
		field func(r *register.Register) reflect.Value // the record, settable
	}{
		{"review", func(r *register.Register) reflect.Value {
			return reflect.ValueOf(&r.Groups[0].Review.Records[1]).Elem()
		}},
		{"engagement", func(r *register.Register) reflect.Value { return reflect.ValueOf(&r.Groups[0].Engagements[0]).Elem() }},
		{"notification", func(r *register.Register) reflect.Value { return reflect.ValueOf(&r.Groups[0].Notifications[0]).Elem() }},
	}
	for _, rec := range records {
		typ := rec.field(sample()).Type()
		for i := range typ.NumField() {
			for _, how := range []string{"changed", "cleared"} {
				name := rec.name + "_" + typ.Field(i).Name + "_" + how
				t.Run(name, func(t *testing.T) {
					r := sample()
					f := rec.field(r).Field(i)
					if how == "cleared" {
						if f.IsZero() {
							t.Skip("zero in the sample")
						}
						f.SetZero()
					} else if scribble(f) == 0 {
						t.Fatalf("cannot change field %s", typ.Field(i).Name)
					}
					err := register.AppendOnly(sample(), r)
					if !errors.Is(err, register.ErrHistory) || !strings.Contains(err.Error(), `group "cisa-kev": `+rec.name) {
						t.Errorf("AppendOnly: got %v, want ErrHistory naming group cisa-kev and a %s", err, rec.name)
					}
				})
			}
		}
	}
}

// countingStore wraps a MemoryStore: it counts calls and makes the first
// conflicts Puts fail with ErrConflict, or every Put fail with putErr.
type countingStore struct {
	*register.MemoryStore
	conflicts  int
	putErr     error
	gets, puts atomic.Int64
}

func (s *countingStore) Get(ctx context.Context) (*register.Register, register.Revision, error) {
	s.gets.Add(1)
	return s.MemoryStore.Get(ctx)
}

func (s *countingStore) Put(ctx context.Context, r *register.Register, rev register.Revision) (register.Revision, error) {
	if n := s.puts.Add(1); n <= int64(s.conflicts) {
		return "", fmt.Errorf("test store: %w", register.ErrConflict)
	}
	if s.putErr != nil {
		return "", s.putErr
	}
	return s.MemoryStore.Put(ctx, r, rev)
}

func TestUpdate(t *testing.T) {
	ctx := context.Background()
	addReview := func(r *register.Register) error {
		g, ok := r.Group("quiet")
		if !ok {
			return errors.New("no group quiet")
		}
		g.Review.Records = append(g.Review.Records, register.ReviewRecord{Date: register.NewDate(2026, 1, 1), By: "akhan", Outcome: register.OutcomeKeep})
		return nil
	}
	newStore := func(t *testing.T, conflicts int, putErr error) *countingStore {
		m, err := register.NewMemoryStore(sample())
		if err != nil {
			t.Fatal(err)
		}
		return &countingStore{MemoryStore: m, conflicts: conflicts, putErr: putErr}
	}
	stored := func(t *testing.T, s register.Store) (int, register.Revision) {
		r, rev, err := s.Get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		g, _ := r.Group("quiet")
		return len(g.Review.Records), rev
	}

	t.Run("retries_conflicts", func(t *testing.T) {
		s := newStore(t, 4, nil)
		rev, err := register.Update(ctx, s, addReview)
		if err != nil {
			t.Fatalf("Update after 4 conflicts: %v", err)
		}
		if g, p := s.gets.Load(), s.puts.Load(); g != 5 || p != 5 {
			t.Errorf("%d Gets and %d Puts, want 5 each", g, p)
		}
		if n, cur := stored(t, s); n != 1 || cur != rev || rev != "2" {
			t.Errorf("%d reviews at revision %q (Update returned %q), want 1 at \"2\"", n, cur, rev)
		}
	})
	t.Run("gives_up", func(t *testing.T) {
		s := newStore(t, 5, nil)
		_, err := register.Update(ctx, s, addReview)
		if !errors.Is(err, register.ErrConflict) || !strings.Contains(err.Error(), "gave up after 5 attempts") {
			t.Errorf("Update after 5 conflicts: got %v, want ErrConflict after 5 attempts", err)
		}
		if n, _ := stored(t, s); n != 0 || s.puts.Load() != 5 {
			t.Errorf("%d reviews stored after %d Puts, want 0 after 5", n, s.puts.Load())
		}
	})
	t.Run("fn_error", func(t *testing.T) {
		s := newStore(t, 0, nil)
		boom := errors.New("boom")
		_, err := register.Update(ctx, s, func(r *register.Register) error {
			r.Groups = nil
			return boom
		})
		if err != boom {
			t.Errorf("Update: got %v, want fn's error unchanged", err)
		}
		if s.puts.Load() != 0 {
			t.Errorf("Update called Put after fn failed")
		}
	})
	t.Run("other_put_error", func(t *testing.T) {
		disk := errors.New("disk full")
		s := newStore(t, 0, disk)
		if _, err := register.Update(ctx, s, addReview); !errors.Is(err, disk) || s.puts.Load() != 1 {
			t.Errorf("Update: got %v after %d Puts, want the Put error after 1", err, s.puts.Load())
		}
	})
	t.Run("history_error", func(t *testing.T) {
		s := newStore(t, 0, nil)
		_, err := register.Update(ctx, s, func(r *register.Register) error {
			r.Groups[0].Review.Records = nil
			return nil
		})
		if !errors.Is(err, register.ErrHistory) || s.puts.Load() != 1 {
			t.Errorf("Update: got %v after %d Puts, want ErrHistory after 1", err, s.puts.Load())
		}
	})
	t.Run("cancelled_while_waiting", func(t *testing.T) {
		s := newStore(t, 1000, nil)
		cctx, cancel := context.WithCancel(ctx)
		calls := 0
		_, err := register.Update(cctx, s, func(r *register.Register) error {
			if calls++; calls == 2 {
				cancel()
			}
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Update: got %v, want context.Canceled", err)
		}
		if calls != 2 {
			t.Errorf("fn called %d times, want 2", calls)
		}
	})
}

func sha256Hex(b []byte) register.Revision {
	sum := sha256.Sum256(b)
	return register.Revision(hex.EncodeToString(sum[:]))
}

func TestFileStoreRevisionIsFileHash(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "register.yaml")
	s := register.NewFileStore(path)
	if s.Path() != path {
		t.Errorf("Path() = %q", s.Path())
	}
	rev, err := s.Put(ctx, sample(), "")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := sha256Hex(data); rev != want {
		t.Errorf("revision %s, want the SHA-256 of the file %s", rev, want)
	}
	// Storing the same content again gives the same revision.
	if rev2, err := s.Put(ctx, sample(), rev); err != nil || rev2 != rev {
		t.Errorf("Put of the same content: revision %s, error %v; want %s", rev2, err, rev)
	}
}

func TestFileStoreEditedBehindItsBack(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "register.yaml")
	s := register.NewFileStore(path)
	rev, err := s.Put(ctx, sample(), "")
	if err != nil {
		t.Fatal(err)
	}
	// Someone edits the file by hand (or git pulls): a comment only.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := append([]byte("# reviewed by hand\n"), data...)
	if err := os.WriteFile(path, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	changed := sample()
	changed.Groups[1].Name = "Renamed"
	if _, err := s.Put(ctx, changed, rev); !errors.Is(err, register.ErrConflict) {
		t.Fatalf("Put with the revision from before the edit: got %v, want ErrConflict", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, edited) {
		t.Errorf("the conflicting Put changed the file")
	}
	got, rev2, err := s.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rev2 != sha256Hex(edited) || rev2 == rev {
		t.Errorf("revision after the edit %s, want %s", rev2, sha256Hex(edited))
	}
	if diff := cmp.Diff(sample(), got); diff != "" {
		t.Errorf("Get after the edit (-want +got):\n%s", diff)
	}
	// With the new revision the Put goes through; comments are not kept.
	if _, err := s.Put(ctx, changed, rev2); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); bytes.Contains(data, []byte("# reviewed by hand")) {
		t.Errorf("Put kept the comment; the documentation says it does not")
	}
}

func TestFileStoreLeftoverTempFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "register.yaml")
	// What a Put that crashed before its rename leaves behind.
	leftover := filepath.Join(dir, ".register.yaml.tmp-123456")
	if err := os.WriteFile(leftover, []byte("people: [{id: half-writ"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := register.NewFileStore(path)
	r, rev, err := s.Get(ctx)
	if err != nil || rev != "" || len(r.Groups) != 0 {
		t.Fatalf("Get with only a leftover temp file: %d groups, revision %q, error %v; want an empty store", len(r.Groups), rev, err)
	}
	rev, err = s.Put(ctx, sample(), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, rev2, err := s.Get(ctx); err != nil || rev2 != rev {
		t.Errorf("Get after Put: revision %q, error %v; want %q", rev2, err, rev)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{".register.yaml.tmp-123456", "register.yaml"}; !slicesEqual(names, want) {
		t.Errorf("directory holds %q, want %q (no temp file of our own left behind)", names, want)
	}
}

func slicesEqual(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }

func TestFileStoreFormats(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		json bool
	}{
		{"register.json", true},
		{"Register.JSON", true},
		{"register.yaml", false},
		{"register.yml", false},
		{"register.json.bak", false},
	} {
		t.Run(strings.ReplaceAll(tc.name, ".", "_"), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.name)
			want := fullRegister(t)
			if _, err := register.NewFileStore(path).Put(ctx, want, ""); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if isJSON := json.Valid(data) && data[0] == '{'; isJSON != tc.json {
				t.Errorf("file is JSON: %v, want %v; it starts %q", isJSON, tc.json, data[:min(40, len(data))])
			}
			got, err := register.Load(path)
			if err != nil {
				t.Fatalf("Load of the written file: %v", err)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Load of the written file (-want +got):\n%s", diff)
			}
			if runtime.GOOS != "windows" {
				if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
					t.Errorf("new file mode %v, error %v; want 0644", fi.Mode().Perm(), err)
				}
			}
		})
	}
}

func TestFileStoreFiles(t *testing.T) {
	ctx := context.Background()
	t.Run("empty_file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "register.yaml")
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		s := register.NewFileStore(path)
		r, rev, err := s.Get(ctx)
		// SHA-256 of no bytes, from FIPS 180-2 test vectors and sha256sum.
		const emptySum = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
		if err != nil || rev != emptySum || len(r.People)+len(r.Groups) != 0 {
			t.Fatalf("Get on an empty file: %v, revision %q, error %v", r, rev, err)
		}
		if _, err := s.Put(ctx, sample(), ""); !errors.Is(err, register.ErrConflict) {
			t.Errorf("Put as new over an empty file: got %v, want ErrConflict", err)
		}
		if _, err := s.Put(ctx, sample(), rev); err != nil {
			t.Errorf("Put with the empty file's revision: %v", err)
		}
	})
	t.Run("broken_file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "register.yaml")
		if err := os.WriteFile(path, []byte("people:\n  - id: akhan\n    nmae: Aisha\ngroups: []\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		s := register.NewFileStore(path)
		_, _, err := s.Get(ctx)
		var list register.ErrorList
		if !errors.As(err, &list) || !strings.Contains(err.Error(), path+":3:5:") {
			t.Errorf("Get on a broken file: got %v, want an ErrorList at %s:3:5", err, path)
		}
		data, _ := os.ReadFile(path)
		if _, err := s.Put(ctx, sample(), sha256Hex(data)); err == nil || !strings.Contains(err.Error(), "cannot check history") {
			t.Errorf("Put over a broken file: got %v, want an error saying history cannot be checked", err)
		}
	})
	t.Run("missing_directory", func(t *testing.T) {
		s := register.NewFileStore(filepath.Join(t.TempDir(), "no", "such", "register.yaml"))
		if _, err := s.Put(ctx, sample(), ""); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Put into a missing directory: got %v, want fs.ErrNotExist", err)
		}
	})
	t.Run("unreadable_path", func(t *testing.T) {
		dir := t.TempDir() // a directory where the file should be
		s := register.NewFileStore(dir)
		if _, _, err := s.Get(ctx); err == nil {
			t.Errorf("Get on a directory: no error")
		}
		if _, err := s.Put(ctx, sample(), ""); err == nil {
			t.Errorf("Put on a directory: no error")
		}
	})
	t.Run("mode_kept", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("no Unix permission bits")
		}
		path := filepath.Join(t.TempDir(), "register.yaml")
		s := register.NewFileStore(path)
		rev, err := s.Put(ctx, sample(), "")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Put(ctx, fullRegisterLike(), rev); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("mode after Put %v, error %v; want 0600 kept", fi.Mode().Perm(), err)
		}
	})
	t.Run("symlink_kept", func(t *testing.T) {
		dir := t.TempDir()
		real := filepath.Join(dir, "repo", "register.yaml")
		if err := os.Mkdir(filepath.Dir(real), 0o755); err != nil {
			t.Fatal(err)
		}
		link := filepath.Join(dir, "current.yaml")
		if err := os.Symlink(filepath.Join("repo", "register.yaml"), link); err != nil {
			t.Skip("no symbolic links here:", err)
		}
		s := register.NewFileStore(link)
		rev, err := s.Put(ctx, sample(), "") // creates the link's target
		if err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Fatalf("the link was replaced: %v, %v", fi, err)
		}
		data, err := os.ReadFile(real)
		if err != nil || sha256Hex(data) != rev {
			t.Errorf("the link's target does not hold the register: %v", err)
		}
		if _, err := s.Put(ctx, fullRegisterLike(), rev); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("the second Put replaced the link")
		}
	})
	t.Run("two_stores_see_each_other", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "register.yaml")
		a, b := register.NewFileStore(path), register.NewFileStore(path)
		rev, err := a.Put(ctx, sample(), "")
		if err != nil {
			t.Fatal(err)
		}
		if _, revB, err := b.Get(ctx); err != nil || revB != rev {
			t.Fatalf("second store: revision %q, error %v; want %q", revB, err, rev)
		}
		if _, err := b.Put(ctx, fullRegisterLike(), rev); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Put(ctx, sample(), rev); !errors.Is(err, register.ErrConflict) {
			t.Errorf("first store with its old revision: got %v, want ErrConflict", err)
		}
	})
}

// fullRegisterLike is sample() with one more review, a valid successor.
func fullRegisterLike() *register.Register {
	r := sample()
	g := &r.Groups[1]
	g.Review.Records = append(g.Review.Records, register.ReviewRecord{Date: register.NewDate(2026, 2, 1), By: "jlee", Outcome: register.OutcomeKeep})
	return r
}

// FuzzFileStoreRoundTrip stores whatever register a file holds back into
// it: a register that Get reads must Put back unchanged (it is valid and
// keeps its own history) and read back equal.
func FuzzFileStoreRoundTrip(f *testing.F) {
	for _, p := range []string{"testdata/register.yaml", "testdata/register.json"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, strings.HasSuffix(p, ".json"))
		}
	}
	var b bytes.Buffer
	if err := sample().WriteYAML(&b); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes(), false)
	f.Add([]byte("people: []\ngroups: []\n"), false)
	f.Add([]byte(""), true)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte, asJSON bool) {
		name := "register.yaml"
		if asJSON {
			name = "register.json"
		}
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		s := register.NewFileStore(path)
		r, rev, err := s.Get(ctx)
		if err != nil {
			return
		}
		if rev != sha256Hex(data) {
			t.Fatalf("revision %s, want the file's SHA-256", rev)
		}
		rev2, err := s.Put(ctx, r, rev)
		if err != nil {
			t.Fatalf("Put back of the register Get read: %v", err)
		}
		got, rev3, err := s.Get(ctx)
		if err != nil {
			t.Fatalf("Get after Put: %v", err)
		}
		if rev3 != rev2 {
			t.Errorf("Get after Put: revision %s, Put returned %s", rev3, rev2)
		}
		if diff := cmp.Diff(r, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("register changed by Put and Get (-before +after):\n%s", diff)
		}
	})
}

// Record a review with Update; an attempt to rewrite it afterwards is
// refused, because reviews are audit records.
func ExampleUpdate() {
	ctx := context.Background()
	store, err := register.NewMemoryStore(&register.Register{
		People: []register.Person{{ID: "akhan", Name: "Aisha Khan", Technical: true}},
		Groups: []register.Group{{ID: "cisa-kev", Name: "CISA KEV", Kind: register.KindGovernmentCERT, Owner: "akhan"}},
	})
	if err != nil {
		log.Fatal(err)
	}

	rev, err := register.Update(ctx, store, func(r *register.Register) error {
		g, ok := r.Group("cisa-kev")
		if !ok {
			return errors.New("no group cisa-kev")
		}
		g.Review.Records = append(g.Review.Records, register.ReviewRecord{
			Date: register.NewDate(2025, time.November, 2), By: "akhan", Outcome: register.OutcomeKeep,
		})
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("stored revision", rev)

	_, err = register.Update(ctx, store, func(r *register.Register) error {
		g, _ := r.Group("cisa-kev")
		g.Review.Records[0].Outcome = register.OutcomeRetire
		return nil
	})
	fmt.Println(errors.Is(err, register.ErrHistory))
	fmt.Println(err)

	r, rev, err := store.Get(ctx)
	if err != nil {
		log.Fatal(err)
	}
	g, _ := r.Group("cisa-kev")
	last, _ := g.Review.Last()
	fmt.Printf("revision %s: last review %s by %s, %s\n", rev, last.Date, last.By, last.Outcome)
	// Output:
	// stored revision 2
	// true
	// register: history records are append-only: group "cisa-kev": review record 2025-11-02 by akhan (keep) was edited
	// revision 2: last review 2025-11-02 by akhan, keep
}
