package browsertest

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// RequireEnv is the environment variable that turns a missing browser
// from a skip into a failure.
const RequireEnv = "SIGWATCH_REQUIRE_CHROMIUM"

// Find returns the path of a Chromium or Chrome binary, or skips the test
// (fails it when RequireEnv is "1").
func Find(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("no chromium, chromium-browser or google-chrome on PATH, and %s=1", RequireEnv)
	}
	t.Skipf("no chromium, chromium-browser or google-chrome on PATH (set %s=1 to require it)", RequireEnv)
	return ""
}

// Size is the browser window, in CSS pixels.
type Size struct{ Width, Height int }

// run runs headless Chromium on the page file with the extra flags and
// returns its standard output; its standard error goes into the failure
// message. Each run has a fresh profile and 60 seconds.
func run(t testing.TB, bin, page string, size Size, extra ...string) []byte {
	t.Helper()
	abs, err := filepath.Abs(page)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--hide-scrollbars",
		"--window-size=" + strconv.Itoa(size.Width) + "," + strconv.Itoa(size.Height)}
	args = append(append(args, extra...), "file://"+abs)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err = cmd.Run()
	t.Logf("%s %s: %v", filepath.Base(bin), strings.Join(extra, " "), time.Since(start).Round(time.Millisecond))
	if err != nil {
		t.Fatalf("%s: %v (context: %v)\nstderr:\n%s", bin, err, ctx.Err(), stderr.String())
	}
	return stdout.Bytes()
}

// DumpDOM returns the page's DOM as Chromium serialises it after loading.
func DumpDOM(t testing.TB, bin, page string, size Size) string {
	t.Helper()
	return string(run(t, bin, page, size, "--dump-dom"))
}

// Screenshot renders the page and returns the decoded PNG. When keep is
// not empty the PNG is also copied there, to be looked at.
func Screenshot(t testing.TB, bin, page string, size Size, keep string) image.Image {
	t.Helper()
	shot := filepath.Join(t.TempDir(), "shot.png")
	run(t, bin, page, size, "--screenshot="+shot)
	data, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	if keep != "" {
		if err := os.WriteFile(keep, data, 0o644); err != nil {
			t.Logf("keep screenshot: %v", err)
		}
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	return img
}

// Counts are what Pixels found in an image.
type Counts struct {
	// Total is the number of pixels; Painted those that are not near
	// white (any channel below 245).
	Total, Painted int
	// Colour is the number of pixels within 3 per channel of the colour
	// asked for; LongestRun the longest horizontal run of them.
	Colour, LongestRun int
}

// Pixels counts the painted pixels of img and those of one colour
// (0xRRGGBB).
func Pixels(img image.Image, rgb uint32) Counts {
	want := [3]uint32{rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff}
	near := func(v, w uint32) bool { return v+3 >= w && v <= w+3 }
	b := img.Bounds()
	c := Counts{Total: b.Dx() * b.Dy()}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		run := 0
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			if r < 245 || g < 245 || bl < 245 {
				c.Painted++
			}
			if near(r, want[0]) && near(g, want[1]) && near(bl, want[2]) {
				c.Colour++
				run++
				c.LongestRun = max(c.LongestRun, run)
			} else {
				run = 0
			}
		}
	}
	return c
}
