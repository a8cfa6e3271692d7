// Package browsertest runs a page in real headless Chromium for tests:
// the HTML evidence report is checked in the browser people will open it
// in, not only as text.
//
// [Find] locates chromium, chromium-browser or google-chrome on PATH and
// skips the test when there is none, or fails it when the environment sets
// SIGWATCH_REQUIRE_CHROMIUM=1 (as .ci/run does after installing Debian's
// chromium). [DumpDOM] returns the DOM Chromium built from a page,
// [Screenshot] a PNG of it decoded, and [Pixels] counts what was painted.
// Chromium runs with a fresh profile and without background networking, so
// it makes no connection of its own.
package browsertest
