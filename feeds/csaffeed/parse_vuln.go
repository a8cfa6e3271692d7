package csaffeed

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
)

var (
	cvePattern = regexp.MustCompile(`(?i)^CVE-[0-9]{4}-[0-9]{4,}$`)
	// ssvcNote is CISA's SSVC decision written into a vulnerability note:
	// "SSVCv2/E:N/A:Y/T:P/2024-07-11T21:26:33Z/".
	ssvcNote = regexp.MustCompile(`^SSVCv2/E:([NPA])/A:([YN])/T:([PT])/([^/]*)/?$`)
)

// summaryPreference is the order in which note categories are tried for
// Advisory.Summary.
var summaryPreference = []string{"description", "summary", "details", "general"}

// baseAdvisory returns the fields every advisory of the document shares.
func (p *parser) baseAdvisory() feeds.Advisory {
	d := p.doc
	a := feeds.Advisory{
		Source:    DefaultName,
		Publisher: d.Publisher.Name,
		Title:     d.Title,
		URL:       d.SelfURL,
		Published: d.InitialRelease,
		Modified:  d.CurrentRelease,
		TLP:       d.TLP,
		Extra: map[string]string{
			ExtraTrackingID:       d.ID,
			ExtraTrackingVersion:  d.Version,
			ExtraTrackingStatus:   d.Status,
			ExtraDocumentCategory: d.Category,
			ExtraDocumentTitle:    d.Title,
		},
	}
	if d.AggregateSeverity != nil && d.AggregateSeverity.Text != "" {
		a.Extra[ExtraAggregateSeverity] = d.AggregateSeverity.Text
	}
	maps.DeleteFunc(a.Extra, func(_, v string) bool { return v == "" })
	if strings.EqualFold(strings.TrimSpace(d.Category), "csaf_withdrawn") {
		a.Withdrawn = d.CurrentRelease
	}
	return a
}

// documentAdvisory maps a document without vulnerabilities (typically
// csaf_informational_advisory) to one advisory.
func (p *parser) documentAdvisory() feeds.Advisory {
	d := p.doc
	a := p.baseAdvisory()
	a.ID = strings.TrimSpace(d.ID)
	a.Aliases = cleanIDs(d.Aliases, a.ID)
	a.Summary = pickSummary(d.Notes)
	a.Severity = wordSeverity(d.AggregateSeverity)
	a.Notes = slices.Clone(d.Notes)
	for _, ack := range d.Acknowledgments {
		a.Notes = append(a.Notes, ackNote("acknowledgment", ack))
	}
	a.References = p.references(nil, d.References, nil)
	for i := range d.Products {
		pr := &d.Products[i]
		if j, ok := d.index[pr.ID]; ok && j == i {
			a.Affected = append(a.Affected, p.affected(pr.Field, pr.ID, feeds.StatusUnknown))
			p.noteRelationship(&a, pr.ID)
		}
	}
	return a
}

