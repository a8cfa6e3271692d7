package sigwatch_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeSamplesCompiled checks that every Go code block in README.md
// appears verbatim in a root example_*_test.go file, as the body of an
// Example (one leading tab removed from each line) or at top level, so that
// every sample in the README is compiled and run and cannot drift.
func TestReadmeSamplesCompiled(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := goBlocks(string(readme))
	if len(blocks) == 0 {
		t.Fatal("README.md: no ```go blocks found")
	}
	files, err := filepath.Glob("example*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	var sources []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s := strings.ReplaceAll(string(b), "\r\n", "\n")
		sources = append(sources, s, dedent(s))
	}
	for _, b := range blocks {
		found := false
		for _, s := range sources {
			if strings.Contains(s, b.text) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("README.md:%d: this ```go block is in no example*_test.go file (put it in an Example, or update the copy):\n%s", b.line, b.text)
		}
	}
}

type goBlock struct {
	line int // line of the opening fence, 1-based
	text string
}

// goBlocks returns the contents of the ```go fenced blocks of a Markdown
// text, each ending in a newline.
func goBlocks(md string) []goBlock {
	var out []goBlock
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```go" {
			continue
		}
		start := i + 1
		var b strings.Builder
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			b.WriteString(lines[i])
			b.WriteByte('\n')
		}
		out = append(out, goBlock{line: start, text: b.String()})
	}
	return out
}

// dedent removes one leading tab from every line that has one.
func dedent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, "\t")
	}
	return strings.Join(lines, "\n")
}

func TestGoBlocks(t *testing.T) {
	md := "text\n```go\na := 1\n\tb()\n```\n```sh\nls\n```\n```go\nc\n```\n"
	got := goBlocks(md)
	if len(got) != 2 || got[0].text != "a := 1\n\tb()\n" || got[0].line != 2 || got[1].text != "c\n" || got[1].line != 9 {
		t.Errorf("goBlocks = %+v", got)
	}
	if got := dedent("\tx\n\t\ty\nz"); got != "x\n\ty\nz" {
		t.Errorf("dedent = %q", got)
	}
}
