package main

// Measuring: a timed loop with allocation counts, a peak-heap sampler and
// the process's peak resident set.

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"
)

// sample is the outcome of a timed loop.
type sample struct {
	runs   int
	total  time.Duration
	allocs uint64 // heap allocations, all runs
	bytes  uint64 // bytes allocated, all runs
}

func (s sample) perRun() time.Duration {
	if s.runs == 0 {
		return 0
	}
	return s.total / time.Duration(s.runs)
}

// loop runs fn once untimed (a warm-up, when warm is set), then again
// until at least minTime has passed and minRuns runs were made, or
// maxRuns were. ctx is checked between runs.
func loop(ctx context.Context, minTime time.Duration, minRuns, maxRuns int, warm bool, fn func() error) (sample, error) {
	if warm {
		if err := fn(); err != nil {
			return sample{}, err
		}
	}
	var s sample
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	for s.runs < minRuns || (time.Since(start) < minTime && (maxRuns <= 0 || s.runs < maxRuns)) {
		if err := ctx.Err(); err != nil {
			return s, err
		}
		if err := fn(); err != nil {
			return s, err
		}
		s.runs++
	}
	s.total = time.Since(start)
	runtime.ReadMemStats(&after)
	s.allocs = after.Mallocs - before.Mallocs
	s.bytes = after.TotalAlloc - before.TotalAlloc
	return s, nil
}

// heapObjects is the runtime/metrics name of the bytes in live and
// not-yet-swept heap objects: what HeapAlloc reports, read without
// stopping the world.
const heapObjects = "/memory/classes/heap/objects:bytes"

// peakSampler samples the heap every millisecond until stopped and
// reports the highest value seen.
type peakSampler struct {
	stop chan struct{}
	done sync.WaitGroup
	peak uint64
}

// startPeak collects garbage, resets the process's peak RSS where Linux
// allows it, and starts sampling the heap.
func startPeak() *peakSampler {
	runtime.GC()
	debug.FreeOSMemory()
	resetPeakRSS()
	p := &peakSampler{stop: make(chan struct{})}
	s := []metrics.Sample{{Name: heapObjects}}
	read := func() {
		metrics.Read(s)
		if s[0].Value.Kind() == metrics.KindUint64 {
			p.peak = max(p.peak, s[0].Value.Uint64())
		}
	}
	read()
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				read()
				return
			case <-t.C:
				read()
			}
		}
	}()
	return p
}

// end stops sampling and returns the peak heap and the peak RSS since
// the start (0 when unknown).
func (p *peakSampler) end() (heap, rss uint64) {
	close(p.stop)
	p.done.Wait()
	return p.peak, peakRSS()
}

// resetPeakRSS asks Linux to restart the VmHWM count ("5" to clear_refs,
// Linux 4.0 and later); elsewhere, or when refused, VmHWM stays the
// process's lifetime peak, and the report says so.
func resetPeakRSS() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// peakRSS returns VmHWM from /proc/self/status in bytes, or 0.
func peakRSS() uint64 {
	return procKB("/proc/self/status", "VmHWM:")
}

// procKB reads a "Key:   123 kB" line from a /proc file.
func procKB(path, key string) uint64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, key); ok {
			f := strings.Fields(rest)
			if len(f) == 0 {
				return 0
			}
			n, err := strconv.ParseUint(f[0], 10, 64)
			if err != nil {
				return 0
			}
			return n << 10
		}
	}
	return 0
}
