package notify

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/sigwatch/sigwatch/internal/textx"
)

// Text renders m as plain text: one block per item (title, case ID,
// priority, KEV, decision, due date as YYYY-MM-DD, owner, why, source,
// group, URL, references), then a line naming the message. The e-mail and
// Jira notifiers send it; chat notifiers use it as their fallback.
//
// The output is deterministic, valid UTF-8, and free of NUL, CR and other
// control characters except LF; feed text is copied, not interpreted.
func Text(m *Message) string {
	if m == nil {
		return ""
	}
	var b strings.Builder
	if len(m.Items) == 0 {
		b.WriteString(subjectOf(m))
		b.WriteString("\n\n(no items)\n")
	}
	if len(m.Items) > 1 {
		fmt.Fprintf(&b, "%s\n%d items\n", subjectOf(m), len(m.Items))
	}
	for i, it := range m.Items {
		if i > 0 || len(m.Items) > 1 {
			b.WriteString("\n")
		}
		title := textx.OneLine(it.Title)
		if title == "" {
			title = textx.OneLine(it.CaseID)
		}
		if len(m.Items) > 1 {
			fmt.Fprintf(&b, "%d. ", i+1)
		}
		b.WriteString(title)
		b.WriteString("\n")
		textField(&b, "Case", it.CaseID)
		textField(&b, "Priority", it.Priority)
		if it.KEV {
			textField(&b, "KEV", "yes (known exploited)")
		}
		textField(&b, "Decision", it.Decision)
		if !it.Due.IsZero() {
			textField(&b, "Due", it.Due.UTC().Format("2006-01-02"))
		}
		textField(&b, "Owner", it.Owner)
		if why := multiLine(it.Why); why != "" {
			lines := strings.Split(why, "\n")
			textField(&b, "Why", lines[0])
			for _, l := range lines[1:] {
				if l == "" {
					continue // a blank line would read as the end of the block
				}
				b.WriteString(strings.Repeat(" ", textLabelWidth))
				b.WriteString(l)
				b.WriteString("\n")
			}
		}
		textField(&b, "Source", it.Source)
		textField(&b, "Group", it.Group)
		textField(&b, "URL", it.URL)
		first := true
		for _, r := range it.References {
			if r = textx.OneLine(r); r == "" {
				continue
			}
			if first {
				textField(&b, "References", r)
				first = false
				continue
			}
			b.WriteString(strings.Repeat(" ", textLabelWidth))
			b.WriteString(r)
			b.WriteString("\n")
		}
	}
	fmt.Fprintf(&b, "\n--\nsigwatch message %s\n", textx.OneLine(m.ID))
	return b.String()
}

const textLabelWidth = len("References: ")

func textField(b *strings.Builder, label, value string) {
	value = textx.OneLine(value)
	if value == "" {
		return
	}
	b.WriteString(label)
	b.WriteString(":")
	b.WriteString(strings.Repeat(" ", textLabelWidth-len(label)-1))
	b.WriteString(value)
	b.WriteString("\n")
}

// multiLine is textx.OneLine for text that may span lines: CR LF, CR and the
// Unicode line separators become LF, runs of blank lines collapse to one,
// and each line is cleaned as by textx.OneLine.
func multiLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u2028", "\n", "\u2029", "\n", "\u0085", "\n").Replace(s)
	var out []string
	blank := false
	for l := range strings.SplitSeq(s, "\n") {
		l = textx.OneLine(l)
		if l == "" {
			blank = len(out) > 0
			continue
		}
		if blank {
			out = append(out, "")
			blank = false
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// clip returns s cut to at most n runes, the last being "…" when cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	i, count := 0, 0
	for j := range s {
		if count == n-1 {
			i = j
			break
		}
		count++
	}
	return s[:i] + "…"
}