// mapVulnerability maps vulnerabilities[i].
func (p *parser) mapVulnerability(i int, v *wireVulnerability) (feeds.Advisory, error) {
	d := p.doc
	path := fmt.Sprintf("vulnerabilities[%d]", i)
	a := p.baseAdvisory()

	cve := strings.TrimSpace(v.CVE)
	if cve != "" && !cvePattern.MatchString(cve) {
		p.warnf("%s.cve: %q is not of the form CVE-YYYY-NNNN (used as is)", path, clip(v.CVE))
	}
	var ids []string
	for _, id := range v.IDs {
		if t := strings.TrimSpace(id.Text); t != "" {
			ids = append(ids, t)
		}
	}
	switch {
	case cve != "":
		a.ID = d.ID + "/" + cve
	case len(ids) > 0:
		a.ID = d.ID + "/" + ids[0]
	default:
		a.ID = fmt.Sprintf("%s/vulnerabilities[%d]", d.ID, i)
		p.warnf("%s: no cve and no ids; advisory ID is %q", path, a.ID)
	}
	a.Aliases = cleanIDs(append([]string{cve}, ids...), a.ID)
	a.Related = cleanIDs(append([]string{d.ID}, d.Aliases...), a.ID)
	if len(v.IDs) > 0 {
		a.Extra[ExtraIDs] = mustJSON(v.IDs)
	}
	if v.Title != "" {
		a.Title = v.Title
		a.Extra[ExtraVulnerabilityTitle] = v.Title
	}
	if v.CWE != nil {
		if id := strings.TrimSpace(v.CWE.ID); id != "" {
			a.Weaknesses = []string{id}
		}
		if v.CWE.Name != "" {
			a.Extra[ExtraCWEName] = v.CWE.Name
		}
	}
	for _, f := range []struct{ key, field, val string }{
		{ExtraReleaseDate, ".release_date", v.ReleaseDate},
		{ExtraDiscoveryDate, ".discovery_date", v.DiscoveryDate},
	} {
		t, err := p.parseTime(path+f.field, f.val)
		if err != nil {
			return feeds.Advisory{}, err
		}
		if !t.IsZero() {
			a.Extra[f.key] = t.Format(time.RFC3339Nano)
		}
	}

	// Notes: the vulnerability's own first, then what has no field of its
	// own, then the document's notes.
	vnotes := make([]feeds.Note, 0, len(v.Notes))
	for _, n := range v.Notes {
		vnotes = append(vnotes, feeds.Note{Category: n.Category, Title: n.Title, Text: n.Text})
	}
	a.Summary = pickSummary(vnotes)
	if a.Summary == "" {
		a.Summary = pickSummary(d.Notes)
	}
	a.Notes = vnotes
	for _, n := range v.Notes {
		if m := ssvcNote.FindStringSubmatch(strings.TrimSpace(n.Text)); m != nil {
			a.Scores = append(a.Scores, feeds.Score{Type: "SSVC", Vector: strings.TrimSpace(n.Text)})
			if a.Exploitation.SSVC == nil {
				a.Exploitation.SSVC = ssvcFromNote(m)
			}
		}
	}

	if err := p.mapProductStatus(&a, path+".product_status", v.ProductStatus); err != nil {
		return feeds.Advisory{}, err
	}
	if err := p.mapScores(&a, path, v.Scores); err != nil {
		return feeds.Advisory{}, err
	}
	if a.Severity == feeds.SeverityUnknown {
		a.Severity = wordSeverity(d.AggregateSeverity)
	}
	for j, t := range v.Threats {
		tp := fmt.Sprintf("%s.threats[%d]", path, j)
		date, err := p.parseTime(tp+".date", t.Date)
		if err != nil {
			return feeds.Advisory{}, err
		}
		tids, err := p.expandGroups(tp, t.ProductIDs, t.GroupIDs)
		if err != nil {
			return feeds.Advisory{}, err
		}
		if t.Category == "exploit_status" {
			a.Exploitation.Statements = append(a.Exploitation.Statements, t.Details)
		}
		a.Notes = append(a.Notes, feeds.Note{
			Category: "threat." + t.Category,
			Title:    scopeTitle(tids, date),
			Text:     t.Details,
		})
	}
	for j, r := range v.Remediations {
		rp := fmt.Sprintf("%s.remediations[%d]", path, j)
		date, err := p.parseTime(rp+".date", r.Date)
		if err != nil {
			return feeds.Advisory{}, err
		}
		products, err := p.expandGroups(rp, r.ProductIDs, r.GroupIDs)
		if err != nil {
			return feeds.Advisory{}, err
		}
		for k, id := range r.ProductIDs {
			if _, ok := d.index[id]; !ok {
				p.warnf("%s.product_ids[%d]: product_id %q is not defined in product_tree", rp, k, clip(id))
			}
		}
		a.Remediations = append(a.Remediations, feeds.Remediation{
			Category: r.Category, Details: r.Details, URL: r.URL, Date: date, Products: products,
		})
		if len(r.Entitlements) > 0 {
			a.Extra[ExtraRemediationPrefix+itoa(j)+".entitlements"] = mustJSON(r.Entitlements)
		}
		if rr := r.RestartRequired; rr != nil {
			text := rr.Category
			if rr.Details != "" {
				text += ": " + rr.Details
			}
			a.Extra[ExtraRemediationPrefix+itoa(j)+".restartRequired"] = text
		}
	}
	for j, f := range v.Flags {
		fp := fmt.Sprintf("%s.flags[%d]", path, j)
		date, err := p.parseTime(fp+".date", f.Date)
		if err != nil {
			return feeds.Advisory{}, err
		}
		fids, err := p.expandGroups(fp, f.ProductIDs, f.GroupIDs)
		if err != nil {
			return feeds.Advisory{}, err
		}
		a.Notes = append(a.Notes, feeds.Note{
			Category: "flag",
			Title:    scopeTitle(fids, date),
			Text:     f.Label,
		})
	}
	for j, inv := range v.Involvements {
		date, err := p.parseTime(fmt.Sprintf("%s.involvements[%d].date", path, j), inv.Date)
		if err != nil {
			return feeds.Advisory{}, err
		}
		title := strings.TrimSpace(inv.Party + " " + inv.Status)
		if !date.IsZero() {
			title += " (" + date.Format(time.RFC3339) + ")"
		}
		a.Notes = append(a.Notes, feeds.Note{Category: "involvement", Title: title, Text: inv.Summary})
	}
	for _, ack := range v.Acknowledgments {
		a.Notes = append(a.Notes, ackNote("acknowledgment", Acknowledgment(ack)))
	}
	for _, n := range d.Notes {
		n.Category = "document." + n.Category
		a.Notes = append(a.Notes, n)
	}
	for _, ack := range d.Acknowledgments {
		a.Notes = append(a.Notes, ackNote("document.acknowledgment", ack))
	}
	vrefs := make([]Reference, 0, len(v.References))
	for _, r := range v.References {
		vrefs = append(vrefs, Reference(r))
	}
	a.References = p.references(nil, d.References, nil)
	a.References = p.references(a.References, vrefs, func(j int) string { return fmt.Sprintf("%s.references[%d]", path, j) })
	return a, nil
}

