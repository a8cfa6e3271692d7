package intake_test

// The simulated world of the soak harness (soak_test.go): synthetic
// vendors, products and CVEs, feed servers on loopback that publish them
// in the KEV JSON and RSS 2.0 formats and misbehave on purpose, and the
// webhook receiver that stands in for the owners.

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sigwatch/sigwatch/intake/notify"
	"github.com/sigwatch/sigwatch/triage"
)

// soakFail is how a failing feed server misbehaves in a cycle.
type soakFail int

const (
	soakFailNone  soakFail = iota
	soakFail500            // answer 500 Internal Server Error
	soakFailReset          // close the connection with a TCP reset, no answer
	soakFailHang           // answer nothing until the client gives up
)

var soakFailModes = [...]soakFail{soakFail500, soakFailReset, soakFailHang}

func (f soakFail) String() string {
	return [...]string{"none", "500", "reset", "hang"}[f]
}

// soakCVE is one synthetic vulnerability. Its fields change only while the
// world is mutated, never while the pipeline fetches.
type soakCVE struct {
	id              string
	vendor, product int
	name            string
	ransomware      string    // "Unknown" or "Known", as KEV writes it
	added           time.Time // KEV dateAdded (a day)
	// listed is when the first KEV feed started serving it (what makes it
	// actionable), flipped when its ransomware use became Known; zero if
	// never.
	listed, flipped time.Time
}

// soakComponent is the stack component a product maps to.
type soakComponent struct {
	id, owner   string
	exposure    triage.Exposure
	criticality triage.Criticality
}

// soakWorld holds the vendors, products, stack, CVEs and feed servers.
type soakWorld struct {
	cfg      soakConfig
	rng      *rand.Rand
	vendors  []string
	products [][]string                // by vendor
	stack    map[[2]int]*soakComponent // by vendor, product
	comps    []triage.Component
	cves     []*soakCVE
	byVendor [][]*soakCVE
	byID     map[string]*soakCVE
	servers  []*soakServer
	day      time.Time // the next dateAdded
	release  int       // catalog releases so far, for catalogVersion

	servedMu sync.Mutex
	served   map[string]map[string]bool // CVE → sources that served it in a 200
}

// soakName turns n into a pronounceable-enough unique word: a prefix and
// base-26 letters ("Vendab"). Letters only, so that no name is a word of
// another and the triage engine's identity matching sees distinct names.
func soakName(prefix string, n int) string {
	var b []byte
	for {
		b = append(b, byte('a'+n%26))
		n /= 26
		if n == 0 {
			break
		}
	}
	for len(b) < 2 {
		b = append(b, 'a')
	}
	slices.Reverse(b)
	return prefix + string(b)
}

func newSoakWorld(cfg soakConfig) *soakWorld {
	w := &soakWorld{
		cfg:    cfg,
		rng:    rand.New(rand.NewPCG(cfg.Seed, 0x50a4)),
		stack:  map[[2]int]*soakComponent{},
		byID:   map[string]*soakCVE{},
		served: map[string]map[string]bool{},
		day:    time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC),
	}
	w.byVendor = make([][]*soakCVE, cfg.Vendors)
	for v := range cfg.Vendors {
		w.vendors = append(w.vendors, soakName("Vend", v))
		var ps []string
		for p := range cfg.ProductsPerVendor {
			ps = append(ps, soakName("Prod", v*cfg.ProductsPerVendor+p))
		}
		w.products = append(w.products, ps)
	}
	// The stack: Components distinct products, owned by Teams teams.
	all := make([][2]int, 0, cfg.Vendors*cfg.ProductsPerVendor)
	for v := range cfg.Vendors {
		for p := range cfg.ProductsPerVendor {
			all = append(all, [2]int{v, p})
		}
	}
	w.rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	for i, vp := range all[:cfg.Components] {
		c := &soakComponent{
			id:          fmt.Sprintf("comp-%03d", i+1),
			owner:       fmt.Sprintf("team-%02d", 1+w.rng.IntN(cfg.Teams)),
			exposure:    triage.ExposureInternal,
			criticality: triage.CriticalityMedium,
		}
		if w.rng.Float64() < 0.2 {
			c.exposure = triage.ExposureInternet
		}
		if w.rng.Float64() < 0.1 {
			c.criticality = triage.CriticalityCritical
		}
		w.stack[vp] = c
		w.comps = append(w.comps, triage.Component{ID: c.id, Vendor: w.vendors[vp[0]], Product: w.products[vp[0]][vp[1]],
			Owner: c.owner, Exposure: c.exposure, Criticality: c.criticality})
	}
	return w
}

