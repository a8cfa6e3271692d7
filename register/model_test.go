package register

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestMembershipActiveAt(t *testing.T) {
	day := func(s string) Date {
		d, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	m := Membership{Status: MembershipActive, Since: day("2024-03-01"), Until: day("2025-02-28")}
	tests := []struct {
		name string
		m    Membership
		d    string
		want bool
	}{
		{"before_start", m, "2024-02-29", false},
		{"first_day", m, "2024-03-01", true},
		{"during", m, "2024-10-01", true},
		{"last_day", m, "2025-02-28", true},
		{"after_end", m, "2025-03-01", false},
		{"no_dates", Membership{Status: MembershipActive}, "2000-01-01", true},
		{"open_ended", Membership{Status: MembershipActive, Since: day("2024-03-01")}, "2099-01-01", true},
		{"no_start", Membership{Status: MembershipActive, Until: day("2024-03-01")}, "2024-03-02", false},
		{"applied", Membership{Status: MembershipApplied, Since: day("2024-03-01")}, "2024-06-01", false},
		{"lapsed", Membership{Status: MembershipLapsed, Since: day("2024-03-01")}, "2024-06-01", false},
		{"ended", Membership{Status: MembershipEnded}, "2024-06-01", false},
		{"no_status", Membership{}, "2024-06-01", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.ActiveAt(day(tt.d)); got != tt.want {
				t.Errorf("ActiveAt(%s) = %v, want %v", tt.d, got, tt.want)
			}
		})
	}
}

func TestReviewLast(t *testing.T) {
	r := Review{Records: []ReviewRecord{
		{Date: NewDate(2024, 11, 4), By: "a", Outcome: OutcomeKeep},
		{Date: NewDate(2025, 11, 2), By: "b", Outcome: OutcomeChange},
		{Date: NewDate(2025, 3, 1), By: "c", Outcome: OutcomeKeep}, // out of order
		{Date: NewDate(2025, 11, 2), By: "d", Outcome: OutcomeRetire},
	}}
	last, ok := r.Last()
	if !ok || last.By != "b" {
		t.Errorf("Last() = %+v, %v; want the first record of the latest day (b)", last, ok)
	}
	if _, ok := (&Review{}).Last(); ok {
		t.Error("Last() of no records reported one")
	}
	one := Review{Records: []ReviewRecord{{By: "undated"}}}
	if last, ok := one.Last(); !ok || last.By != "undated" {
		t.Errorf("Last() = %+v, %v", last, ok)
	}
}

func TestLookups(t *testing.T) {
	no := false
	r := &Register{
		People: []Person{{ID: "akhan", Name: "Aisha Khan"}, {ID: "rpatel", Name: "Ravi Patel", Active: &no}},
		Groups: []Group{
			{ID: "cisa-kev", Channels: []Channel{{Kind: "kev"}}},
			{ID: "uk-ncsc", Channels: []Channel{{Kind: "rss", Source: "ncsc-reports"}, {Kind: "manual"}}},
			{ID: "kev-mirror", Channels: []Channel{{Kind: "KEV"}}},
			{ID: "fortinet", Channels: []Channel{{Kind: "rss", Source: "fortinet-psirt"}}},
		},
	}
	for _, tt := range []struct{ source, want string }{
		{"cisa-kev", "cisa-kev"}, // default name of kind kev; first in register order
		{"ncsc-reports", "uk-ncsc"},
		{"manual", "uk-ncsc"},
		{"fortinet-psirt", "fortinet"},
		{"rss", ""}, // a named source replaces the kind
		{"", ""},
	} {
		g, ok := r.GroupForSource(tt.source)
		if got := ""; ok {
			got = g.ID
			if got != tt.want {
				t.Errorf("GroupForSource(%q) = %s, want %s", tt.source, got, tt.want)
			}
		} else if tt.want != "" {
			t.Errorf("GroupForSource(%q) found nothing, want %s", tt.source, tt.want)
		}
	}
	if g, ok := r.GroupForSource("fortinet-psirt"); !ok || &r.Groups[3] != g {
		t.Error("GroupForSource should point into the register")
	}
	if p, ok := r.Person("rpatel"); !ok || p.IsActive() {
		t.Errorf("Person(rpatel) = %+v, %v", p, ok)
	}
	if p, _ := r.Person("akhan"); !p.IsActive() {
		t.Error("a person with Active nil is active")
	}
	if _, ok := r.Person("nobody"); ok {
		t.Error("Person(nobody) found someone")
	}
	if g, ok := r.Group("uk-ncsc"); !ok || g.ID != "uk-ncsc" {
		t.Errorf("Group(uk-ncsc) = %v, %v", g, ok)
	}
	if _, ok := r.Group("nope"); ok {
		t.Error("Group(nope) found one")
	}
}

