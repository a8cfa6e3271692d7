package browsertest

import (
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPixels counts by hand-built image: 10×4, one row with a run of 6
// pixels of the colour (one of them 3 off per channel, still near), one
// grey pixel, the rest white.
func TestPixels(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 10, 4))
	for y := range 4 {
		for x := range 10 {
			img.Set(x, y, color.White)
		}
	}
	for x := 2; x < 8; x++ {
		img.Set(x, 1, color.RGBA{0x1f, 0x77, 0xb4, 0xff})
	}
	img.Set(5, 1, color.RGBA{0x22, 0x74, 0xb7, 0xff}) // within 3 per channel
	img.Set(0, 3, color.RGBA{0x80, 0x80, 0x80, 0xff})
	img.Set(9, 3, color.RGBA{0x1f, 0x77, 0xb9, 0xff}) // blue 5 off: painted, not the colour
	got := Pixels(img, 0x1f77b4)
	want := Counts{Total: 40, Painted: 8, Colour: 6, LongestRun: 6}
	if got != want {
		t.Errorf("Pixels = %+v, want %+v", got, want)
	}
}

// TestChromium loads a page in the real browser: its script runs (so
// DumpDOM shows the DOM after scripts, and a report that ran one would
// be caught), and the screenshot shows the SVG rectangle in its colour.
func TestChromium(t *testing.T) {
	bin := Find(t)
	page := filepath.Join(t.TempDir(), "page.html")
	html := `<!doctype html><html><body style="margin:0;background:#fff">
<svg width="200" height="50"><rect x="0" y="0" width="200" height="50" fill="#1f77b4"/></svg>
<script>document.body.setAttribute("data-ran", "yes")</script></body></html>`
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	size := Size{Width: 400, Height: 300}
	t.Run("dom", func(t *testing.T) {
		t.Parallel()
		if dom := DumpDOM(t, bin, page, size); !strings.Contains(dom, `data-ran="yes"`) {
			t.Errorf("the script did not run, DOM:\n%s", dom)
		}
	})
	t.Run("screenshot", func(t *testing.T) {
		t.Parallel()
		img := Screenshot(t, bin, page, size, "")
		if b := img.Bounds(); b.Dx() != 400 || b.Dy() != 300 {
			t.Fatalf("screenshot is %dx%d, want 400x300", b.Dx(), b.Dy())
		}
		// The rectangle is 200×50 CSS pixels at scale 1: 10,000 pixels, rows of 200.
		c := Pixels(img, 0x1f77b4)
		if c.Colour < 9000 || c.Colour > 11000 || c.LongestRun < 190 || c.LongestRun > 210 {
			t.Errorf("rectangle pixels %+v, want about 10000 in runs of 200", c)
		}
	})
}
