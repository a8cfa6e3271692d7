package kpi_test

import (
	"fmt"
	"log"
	"os"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/intake"
	"github.com/sigwatch/sigwatch/kpi"
	"github.com/sigwatch/sigwatch/register"
)

func ExampleReceiptToTriage() {
	at := func(day, hour int) time.Time { return time.Date(2026, 10, day, hour, 0, 0, 0, time.UTC) }
	received := func(id string, day, hour int) intake.Case {
		return intake.Case{ID: id, Receipts: []intake.Receipt{{Source: "cisa-kev", ReceivedAt: at(day, hour)}}}
	}
	a := received("CVE-2026-0001", 1, 9)
	a.TriagedAt = at(1, 11) // Δ 2h
	b := received("CVE-2026-0002", 2, 9)
	b.TriagedAt = at(3, 9) // Δ 24h
	b.Advisory.Exploitation.KEV = &feeds.KEVListing{}
	c := received("CVE-2026-0003", 3, 9) // never triaged: backlog once 72h old

	res := kpi.ReceiptToTriage([]intake.Case{a, b, c}, kpi.Quarter(2026, 4), at(10, 0), nil)
	fmt.Println("n:", res.N, "median:", res.Median, "p90:", res.P90, "max:", res.Max)
	fmt.Println("within SLA:", res.ValueString(), res.Numerator, "of", res.Denominator)
	for _, item := range res.Backlog {
		fmt.Println("backlog:", item.Case, "age", item.Age, "SLA", item.SLA)
	}
	// Output:
	// n: 2 median: 2h p90: 1d max: 1d
	// within SLA: 100.0% 2 of 2
	// backlog: CVE-2026-0003 age 6d 15h SLA 3d
}

func ExampleReport_WriteText() {
	reg := &register.Register{
		People: []register.Person{{ID: "akhan", Name: "Aisha Khan"}},
		Groups: []register.Group{
			{ID: "cisa-kev", Kind: register.KindGovernmentCERT, Owner: "akhan",
				Membership: register.Membership{Status: register.MembershipActive, Since: register.NewDate(2024, 3, 1)}},
			{ID: "sector-isac", Kind: register.KindISAC, Owner: "left-the-company",
				Membership: register.Membership{Status: register.MembershipActive, Since: register.NewDate(2025, 1, 1)}},
		},
	}
	recv := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	cases := []intake.Case{{ID: "CVE-2026-1234", TriagedAt: recv.Add(30 * time.Minute),
		Receipts: []intake.Receipt{{Source: "cisa-kev", ReceivedAt: recv}}}}
	asOf := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	report := kpi.Compute(reg, cases, kpi.Quarter(2026, 4), asOf, &kpi.Options{Generator: "sigwatch example"})
	if err := report.WriteText(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// sigwatch KPI report (sigwatch.kpi.report/v1)
	//   As of:      2027-01-01T00:00:00Z
	//   Period:     2026-Q4 [2026-10-01T00:00:00Z, 2027-01-01T00:00:00Z)
	//   Generator:  sigwatch example
	//
	// KPI 1  Active memberships  [kpi.active-memberships/v1]
	//   Value:      1 active membership(s) of 2 register entries
	//   By kind:    government-cert 1
	//   Orphaned:   1 with an active membership but no active owner, not counted:
	//               - sector-isac (owner left-the-company: owner-unknown)
	//   Excluded:   1
	//               - owner-unknown: 1 (sector-isac)
	//   Definition:
	//     Count of register entries, overall and by kind, that at the as-of instant t
	//     have membership status active, a start (since) on or before t's UTC day, an
	//     end (until) that is empty or on or after t's UTC day (until = t's day counts
	//     as active), and a primary owner who is set, known in the register and
	//     active. An entry with no start recorded counts as started and is listed
	//     under missing_since. Entries with an active membership but no active owner
	//     are reported as active_without_active_owner and are not counted. The
	//     denominator is the number of register entries evaluated; the value is a
	//     count and is never n/a.
	//   Input hash: sha256:411a6941f162fbbdc4cf7948484f0e64c51c46b317666e32f27d44fca2b15cfa
	//
	// KPI 3  Receipt-to-triage time  [kpi.receipt-to-triage/v1]
	//   Value:      100.0% triaged within SLA (1 of 1)
	//   Received:   1 in the period (0 manual)
	//   Times:      median 30m, p90 30m, max 30m (n=1, nearest rank)
	//   SLA:        default 3d, KEV-listed 1d, critical 1d
	//   Backlog:    none untriaged past SLA
	//   Excluded:   none
	//   Definition:
	//     Over advisories first received in the period [p0, p1) and no later than the
	//     as-of instant t: delta = triaged_at - received_at, where received_at is the
	//     earliest receipt (for a manual receipt the asserted time, flagged manual)
	//     and triaged_at is the first triage decision, counted only when at or before
	//     t. Reports n, median and p90 (nearest rank on the sorted deltas; the median
	//     is the 50th percentile), max, and the value: the percentage of the n with
	//     delta <= SLA (n/a when n = 0). The SLA of an advisory is the shortest that
	//     applies of: the default, the KEV-listed SLA, the critical-severity SLA and
	//     an override for the source of its first receipt. Untriaged backlog: every
	//     advisory received at any time with t - received_at >= SLA that has no triage
	//     decision at t and was not rejected by t; it is reported in full, never
	//     dropped. Cases sharing an identifier count once, on the earliest receipt.
	//   Input hash: sha256:e70914de9a756b7a1094565744cbbd3109362139b4c8f4abfca3a04f8745e47f
}