// statusLists are the product_status keys in the order their Affected
// entries are emitted, with the status each maps to.
var statusLists = []struct {
	key    string
	status feeds.Status
	get    func(*wireProductStatus) []string
}{
	{"known_affected", feeds.StatusAffected, func(s *wireProductStatus) []string { return s.KnownAffected }},
	{"first_affected", feeds.StatusAffected, func(s *wireProductStatus) []string { return s.FirstAffected }},
	{"last_affected", feeds.StatusAffected, func(s *wireProductStatus) []string { return s.LastAffected }},
	{"fixed", feeds.StatusFixed, func(s *wireProductStatus) []string { return s.Fixed }},
	{"first_fixed", feeds.StatusFixed, func(s *wireProductStatus) []string { return s.FirstFixed }},
	{"known_not_affected", feeds.StatusNotAffected, func(s *wireProductStatus) []string { return s.KnownNotAffected }},
	{"under_investigation", feeds.StatusUnderInvestigation, func(s *wireProductStatus) []string { return s.UnderInvestigation }},
}

func (p *parser) mapProductStatus(a *feeds.Advisory, path string, ps *wireProductStatus) error {
	if ps == nil {
		return nil
	}
	where := map[string]string{} // product_id -> first status key
	entry := map[string]int{}    // status + "\x00" + product_id -> index in a.Affected
	for _, l := range statusLists {
		ids := l.get(ps)
		seen := make(map[string]bool, len(ids))
		for j, id := range ids {
			field := fmt.Sprintf("%s.%s[%d]", path, l.key, j)
			if seen[id] {
				p.warnf("%s: product_id %q listed twice in %s (listed once)", field, clip(id), l.key)
				continue
			}
			seen[id] = true
			if k, ok := where[id]; ok && statusOf(k) != l.status {
				p.warnf("%s: product_id %q is also listed in %s (contradictory statuses kept)", field, clip(id), k)
			} else if !ok {
				where[id] = l.key
			}
			af := p.affected(field, id, l.status)
			var extra []feeds.Range
			if v := p.productVersion(id); v != "" {
				switch l.key {
				case "first_affected", "first_fixed":
					extra = append(extra, feeds.Range{Type: "ECOSYSTEM", Events: []feeds.Event{{Introduced: v}}})
				case "last_affected":
					extra = append(extra, feeds.Range{Type: "ECOSYSTEM", Events: []feeds.Event{{Introduced: "0"}, {LastAffected: v}}})
				}
			}
			// A product in two lists of the same status (fixed and
			// first_fixed) gives one entry carrying both lists' data.
			key := string(l.status) + "\x00" + id
			if k, ok := entry[key]; ok {
				a.Affected[k].Ranges = append(a.Affected[k].Ranges, extra...)
				continue
			}
			af.Ranges = append(af.Ranges, extra...)
			entry[key] = len(a.Affected)
			a.Affected = append(a.Affected, af)
			p.noteRelationship(a, id)
		}
		switch l.key {
		case "first_affected", "last_affected", "first_fixed":
			if len(ids) > 0 {
				a.Extra[ExtraProductStatusPrefix+l.key] = mustJSON(ids)
			}
		}
	}
	if len(ps.Recommended) > 0 {
		for j, id := range ps.Recommended {
			if _, ok := p.doc.index[id]; !ok {
				p.warnf("%s.recommended[%d]: product_id %q is not defined in product_tree", path, j, clip(id))
			}
		}
		a.Extra[ExtraProductStatusPrefix+"recommended"] = mustJSON(ps.Recommended)
	}
	return nil
}

