package evidence_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigwatch/sigwatch/internal/browsertest"
)

// TestHTMLInChromium renders the hostile fixture report and opens it in
// real headless Chromium: the DOM it builds has the sections, shows the
// hostile title as text and has no script or image element; its
// screenshot is 1280x2400, painted, and shows the chart bars in their
// colour, which only the inline SVG uses.
func TestHTMLInChromium(t *testing.T) {
	bin := browsertest.Find(t)
	size := browsertest.Size{Width: 1280, Height: 2400}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, []byte(renderHTML(t, hostileInput(t))), 0o644); err != nil {
		t.Fatal(err)
	}

	// The two runs are independent: run them side by side.
	t.Run("dom", func(t *testing.T) {
		t.Parallel()
		dom := browsertest.DumpDOM(t, bin, page, size)
		for _, h := range []string{"<h2>Summary</h2>", "<h2>KPI charts</h2>", "<h2>Register</h2>", "<h2>Open actions</h2>",
			"<h2>Register health findings</h2>", "<h2>Appendix: pack files</h2>"} {
			if !strings.Contains(dom, h) {
				t.Errorf("the DOM lacks %s", h)
			}
		}
		// The serialised DOM escapes '<' and '>' in text: the title is a
		// text node, not markup.
		if !strings.Contains(dom, `&lt;script&gt;alert(1)&lt;/script&gt; "&gt;&lt;img src=x onerror=alert(1)&gt;`) {
			t.Error("the DOM does not show the hostile title as text")
		}
		lower := strings.ToLower(dom)
		for _, bad := range []string{"<script", "<img", `href="javascript:`} {
			if n := strings.Count(lower, bad); n != 0 {
				t.Errorf("the DOM has %d × %s", n, bad)
			}
		}
		for _, tag := range tagRE.FindAllString(dom, -1) {
			if onAttrRE.MatchString(tag) {
				t.Errorf("event handler attribute in the DOM: %s", tag)
			}
		}
		if n := strings.Count(dom, `role="img"`); n != 3 {
			t.Errorf("the DOM has %d charts, want 3", n)
		}
	})

	t.Run("screenshot", func(t *testing.T) {
		t.Parallel()
		img := browsertest.Screenshot(t, bin, page, size, os.Getenv("SIGWATCH_KEEP_SHOT"))
		b := img.Bounds()
		if b.Dx() != 1280 || b.Dy() != 2400 {
			t.Fatalf("screenshot is %dx%d, want 1280x2400", b.Dx(), b.Dy())
		}
		// #1f77b4 is the colour of the chart bars (chartBlue in html.go);
		// the page's CSS does not use it.
		c := browsertest.Pixels(img, 0x1f77b4)
		painted, bar, longestRun, total := c.Painted, c.Colour, c.LongestRun, c.Total
		t.Logf("painted %d of %d pixels (%.1f%%); %d bar-coloured, longest run %d px", painted, total,
			100*float64(painted)/float64(total), bar, longestRun)
		if painted < total/10 {
			t.Errorf("only %d of %d pixels are not white: the page did not paint", painted, total)
		}
		// cisa's actionable bar is 245 × 16 CSS pixels, scaled to the figure's width.
		if bar < 1000 || longestRun < 150 {
			t.Errorf("%d bar-coloured pixels, longest run %d: the SVG bars did not render", bar, longestRun)
		}
	})
}
