package register

import "testing"

func TestRegionsOverlap(t *testing.T) {
	cases := []struct {
		org, group []string
		want       bool
	}{
		{[]string{"uk", "eu"}, []string{"de"}, true},       // Germany is in the EU
		{[]string{"de"}, []string{"eu"}, true},             // an EU-wide group serves Germany
		{[]string{"United Kingdom"}, []string{"GB"}, true}, // synonyms
		{[]string{"uk", "eu"}, []string{"us-tx"}, false},   // a US state
		{[]string{"us"}, []string{"us-tx"}, true},          // subdivision of the country
		{[]string{"uk"}, []string{"europe"}, true},         // Europe contains the UK
		{[]string{"uk"}, []string{"eu"}, false},            // the EU does not
		{[]string{"fr"}, []string{"emea"}, true},           // EMEA ⊃ Europe ⊃ EU ⊃ FR
		{[]string{"jp"}, []string{"North America"}, false}, // named area, not containing
		{[]string{"ca"}, []string{"north-america"}, true},  // …containing
		{[]string{"uk"}, []string{"worldwide"}, true},      // global
		{[]string{"global"}, []string{"sg"}, true},         // a global organisation
		{[]string{"atlantis"}, []string{"atlantis"}, true}, // unknown names compare equal
		{[]string{"atlantis"}, []string{"lemuria"}, false},
	}
	for _, c := range cases {
		if got := regionsOverlap(c.org, c.group); got != c.want {
			t.Errorf("regionsOverlap(%q, %q) = %v, want %v", c.org, c.group, got, c.want)
		}
	}
}

func TestSectorsOverlap(t *testing.T) {
	cases := []struct {
		org, group []string
		want       bool
	}{
		{[]string{"financial-services"}, []string{"Banking"}, true},
		{[]string{"financial-services"}, []string{"all"}, true},
		{[]string{"financial services"}, []string{"Healthcare"}, false},
		{[]string{"health"}, []string{"healthcare"}, true},
	}
	for _, c := range cases {
		if got := sectorsOverlap(c.org, c.group); got != c.want {
			t.Errorf("sectorsOverlap(%q, %q) = %v, want %v", c.org, c.group, got, c.want)
		}
	}
}

func TestVagueAndAuthorityNames(t *testing.T) {
	vague := []string{"Twitter", "X", "LinkedIn groups", "reddit", "The news", "Google Alerts", "Security news", "Various blogs", "Infosec Twitter",
		"X (formerly Twitter)", "Several Twitter accounts", "Vendor websites", "News sites", "Social media monitoring"}
	specific := []string{"Hacker News", "CISA on X (@CISAgov)", "Google Project Zero", "r/netsec moderators' list", "oss-security mailing list", "NCSC",
		"IBM X-Force", "The DFIR Report", "IT-ISAC", "Media-ISAC"}
	for _, n := range vague {
		if _, ok := vagueName(n); !ok {
			t.Errorf("vagueName(%q) = false, want true", n)
		}
	}
	for _, n := range specific {
		if what, ok := vagueName(n); ok {
			t.Errorf("vagueName(%q) = %q, want not vague", n, what)
		}
	}
	authorities := []string{"Financial Conduct Authority", "Information Commissioner's Office", "Metropolitan Police Cyber Crime Unit", "BaFin", "Europol EC3", "National Crime Agency",
		"Prudential Regulation Authority", "Central Bank of Ireland (supervisory authority)"}
	notAuthorities := []string{"UK National Cyber Security Centre", "CERT-EU", "FS-ISAC", "Commissioning Engineers Forum",
		"Certification Authority Browser Forum", "International Electrotechnical Commission (IEC)", "FBI InfraGard",
		"Data Protection Officers Network", "SCADA (Supervisory Control and Data Acquisition) Security Forum"}
	for _, n := range authorities {
		if _, ok := authorityName(n); !ok {
			t.Errorf("authorityName(%q) = false, want true", n)
		}
	}
	for _, n := range notAuthorities {
		if w, ok := authorityName(n); ok {
			t.Errorf("authorityName(%q) = %q, want not an authority", n, w)
		}
	}
}
