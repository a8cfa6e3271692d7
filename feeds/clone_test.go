package feeds

import (
	"reflect"
	"testing"
	"time"
)

// fill sets every field reachable from v to a non-zero value, so that a
// field added to Advisory later is covered by TestCloneIsDeep without
// editing the test.
func fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(1)
	case reflect.Float64:
		v.SetFloat(0.5)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth+1)
			}
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth+1)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), depth+1)
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		v.SetMapIndex(reflect.ValueOf("k"), reflect.ValueOf("v"))
	}
}

// shared reports the path of the first slice, map or pointer that a and b
// share.
func shared(a, b reflect.Value, path string) string {
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() {
			return ""
		}
		if a.Pointer() == b.Pointer() {
			return path
		}
		return shared(a.Elem(), b.Elem(), path)
	case reflect.Slice:
		if a.Len() == 0 {
			return ""
		}
		if a.Pointer() == b.Pointer() {
			return path
		}
		for i := range a.Len() {
			if p := shared(a.Index(i), b.Index(i), path+"[]"); p != "" {
				return p
			}
		}
	case reflect.Map:
		if !a.IsNil() && a.Pointer() == b.Pointer() {
			return path
		}
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() {
				if p := shared(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); p != "" {
					return p
				}
			}
		}
	}
	return ""
}

func TestCloneIsDeep(t *testing.T) {
	var a Advisory
	fill(reflect.ValueOf(&a).Elem(), 0)
	c := a.Clone()
	if !reflect.DeepEqual(a, c) {
		t.Fatal("clone differs from the original")
	}
	if p := shared(reflect.ValueOf(a), reflect.ValueOf(c), "Advisory"); p != "" {
		t.Errorf("%s is shared between the original and the clone", p)
	}
}

func TestParseTLP(t *testing.T) {
	for in, want := range map[string]TLP{
		"TLP:CLEAR": TLPClear, "white": TLPClear, " TLP:WHITE ": TLPClear, "tlp:green": TLPGreen,
		"AMBER": TLPAmber, "TLP:AMBER+STRICT": TLPAmberStrict, "Red": TLPRed,
	} {
		if got, ok := ParseTLP(in); !ok || got != want {
			t.Errorf("ParseTLP(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "TLP:", "amber-strict", "UNLABELED", "TLP:BLACK", "tlp"} {
		if got, ok := ParseTLP(in); ok || got != TLPUnspecified {
			t.Errorf("ParseTLP(%q) = %q, %v; want unknown", in, got, ok)
		}
	}
}
