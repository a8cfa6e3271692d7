package kpi

import "reflect"

// Redacted returns a deep copy of r — no pointer, slice or map of the copy
// is shared with r — in which the advisory title of every listed case for
// which f returns ok is replaced by f's replacement. f is asked with the
// item's case ID (the Case field). A nil r gives nil; a nil f gives an
// unchanged copy.
//
// The lists that carry advisory titles are KPI 3's backlog, KPI 5's
// overdue and under-exception lists, and the same lists of the previous
// period in Trend; a test fails when a kpi type grows another such field
// without being covered here. Everything else stays: case and group IDs,
// counts, figures, definitions, and the input hashes, which were computed
// over the original cases and still prove them (they are digests, not
// text).
//
// kpi does not know TLP: the caller decides which cases to redact. The
// evidence package's RedactedTitles gives f for the cases its RedactCases
// redacted, with the same replacement title the other artefacts show.
func (r *Report) Redacted(f func(caseID string) (replacement string, ok bool)) *Report {
	if r == nil {
		return nil
	}
	out := deepCopy(reflect.ValueOf(r)).Interface().(*Report)
	if f == nil {
		return out
	}
	backlog := func(k *ReceiptToTriageResult) {
		if k == nil {
			return
		}
		for i := range k.Backlog {
			if t, ok := f(k.Backlog[i].Case); ok {
				k.Backlog[i].Title = t
			}
		}
	}
	overdue := func(k *TimeToActionResult) {
		if k == nil {
			return
		}
		for _, list := range [][]OverdueItem{k.Overdue, k.UnderException} {
			for i := range list {
				if t, ok := f(list[i].Case); ok {
					list[i].Title = t
				}
			}
		}
	}
	backlog(out.ReceiptToTriage)
	overdue(out.TimeToAction)
	if tr := out.Trend; tr != nil {
		backlog(tr.PreviousReceiptToTriage)
		overdue(tr.PreviousTimeToAction)
	}
	return out
}

// deepCopy returns a copy of v that shares no pointer, slice or map with
// it. Structs are copied whole (unexported fields by value: the report's
// types have none that refer to memory, and time.Time's location is
// immutable), then their exported fields deep-copied. A report has no
// cycles.
func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(deepCopy(v.Elem()))
		return p
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		s := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			s.Index(i).Set(deepCopy(v.Index(i)))
		}
		return s
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		m := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			m.SetMapIndex(deepCopy(it.Key()), deepCopy(it.Value()))
		}
		return m
	case reflect.Array:
		a := reflect.New(v.Type()).Elem()
		for i := range v.Len() {
			a.Index(i).Set(deepCopy(v.Index(i)))
		}
		return a
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		i := reflect.New(v.Type()).Elem()
		i.Set(deepCopy(v.Elem()))
		return i
	case reflect.Struct:
		s := reflect.New(v.Type()).Elem()
		s.Set(v)
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				s.Field(i).Set(deepCopy(v.Field(i)))
			}
		}
		return s
	}
	return v
}
