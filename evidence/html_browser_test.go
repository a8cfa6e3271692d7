package evidence_test

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// findChromium returns the path of a Chromium or Chrome binary, or skips
// the test (fails it when SIGWATCH_REQUIRE_CHROMIUM=1, as in CI).
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("SIGWATCH_REQUIRE_CHROMIUM") == "1" {
		t.Fatal("no chromium, chromium-browser or google-chrome on PATH, and SIGWATCH_REQUIRE_CHROMIUM=1")
	}
	t.Skip("no chromium, chromium-browser or google-chrome on PATH (set SIGWATCH_REQUIRE_CHROMIUM=1 to require it)")
	return ""
}

// runChromium runs headless Chromium on the page with the extra flags and
// returns its standard output; stderr goes into the failure message.
func runChromium(t *testing.T, bin, page string, extra ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--hide-scrollbars", "--window-size=1280,2400"}
	args = append(append(args, extra...), "file://"+page)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	t.Logf("%s %s: %v", filepath.Base(bin), strings.Join(extra, " "), time.Since(start).Round(time.Millisecond))
	if err != nil {
		t.Fatalf("%s: %v (context: %v)\nstderr:\n%s", bin, err, ctx.Err(), stderr.String())
	}
	return stdout.Bytes()
}

// TestHTMLInChromium renders the hostile fixture report and opens it in
// real headless Chromium: the DOM it builds has the sections, shows the
// hostile title as text and has no script or image element; its
// screenshot is 1280x2400, painted, and shows the chart bars in their
// colour, which only the inline SVG uses.
func TestHTMLInChromium(t *testing.T) {
	bin := findChromium(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, []byte(renderHTML(t, hostileInput(t))), 0o644); err != nil {
		t.Fatal(err)
	}

	// The two runs are independent: run them side by side.
	t.Run("dom", func(t *testing.T) {
		t.Parallel()
		dom := string(runChromium(t, bin, page, "--dump-dom"))
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
		shot := filepath.Join(t.TempDir(), "shot.png")
		runChromium(t, bin, page, "--screenshot="+shot)
		f, err := os.Open(shot)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		img, err := png.Decode(f)
		if err != nil {
			t.Fatal(err)
		}
		if os.Getenv("SIGWATCH_KEEP_SHOT") != "" {
			if b, err := os.ReadFile(shot); err == nil {
				_ = os.WriteFile(os.Getenv("SIGWATCH_KEEP_SHOT"), b, 0o644)
			}
		}
		b := img.Bounds()
		if b.Dx() != 1280 || b.Dy() != 2400 {
			t.Fatalf("screenshot is %dx%d, want 1280x2400", b.Dx(), b.Dy())
		}
		painted, bar, longestRun := 0, 0, 0
		for y := b.Min.Y; y < b.Max.Y; y++ {
			run := 0
			for x := b.Min.X; x < b.Max.X; x++ {
				r, g, bl, _ := img.At(x, y).RGBA()
				r, g, bl = r>>8, g>>8, bl>>8
				if r < 245 || g < 245 || bl < 245 {
					painted++
				}
				// #1f77b4, the colour of the chart bars (chartBlue in
				// html.go); the page's CSS does not use it.
				if nearByte(r, 0x1f) && nearByte(g, 0x77) && nearByte(bl, 0xb4) {
					bar++
					run++
					longestRun = max(longestRun, run)
				} else {
					run = 0
				}
			}
		}
		total := b.Dx() * b.Dy()
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

func nearByte(v, want uint32) bool { return v+3 >= want && v <= want+3 }