// newCVE makes a vulnerability of vendor v (any vendor when v < 0).
func (w *soakWorld) newCVE(v int) *soakCVE {
	if v < 0 {
		v = w.rng.IntN(len(w.vendors))
	}
	c := &soakCVE{
		id:         fmt.Sprintf("CVE-2026-%d", 10000+len(w.cves)),
		vendor:     v,
		product:    w.rng.IntN(len(w.products[v])),
		name:       soakVulnNames[w.rng.IntN(len(soakVulnNames))],
		ransomware: "Unknown",
		added:      w.day,
	}
	w.cves = append(w.cves, c)
	w.byVendor[v] = append(w.byVendor[v], c)
	w.byID[c.id] = c
	return c
}

var soakVulnNames = []string{
	"Improper Authentication Vulnerability", "OS Command Injection Vulnerability",
	"Path Traversal Vulnerability", "Deserialization of Untrusted Data Vulnerability",
	"Use-After-Free Vulnerability", "Server-Side Request Forgery Vulnerability",
	"Missing Authorization Vulnerability", "Code Injection Vulnerability",
}

// component is the stack component a CVE's product is, or nil.
func (w *soakWorld) component(c *soakCVE) *soakComponent {
	return w.stack[[2]int{c.vendor, c.product}]
}

// markServed records that source served ids in a successful answer.
func (w *soakWorld) markServed(source string, ids []string) {
	w.servedMu.Lock()
	defer w.servedMu.Unlock()
	for _, id := range ids {
		m := w.served[id]
		if m == nil {
			m = map[string]bool{}
			w.served[id] = m
		}
		m[source] = true
	}
}

// servedBy returns, per CVE, the sources that served it in a 200.
func (w *soakWorld) servedBy() map[string][]string {
	w.servedMu.Lock()
	defer w.servedMu.Unlock()
	out := make(map[string][]string, len(w.served))
	for id, m := range w.served {
		for s := range m {
			out[id] = append(out[id], s)
		}
		slices.Sort(out[id])
	}
	return out
}

// mutate changes the feeds for one cycle: cycle 0 seeds them; later cycles
// add a few items to a random subset of feeds (new CVEs and CVEs already
// published elsewhere), flip the ransomware use of one or two KEV entries,
// and decide which failing servers fail and how. drain turns failures off.
func (w *soakWorld) mutate(cycle int, drain bool) {
	changed := make([]bool, len(w.servers))
	var flips []*soakCVE
	if cycle == 0 {
		for i, s := range w.servers {
			n := w.cfg.InitialRSS
			if s.kev {
				n = w.cfg.InitialKEV
			}
			for range n {
				s.add(w.pick(s, 0.5))
			}
			changed[i] = true
		}
	} else if !drain {
		w.day = w.day.AddDate(0, 0, 1)
		for i, s := range w.servers {
			p := 0.4
			if s.quiet {
				p = 0.05
			}
			if w.rng.Float64() >= p {
				continue
			}
			for range 1 + w.rng.IntN(3) {
				s.add(w.pick(s, 0.35))
			}
			changed[i] = true
		}
		// Revisions: KEV learns of ransomware use.
		for range 1 + w.rng.IntN(2) {
			c := w.flipCandidate()
			if c == nil {
				break
			}
			c.ransomware = "Known"
			flips = append(flips, c)
			for i, s := range w.servers {
				if s.kev && s.has[c.id] {
					changed[i] = true
				}
			}
		}
	}
	for k, s := range w.failing() {
		mode := soakFailNone
		if cycle > 0 && !drain && (cycle+k)%2 == 1 {
			mode = soakFailModes[(cycle/2+k)%len(soakFailModes)]
		}
		s.setFail(mode)
	}
	for _, s := range w.servers {
		var d time.Duration
		if s.slow {
			d = w.cfg.SlowMin + rand.N(w.cfg.SlowMax-w.cfg.SlowMin+1)
		}
		s.setDelay(d)
	}
	w.release++
	for i, s := range w.servers {
		if changed[i] {
			s.render(w.release)
		}
	}
	now := time.Now()
	for _, c := range flips {
		c.flipped = now
	}
}

// pick returns the CVE a server adds next: one already published
// elsewhere with probability share (for an RSS feed, one of its vendor's),
// else a new one.
func (w *soakWorld) pick(s *soakServer, share float64) *soakCVE {
	if w.rng.Float64() < share {
		pool := w.cves
		if !s.kev {
			pool = w.byVendor[s.vendor]
		}
		for range 8 {
			if len(pool) == 0 {
				break
			}
			if c := pool[w.rng.IntN(len(pool))]; !s.has[c.id] {
				return c
			}
		}
	}
	v := -1
	if !s.kev {
		v = s.vendor
	}
	return w.newCVE(v)
}

