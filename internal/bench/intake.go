package main

// The intake measurement: S feed servers on loopback (KEV catalogs and
// vendor RSS 2.0 feeds) read by one intake.Pipeline into a store, twice:
// the first cycle files every advisory, the second finds every feed
// unchanged (304).

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/feeds/feedhttp"
	"github.com/sigwatch/sigwatch/feeds/kevfeed"
	"github.com/sigwatch/sigwatch/feeds/rssfeed"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/intake/sqlstore"
	"github.com/sigwatch/sigwatch/triage"
)

// intakeCVE is one vulnerability published by one or more feeds.
type intakeCVE struct {
	id      string
	product product
	class   int
	added   time.Time
}

// intakeFeed is one generated feed.
type intakeFeed struct {
	name   string
	kev    bool
	vendor int // an RSS feed's vendor
	items  []*intakeCVE
	body   []byte
}

// IntakeWorld is the generated feeds of an intake run and the stack the
// pipeline triages against.
type IntakeWorld struct {
	Stack *Stack
	Feeds []*intakeFeed
	// Distinct is the number of distinct CVEs over all feeds; Items the
	// items over all feeds.
	Distinct, Items int
}

// GenIntake makes s feeds of perSource items each: two in five KEV
// catalogs, the rest vendor PSIRT RSS feeds. A fifth of the items are
// CVEs another feed already published (one case, several receipts), and
// hitShare name a product in the 1,000-component stack.
func GenIntake(seed uint64, s, perSource int) *IntakeWorld {
	r := rand.New(rand.NewPCG(seed, 3))
	w := &IntakeWorld{Stack: GenStack(seed, 1000)}
	var all []*intakeCVE
	byVendor := make([][]*intakeCVE, len(vendors))
	day := time.Date(2024, 1, 8, 0, 0, 0, 0, time.UTC)
	newCVE := func(v int) *intakeCVE {
		var p int
		if pool := w.Stack.byVendor[v]; r.Float64() < hitShare && len(pool) > 0 {
			p = w.Stack.comps[pool[r.IntN(len(pool))]].pkg
		} else {
			p = productIndex(v, r.IntN(200), false)
		}
		c := &intakeCVE{id: fmt.Sprintf("CVE-%d-%d", day.Year(), 30000+len(all)), product: productOf(p),
			class: r.IntN(len(vulnClasses)), added: day.AddDate(0, 0, len(all)*700/max(s*perSource, 1))}
		all = append(all, c)
		byVendor[v] = append(byVendor[v], c)
		return c
	}
	nKEV := (2*s + 2) / 5
	for i := range s {
		f := &intakeFeed{kev: i < nKEV, vendor: (i - nKEV) % len(vendors)}
		if f.kev {
			f.name = fmt.Sprintf("kev-mirror-%03d", i+1)
		} else {
			f.name = fmt.Sprintf("psirt-%s-%03d", vendors[f.vendor].cpe, i+1)
		}
		has := map[string]bool{}
		for len(f.items) < perSource {
			var c *intakeCVE
			pool := all
			if !f.kev {
				pool = byVendor[f.vendor]
			}
			if len(pool) > 0 && r.Float64() < 0.2 {
				c = pool[r.IntN(len(pool))]
			}
			if c == nil || has[c.id] {
				v := f.vendor
				if f.kev {
					v = r.IntN(len(vendors))
				}
				c = newCVE(v)
			}
			has[c.id] = true
			f.items = append(f.items, c)
		}
		if f.kev {
			f.body = renderKEV(f)
		} else {
			f.body = renderRSS(f)
		}
		w.Feeds = append(w.Feeds, f)
		w.Items += len(f.items)
	}
	w.Distinct = len(all)
	return w
}

func renderKEV(f *intakeFeed) []byte {
	cat := kevCatalog{Title: "CISA Catalog of Known Exploited Vulnerabilities (" + f.name + ")",
		CatalogVersion: "2026.06.01", DateReleased: "2026-06-01T17:04:19Z", Count: len(f.items)}
	for i := len(f.items) - 1; i >= 0; i-- {
		c := f.items[i]
		vc := vulnClasses[c.class]
		cat.Vulnerabilities = append(cat.Vulnerabilities, kevEntry{
			CveID: c.id, VendorProject: c.product.vendor, Product: c.product.name,
			VulnerabilityName: c.product.vendor + " " + c.product.name + " " + vc.name + " Vulnerability",
			DateAdded:         c.added.Format(time.DateOnly),
			ShortDescription:  c.product.vendor + " " + c.product.name + " contains a vulnerability that " + vc.effect + ".",
			RequiredAction:    requiredActions[0].text,
			DueDate:           c.added.AddDate(0, 0, 21).Format(time.DateOnly),
			RansomwareUse:     "Unknown",
			Notes:             "https://nvd.nist.gov/vuln/detail/" + c.id,
			CWEs:              []string{vc.cwe},
		})
	}
	b, err := json.MarshalIndent(cat, "", "    ")
	if err != nil {
		panic(err) // plain strings only: cannot happen
	}
	return b
}

