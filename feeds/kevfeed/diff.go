package kevfeed

import (
	"slices"
	"strings"

	"github.com/sigwatch/sigwatch/feeds"
)

// Field names reported by Diff, as CISA spells them in the catalog.
const (
	FieldVendorProject     = "vendorProject"
	FieldProduct           = "product"
	FieldVulnerabilityName = "vulnerabilityName"
	FieldDateAdded         = "dateAdded"
	FieldShortDescription  = "shortDescription"
	FieldRequiredAction    = "requiredAction"
	FieldDueDate           = "dueDate"
	FieldRansomware        = "knownRansomwareCampaignUse"
	FieldNotes             = "notes"
	FieldCWEs              = "cwes"
)

// Delta is the difference between two catalog releases.
type Delta struct {
	// From and To are the catalogVersion of the old and new catalog.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Added are the CVE IDs only in the new catalog, in its order (newest
	// first in CISA's releases).
	Added []string `json:"added"`
	// Removed are the CVE IDs only in the old catalog, in its order.
	Removed []string `json:"removed"`
	// Changed lists entries present in both whose fields differ, in the new
	// catalog's order.
	Changed []Change `json:"changed"`
}

// Change is one entry revised in place.
type Change struct {
	// ID is the CVE ID.
	ID string `json:"id"`
	// Fields are the changed KEV field names in catalog field order, for
	// example ["knownRansomwareCampaignUse"].
	Fields []string `json:"fields"`
}

// Empty reports whether the two catalogs hold the same entries.
func (d *Delta) Empty() bool { return len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Changed) == 0 }

// Diff compares two catalog releases. Values are compared exactly as
// published (raw text, so a trailing space that appears or disappears is a
// change); an absent knownRansomwareCampaignUse equals "Unknown", as Parse
// reads it. Either catalog may be nil (an empty catalog).
func Diff(old, cur *Catalog) *Delta {
	d := &Delta{Added: []string{}, Removed: []string{}, Changed: []Change{}}
	var oldAdvs, curAdvs []feeds.Advisory
	if old != nil {
		d.From, oldAdvs = old.Version, old.Advisories
	}
	if cur != nil {
		d.To, curAdvs = cur.Version, cur.Advisories
	}
	before := make(map[string]*feeds.Advisory, len(oldAdvs))
	for i := range oldAdvs {
		before[oldAdvs[i].ID] = &oldAdvs[i]
	}
	seen := make(map[string]bool, len(curAdvs))
	for i := range curAdvs {
		a := &curAdvs[i]
		seen[a.ID] = true
		prev, ok := before[a.ID]
		if !ok {
			d.Added = append(d.Added, a.ID)
			continue
		}
		if fields := changedFields(prev, a); len(fields) > 0 {
			d.Changed = append(d.Changed, Change{ID: a.ID, Fields: fields})
		}
	}
	for i := range oldAdvs {
		if !seen[oldAdvs[i].ID] {
			d.Removed = append(d.Removed, oldAdvs[i].ID)
		}
	}
	return d
}

// entryFields returns an advisory's KEV fields in catalog order, as the
// values Parse read.
func entryFields(a *feeds.Advisory) [10]string {
	var vendor, product string
	if len(a.Affected) > 0 {
		vendor, product = a.Affected[0].Vendor, a.Affected[0].Product
	}
	var k feeds.KEVListing
	if a.Exploitation.KEV != nil {
		k = *a.Exploitation.KEV
	}
	return [10]string{
		vendor,
		product,
		k.VulnerabilityName,
		k.DateAdded.Format("2006-01-02"),
		a.Summary,
		k.RequiredAction,
		k.DueDate.Format("2006-01-02"),
		k.RansomwareUse,
		k.Notes,
		strings.Join(a.Weaknesses, "\x00"),
	}
}

var fieldNames = [10]string{
	FieldVendorProject, FieldProduct, FieldVulnerabilityName, FieldDateAdded, FieldShortDescription,
	FieldRequiredAction, FieldDueDate, FieldRansomware, FieldNotes, FieldCWEs,
}

func changedFields(old, cur *feeds.Advisory) []string {
	a, b := entryFields(old), entryFields(cur)
	var out []string
	for i := range a {
		if a[i] != b[i] {
			out = append(out, fieldNames[i])
		}
	}
	return slices.Clip(out)
}
