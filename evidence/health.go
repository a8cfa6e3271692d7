package evidence

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/register"
)

// HealthSchema identifies artefact E8, the register health report — the
// findings of register.Check (no owner or backup, inactive owners, overdue
// reviews, lapsed or unproven memberships, vague or duplicate entries,
// missing DORA notifications, …), each with its stable code — in its CSV,
// JSON and Markdown forms (register-health.csv, register-health.json,
// register-health.md).
//
// Link findings (dead, moved, TLS-invalid URLs) need the network and are
// not part of the report: `sigwatch register check --links` produces them
// (register.CheckLinks).
const HealthSchema = "sigwatch.evidence.register-health/v1"

// Health is the JSON form of artefact E8.
type Health struct {
	Schema string `json:"schema"`
	// AsOf is the instant the register was judged at (RFC 3339, UTC).
	AsOf    string         `json:"as_of"`
	Summary HealthSummary  `json:"summary"`
	Records []HealthRecord `json:"records"`
}

// HealthSummary counts the findings by severity.
type HealthSummary struct {
	Error   int `json:"error"`
	Warning int `json:"warning"`
	Info    int `json:"info"`
	Total   int `json:"total"`
}

// HealthRecord is one finding of register.Check.
type HealthRecord struct {
	// Code is the finding's stable code ("review-overdue").
	Code string `json:"code"`
	// Severity is "error", "warning" or "info".
	Severity string `json:"severity"`
	// Group is the group's ID, "" for a register-wide finding; GroupName
	// its name ("" when the ID is not in the register).
	Group     string `json:"group"`
	GroupName string `json:"group_name"`
	// Field is the path of the value concerned ("owner"), when there is one.
	Field string `json:"field"`
	// Person is the ID of the person concerned, when there is one.
	Person  string `json:"person"`
	Message string `json:"message"`
}

// HealthReport runs register.Check on reg as of asOf (no stack, no link
// results, no intake history) and returns artefact E8: the findings in
// Check's order (register-wide first, then groups in register order, then
// by severity) and their count by severity. A nil register is empty.
func HealthReport(reg *register.Register, asOf time.Time) Health {
	h := Health{Schema: HealthSchema, AsOf: timeString(asOf), Records: []HealthRecord{}}
	if reg == nil {
		return h
	}
	asOf = asOf.UTC()
	for _, f := range register.Check(reg, &register.CheckOptions{Now: func() time.Time { return asOf }}) {
		r := HealthRecord{Code: string(f.Code), Severity: string(f.Severity), Group: f.Group, Field: f.Field,
			Person: f.Person, Message: f.Message}
		if g, ok := reg.Group(f.Group); ok && f.Group != "" {
			r.GroupName = g.Name
		}
		h.Records = append(h.Records, r)
		switch f.Severity {
		case register.SeverityError:
			h.Summary.Error++
		case register.SeverityWarning:
			h.Summary.Warning++
		case register.SeverityInfo:
			h.Summary.Info++
		}
		h.Summary.Total++
	}
	return h
}

var healthColumns = []string{"code", "severity", "group", "group_name", "field", "person", "message"}

// WriteHealthCSV writes artefact E8 as CSV: a header row, then one row per
// finding in HealthReport's order (the summary is in the JSON and Markdown
// forms). Cells are neutralised against formula injection (see SafeCSVCell).
func WriteHealthCSV(w io.Writer, reg *register.Register, asOf time.Time) error {
	h := HealthReport(reg, asOf)
	rows := make([][]string, len(h.Records))
	for i, r := range h.Records {
		rows[i] = []string{r.Code, r.Severity, r.Group, r.GroupName, r.Field, r.Person, r.Message}
	}
	return writeCSV(w, "register health report", healthColumns, rows)
}

// WriteHealthJSON writes artefact E8 as JSON: a Health document.
func WriteHealthJSON(w io.Writer, reg *register.Register, asOf time.Time) error {
	return writeJSON(w, "register health report", HealthReport(reg, asOf))
}

// WriteHealthMarkdown writes artefact E8 for people: a title, the as-of
// instant, the count by severity, and one table row per finding. Every cell
// goes through MarkdownCell, so text cannot break the table or inject HTML.
func WriteHealthMarkdown(w io.Writer, reg *register.Register, asOf time.Time) error {
	h := HealthReport(reg, asOf)
	md := newMarkdown(w)
	line := md.line
	line("# Register health report")
	line()
	if reg != nil && reg.Organisation.Name != "" {
		line("Organisation: ", MarkdownCell(reg.Organisation.Name), "  ")
	}
	line("Control: ISO/IEC 27001:2022 A.5.6 (contact with special interest groups)  ")
	line("As of: ", h.AsOf, "  ")
	line("Schema: ", HealthSchema)
	line()
	line("Findings: ", strconv.Itoa(h.Summary.Total), " (", strconv.Itoa(h.Summary.Error), " error, ",
		strconv.Itoa(h.Summary.Warning), " warning, ", strconv.Itoa(h.Summary.Info), " info).")
	line()
	line("Link checks (dead, moved or TLS-invalid URLs) need the network and are not in this report; ",
		"run `sigwatch register check --links` for them.")
	line()
	if len(h.Records) == 0 {
		line("No findings.")
	} else {
		line("| Severity | Code | Group | Field | Person | Message |")
		line("|---|---|---|---|---|---|")
		for _, r := range h.Records {
			group := r.Group
			if r.GroupName != "" {
				group = r.GroupName + " (" + r.Group + ")"
			}
			cells := []string{r.Severity, r.Code, orDash(group, "register"), r.Field, r.Person, r.Message}
			for i, c := range cells {
				cells[i] = MarkdownCell(c)
			}
			line("| ", strings.Join(cells, " | "), " |")
		}
	}
	return md.close("register health")
}