func TestKinds(t *testing.T) {
	for _, k := range Kinds() {
		if !k.Valid() {
			t.Errorf("%q not valid", k)
		}
	}
	for _, k := range []Kind{"", "ISAC", "twitter"} {
		if k.Valid() {
			t.Errorf("%q valid", k)
		}
	}
	if MembershipStatus("").Valid() || !MembershipLapsed.Valid() {
		t.Error("MembershipStatus.Valid")
	}
}

// TestTagsMatch checks that every field has the same name in YAML and JSON,
// since JSON files are read through the YAML field names.
func TestTagsMatch(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] || typ == dateType || typ == periodType || typ == reflect.TypeFor[time.Time]() {
			return
		}
		seen[typ] = true
		for i := range typ.NumField() {
			f := typ.Field(i)
			if !f.IsExported() {
				continue
			}
			y, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			j, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if y == "" || y != j {
				t.Errorf("%s.%s: yaml name %q, json name %q", typ.Name(), f.Name, y, j)
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeFor[Register]())
}

func TestValidate(t *testing.T) {
	no := false
	r := &Register{
		People: []Person{{ID: "akhan"}, {ID: "akhan", Name: "Again", Active: &no}, {Name: "No ID"}},
		Groups: []Group{
			{ID: "g", Name: "G", Kind: "isca", Owner: "akahn", Backup: "akhan",
				Membership: Membership{Status: "gone", Since: NewDate(2025, 1, 1), Until: NewDate(2024, 1, 1)},
				Channels:   []Channel{{URL: "https://example.com"}, {Kind: "rss", Every: Period{Days: -7}}},
				Review: Review{Every: Period{Months: -1}, Records: []ReviewRecord{
					{Date: NewDate(2025, 1, 1), By: "akhan", Outcome: "drop"},
					{By: "x"},
				}},
				Engagements: []Engagement{{Date: NewDate(12000, 1, 1), Kind: "meeting", Who: []string{"akhan", "bob"}}},
			},
			{ID: "g", Name: "bad \xff"},
		},
	}
	want := strings.Join([]string{
		`register: groups[1].name: invalid UTF-8 in string`,
		`register: people[0]: missing required field "name"`,
		`register: people[1].id: duplicate person ID "akhan" (first at people[0].id)`,
		`register: people[2]: missing required field "id"`,
		`register: groups[0].kind: unknown kind "isca" (did you mean "isac"?); want one of isac, cert, government-cert, government-agency, professional-body, vendor, forum, mailing-list`,
		`register: groups[0].owner: unknown person "akahn" (did you mean "akhan"?)`,
		`register: groups[0].membership.status: unknown membership status "gone"; want one of applied, active, lapsed, ended`,
		`register: groups[0].membership.until: membership ends (2024-01-01) before it starts (since 2025-01-01)`,
		`register: groups[0].channels[0]: missing required field "kind"`,
		`register: groups[0].channels[1].every: invalid period -1w: parts must not be negative`,
		`register: groups[0].review.every: invalid period -1mo: parts must not be negative`,
		`register: groups[0].review.records[0].outcome: unknown outcome "drop"; want one of keep, change, retire`,
		`register: groups[0].review.records[1]: missing required field "date"`,
		`register: groups[0].review.records[1].by: unknown person "x"`,
		`register: groups[0].review.records[1]: missing required field "outcome"`,
		`register: groups[0].engagements[0].date: date 12000-01-01 is outside the years 0000-9999`,
		`register: groups[0].engagements[0].who[1]: unknown person "bob"`,
		`register: groups[1].id: duplicate group ID "g" (first at groups[0].id)`,
		`register: groups[1]: missing required field "kind"`,
	}, "\n")
	err := r.Validate()
	if got := errString(err); got != want {
		t.Errorf("Validate:\ngot:\n%s\nwant:\n%s", got, want)
	}
	if err := (&Register{}).Validate(); err != nil {
		t.Errorf("empty register: %v", err)
	}
}
