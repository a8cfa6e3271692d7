package evidence_test

import (
	"log"
	"os"

	"github.com/sigwatch/sigwatch/evidence"
	"github.com/sigwatch/sigwatch/register"
)

func ExampleWriteRegisterCSV() {
	reg := &register.Register{
		People: []register.Person{{ID: "akhan", Name: "Aisha Khan"}},
		Groups: []register.Group{
			{ID: "cisa-kev", Name: "CISA KEV", Kind: register.KindGovernmentCERT,
				URL: "https://www.cisa.gov/known-exploited-vulnerabilities-catalog", Owner: "akhan",
				Membership: register.Membership{Status: register.MembershipActive, Since: register.NewDate(2024, 3, 1)},
				Channels:   []register.Channel{{Kind: "kev"}},
				Review: register.Review{Records: []register.ReviewRecord{
					{Date: register.NewDate(2025, 11, 2), By: "akhan", Outcome: register.OutcomeKeep}}}},
			{ID: "isac", Name: "=Sector ISAC", Kind: register.KindISAC, Owner: "jlee",
				Membership: register.Membership{Status: register.MembershipActive}},
		},
	}
	if err := evidence.WriteRegisterCSV(os.Stdout, reg); err != nil {
		log.Fatal(err)
	}
	// Output:
	// id,name,kind,url,relevance,scope_regions,scope_sectors,scope_vendors,owner_id,owner_name,owner_status,backup_id,backup_name,backup_status,membership_status,membership_since,membership_until,membership_renewal,membership_tlp,proof,channels,review_every,last_review_date,last_review_by,last_review_outcome,next_review_due,engagements,last_engagement_date,last_engagement_kind
	// cisa-kev,CISA KEV,government-cert,https://www.cisa.gov/known-exploited-vulnerabilities-catalog,,,,,akhan,Aisha Khan,active,,,missing,active,2024-03-01,,,,,kev,12mo,2025-11-02,akhan,keep,2026-11-02,0,,
	// isac,'=Sector ISAC,isac,,,,,,jlee,,unknown,,,missing,active,,,,,,,12mo,,,,,0,,
}