// flipCandidate returns a published KEV entry whose ransomware use is
// still Unknown, or nil.
func (w *soakWorld) flipCandidate() *soakCVE {
	for range 16 {
		c := w.cves[w.rng.IntN(len(w.cves))]
		if c.ransomware != "Unknown" {
			continue
		}
		for _, s := range w.servers {
			if s.kev && s.has[c.id] {
				return c
			}
		}
	}
	return nil
}

func (w *soakWorld) failing() []*soakServer {
	var out []*soakServer
	for _, s := range w.servers {
		if s.failing {
			out = append(out, s)
		}
	}
	return out
}

// soakServer is one feed on a loopback server.
type soakServer struct {
	w       *soakWorld
	name    string
	kev     bool // KEV JSON; else an RSS 2.0 vendor PSIRT feed
	vendor  int  // the RSS feed's vendor
	quiet   bool // changes rarely: answers 304 most cycles
	slow    bool
	failing bool
	items   []*soakCVE // in the order added
	has     map[string]bool
	srv     *httptest.Server

	mu    sync.Mutex
	body  []byte
	etag  string
	ids   []string // the CVEs in body
	fail  soakFail
	delay time.Duration

	ok, notModified atomic.Int64
	failures        [4]atomic.Int64 // by soakFail
}

func (s *soakServer) add(c *soakCVE) {
	if s.has[c.id] {
		return
	}
	s.items = append(s.items, c)
	s.has[c.id] = true
}

func (s *soakServer) setFail(f soakFail) {
	s.mu.Lock()
	s.fail = f
	s.mu.Unlock()
}

func (s *soakServer) setDelay(d time.Duration) {
	s.mu.Lock()
	s.delay = d
	s.mu.Unlock()
}

// render publishes the server's items as its new body with a new ETag.
func (s *soakServer) render(release int) {
	var body []byte
	var ids []string
	if s.kev {
		body, ids = s.renderKEV(release)
	} else {
		body, ids = s.renderRSS()
	}
	now := time.Now()
	for _, id := range ids {
		if c := s.w.byID[id]; s.kev && c.listed.IsZero() {
			c.listed = now
		}
	}
	s.mu.Lock()
	s.body, s.ids, s.etag = body, ids, fmt.Sprintf(`"%s-r%d"`, s.name, release)
	s.mu.Unlock()
}

// soakKEVEntry is one entry of the KEV catalog's wire format.
type soakKEVEntry struct {
	CveID             string   `json:"cveID"`
	VendorProject     string   `json:"vendorProject"`
	Product           string   `json:"product"`
	VulnerabilityName string   `json:"vulnerabilityName"`
	DateAdded         string   `json:"dateAdded"`
	ShortDescription  string   `json:"shortDescription"`
	RequiredAction    string   `json:"requiredAction"`
	DueDate           string   `json:"dueDate"`
	RansomwareUse     string   `json:"knownRansomwareCampaignUse"`
	Notes             string   `json:"notes"`
	CWEs              []string `json:"cwes"`
}

// renderKEV writes the whole catalog, newest first, as CISA does. Each
// release carries a new catalogVersion, as CISA's do (one per day).
func (s *soakServer) renderKEV(release int) ([]byte, []string) {
	w := s.w
	cat := struct {
		Title           string         `json:"title"`
		CatalogVersion  string         `json:"catalogVersion"`
		DateReleased    string         `json:"dateReleased"`
		Count           int            `json:"count"`
		Vulnerabilities []soakKEVEntry `json:"vulnerabilities"`
	}{
		Title:          "Soak Catalog of Known Exploited Vulnerabilities (" + s.name + ")",
		CatalogVersion: w.day.Format("2006.01.02"),
		DateReleased:   w.day.Add(17*time.Hour + time.Duration(release)*time.Second).Format(time.RFC3339),
		Count:          len(s.items),
	}
	if w.cfg.FixedCatalogVersion {
		cat.CatalogVersion = "2026.01.05"
	}
	ids := make([]string, 0, len(s.items))
	for i := len(s.items) - 1; i >= 0; i-- {
		c := s.items[i]
		v, p := w.vendors[c.vendor], w.products[c.vendor][c.product]
		cat.Vulnerabilities = append(cat.Vulnerabilities, soakKEVEntry{
			CveID: c.id, VendorProject: v, Product: p,
			VulnerabilityName: v + " " + p + " " + c.name,
			DateAdded:         c.added.Format(time.DateOnly),
			ShortDescription:  v + " " + p + " contains a vulnerability that allows a remote attacker to run code.",
			RequiredAction:    "Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.",
			DueDate:           c.added.AddDate(0, 0, 21).Format(time.DateOnly),
			RansomwareUse:     c.ransomware,
			Notes:             "https://psirt.example/" + strings.ToLower(v) + "/" + c.id + " ; https://nvd.nist.gov/vuln/detail/" + c.id,
			CWEs:              []string{"CWE-20"},
		})
		ids = append(ids, c.id)
	}
	body, err := json.MarshalIndent(cat, "", "  ")
	if err != nil {
		panic(err) // plain strings only: cannot happen
	}
	return body, ids
}

