package pkgid

import (
	"strings"
	"testing"
)

// NISTIR 7696 Table 6-2, row by row, with values chosen by hand: i and k
// are different wildcard-free values, m + wild cards a value with
// wildcards.
func TestCompareAttrTable62(t *testing.T) {
	for _, tt := range []struct {
		row            int
		source, target string
		want           Relation
	}{
		{1, Any, Any, Equal},
		{2, Any, NA, Superset},
		{3, Any, "7.2.4", Superset},
		{4, Any, "7.2.*", Undefined},
		{5, NA, Any, Subset},
		{6, NA, NA, Equal},
		{7, NA, "7.2.4", Disjoint},
		{8, NA, "7.2.*", Undefined},
		{9, "7.2.4", "7.2.4", Equal},
		{10, "7.2.4", "7.2.5", Disjoint},
		{11, "7.2.4", "7.2.?", Undefined},
		{12, "7.2.4", NA, Disjoint},
		{13, "7.2.4", Any, Subset},
		{14, "7.2.*", "7.2.4", Superset},
		{14, "7.2.*", "7.3.0", Disjoint},
		{15, "7.2.*", Any, Subset},
		{16, "7.2.*", NA, Disjoint},
		{17, "7.2.*", "7.*", Undefined},
	} {
		if got := CompareAttr(tt.source, tt.target); got != tt.want {
			t.Errorf("row %d: CompareAttr(%q, %q) = %v, want %v", tt.row, tt.source, tt.target, got, tt.want)
		}
	}
}

// Wildcard semantics of compare_strings (NISTIR 7696 §6.1.2): "*" any
// run, n "?" at most n characters at that end; quoted characters are
// literal; comparison ignores case.
func TestCompareAttrWildcards(t *testing.T) {
	for _, tt := range []struct {
		source, target string
		want           Relation
	}{
		{"*", "anything", Superset},
		{"8.*", "8.0.6001", Superset},
		{"8.*", "8.", Superset},
		{"8.*", "9.0", Disjoint},
		{"*_server", "http_server", Superset},
		{"*_server", "http_server_x", Disjoint},
		{"*ver*", "http_server_x", Superset},
		{"?abc", "xabc", Superset},
		{"?abc", "abc", Superset}, // "?" at an end: at most one
		{"?abc", "xyabc", Disjoint},
		{"??abc", "xyabc", Superset},
		{"abc??", "abcde", Superset},
		{"abc??", "abcdef", Disjoint},
		{"sp?", "sp2", Superset},
		{"sp?", "sp", Superset},
		{"sp?", "sp10", Disjoint},
		{"?", "a", Superset},
		{"?", "ab", Disjoint},
		{`\*abc`, `\*abc`, Equal},
		{`\*abc`, "xabc", Disjoint},
		{`abc\?`, `abc\?`, Equal},
		{`foo\?*`, `foo\?bar`, Superset},
		{`foo\?*`, `foobar`, Disjoint},
		{"Windows_10_21H2", "windows_10_21h2", Equal},
		{"WIN*", "windows", Superset},
		{"", "x", Superset},
		{"x", "", Subset},
	} {
		got := CompareAttr(tt.source, tt.target)
		if got != tt.want {
			t.Errorf("CompareAttr(%q, %q) = %v, want %v", tt.source, tt.target, got, tt.want)
		}
	}
}

