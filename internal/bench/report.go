package main

// The report: the machine, the configuration and one row per measurement,
// as an aligned text table, JSON or a Markdown table.

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// Machine describes where the benchmark ran.
type Machine struct {
	GOOS       string `json:"goos"`
	GOARCH     string `json:"goarch"`
	CPU        string `json:"cpu,omitempty"`
	NumCPU     int    `json:"num_cpu"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	MemTotal   uint64 `json:"mem_total_bytes,omitempty"`
	Kernel     string `json:"kernel,omitempty"`
	GoVersion  string `json:"go_version"`
}

func thisMachine() Machine {
	m := Machine{GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, NumCPU: runtime.NumCPU(),
		GOMAXPROCS: runtime.GOMAXPROCS(0), GoVersion: runtime.Version(), MemTotal: procKB("/proc/meminfo", "MemTotal:")}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			k, v, ok := strings.Cut(line, ":")
			if ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

func (m Machine) String() string {
	s := fmt.Sprintf("%s/%s, %d CPU (GOMAXPROCS %d)", m.GOOS, m.GOARCH, m.NumCPU, m.GOMAXPROCS)
	if m.CPU != "" {
		s += ", " + m.CPU
	}
	if m.MemTotal > 0 {
		s += ", " + fmtBytes(m.MemTotal) + " RAM"
	}
	if m.Kernel != "" {
		s += ", Linux " + m.Kernel
	}
	return s + ", " + m.GoVersion
}

// Row is one measurement.
type Row struct {
	// Group is parse, triage or intake; Case what was measured; Size the
	// input ("N=10k M=10k", "S=10 A=1k sqlite").
	Group string `json:"group"`
	Case  string `json:"case"`
	Size  string `json:"size"`
	// Runs is how many times the case ran; Items the items (advisories,
	// components, records) per run.
	Runs  int `json:"runs"`
	Items int `json:"items"`
	// PerRun is the time of one run; PerItem the time per item (for
	// triage evaluation the median over the advisories, P99 the 99th
	// percentile).
	PerRun  time.Duration `json:"per_run_ns"`
	PerItem time.Duration `json:"per_item_ns"`
	P99     time.Duration `json:"p99_ns,omitempty"`
	// ItemsPerSec and MBPerSec are the throughput (MB = 10^6 bytes).
	ItemsPerSec float64 `json:"items_per_sec"`
	MBPerSec    float64 `json:"mb_per_sec,omitempty"`
	// AllocsPerItem and BytesPerItem are heap allocations per item.
	AllocsPerItem float64 `json:"allocs_per_item"`
	BytesPerItem  float64 `json:"bytes_per_item"`
	// PeakHeap is the highest heap (live and unswept objects) sampled
	// while the case ran, with everything it holds; PeakRSS the process's
	// peak resident set over the case (VmHWM, 0 when unknown).
	PeakHeap uint64 `json:"peak_heap_bytes,omitempty"`
	PeakRSS  uint64 `json:"peak_rss_bytes,omitempty"`
	// Check is the correctness guard's finding.
	Check string `json:"check"`
}

// Report is the whole output.
type Report struct {
	Schema  string    `json:"schema"`
	Started time.Time `json:"started"`
	Took    string    `json:"took"`
	Machine Machine   `json:"machine"`
	Seed    uint64    `json:"seed"`
	Sizes   string    `json:"sizes"`
	Notes   []string  `json:"notes,omitempty"`
	Rows    []Row     `json:"rows"`
}

// columns are the table's headings, in order.
var columns = []string{"group", "case", "size", "runs", "time/run", "per item", "items/s", "MB/s",
	"allocs/item", "B/item", "peak heap", "peak RSS", "check"}

func (r *Row) cells() []string {
	per := fmtDur(r.PerItem)
	if r.P99 > 0 {
		per += " (p99 " + fmtDur(r.P99) + ")"
	}
	mb := "–"
	if r.MBPerSec > 0 {
		mb = fmt.Sprintf("%.1f", r.MBPerSec)
	}
	opt := func(b uint64) string {
		if b == 0 {
			return "–"
		}
		return fmtBytes(b)
	}
	return []string{r.Group, r.Case, r.Size, fmt.Sprint(r.Runs), fmtDur(r.PerRun), per, fmtCount(r.ItemsPerSec), mb,
		fmt.Sprintf("%.1f", r.AllocsPerItem), fmtBytes(uint64(r.BytesPerItem + 0.5)), opt(r.PeakHeap), opt(r.PeakRSS), r.Check}
}

func (rep *Report) header() string {
	return fmt.Sprintf("sigwatch benchmark, seed %d, sizes %s, %s\nmachine: %s", rep.Seed, rep.Sizes,
		rep.Started.Format(time.RFC3339), rep.Machine)
}

// writeText writes an aligned plain-text table.
func writeText(w io.Writer, rep *Report) error {
	fmt.Fprintln(w, rep.header())
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(columns, "\t"))
	for i := range rep.Rows {
		fmt.Fprintln(tw, strings.Join(rep.Rows[i].cells(), "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, n := range rep.Notes {
		fmt.Fprintln(w, "note:", n)
	}
	_, err := fmt.Fprintf(w, "took %s\n", rep.Took)
	return err
}

// writeMarkdown writes a Markdown table for the README.
func writeMarkdown(w io.Writer, rep *Report) error {
	fmt.Fprintf(w, "Machine: %s. Seed %d, sizes %s, run %s.\n\n", rep.Machine, rep.Seed, rep.Sizes, rep.Started.Format(time.DateOnly))
	fmt.Fprintln(w, "| "+strings.Join(columns, " | ")+" |")
	seps := make([]string, len(columns))
	for i := range seps {
		seps[i] = "---"
		if i >= 3 && i < len(columns)-1 {
			seps[i] = "---:"
		}
	}
	fmt.Fprintln(w, "|"+strings.Join(seps, "|")+"|")
	for i := range rep.Rows {
		cells := rep.Rows[i].cells()
		for j, c := range cells {
			cells[j] = strings.ReplaceAll(c, "|", `\|`)
		}
		fmt.Fprintln(w, "| "+strings.Join(cells, " | ")+" |")
	}
	if len(rep.Notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range rep.Notes {
			fmt.Fprintln(w, "- "+n)
		}
	}
	return nil
}

func writeJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// fmtDur prints d with three significant digits.
func fmtDur(d time.Duration) string {
	switch {
	case d <= 0:
		return "–"
	case d < time.Microsecond:
		return fmt.Sprintf("%dns", d.Nanoseconds())
	case d < time.Millisecond:
		return sig3(float64(d)/1e3) + "µs"
	case d < time.Second:
		return sig3(float64(d)/1e6) + "ms"
	}
	return sig3(d.Seconds()) + "s"
}

func sig3(x float64) string {
	switch {
	case x >= 100:
		return fmt.Sprintf("%.0f", x)
	case x >= 10:
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.2f", x)
}

// fmtCount prints a rate as 950, 12.3k, 4.56M.
func fmtCount(x float64) string {
	switch {
	case x <= 0:
		return "–"
	case x < 1e3:
		return sig3(x)
	case x < 1e6:
		return sig3(x/1e3) + "k"
	}
	return sig3(x/1e6) + "M"
}

// fmtBytes prints b in binary units: 512 B, 1.50 KiB, 12.3 MiB.
func fmtBytes(b uint64) string {
	switch {
	case b < 1<<10:
		return fmt.Sprintf("%d B", b)
	case b < 1<<20:
		return sig3(float64(b)/(1<<10)) + " KiB"
	case b < 1<<30:
		return sig3(float64(b)/(1<<20)) + " MiB"
	}
	return sig3(float64(b)/(1<<30)) + " GiB"
}

// fmtSize prints 1000 as 1k, 100000 as 100k.
func fmtSize(n int) string {
	switch {
	case n >= 1e6 && n%1e6 == 0:
		return fmt.Sprintf("%dM", n/1e6)
	case n >= 1e3 && n%1e3 == 0:
		return fmt.Sprintf("%dk", n/1e3)
	}
	return fmt.Sprint(n)
}