func statusOf(key string) feeds.Status {
	for _, l := range statusLists {
		if l.key == key {
			return l.status
		}
	}
	return feeds.StatusUnknown
}

// productVersion returns the product_version of a defined product.
func (p *parser) productVersion(id string) string {
	if pr, ok := p.doc.Product(id); ok {
		return pr.Version
	}
	return ""
}

// noteRelationship records in Extra the platform of a composite product.
func (p *parser) noteRelationship(a *feeds.Advisory, id string) {
	if text, ok := p.relNames[id]; ok {
		a.Extra[ExtraRelationshipPrefix+id] = text
	}
}

func (p *parser) mapScores(a *feeds.Advisory, path string, scores []wireScore) error {
	seen := make(map[feeds.Score]bool, len(a.Scores)+len(scores))
	for _, s := range a.Scores {
		seen[s] = true
	}
	for j, s := range scores {
		sp := fmt.Sprintf("%s.scores[%d]", path, j)
		for _, c := range []struct {
			typ, key string
			v        *wireCVSS
		}{{"CVSS_V2", "cvss_v2", s.CVSSv2}, {"CVSS_V3", "cvss_v3", s.CVSSv3}, {"CVSS_V4", "cvss_v4", s.CVSSv4}} {
			if c.v == nil {
				continue
			}
			fp := sp + "." + c.key
			raw, err := p.scalar(fp+".baseScore", c.v.BaseScore)
			if err != nil {
				return err
			}
			score := feeds.Score{Type: c.typ, Vector: c.v.VectorString}
			if raw != "" {
				f, err := strconv.ParseFloat(raw, 64)
				// ParseFloat also reads "NaN", "Inf" and hex floats: a
				// score is a plain decimal number.
				if err != nil || strings.ContainsAny(raw, "xXnNiI") {
					return p.errAt(fp+".baseScore", fmt.Errorf("invalid baseScore %q", clip(raw)))
				}
				if !(f >= 0 && f <= 10) {
					return p.errAt(fp+".baseScore", fmt.Errorf("baseScore %s outside 0–10", clip(raw)))
				}
				score.Value = f
			}
			if !seen[score] {
				seen[score] = true
				a.Scores = append(a.Scores, score)
			}
			if c.v.BaseSeverity != "" {
				sev, ok := feeds.ParseSeverity(c.v.BaseSeverity)
				if !ok {
					p.warnf("%s.baseSeverity: unknown severity %q", fp, clip(c.v.BaseSeverity))
				}
				if sev.Rank() > a.Severity.Rank() {
					a.Severity = sev
				}
			}
		}
	}
	return nil
}

