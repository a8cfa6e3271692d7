package register_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/sigwatch/sigwatch/register"
)

// Load a register and find who owns the group behind an advisory source.
func ExampleParse() {
	const file = `
people:
  - {id: akhan, name: Aisha Khan, role: Network Engineer, technical: true}
  - {id: jlee, name: James Lee, role: Security Operations Lead, technical: true}
groups:
  - id: cisa-kev
    name: CISA Known Exploited Vulnerabilities Catalog
    kind: government-cert
    owner: akhan
    backup: jlee
    channels:
      - {kind: kev, url: "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"}
`
	reg, err := register.Parse(strings.NewReader(file), "register.yaml")
	if err != nil {
		log.Fatal(err)
	}
	group, ok := reg.GroupForSource("cisa-kev")
	if !ok {
		log.Fatal("no group for cisa-kev")
	}
	owner, _ := reg.Person(group.Owner)
	fmt.Printf("%s: owner %s (%s)\n", group.Name, owner.Name, owner.Role)
	// Output:
	// CISA Known Exploited Vulnerabilities Catalog: owner Aisha Khan (Network Engineer)
}

// A typo in a field name is reported with the file, line and column, the
// path of the field and a suggestion.
func ExampleParse_error() {
	const file = `people:
  - id: akhan
    name: Aisha Khan
groups:
  - id: cisa-kev
    name: CISA KEV
    kind: government-cert
    ownr: akhan
`
	_, err := register.Parse(strings.NewReader(file), "register.yaml")
	fmt.Println(err)

	var list register.ErrorList
	if errors.As(err, &list) {
		fmt.Printf("line %d, column %d, path %s\n", list[0].Line, list[0].Column, list[0].Path)
	}
	// Output:
	// register.yaml:8:5: groups[0].ownr: unknown field "ownr" (did you mean "owner"?)
	// line 8, column 5, path groups[0].ownr
}

// Every problem in the file is reported, in file order.
func ExampleParse_manyErrors() {
	const file = `people:
  - id: akhan
    name: Aisha Khan
    technical: maybe
groups:
  - id: fs-isac
    name: FS-ISAC
    kind: isca
    owner: akahn
    membership: {status: active, since: yesterday}
`
	_, err := register.Parse(strings.NewReader(file), "register.yaml")
	fmt.Println(err)
	// Output:
	// register.yaml:4:16: people[0].technical: want true or false, got "maybe"
	// register.yaml:8:11: groups[0].kind: unknown kind "isca" (did you mean "isac"?); want one of isac, cert, government-cert, government-agency, professional-body, vendor, forum, mailing-list
	// register.yaml:9:12: groups[0].owner: unknown person "akahn" (did you mean "akhan"?)
	// register.yaml:10:41: groups[0].membership.since: invalid date "yesterday": want YYYY-MM-DD
}

func ExampleLoad() {
	reg, err := register.Load("testdata/register.yaml")
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range reg.Groups {
		last, _ := g.Review.Last()
		fmt.Printf("%-15s %-17s last reviewed %s\n", g.ID, g.Kind, last.Date)
	}
	// Output:
	// cisa-kev        government-cert   last reviewed 2025-11-02
	// uk-ncsc         government-cert   last reviewed 2025-09-30
	// fs-isac         isac              last reviewed 2025-07-08
	// fortinet-psirt  vendor            last reviewed 2025-02-11
	// ciisec          professional-body last reviewed 2025-05-20
	// oss-security    mailing-list      last reviewed 2025-06-09
}

// Build a register in code, check it and save it as YAML.
func ExampleRegister_WriteYAML() {
	reg := &register.Register{
		People: []register.Person{{ID: "tnguyen", Name: "Tom Nguyen", Technical: true}},
		Groups: []register.Group{{
			ID:       "fortinet-psirt",
			Name:     "Fortinet PSIRT",
			Kind:     register.KindVendor,
			Owner:    "tnguyen",
			Channels: []register.Channel{{Kind: "rss", URL: "https://filestore.fortinet.com/fortiguard/rss/ir.xml", Every: register.Period{Months: 1}}},
			Review: register.Review{Records: []register.ReviewRecord{
				{Date: register.NewDate(2025, 2, 11), By: "tnguyen", Outcome: register.OutcomeKeep},
			}},
		}},
	}
	if err := reg.Validate(); err != nil {
		log.Fatal(err)
	}
	if err := reg.WriteYAML(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// people:
	//   - id: tnguyen
	//     name: Tom Nguyen
	//     technical: true
	// groups:
	//   - id: fortinet-psirt
	//     name: Fortinet PSIRT
	//     kind: vendor
	//     owner: tnguyen
	//     channels:
	//       - kind: rss
	//         url: https://filestore.fortinet.com/fortiguard/rss/ir.xml
	//         every: 1mo
	//     review:
	//       records:
	//         - date: 2025-02-11
	//           by: tnguyen
	//           outcome: keep
}

func ExampleRegister_Validate() {
	reg := &register.Register{
		People: []register.Person{{ID: "akhan", Name: "Aisha Khan"}},
		Groups: []register.Group{{ID: "uk-ncsc", Name: "UK NCSC", Kind: "cert", Owner: "akhan", Backup: "jlee"}},
	}
	fmt.Println(reg.Validate())
	// Output:
	// register: groups[0].backup: unknown person "jlee"
}

func ExampleParsePeriod() {
	for _, s := range []string{"12mo", "2w", "1y6mo", "fortnightly"} {
		p, err := register.ParsePeriod(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s: %d years, %d months, %d days; written %q\n", s, p.Years, p.Months, p.Days, p.String())
	}
	// Output:
	// 12mo: 0 years, 12 months, 0 days; written "12mo"
	// 2w: 0 years, 0 months, 14 days; written "2w"
	// 1y6mo: 1 years, 6 months, 0 days; written "1y6mo"
	// invalid period "fortnightly": want a positive number and a unit (d, w, mo, y), e.g. 12mo or 1y6mo
}
