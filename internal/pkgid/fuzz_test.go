package pkgid

import (
	"strings"
	"testing"
)

func FuzzParsePURL(f *testing.F) {
	for _, s := range []string{
		"pkg:golang/github.com/Azure/azure-sdk-for-go@v51.1.0+incompatible",
		"pkg:golang/go.opencensus.io/go.opencensus.io@v0.23.0",
		"pkg:golang/std@go1.21.0",
		"pkg:npm/%40angular/animation@12.3.1",
		"pkg:pypi/Django_REST@1",
		"pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=sources&repositorY_url=repo.spring.io/release",
		"pkg:deb/ubuntu/pcre3@2%3A8.39-12ubuntu0.1?arch=amd64&distro=focal&source=pcre3",
		"pkg:deb/debian/libpcre3@2:8.39-13?upstream=pcre3%402%3A8.39-13&distro=debian-11",
		"pkg:rpm/redhat/openssl-libs@1.1.1k-7.el8_6?distro=rhel-8.6&epoch=1&upstream=openssl-1.1.1k-7.el8_6.src.rpm",
		"pkg:rpm/redhat/x@1.0-1.module+el8.6.0+1234",
		"pkg:apk/alpine/zlib@1.2.12-r1?arch=x86_64&distro=3.22.0&origin=zlib",
		"pkg:GOLANG/google.golang.org/genproto@abcdedf#/googleapis/api/annotations/",
		"pkg:cargo/Remove_Dir_All@0.5.3",
		"pkg:///maven/org.apache.commons/io",
		"pkg:npm/@",
		"pkg:golang/%zz",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePURL(s)
		if err != nil {
			if p.Key != "" {
				t.Errorf("error %v with a Key %q", err, p.Key)
			}
			return
		}
		if !strings.HasPrefix(p.Key, "pkg:"+p.Type+"/") || p.SourceKey == "" {
			t.Errorf("%q: Key %q, SourceKey %q", s, p.Key, p.SourceKey)
		}
		if p.FoldKey != strings.ToLower(p.Key) {
			t.Errorf("%q: FoldKey %q", s, p.FoldKey)
		}
		_ = p.OSVName()
		_ = NormalizeVersion(p.Ecosystem, p.Version)
		// An ecosystem package with an OSV name round-trips through
		// FromEcosystem to the same Key, except where the purl carries
		// what an OSV name cannot (a Maven group with ":", an npm
		// namespace without "@", a Go path that is only a namespace, a
		// source package that differs from the binary).
		if p.Ecosystem != "" && p.Ecosystem != "Maven" && p.Ecosystem != "npm" && p.Key == p.SourceKey {
			q, err := FromEcosystem(p.Ecosystem, p.OSVName())
			if err == nil && q.Key != p.Key && strings.TrimSpace(p.OSVName()) == p.OSVName() {
				t.Errorf("%q: FromEcosystem(%q, %q).Key = %q, ParsePURL Key %q", s, p.Ecosystem, p.OSVName(), q.Key, p.Key)
			}
		}
	})
}

func FuzzParseCPE(f *testing.F) {
	for _, s := range []string{
		"cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*",
		`cpe:2.3:a:veeam:backup_\&_replication:*:*:*:*:*:*:*:*`,
		"cpe:2.3:a:Azure:azure-sdk-for-go:v51.1.0+incompatible:*:*:*:*:*:*:*",
		"cpe:2.3:a:microsoft:internet_explorer:8.*:sp?:*:*:*:*:*:*",
		`cpe:2.3:a:micr\?osoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*`,
		`cpe:2.3:a:v:p:\-:-`,
		"cpe:/a:redhat:enterprise_linux:9::appstream",
		"cpe:/a:hp:insight_diagnostics:7.4.0.1570::~~online~win2003~x64~",
		"cpe:/a:foo%5cbar:big%24money_manager_2010:2010:u5:~legacy_edition~special~ipod_touch~80gb~other:EN-us",
		"cpe:/a:microsoft:internet_explorer%01%01%01%01:?:beta",
		"cpe:/a:microsoft:internet_explorer:8.%2a:sp%3f",
		"cpe:2.3:a:v:p:1.*.3",
		`cpe:2.3:a:v:p:1\`,
		"cpe:2.3:o:fortinet:fortios",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCPE(s)
		if err != nil {
			if c != (CPE{}) {
				t.Errorf("error %v with a non-zero CPE", err)
			}
			return
		}
		fs := c.String()
		again, err := ParseCPE(fs)
		if err != nil {
			t.Fatalf("ParseCPE(%q).String() = %q does not parse: %v", s, fs, err)
		}
		if again != c {
			t.Fatalf("ParseCPE(%q) = %+v\nString %q parses to %+v", s, c, fs, again)
		}
		if again.String() != fs {
			t.Fatalf("String is not stable: %q then %q", fs, again.String())
		}
		_ = c.Key()
		// A name compared with itself: EQUAL unless it holds wildcards
		// (then the target is UNDEFINED).
		if r := Compare(c, c); r != Equal && r != Undefined {
			t.Errorf("Compare(%q, itself) = %v", s, r)
		}
		if ok, why := Match(c, c); ok != (c.Key() != "" && Compare(c, c) == Equal) {
			t.Errorf("Match(%q, itself) = %v (%s)", s, ok, why)
		}
	})
}