func mustCPE(t *testing.T, s string) CPE {
	t.Helper()
	c, err := ParseCPE(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Name comparison (NISTIR 7696 §7) on the examples of the NIST reference
// implementation's CPENameMatcherTest, and on the DependencyTrack cases.
func TestCompareNames(t *testing.T) {
	ie := cpe("a", "microsoft", "internet_explorer", "8.0.6001", "beta", Any, "sp2")
	ieAny := cpe("a", "microsoft", "internet_explorer")
	if got := Compare(ie, ieAny); got != Subset {
		t.Errorf("Compare(ie 8.0.6001 beta sp2, ie) = %v, want SUBSET", got)
	}
	if got := Compare(ieAny, ie); got != Superset {
		t.Errorf("Compare(ie, ie 8.0.6001 beta sp2) = %v, want SUPERSET", got)
	}
	if got := Compare(ie, ie); got != Equal {
		t.Errorf("Compare(ie, ie) = %v, want EQUAL", got)
	}
	// Edition palmos against NA: DISJOINT.
	src := mustCPE(t, "cpe:2.3:a:adobe:*:9.*:*:PalmOS:*:*:*:*:*")
	tgt := mustCPE(t, "cpe:/a::Reader:9.3.2:-:-")
	if got := Compare(src, tgt); got != Disjoint {
		t.Errorf("Compare(adobe palmos, reader) = %v, want DISJOINT", got)
	}
	// DependencyTrack #1929: h:intel:* against *:*:xrandr:1.5.1 mixes
	// SUBSET (part, vendor) and SUPERSET (product, version).
	intel := mustCPE(t, "cpe:2.3:h:intel:*:*:*:*:*:*:*:*:*")
	xrandr := mustCPE(t, "cpe:2.3:*:*:xrandr:1.5.1:*:*:*:*:*:*:*")
	if got := Compare(intel, xrandr); got != Undefined {
		t.Errorf("Compare(intel, xrandr) = %v, want UNDEFINED (mixed)", got)
	}
}

func TestMatch(t *testing.T) {
	for _, tt := range []struct {
		name                string
		advisory, component string
		ok                  bool
		why                 string // the whole sentence, or a part of it after "…"
	}{
		{"brief example: version ANY covers", "cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*", "cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*",
			true, "CPE vendor fortinet and product fortios are equal; advisory version * covers 7.2.4"},
		{"equal versions (NVD xz)", "cpe:2.3:a:tukaani:xz:5.6.1:*:*:*:*:*:*:*", "cpe:2.3:a:tukaani:xz:5.6.1:*:*:*:*:*:*:*",
			true, "CPE vendor tukaani and product xz are equal; versions are equal (5.6.1)"},
		{"different specific versions", "cpe:2.3:a:tukaani:xz:5.6.1:*:*:*:*:*:*:*", "cpe:2.3:a:tukaani:xz:5.4.6:*:*:*:*:*:*:*",
			false, "CPE versions differ: advisory 5.6.1, component 5.4.6"},
		{"CVE 5 cpes carry the range start, not a single version", "cpe:2.3:o:fortinet:fortios:7.2.0:*:*:*:*:*:*:*", "cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*",
			false, "CPE versions differ: advisory 7.2.0, component 7.2.4"},
		{"advisory pattern", "cpe:2.3:o:fortinet:fortios:7.2.*:*:*:*:*:*:*:*", "cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*",
			true, "CPE vendor fortinet and product fortios are equal; advisory version 7.2.* covers 7.2.4"},
		{"component without version", "cpe:2.3:o:fortinet:fortios:7.2.0:*:*:*:*:*:*:*", "cpe:2.3:o:fortinet:fortios",
			true, "CPE vendor fortinet and product fortios are equal; advisory version 7.2.0, component CPE gives no version"},
		{"neither has a version", "cpe:2.3:a:google:chrome:*:*:*:*:*:*:*:*", "cpe:2.3:a:google:chrome:*:*:*:*:*:*:*:*",
			true, "CPE vendor google and product chrome are equal; neither CPE gives a version"},
		{"DT #3268: NA version against a real version", "cpe:2.3:a:apache:http_server:-:*:*:*:*:*:*:*", "cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*",
			false, "advisory CPE version - (not applicable) does not match component version 2.4.57"},
		{"NA version against ANY", "cpe:2.3:a:connectwise:screenconnect:-:*:*:*:*:*:*:*", "cpe:2.3:a:connectwise:screenconnect:*:*:*:*:*:*:*:*",
			true, "CPE vendor connectwise and product screenconnect are equal; advisory version -, component CPE gives no version"},
		{"NA version against NA", "cpe:2.3:a:connectwise:screenconnect:-:*:*:*:*:*:*:*", "cpe:2.3:a:connectwise:screenconnect:-:*:*:*:*:*:*:*",
			true, "…versions are equal (-)"},
		{"DT #3178: component vendor ANY", "cpe:2.3:h:amd:*:*:*:*:*:*:*:*:*", "cpe:2.3:a:*:zstandard:1.5.2:*:*:*:*:*:*:*",
			false, "advisory CPE amd:* is too generic (vendor and product must both be named)"},
		{"DT #3178: advisory product ANY", "cpe:2.3:a:pascom_cloud_phone_system:*:*:*:*:*:*:*:*:*", "cpe:2.3:a:pascom_cloud_phone_system:pbx:1:*:*:*:*:*:*:*",
			false, "advisory CPE pascom_cloud_phone_system:* is too generic (vendor and product must both be named)"},
		{"DT #1929: component with ANY part and vendor", "cpe:2.3:h:intel:xrandr:*:*:*:*:*:*:*:*", "cpe:2.3:*:*:xrandr:1.5.1:*:*:*:*:*:*:*",
			false, "component CPE *:xrandr is too generic (vendor and product must both be named)"},
		{"NA vendor", "cpe:2.3:a:-:x:*", "cpe:2.3:a:-:x:1",
			false, "advisory CPE -:x is too generic (vendor and product must both be named)"},
		{"advisory vendor wildcard", "cpe:2.3:a:micro*:edge:*", "cpe:2.3:a:microsoft:edge:1",
			false, "advisory CPE micro*:edge is too generic (vendor and product must both be named)"},
		{"vendor differs", "cpe:2.3:a:nextcloud:mail:*:*:*:*:*:*:*:*", "cpe:2.3:a:javax:mail:1.4.7:*:*:*:*:*:*:*",
			false, "CPE vendor nextcloud differs from javax"},
		{"product differs", "cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*", "cpe:2.3:o:fortinet:fortimanager:7.2.4:*:*:*:*:*:*:*",
			false, "CPE product fortinet:fortios differs from fortinet:fortimanager"},
		{"appliance: the box is not its OS", "cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*", "cpe:2.3:h:fortinet:fortigate_100f:-:*:*:*:*:*:*:*",
			false, "CPE product fortinet:fortios differs from fortinet:fortigate_100f"},
		{"part differs", "cpe:2.3:a:paloaltonetworks:pan-os:*:*:*:*:*:*:*:*", "cpe:2.3:o:paloaltonetworks:pan-os:10.2.4:*:*:*:*:*:*:*",
			false, "CPE part a (application) differs from o (operating system) for paloaltonetworks:pan-os"},
		{"advisory part ANY", "cpe:2.3:*:paloaltonetworks:pan-os:*:*:*:*:*:*:*:*", "cpe:2.3:o:paloaltonetworks:pan-os:10.2.4:*:*:*:*:*:*:*",
			true, "CPE vendor paloaltonetworks and product pan-os are equal; advisory version * covers 10.2.4"},
		{"target_sw named by the advisory only (CPE-Parser #30)", "cpe:2.3:a:jenkins:ftp_publisher:*:*:*:*:*:jenkins:*:*", "cpe:2.3:a:jenkins:ftp_publisher:1.2:*:*:*:*:*:*:*",
			true, "CPE vendor jenkins and product ftp_publisher are equal; advisory version * covers 1.2; advisory target_sw jenkins but the component names no target_sw (ANY)"},
		{"target_sw differs", "cpe:2.3:a:jenkins:ftp_publisher:*:*:*:*:*:jenkins:*:*", "cpe:2.3:a:jenkins:ftp_publisher:1.2:*:*:*:*:node.js:*:*",
			false, "CPE target_sw differs: advisory jenkins, component node.js"},
		{"target_hw differs (Microsoft CNA)", "cpe:2.3:o:microsoft:windows_10_21H2:10.0.19044.4046:*:*:*:*:*:arm64:*", "cpe:2.3:o:microsoft:windows_10_21h2:10.0.19044.4046:*:*:*:*:*:x64:*",
			false, "CPE target_hw differs: advisory arm64, component x64"},
		{"target_hw equal, case folded", "cpe:2.3:o:microsoft:windows_10_21H2:10.0.19044.4046:*:*:*:*:*:x64:*", "cpe:2.3:o:microsoft:windows_10_21h2:10.0.19044.4046:*:*:*:*:*:x64:*",
			true, "CPE vendor microsoft and product windows_10_21h2 are equal; versions are equal (10.0.19044.4046)"},
		{"DT #2988: other NA against ANY", "cpe:2.3:o:linux:linux_kernel:5.15.37:*:*:*:*:*:*:-", "cpe:2.3:o:linux:linux_kernel:5.15.37:*:*:*:*:*:*:*",
			true, "CPE vendor linux and product linux_kernel are equal; versions are equal (5.15.37)"},
		{"update NA against r1 (Ivanti)", "cpe:2.3:a:ivanti:connect_secure:22.2:-:*:*:*:*:*:*", "cpe:2.3:a:ivanti:connect_secure:22.2:r1:*:*:*:*:*:*",
			false, "CPE update differs: advisory -, component r1"},
		{"update r1 against ANY", "cpe:2.3:a:ivanti:connect_secure:22.3:r1:*:*:*:*:*:*", "cpe:2.3:a:ivanti:connect_secure:22.3:*:*:*:*:*:*:*",
			true, "CPE vendor ivanti and product connect_secure are equal; versions are equal (22.3); advisory update r1 but the component names no update (ANY)"},
		{"Red Hat CPE 2.2 edition", "cpe:/a:redhat:enterprise_linux:9::appstream", "cpe:2.3:a:redhat:enterprise_linux:9:*:*:*:*:*:*:*",
			true, "CPE vendor redhat and product enterprise_linux are equal; versions are equal (9); advisory edition appstream but the component names no edition (ANY)"},
		{"Red Hat part and edition differ", "cpe:/a:redhat:enterprise_linux:9::appstream", "cpe:/o:redhat:enterprise_linux:9::baseos",
			false, "CPE part a (application) differs from o (operating system) for redhat:enterprise_linux"},
		{"component version wildcard", "cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*", "cpe:2.3:o:fortinet:fortios:7.*:*:*:*:*:*:*:*",
			false, "component CPE version 7.* has wildcards; a component must name one version"},
		{"advisory product pattern is refused", "cpe:2.3:a:citrix:netscaler_*:13.1:*:*:*:*:*:*:*", "cpe:2.3:a:citrix:netscaler_gateway:13.1:*:*:*:*:*:*:*",
			false, "advisory CPE citrix:netscaler_* is too generic (vendor and product must both be named)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ok, why := Match(mustCPE(t, tt.advisory), mustCPE(t, tt.component))
			if ok != tt.ok {
				t.Errorf("Match = %v (%s), want %v", ok, why, tt.ok)
			}
			if want, part := strings.CutPrefix(tt.why, "…"); part {
				if !strings.Contains(why, want) {
					t.Errorf("why = %q, want it to contain %q", why, want)
				}
			} else if why != tt.why {
				t.Errorf("why = %q\nwant  %q", why, tt.why)
			}
		})
	}
}

func TestRelationString(t *testing.T) {
	for r, want := range map[Relation]string{Disjoint: "DISJOINT", Subset: "SUBSET", Superset: "SUPERSET",
		Equal: "EQUAL", Undefined: "UNDEFINED", Relation(9): "Relation(9)"} {
		if got := r.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(r), got, want)
		}
	}
}