// renderRSS writes the newest RSSWindow items, newest first, as an RSS 2.0
// vendor PSIRT feed whose guid is the CVE.
func (s *soakServer) renderRSS() ([]byte, []string) {
	w := s.w
	vendor := w.vendors[s.vendor]
	var b bytes.Buffer
	esc := func(t string) {
		if err := xml.EscapeText(&b, []byte(t)); err != nil {
			panic(err) // writing to a bytes.Buffer cannot fail
		}
	}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<rss version="2.0"><channel>` + "\n")
	b.WriteString("<title>")
	esc(vendor + " Security Advisories")
	b.WriteString("</title><link>https://psirt.example/" + strings.ToLower(vendor) + "/</link>")
	b.WriteString("<description>Security advisories</description>\n")
	var ids []string
	for i := len(s.items) - 1; i >= 0 && len(ids) < w.cfg.RSSWindow; i-- {
		c := s.items[i]
		p := w.products[c.vendor][c.product]
		b.WriteString("<item><title>")
		esc(vendor + " " + p + ": " + c.name + " (" + c.id + ")")
		b.WriteString("</title><link>https://psirt.example/" + strings.ToLower(vendor) + "/" + c.id + "</link>")
		b.WriteString(`<guid isPermaLink="false">` + c.id + "</guid>")
		b.WriteString("<pubDate>" + c.added.Add(9*time.Hour).Format(time.RFC1123Z) + "</pubDate><description>")
		esc("A vulnerability in " + vendor + " " + p + " could allow a remote attacker to run code.")
		b.WriteString("</description></item>\n")
		ids = append(ids, c.id)
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes(), ids
}

// ServeHTTP answers as the cycle's behaviour says: a failure, or after
// the delay the feed with its ETag, or 304 to a matching If-None-Match.
func (s *soakServer) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	body, etag, ids, fail, delay := s.body, s.etag, s.ids, s.fail, s.delay
	s.mu.Unlock()
	if fail != soakFailNone {
		s.failures[fail].Add(1)
	}
	switch fail {
	case soakFail500:
		http.Error(rw, "soak: injected failure", http.StatusInternalServerError)
		return
	case soakFailReset:
		hj, ok := rw.(http.Hijacker)
		if !ok {
			panic("soak: response writer cannot be hijacked")
		}
		conn, _, err := hj.Hijack()
		if err != nil {
			return
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // close with RST
		}
		_ = conn.Close()
		return
	case soakFailHang:
		<-r.Context().Done()
		return
	}
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if r.Header.Get("If-None-Match") == etag {
		s.notModified.Add(1)
		rw.Header().Set("ETag", etag)
		rw.WriteHeader(http.StatusNotModified)
		return
	}
	rw.Header().Set("ETag", etag)
	if s.kev {
		rw.Header().Set("Content-Type", "application/json")
	} else {
		rw.Header().Set("Content-Type", "application/rss+xml")
	}
	if _, err := rw.Write(body); err != nil {
		return
	}
	s.ok.Add(1)
	s.w.markServed(s.name, ids)
}

// soakDelivery is one webhook the receiver accepted.
type soakDelivery struct {
	webhookID string
	at        time.Time
	kind      string
	to        string
	cases     []string
}

// soakReceiver is the owners' webhook endpoint: it checks each signature
// and timestamps each delivery.
type soakReceiver struct {
	secret string
	srv    *httptest.Server

	mu         sync.Mutex
	deliveries []soakDelivery
	bad        []string // deliveries that failed verification or decoding
}

func (rc *soakReceiver) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	at := time.Now()
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(rw, "read", http.StatusBadRequest)
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if err := notify.Verify(rc.secret, r.Header, body, at, 0); err != nil {
		rc.bad = append(rc.bad, err.Error())
		http.Error(rw, "bad signature", http.StatusUnauthorized)
		return
	}
	var ev notify.WebhookEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		rc.bad = append(rc.bad, err.Error())
		http.Error(rw, "bad body", http.StatusBadRequest)
		return
	}
	d := soakDelivery{webhookID: r.Header.Get(notify.HeaderWebhookID), at: at, kind: ev.Type, to: ev.Data.To.ID}
	for _, it := range ev.Data.Items {
		d.cases = append(d.cases, it.CaseID)
	}
	rc.deliveries = append(rc.deliveries, d)
	rw.WriteHeader(http.StatusNoContent)
}

func (rc *soakReceiver) snapshot() ([]soakDelivery, []string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.deliveries), slices.Clone(rc.bad)
}