func renderRSS(f *intakeFeed) []byte {
	v := vendors[f.vendor]
	var b bytes.Buffer
	esc := func(t string) {
		if err := xml.EscapeText(&b, []byte(t)); err != nil {
			panic(err) // writing to a bytes.Buffer cannot fail
		}
	}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<rss version="2.0"><channel>` + "\n<title>")
	esc(v.vendor + " Security Advisories")
	b.WriteString("</title><link>https://psirt." + v.cpe + ".example/</link><description>Security advisories</description>\n")
	for i := len(f.items) - 1; i >= 0; i-- {
		c := f.items[i]
		vc := vulnClasses[c.class]
		b.WriteString("<item><title>")
		esc(c.product.name + ": " + vc.name + " Vulnerability (" + c.id + ")")
		b.WriteString("</title><link>https://psirt." + v.cpe + ".example/advisories/" + c.id + "</link>")
		b.WriteString(`<guid isPermaLink="false">` + c.id + "</guid>")
		b.WriteString("<pubDate>" + c.added.Add(9*time.Hour).Format(time.RFC1123Z) + "</pubDate><description>")
		esc("A vulnerability in " + v.vendor + " " + c.product.name + " " + vc.effect + ".")
		b.WriteString("</description></item>\n")
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

// feedServer serves one feed with an ETag and answers 304 to a matching
// If-None-Match.
type feedServer struct {
	f              *intakeFeed
	etag           string
	ok, unmodified atomic.Int64
}

func (s *feedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("ETag", s.etag)
	if r.Header.Get("If-None-Match") == s.etag {
		s.unmodified.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if s.f.kev {
		w.Header().Set("Content-Type", "application/json")
	} else {
		w.Header().Set("Content-Type", "application/rss+xml")
	}
	s.ok.Add(1)
	_, _ = w.Write(s.f.body)
}

// openStore makes an empty store of the kind named and a cleanup.
func openStore(ctx context.Context, c *config, kind string) (intake.Store, string, func() error, error) {
	switch kind {
	case "memory":
		return intake.NewMemoryStore(), "", func() error { return nil }, nil
	case "sqlite":
		dir, err := os.MkdirTemp("", "sigwatch-bench-")
		if err != nil {
			return nil, "", nil, err
		}
		path := filepath.Join(dir, "intake.db")
		st, err := sqlstore.Open(ctx, "sqlite:"+path, nil)
		if err != nil {
			os.RemoveAll(dir)
			return nil, "", nil, err
		}
		return st, path, func() error { err := st.Close(); os.RemoveAll(dir); return err }, nil
	case "postgres":
		return openPostgres(ctx, c.postgres)
	}
	return nil, "", nil, fmt.Errorf("unknown store %q", kind)
}

var pgDatabases atomic.Int64

// openPostgres creates a fresh database on the server dsn names, opens a
// store in it, and drops it at cleanup.
func openPostgres(ctx context.Context, dsn string) (intake.Store, string, func() error, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, "", nil, fmt.Errorf("-postgres: %w", err)
	}
	admin := stdlib.OpenDB(*cfg)
	name := fmt.Sprintf("sigwatch_bench_%d_%d", os.Getpid(), pgDatabases.Add(1))
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return nil, "", nil, fmt.Errorf("postgres: creating database %s (the role needs CREATEDB): %w", name, err)
	}
	drop := func() error {
		defer admin.Close()
		dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := admin.ExecContext(dctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		return err
	}
	u, err := url.Parse(dsn)
	if err != nil {
		_ = drop()
		return nil, "", nil, fmt.Errorf("-postgres: %w", err)
	}
	u.Path = "/" + name
	st, err := sqlstore.Open(ctx, u.String(), nil)
	if err != nil {
		_ = drop()
		return nil, "", nil, err
	}
	return st, "", func() error { cerr := st.Close(); derr := drop(); return cmpErr(cerr, derr) }, nil
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// benchIntake measures two pipeline cycles over s sources of perSource
// items into a fresh store of the kind named.
func benchIntake(ctx context.Context, c *config, s, perSource int, kind string) (rows []Row, err error) {
	w := GenIntake(c.seed, s, perSource)
	var srcs []feeds.Source
	kinds := map[string]string{}
	transport := &http.Transport{MaxIdleConnsPerHost: 4, IdleConnTimeout: 30 * time.Second}
	defer transport.CloseIdleConnections()
	fh := feedhttp.New(&feedhttp.Options{HTTPClient: &http.Client{Transport: transport, Timeout: time.Minute}, Retries: -1})
	var servers []*feedServer
	for i, f := range w.Feeds {
		fs := &feedServer{f: f, etag: fmt.Sprintf(`"%s-%d"`, f.name, i)}
		srv := httptest.NewServer(fs)
		defer srv.Close()
		servers = append(servers, fs)
		if f.kev {
			srcs = append(srcs, kevfeed.New(&kevfeed.Options{Name: f.name, URL: srv.URL + "/known_exploited_vulnerabilities.json", HTTP: fh}))
			kinds[f.name] = "kev"
			continue
		}
		v := vendors[f.vendor]
		srcs = append(srcs, rssfeed.New(&rssfeed.Options{
			Name: f.name, URL: srv.URL + "/advisories.rss", HTTP: fh, Publisher: v.vendor + " PSIRT", Vendor: v.vendor,
			Rules: []rssfeed.ItemRule{{Name: "bench-psirt", IDPattern: `CVE-\d{4}-\d{4,}`, IDIn: []string{rssfeed.FieldGUID},
				ProductPattern: `^(.+?): `}},
		}))
		kinds[f.name] = "rss"
	}
	eng, err := triage.New(w.Stack.Stack, &triage.Options{SourceKinds: kinds, Now: func() time.Time { return benchNow }})
	if err != nil {
		return nil, err
	}
	store, path, closeStore, err := openStore(ctx, c, kind)
	if err != nil {
		return nil, err
	}
	defer func() {
		if cerr := closeStore(); err == nil && cerr != nil {
			err = fmt.Errorf("closing the store: %w", cerr)
		}
	}()
	p, err := intake.New(srcs, eng, &intake.Options{Store: store, HTTP: fh, Now: func() time.Time { return benchNow }, FetchTimeout: 5 * time.Minute})
	if err != nil {
		return nil, err
	}
	size := fmt.Sprintf("S=%d A=%s %s", s, fmtSize(w.Items), kind)

	cycle := func() (*intake.RunResult, sample, uint64, uint64, error) {
		var before, after runtime.MemStats
		peak := startPeak()
		runtime.ReadMemStats(&before)
		t := time.Now()
		res, err := p.Run(ctx)
		took := time.Since(t)
		runtime.ReadMemStats(&after)
		heap, rss := peak.end()
		if err == nil {
			err = res.Err()
		}
		return res, sample{runs: 1, total: took, allocs: after.Mallocs - before.Mallocs, bytes: after.TotalAlloc - before.TotalAlloc}, heap, rss, err
	}

	// Cycle 1: every advisory is new.
	res, smp, heap, rss, err := cycle()
	if err != nil {
		return nil, fmt.Errorf("cycle 1: %w", err)
	}
	fetched := 0
	for _, sr := range res.Sources {
		fetched += sr.Count
		if len(sr.Rejected) > 0 {
			return nil, guardf("cycle 1: source %s rejected %d advisories, first: %v", sr.Name, len(sr.Rejected), sr.Rejected[0])
		}
	}
	cases, err := p.Cases(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("listing cases: %w", err)
	}
	if fetched != w.Items || res.New != w.Distinct || len(cases) != w.Distinct {
		return nil, guardf("cycle 1: fetched %d advisories (served %d), opened %d cases, store holds %d; want one case per distinct CVE (%d)",
			fetched, w.Items, res.New, len(cases), w.Distinct)
	}
	matched := 0
	for i := range cases {
		if len(cases[i].Triage.Matches) > 0 {
			matched++
		}
	}
	check := fmt.Sprintf("ok: %d cases (%d matched)", len(cases), matched)
	if path != "" {
		if fi, err := os.Stat(path); err == nil {
			check += ", file " + fmtBytes(uint64(fi.Size()))
		}
	}
	r1 := rateRow("intake", "cycle 1: all new (per advisory)", size, smp, w.Items, 0, check)
	r1.MBPerSec = 0
	r1.PeakHeap, r1.PeakRSS = heap, rss

	// Cycle 2: every feed answers 304.
	res, smp, heap, rss, err = cycle()
	if err != nil {
		return nil, fmt.Errorf("cycle 2: %w", err)
	}
	unchanged := 0
	for _, sr := range res.Sources {
		if sr.NotModified {
			unchanged++
		}
	}
	var served304 int64
	for _, fs := range servers {
		served304 += fs.unmodified.Load()
	}
	if res.New != 0 || res.Updated != 0 || unchanged != s || served304 != int64(s) {
		return nil, guardf("cycle 2: %d new and %d updated cases, %d of %d sources not modified (%d answers 304); want 0, 0, all",
			res.New, res.Updated, unchanged, s, served304)
	}
	r2 := rateRow("intake", "cycle 2: all 304 (per source)", size, smp, s, 0, fmt.Sprintf("ok: 0 new, %d × 304", unchanged))
	r2.MBPerSec = 0
	r2.PeakHeap, r2.PeakRSS = heap, rss
	return []Row{r1, r2}, nil
}
