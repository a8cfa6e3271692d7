package vercmp_test

import (
	"fmt"
	"log"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/vercmp"
)

// A PAN-OS range from a CVE 5 record (versionType "custom": the generic
// vendor ordering), checked for three installed versions.
func Example() {
	s, err := vercmp.ForRange("custom", "")
	if err != nil {
		log.Fatal(err)
	}
	r, err := vercmp.CompileEvents(s, []feeds.Event{{Introduced: "10.2.0"}, {Fixed: "10.2.9-h1"}})
	if err != nil {
		log.Fatal(err)
	}
	for _, installed := range []string{"10.2.9", "10.2.9-h1", "10.2.10"} {
		v, err := s.Parse(installed)
		if err != nil {
			log.Fatal(err)
		}
		in, why, err := r.Contains(v)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(installed, in, why)
	}
	// Output:
	// 10.2.9 true in the affected range [10.2.0, 10.2.9-h1)
	// 10.2.9-h1 false not in the affected range [10.2.0, 10.2.9-h1)
	// 10.2.10 false not in the affected range [10.2.0, 10.2.9-h1)
}

// A vers from a CSAF product_version_range, and a misuse seen in the wild.
func ExampleParseVers() {
	v, err := vercmp.ParseVers("vers:npm/>=1.0.0|<1.4.2")
	if err != nil {
		log.Fatal(err)
	}
	in, why, err := v.ContainsString("1.3.9")
	fmt.Println(in, why, err)
	_, err = vercmp.ParseVers("vers:all/<V3.1.4")
	fmt.Println(err)
	// Output:
	// true between the constraints >=1.0.0 and <1.4.2 <nil>
	// vercmp: vers "vers:all/<V3.1.4": type "all" only takes the constraint "*" (vers:all/*), not "<V3.1.4" at position 9
}

// Vendor versions the generic scheme cannot order are an error, not a guess.
func ExampleGeneric() {
	fmt.Println(vercmp.Compare(vercmp.Generic(), "22.7R2", "22.7R2.3"))
	fmt.Println(vercmp.Compare(vercmp.Generic(), "22.7R2", "22.7.1"))
	// Output:
	// -1 <nil>
	// 0 vercmp: cannot order "22.7R2" and "22.7.1": word "R" where the other has the number 1
}
