package vercmp

import (
	"errors"
	"testing"
)

// TestGenericOrder checks the generic scheme on vendor strings. Expected
// orders come from the vendors' published release sequences (PAN-OS hotfix
// builds follow their base release, Ivanti 22.7R2.3 is a point release of
// 22.7R2, NetScaler 13.1-51.15 is a later build of 13.1, Exchange CU14
// follows CU13, Cisco IOS XE 17.3.1a is a rebuild of 17.3.1).
func TestGenericOrder(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"10.2.9", "10.2.9-h1", -1},
		{"10.2.9-h1", "10.2.9-h2", -1},
		{"10.2.9-h2", "10.2.10", -1},
		{"10.2.9-h12", "10.2.9-h2", 1},
		{"22.7R2", "22.7R2.3", -1},
		{"22.7R2.3", "22.7R3", -1},
		{"22.7", "22.7R1", -1},
		{"13.1-49.15", "13.1-51.15", -1},
		{"13.1-51.15", "14.1-4.42", -1},
		{"2019 CU13", "2019 CU14", -1},
		{"2019 CU14", "2019 cu14", 0},
		{"7.2.4", "7.2.4", 0},
		{"7.2.4", "7.2.10", -1},
		{"17.3.1", "17.3.1a", -1},
		{"17.3.1a", "17.3.2", -1},
		{"9.1.10", "9.1.10.1", -1},
		{"7.2", "7.2.0", 0},
		{"7.2.0.0", "7.2", 0},
		{"1.0-beta2", "1.0", -1},
		{"1.0-alpha1", "1.0-beta1", -1},
		{"1.0-rc1", "1.0-rc2", -1},
		{"1.0-beta", "1.0-rc1", -1},
		{"1.0a1", "1.0", -1},
		{"1.0a1", "1.0b1", -1},
		{"1.0-SNAPSHOT", "1.0", -1},
		{"1.0-rc1", "1.0-SNAPSHOT", -1},
		{"1.0.dev1", "1.0a1", -1},
		{"1.0", "1.0.1-beta", -1},
		{"1.0.0.beta", "1.0", -1},
		{"8.0", "8.0U2", -1},
		{"8.0U1", "8.0U2", -1},
		{"7.0U3n", "7.0U3o", -1},
		{"7.0U3o", "7.0U3p", -1},
		{"v1.2.3", "1.2.3", 0},
		{"V2", "1.9", 1},
		{"R81.10", "R81.20", -1},
		{"r34p0", "r40p0", -1},
		{"0001.2", "1.2", 0},
		{"99999999999999999999999", "100000000000000000000000", -1},
		{"1_0_1", "1.0.1", 0},
		{"1.0+build", "1.0", 1},
		{"1.0 beta 2", "1.0", -1},
	} {
		got, err := Compare(Generic(), tt.a, tt.b)
		if err != nil {
			t.Errorf("Compare(%q, %q): %v", tt.a, tt.b, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Compare(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if back, _ := Compare(Generic(), tt.b, tt.a); back != -tt.want {
			t.Errorf("Compare(%q, %q) = %d, want %d", tt.b, tt.a, back, -tt.want)
		}
	}
}

// TestGenericIncomparable lists the pairs the generic scheme refuses to
// order: a number in one version where the other has a word that is not a
// pre-release word.
func TestGenericIncomparable(t *testing.T) {
	for _, tt := range [][2]string{
		{"22.7R2", "22.7.1"},
		{"10.2.9-h1", "10.2.9.1"},
		{"2019 CU14", "2019.1"},
		{"7.0U3", "7.0.3"},
		{"1.0.h", "1.0.0"},
		{"R81", "81"},
	} {
		for _, p := range [][2]string{tt, {tt[1], tt[0]}} {
			_, err := Compare(Generic(), p[0], p[1])
			if !errors.Is(err, ErrIncomparable) {
				t.Errorf("Compare(%q, %q) error = %v, want ErrIncomparable", p[0], p[1], err)
			}
		}
	}
}

func TestGenericInvalid(t *testing.T) {
	long := make([]byte, MaxVersionLen+1)
	for i := range long {
		long[i] = '1'
	}
	for _, s := range []string{
		"", " ", "\t", "*", "n/a", "N/A", "-", "unspecified", "unknown", "all", "All",
		"latest", "beta", "x", "5.x", "8.1.x", "1.2.*", "5.9.2.14-12o and older versions",
		"Apache Flink 1.11.0", "1.0\t2", "1.0\n", "1.2(3)", "1.2/3", "1.2,3", "caf\u00e9 1",
		"1.0;2", "log4j-core*", string(long),
	} {
		_, err := Generic().Parse(s)
		if !errors.Is(err, ErrInvalidVersion) {
			t.Errorf("Parse(%q) error = %v, want ErrInvalidVersion", s, err)
		}
	}
}

func TestGenericOtherScheme(t *testing.T) {
	g, _ := Generic().Parse("1.0")
	s, _ := SemVer().Parse("1.0.0")
	if _, err := g.Compare(s); !errors.Is(err, ErrIncomparable) {
		t.Errorf("generic vs SemVer: %v, want ErrIncomparable", err)
	}
}

// FuzzGeneric checks that Parse never panics and that Compare is
// antisymmetric, reflexive and, over three parseable inputs whose pairs
// are all comparable, transitive.
func FuzzGeneric(f *testing.F) {
	for _, s := range []string{"10.2.9-h1", "22.7R2.3", "13.1-49.15", "2019 CU14", "7.2.4", "17.3.1a", "9.1.10.1", "1.0-beta2", "1.0a1", "v1.2", "7.0U3o", "1.0.0.0"} {
		f.Add(s, "1.0", "10.2.9")
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		va, errA := Generic().Parse(a)
		vb, errB := Generic().Parse(b)
		vc, errC := Generic().Parse(c)
		if errA != nil || errB != nil || errC != nil {
			return
		}
		if d, err := va.Compare(va); err != nil || d != 0 {
			t.Fatalf("Compare(%q, itself) = %d, %v", a, d, err)
		}
		ab, errAB := va.Compare(vb)
		ba, errBA := vb.Compare(va)
		if (errAB == nil) != (errBA == nil) {
			t.Fatalf("errors not symmetric for %q, %q: %v / %v", a, b, errAB, errBA)
		}
		if errAB == nil && ab != -ba {
			t.Fatalf("Compare(%q, %q) = %d but Compare(%q, %q) = %d", a, b, ab, b, a, ba)
		}
		bc, errBC := vb.Compare(vc)
		ac, errAC := va.Compare(vc)
		if errAB != nil || errBC != nil || errAC != nil {
			return
		}
		switch {
		case ab <= 0 && bc <= 0 && ac > 0,
			ab >= 0 && bc >= 0 && ac < 0,
			ab == 0 && bc == 0 && ac != 0:
			t.Fatalf("not transitive: %q ? %q = %d, %q ? %q = %d, %q ? %q = %d", a, b, ab, b, c, bc, a, c, ac)
		}
	})
}
