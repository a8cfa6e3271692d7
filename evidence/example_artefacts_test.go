package evidence_test

import (
	"log"
	"os"

	"github.com/sigwatch/sigwatch/evidence"
	"github.com/sigwatch/sigwatch/register"
)

// Engagement notes labelled AMBER or RED leave an auditor pack redacted,
// with the SHA-256 of the original beside them; CLEAR notes stay.
func ExampleWriteEngagementsCSV() {
	reg := &register.Register{
		People: []register.Person{{ID: "akhan", Name: "Aisha Khan"}},
		Groups: []register.Group{{ID: "fs-isac", Name: "FS-ISAC", Kind: register.KindISAC, Engagements: []register.Engagement{
			{Date: register.NewDate(2026, 3, 4), Kind: "meeting", Who: []string{"akhan"}, Notes: "peer incident details", TLP: "AMBER"},
			{Date: register.NewDate(2026, 5, 6), Kind: "conference", Who: []string{"akhan"}, Notes: "talk on KEV triage", TLP: "CLEAR"},
		}}},
	}
	if err := evidence.WriteEngagementsCSV(os.Stdout, reg, "amber"); err != nil {
		log.Fatal(err)
	}
	// Output:
	// group_id,group_name,date,kind,who,who_names,tlp,notes,notes_sha256,redacted
	// fs-isac,FS-ISAC,2026-03-04,meeting,akhan,Aisha Khan,AMBER,[redacted TLP:AMBER],378d66cb9cc3db1131c0548330ee9af1e16dbba8de68e611d59228e160862ab8,true
	// fs-isac,FS-ISAC,2026-05-06,conference,akhan,Aisha Khan,CLEAR,talk on KEV triage,67a847b23c403ef228bae8fdf5d525a35a4aabdd891e6f08ded4c890266a017c,false
}