func wordSeverity(as *AggregateSeverity) feeds.Severity {
	if as == nil {
		return feeds.SeverityUnknown
	}
	s, _ := feeds.ParseSeverity(as.Text)
	return s
}

func ssvcFromNote(m []string) *feeds.SSVC {
	s := &feeds.SSVC{Version: "2"}
	s.Exploitation = map[string]string{"N": "none", "P": "poc", "A": "active"}[m[1]]
	s.Automatable = map[string]string{"Y": "yes", "N": "no"}[m[2]]
	s.TechnicalImpact = map[string]string{"P": "partial", "T": "total"}[m[3]]
	if t, err := parseTimeLoose(m[4]); err == nil {
		s.Timestamp = t
	}
	return s
}

// pickSummary returns the text of the first note of the most preferred
// category in summaryPreference.
func pickSummary(notes []feeds.Note) string {
	for _, c := range summaryPreference {
		for _, n := range notes {
			if n.Category == c && strings.TrimSpace(n.Text) != "" {
				return n.Text
			}
		}
	}
	return ""
}

// references appends refs to out as feeds.References: "self" becomes
// ADVISORY, anything else WEB; a URL already in out is not repeated; an
// empty URL is skipped with a warning when path is given.
func (p *parser) references(out []feeds.Reference, refs []Reference, path func(int) string) []feeds.Reference {
	seen := make(map[string]bool, len(out)+len(refs))
	for _, o := range out {
		seen[o.URL] = true
	}
	for j, r := range refs {
		if strings.TrimSpace(r.URL) == "" {
			if path != nil {
				p.warnf("%s.url: empty reference URL (skipped)", path(j))
			}
			continue
		}
		if seen[r.URL] {
			continue
		}
		seen[r.URL] = true
		typ := "WEB"
		if r.Category == "self" {
			typ = "ADVISORY"
		}
		out = append(out, feeds.Reference{Type: typ, URL: r.URL})
	}
	return out
}

// scopeTitle describes which products a threat or flag applies to.
func scopeTitle(ids []string, date time.Time) string {
	var parts []string
	if len(ids) > 0 {
		parts = append(parts, "products: "+strings.Join(ids, ", "))
	}
	if !date.IsZero() {
		parts = append(parts, "date: "+date.Format(time.RFC3339))
	}
	return strings.Join(parts, "; ")
}

func ackNote(category string, a Acknowledgment) feeds.Note {
	n := feeds.Note{Category: category, Title: a.Organization}
	var parts []string
	if len(a.Names) > 0 {
		parts = append(parts, strings.Join(a.Names, ", "))
	}
	if a.Summary != "" {
		parts = append(parts, a.Summary)
	}
	parts = append(parts, a.URLs...)
	n.Text = strings.Join(parts, "\n")
	return n
}

// cleanIDs trims ids, drops empty ones and self, sorts and de-duplicates.
func cleanIDs(ids []string, self string) []string {
	var out []string
	for _, id := range ids {
		if id = strings.TrimSpace(id); id != "" && id != self {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
