package triage

import (
	"slices"
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, name, vendor string }{
		{"  SimpleHelp ", "simplehelp", "simplehelp"},
		{"Microsoft Corporation", "microsoft corporation", "microsoft"},
		{"The Apache Software Foundation", "the apache software foundation", "apache software foundation"},
		{"Palo Alto Networks, Inc.", "palo alto networks inc", "palo alto networks"},
		{"FortiOS SSL-VPN", "fortios ssl vpn", "fortios ssl vpn"},
		{"Inc", "inc", "inc"}, // a lone suffix is the name itself
		{"", "", ""},
	} {
		if got := normalizeName(tc.in); got != tc.name {
			t.Errorf("normalizeName(%q) = %q, want %q", tc.in, got, tc.name)
		}
		if got := normalizeVendor(tc.in); got != tc.vendor {
			t.Errorf("normalizeVendor(%q) = %q, want %q", tc.in, got, tc.vendor)
		}
	}
}

func TestSplitProductList(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"FortiOS", []string{"fortios"}},
		{"FortiOS and FortiProxy SSL-VPN", []string{"fortios", "fortiproxy ssl vpn"}},
		{"Application Delivery Controller (ADC), Gateway, and SD-WAN WANOP Appliance",
			// The distributive heuristic also yields "application gateway": harmless,
			// since matching is within one vendor (Citrix has no such product).
			[]string{"application delivery controller adc", "gateway", "sd wan wanop appliance", "application gateway"}},
		{"Confluence Server/Data Center", []string{"confluence server", "data center", "confluence data center"}},
		{"Confluence Data Center and Server", []string{"confluence data center", "server", "confluence server"}},
		{"NetScaler ADC and Gateway", []string{"netscaler adc", "gateway", "netscaler gateway"}},
		{"IOS, XR, and XE Software", []string{"ios", "xr", "xe software"}},
		{"and", nil},
	} {
		if got := splitProductList(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("splitProductList(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMatchIdentity(t *testing.T) {
	table := compileAliases(DefaultAliases())
	for _, tc := range []struct {
		name                  string
		advVendor, advProduct string
		compVendor, compProd  string
		want                  Confidence
	}{
		{"exact", "Fortinet", "FortiOS", "Fortinet", "FortiOS", ConfidenceHigh},
		{"trailing_space_and_case", "SimpleHelp ", "SimpleHelp", "simplehelp", "SIMPLEHELP", ConfidenceHigh},
		{"list_item", "Fortinet", "FortiOS and FortiProxy", "Fortinet", "FortiProxy", ConfidenceHigh},
		{"vendor_suffix", "Microsoft", "Exchange Server", "Microsoft Corporation", "Exchange Server", ConfidenceHigh},
		{"vendor_prefix", "Palo Alto Networks", "PAN-OS", "Palo Alto", "PAN-OS", ConfidenceHigh},
		{"alias_adc", "Citrix", "Application Delivery Controller (ADC), Gateway, and SD-WAN WANOP Appliance", "Citrix", "NetScaler ADC", ConfidenceHigh},
		{"alias_netscaler_vendor", "Citrix", "NetScaler ADC and NetScaler Gateway", "NetScaler", "NetScaler Gateway", ConfidenceHigh},
		{"alias_chromium_wildcard", "Google", "Chromium V8", "Google", "Chrome", ConfidenceHigh},
		{"alias_win32k", "Microsoft", "Win32k", "Microsoft", "Windows", ConfidenceHigh},
		{"contained", "Fortinet", "FortiOS and FortiProxy SSL-VPN", "Fortinet", "FortiProxy", ConfidenceMedium},
		{"windows_broader_than_edition", "Microsoft", "Windows", "Microsoft", "Windows Server 2022", ConfidenceLow},
		{"distinct_extra_word", "Cisco", "IOS XE Software", "Cisco", "IOS", ConfidenceLow},
		{"evolved", "Juniper Networks", "Junos OS Evolved", "Juniper", "Junos OS", ConfidenceLow},
		{"chrome_os_is_not_chrome", "Google", "Chrome OS", "Google", "Chrome", ConfidenceLow},
		// The advisory names something broader than the component: IOS is
		// not IOS XE (a person must confirm).
		{"advisory_broader", "Cisco", "IOS Software", "Cisco", "IOS XE Software", ConfidenceLow},
		{"multiple_products", "Fortinet", "Multiple Products", "Fortinet", "FortiOS", ConfidenceLow},
		// Negative cases: these are the false positives users complain about.
		{"other_vendor", "Fortinet", "FortiOS", "Palo Alto Networks", "FortiOS", ""},
		{"other_product", "Fortinet", "FortiWeb", "Fortinet", "FortiOS", ""},
		{"distributed_list", "Atlassian", "Confluence Data Center and Server", "Atlassian", "Confluence Server", ConfidenceHigh},
		{"weak_word_only", "Atlassian", "Confluence Data Center and Server", "Atlassian", "Jira Server", ""},
		{"ios_xr_vs_xe", "Cisco", "IOS XR", "Cisco", "IOS XE", ""},
		{"vendor_word_prefix_is_not_vendor", "Apple", "iOS", "Applebee", "iOS", ""},
		{"empty_component_product", "Fortinet", "FortiOS", "Fortinet", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, why := matchIdentity(table.identityOf(tc.advVendor, tc.advProduct), table.identityOf(tc.compVendor, tc.compProd))
			if got != tc.want {
				t.Fatalf("confidence = %q (%s), want %q", got, why, tc.want)
			}
			if got != "" && why == "" {
				t.Fatal("a match must say why")
			}
		})
	}
}

func TestAliasesMergeDoesNotAlias(t *testing.T) {
	a := DefaultAliases()
	b := Aliases{Vendors: map[string][]string{"citrix": {"cloud sw grp"}}}
	m := a.Merge(b)
	if got := len(m.Vendors["citrix"]); got != len(a.Vendors["citrix"])+1 {
		t.Fatalf("merged citrix aliases = %d, want %d", got, len(a.Vendors["citrix"])+1)
	}
	if slices.Contains(a.Vendors["citrix"], "cloud sw grp") {
		t.Fatal("Merge modified its receiver")
	}
	table := compileAliases(m)
	if got := table.canonicalVendor(normalizeVendor("Cloud SW Grp")); got != "citrix" {
		t.Fatalf("user alias not applied: %q", got)
	}
}

func TestVendorKey(t *testing.T) {
	key := DefaultAliases().VendorKey()
	same := [][2]string{{"Pulse Secure, LLC", "Ivanti"}, {"Citrix Systems, Inc.", "NetScaler"}, {"The Apache Software Foundation", "apache software foundation"}}
	for _, p := range same {
		if key(p[0]) != key(p[1]) {
			t.Errorf("VendorKey(%q) = %q, VendorKey(%q) = %q; want equal", p[0], key(p[0]), p[1], key(p[1]))
		}
	}
	if key("Fortinet") == key("Ivanti") {
		t.Errorf("Fortinet and Ivanti have the same key %q", key("Fortinet"))
	}
}
