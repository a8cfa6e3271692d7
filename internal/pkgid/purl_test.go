package pkgid

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Expected values in this file are written by hand from the purl spec's
// type definitions, the OSV ecosystem list (ecosystems.json) and PEP 503.

func TestParsePURLKeys(t *testing.T) {
	for _, tt := range []struct {
		purl                  string
		key, sourceKey        string
		eco, release, version string
		osvName               string
	}{
		// Go: case kept, v kept in Version, subpath ignored.
		{"pkg:golang/github.com/Azure/azure-sdk-for-go@v51.1.0+incompatible",
			"pkg:golang/github.com/Azure/azure-sdk-for-go", "", "Go", "", "v51.1.0+incompatible", "github.com/Azure/azure-sdk-for-go"},
		{"pkg:golang/github.com/Azure/azure-amqp-common-go/v3@v3.0.1",
			"pkg:golang/github.com/Azure/azure-amqp-common-go/v3", "", "Go", "", "v3.0.1", "github.com/Azure/azure-amqp-common-go/v3"},
		{"pkg:GOLANG/google.golang.org/genproto@abcdedf#/googleapis/api/annotations/",
			"pkg:golang/google.golang.org/genproto", "", "Go", "", "abcdedf", "google.golang.org/genproto"},
		{"pkg:golang/golang.org/x/net@v0.0.0-20210520170846-37e1c6afe023",
			"pkg:golang/golang.org/x/net", "", "Go", "", "v0.0.0-20210520170846-37e1c6afe023", "golang.org/x/net"},
		{"pkg:golang/go.opencensus.io/go.opencensus.io@v0.23.0", // syft's spelling of a path without "/"
			"pkg:golang/go.opencensus.io", "", "Go", "", "v0.23.0", "go.opencensus.io"},
		{"pkg:golang/stdlib@1.21.0", KeyGoStdlib, "", "Go", "", "1.21.0", "stdlib"},
		{"pkg:golang/std@go1.21.0", KeyGoStdlib, "", "Go", "", "go1.21.0", "stdlib"},
		{"pkg:golang/toolchain@1.21.0", KeyGoToolchain, "", "Go", "", "1.21.0", "toolchain"},
		// npm: scope, lower case; "@" restored.
		{"pkg:npm/%40angular/animation@12.3.1", "pkg:npm/@angular/animation", "", "npm", "", "12.3.1", "@angular/animation"},
		{"pkg:npm/@babel/core", "pkg:npm/@babel/core", "", "npm", "", "", "@babel/core"},
		{"pkg:npm/JSONStream@1.3.5", "pkg:npm/jsonstream", "", "npm", "", "1.3.5", "JSONStream"},
		{"pkg:npm/angular/core@1", "pkg:npm/@angular/core", "", "npm", "", "1", "angular/core"},
		// PyPI: PEP 503.
		{"pkg:pypi/Django_REST@1", "pkg:pypi/django-rest", "", "PyPI", "", "1", "django-rest"},
		{"pkg:PYPI/Zope.Interface@5.0", "pkg:pypi/zope-interface", "", "PyPI", "", "5.0", "zope-interface"},
		// Maven: case kept, qualifiers ignored.
		{"pkg:maven/com.google.guava/guava@24.1.1-jre?type=jar", "pkg:maven/com.google.guava/guava", "", "Maven", "", "24.1.1-jre", "com.google.guava:guava"},
		{"pkg:maven/HTTPClient/HTTPClient@0.3-3", "pkg:maven/HTTPClient/HTTPClient", "", "Maven", "", "0.3-3", "HTTPClient:HTTPClient"},
		{"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?classifier=sources", "pkg:maven/org.apache.logging.log4j/log4j-core", "", "Maven", "", "2.14.1", "org.apache.logging.log4j:log4j-core"},
		// Case-insensitive registries.
		{"pkg:nuget/Newtonsoft.Json@13.0.1", "pkg:nuget/newtonsoft.json", "", "NuGet", "", "13.0.1", "Newtonsoft.Json"},
		{"pkg:composer/Laravel/Framework@7.12.0", "pkg:composer/laravel/framework", "", "Packagist", "", "7.12.0", "laravel/framework"},
		{"pkg:cargo/Remove_Dir_All@0.5.3", "pkg:cargo/remove-dir-all", "", "crates.io", "", "0.5.3", "Remove_Dir_All"},
		{"pkg:gem/Rails@7.0.0", "pkg:gem/Rails", "", "RubyGems", "", "7.0.0", "Rails"},
		{"pkg:pub/HTTP@1.0.0", "pkg:pub/http", "", "Pub", "", "1.0.0", "HTTP"},
		{"pkg:hex/Plug@1.14.0", "pkg:hex/plug", "", "Hex", "", "1.14.0", "Plug"},
		// deb: release, epoch, source.
		{"pkg:deb/ubuntu/pcre3@2%3A8.39-12ubuntu0.1?arch=amd64&distro=focal&source=pcre3",
			"pkg:deb/ubuntu/pcre3", "", "Ubuntu", "20.04", "2:8.39-12ubuntu0.1", "pcre3"},
		{"pkg:deb/debian/libpcre3@2:8.39-13?arch=amd64&upstream=pcre3%402%3A8.39-13&distro=debian-11",
			"pkg:deb/debian/libpcre3", "pkg:deb/debian/pcre3", "Debian", "11", "2:8.39-13", "pcre3"},
		{"pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie", "pkg:deb/debian/curl", "", "Debian", "8", "7.50.3-1", "curl"},
		{"pkg:deb/ubuntu/libssl3@3.0.2-0ubuntu1.10?distro=ubuntu-22.04&upstream=openssl",
			"pkg:deb/ubuntu/libssl3", "pkg:deb/ubuntu/openssl", "Ubuntu", "22.04", "3.0.2-0ubuntu1.10", "openssl"},
		{"pkg:deb/raspbian/curl@7.64.0", "pkg:deb/raspbian/curl", "", "", "", "7.64.0", "curl"},
		// rpm: epoch folded, release, namespace spellings, source rpm.
		{"pkg:rpm/redhat/openssl-libs@1.1.1k-7.el8_6?arch=x86_64&distro=rhel-8.6&epoch=1&upstream=openssl-1.1.1k-7.el8_6.src.rpm",
			"pkg:rpm/redhat/openssl-libs", "pkg:rpm/redhat/openssl", "Red Hat", "8.6", "1:1.1.1k-7.el8_6", "openssl-libs"},
		{"pkg:rpm/rhel/PyYAML@5.4.1-6.el9", "pkg:rpm/redhat/PyYAML", "", "Red Hat", "9", "5.4.1-6.el9", "PyYAML"},
		{"pkg:rpm/almalinux/kernel@5.14.0-503.el9?distro=almalinux-9.5&sourcerpm=kernel-5.14.0-503.el9.src.rpm",
			"pkg:rpm/almalinux/kernel", "", "AlmaLinux", "9.5", "5.14.0-503.el9", "kernel"},
		{"pkg:rpm/rocky-linux/bash@5.1.8-9.el9", "pkg:rpm/rocky/bash", "", "Rocky Linux", "9", "5.1.8-9.el9", "bash"},
		{"pkg:rpm/sles/libopenssl3@3.0.8-150500.5.8.1?distro=sles-15.5", "pkg:rpm/suse/libopenssl3", "", "SUSE", "15.5", "3.0.8-150500.5.8.1", "libopenssl3"},
		{"pkg:rpm/opensuse-leap/curl@8.0.1-150400.5.26.1", "pkg:rpm/opensuse/curl", "", "openSUSE", "", "8.0.1-150400.5.26.1", "curl"},
		{"pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25", "pkg:rpm/fedora/curl", "", "", "25", "7.50.3-1.fc25", "curl"},
		{"pkg:rpm/fedora/centerim@4.22.10-1.el6?arch=i686&epoch=1&distro=fedora-25", "pkg:rpm/fedora/centerim", "", "", "25", "1:4.22.10-1.el6", "centerim"},
		// apk.
		{"pkg:apk/alpine/zlib@1.2.12-r1?arch=x86_64&distro=3.22.0&origin=zlib", "pkg:apk/alpine/zlib", "", "Alpine", "3.22", "1.2.12-r1", "zlib"},
		{"pkg:apk/alpine/libcrypto3@3.1.4-r5?distro=alpine-3.18.2&upstream=openssl", "pkg:apk/alpine/libcrypto3", "pkg:apk/alpine/openssl", "Alpine", "3.18", "3.1.4-r5", "openssl"},
		{"pkg:apk/wolfi/glibc@2.38-r1", "pkg:apk/wolfi/glibc", "", "Wolfi", "", "2.38-r1", "glibc"},
		// Types without an OSV ecosystem.
		{"pkg:docker/customer/dockerimage@sha256:244fd47e07d1004f0aed9c?repository_url=gcr.io", "pkg:docker/customer/dockerimage", "", "", "", "sha256:244fd47e07d1004f0aed9c", "customer/dockerimage"},
		{"pkg:github/Package-url/purl-Spec@244fd47e07d1004f0aed9c", "pkg:github/package-url/purl-spec", "", "", "", "244fd47e07d1004f0aed9c", "package-url/purl-spec"},
		{"pkg:generic/openssl@1.1.10g", "pkg:generic/openssl", "", "", "", "1.1.10g", "openssl"},
	} {
		t.Run(tt.purl, func(t *testing.T) {
			p, err := ParsePURL(tt.purl)
			if err != nil {
				t.Fatal(err)
			}
			if tt.sourceKey == "" {
				tt.sourceKey = tt.key
			}
			got := [6]string{p.Key, p.SourceKey, p.Ecosystem, p.Release, p.Version, p.OSVName()}
			want := [6]string{tt.key, tt.sourceKey, tt.eco, tt.release, tt.version, tt.osvName}
			if got != want {
				t.Errorf("(Key, SourceKey, Ecosystem, Release, Version, OSVName)\n got %q\nwant %q", got, want)
			}
			if p.FoldKey != strings.ToLower(p.Key) {
				t.Errorf("FoldKey = %q, want lower-case Key", p.FoldKey)
			}
		})
	}
}

// The same package from a purl and from an OSV pair gives the same Key.
func TestKeyAgreesAcrossSources(t *testing.T) {
	for _, tt := range []struct {
		purl, eco, name, key string
	}{
		{"pkg:pypi/Django_REST@1", "PyPI", "django.rest", "pkg:pypi/django-rest"},
		{"pkg:pypi/requests", "PyPI", "Requests", "pkg:pypi/requests"},
		{"pkg:golang/github.com/Azure/go-amqp@v0.13.12", "Go", "github.com/Azure/go-amqp", "pkg:golang/github.com/Azure/go-amqp"},
		{"pkg:golang/stdlib@1.21.0", "Go", "stdlib", KeyGoStdlib},
		{"pkg:golang/toolchain", "Go", "toolchain", KeyGoToolchain},
		{"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar", "Maven", "org.apache.logging.log4j:log4j-core", "pkg:maven/org.apache.logging.log4j/log4j-core"},
		{"pkg:maven/org.apache.logging.log4j/log4j-core", "Maven:https://repo.maven.apache.org/maven2", "org.apache.logging.log4j:log4j-core", "pkg:maven/org.apache.logging.log4j/log4j-core"},
		{"pkg:npm/%40angular/core@1.0.0", "npm", "@angular/core", "pkg:npm/@angular/core"},
		{"pkg:npm/lodash", "npm", "lodash", "pkg:npm/lodash"},
		{"pkg:nuget/Newtonsoft.Json@13.0.1", "NuGet", "newtonsoft.json", "pkg:nuget/newtonsoft.json"},
		{"pkg:composer/Laravel/Framework", "Packagist", "laravel/framework", "pkg:composer/laravel/framework"},
		{"pkg:cargo/remove_dir_all@0.5.3", "crates.io", "remove_dir_all", "pkg:cargo/remove-dir-all"},
		{"pkg:gem/rails", "RubyGems", "rails", "pkg:gem/rails"},
		{"pkg:pub/http", "Pub", "http", "pkg:pub/http"},
		{"pkg:hex/plug", "Hex", "plug", "pkg:hex/plug"},
		{"pkg:deb/debian/pcre3@2:8.39-13?distro=debian-11", "Debian:11", "pcre3", "pkg:deb/debian/pcre3"},
		{"pkg:deb/ubuntu/pcre3?distro=focal", "Ubuntu:20.04:LTS", "pcre3", "pkg:deb/ubuntu/pcre3"},
		{"pkg:apk/alpine/openssl?arch=source", "Alpine:v3.18", "openssl", "pkg:apk/alpine/openssl"},
		{"pkg:apk/wolfi/glibc", "Wolfi", "glibc", "pkg:apk/wolfi/glibc"},
		{"pkg:apk/chainguard/glibc", "Chainguard", "glibc", "pkg:apk/chainguard/glibc"},
		{"pkg:rpm/redhat/PyYAML", "Red Hat:rhel_aus:8.6::appstream", "PyYAML", "pkg:rpm/redhat/PyYAML"},
		{"pkg:rpm/almalinux/kernel", "AlmaLinux:9", "kernel", "pkg:rpm/almalinux/kernel"},
		{"pkg:rpm/rocky/kernel", "Rocky Linux:9", "kernel", "pkg:rpm/rocky/kernel"},
		{"pkg:rpm/suse/openssl-3", "SUSE:Linux Enterprise Server 15 SP5", "openssl-3", "pkg:rpm/suse/openssl-3"},
		{"pkg:rpm/opensuse/curl", "openSUSE:Leap 15.5", "curl", "pkg:rpm/opensuse/curl"},
		{"pkg:cran/A3@0.9.1", "CRAN", "A3", "pkg:cran/A3"},
	} {
		t.Run(tt.purl, func(t *testing.T) {
			p, err := ParsePURL(tt.purl)
			if err != nil {
				t.Fatal(err)
			}
			q, err := FromEcosystem(tt.eco, tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if p.Key != tt.key || q.Key != tt.key {
				t.Errorf("ParsePURL Key %q, FromEcosystem Key %q, want %q", p.Key, q.Key, tt.key)
			}
			if p.Ecosystem != q.Ecosystem {
				t.Errorf("Ecosystem %q vs %q", p.Ecosystem, q.Ecosystem)
			}
			if p.Type != q.Type {
				t.Errorf("Type %q vs %q", p.Type, q.Type)
			}
		})
	}
}

// Go module paths are case-sensitive: two spellings are two modules (both
// github.com/0xJacky/Nginx-UI and github.com/0xJacky/nginx-ui are in the
// Go vulnerability database), and FoldKey joins them for a fallback.
func TestGoPathCase(t *testing.T) {
	a, err := ParsePURL("pkg:golang/github.com/Sirupsen/logrus@v1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParsePURL("pkg:golang/github.com/sirupsen/logrus@v1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	if a.Key == b.Key {
		t.Errorf("Key of different-case Go paths is equal: %q", a.Key)
	}
	if a.Key != "pkg:golang/github.com/Sirupsen/logrus" || a.Namespace != "github.com/Sirupsen" {
		t.Errorf("Key %q, Namespace %q: case lost", a.Key, a.Namespace)
	}
	if a.FoldKey != b.FoldKey {
		t.Errorf("FoldKey %q != %q", a.FoldKey, b.FoldKey)
	}
	// A percent-encoded segment keeps its case too.
	c, err := ParsePURL("pkg:golang/github.com/%41zure/go-amqp")
	if err != nil {
		t.Fatal(err)
	}
	if c.Key != "pkg:golang/github.com/Azure/go-amqp" {
		t.Errorf("Key = %q", c.Key)
	}
}

func TestPEP503(t *testing.T) {
	// The examples of PEP 503 ("Normalized Names"): all normalise to
	// friendly-bard.
	for _, in := range []string{"friendly-bard", "Friendly-Bard", "FRIENDLY-BARD", "friendly.bard",
		"friendly_bard", "friendly--bard", "FrIeNdLy-._.-bArD"} {
		if got := PEP503(in); got != "friendly-bard" {
			t.Errorf("PEP503(%q) = %q", in, got)
		}
	}
	if got := PEP503("a_"); got != "a-" {
		t.Errorf("PEP503(a_) = %q", got)
	}
}

func TestNormalizeVersion(t *testing.T) {
	for _, tt := range []struct{ eco, in, want string }{
		{"Go", "v1.2.3", "1.2.3"},
		{"Go", "v51.1.0+incompatible", "51.1.0+incompatible"},
		{"Go", "v0.0.0-20210520170846-37e1c6afe023", "0.0.0-20210520170846-37e1c6afe023"},
		{"Go", "go1.21.0", "1.21.0"},
		{"Go", " 1.21.0 ", "1.21.0"},
		{"Go", "vendor", "vendor"},
		{"go", "v2", "2"},
		{"npm", "v1.2.3", "v1.2.3"},
		{"Debian:11", "2%3A8.39-12ubuntu0.1", "2:8.39-12ubuntu0.1"},
		{"Maven", "1.0.0%20Final", "1.0.0 Final"},
		{"PyPI", "100%", "100%"}, // not a valid escape: kept
		{"", " 1.0 ", "1.0"},
	} {
		if got := NormalizeVersion(tt.eco, tt.in); got != tt.want {
			t.Errorf("NormalizeVersion(%q, %q) = %q, want %q", tt.eco, tt.in, got, tt.want)
		}
	}
}

func TestFromEcosystemRelease(t *testing.T) {
	for _, tt := range []struct{ eco, release string }{
		{"Debian", ""},
		{"Debian:11", "11"},
		{"Debian:sid", "sid"},
		{"Ubuntu:22.04:LTS", "22.04"},
		{"Ubuntu:Pro:18.04:LTS", "18.04"},
		{"Ubuntu:24.10", "24.10"},
		{"Alpine:v3.18", "3.18"},
		{"AlmaLinux:9", "9"},
		{"Rocky Linux:8", "8"},
		{"Red Hat:enterprise_linux:9::appstream", "9"},
		{"Red Hat:rhel_e4s:8.6::appstream", "8.6"},
		{"SUSE:Linux Enterprise Server 15 SP5", "linux enterprise server 15 sp5"},
		{"Wolfi", ""},
	} {
		p, err := FromEcosystem(tt.eco, "x")
		if err != nil {
			t.Fatalf("%s: %v", tt.eco, err)
		}
		if p.Release != tt.release {
			t.Errorf("FromEcosystem(%q).Release = %q, want %q", tt.eco, p.Release, tt.release)
		}
	}
}

func TestPURLRelease(t *testing.T) {
	for _, tt := range []struct{ purl, release string }{
		{"pkg:deb/debian/x@1?distro=debian-11", "11"},
		{"pkg:deb/debian/x@1?distro=debian-12.4", "12"},
		{"pkg:deb/debian/x@1?distro=bookworm", "12"},
		{"pkg:deb/debian/x@1?distro=sid", "sid"},
		{"pkg:deb/debian/x@1?distro=unstable", "sid"},
		{"pkg:deb/ubuntu/x@1?distro=ubuntu-22.04", "22.04"},
		{"pkg:deb/ubuntu/x@1?distro=jammy", "22.04"},
		{"pkg:deb/ubuntu/x@1?distro=ubuntu-20.04.6", "20.04"},
		{"pkg:deb/ubuntu/x@1?distro=warty", "warty"},
		{"pkg:deb/ubuntu/x@1", ""},
		{"pkg:apk/alpine/x@1?distro=v3.19", "3.19"},
		{"pkg:apk/alpine/x@1?distro=edge", "edge"},
		{"pkg:rpm/redhat/x@1.0-1.el9_2", "9"},
		{"pkg:rpm/redhat/x@1.0-1.module+el8.6.0+1234", "8"},
		{"pkg:rpm/redhat/x@1.0-1", ""},
		{"pkg:rpm/redhat/x@1.0-1.el7?distro=el9", "9"},
		{"pkg:rpm/fedora/x@1.0-1.el9", ""}, // el marker only for the Red Hat family
	} {
		p, err := ParsePURL(tt.purl)
		if err != nil {
			t.Fatal(err)
		}
		if p.Release != tt.release {
			t.Errorf("ParsePURL(%q).Release = %q, want %q", tt.purl, p.Release, tt.release)
		}
	}
}

func TestSameRelease(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"", "9", true},
		{"9", "", true},
		{"9", "9", true},
		{"8", "8.6", true},
		{"8.6", "8", true},
		{"8", "9", false},
		{"8", "80", false},
		{"8.6", "8.8", false},
		{"22.04", "22.04", true},
		{"20.04", "22.04", false},
		{"SID", "sid", true},
	} {
		if got := SameRelease(tt.a, tt.b); got != tt.want {
			t.Errorf("SameRelease(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}

func TestFromEcosystemOSVName(t *testing.T) {
	for _, tt := range [][2]string{
		{"Go", "github.com/Azure/go-amqp"},
		{"Go", "stdlib"},
		{"npm", "@angular/core"},
		{"Maven", "org.apache.logging.log4j:log4j-core"},
		{"Packagist", "laravel/framework"},
		{"Debian:11", "openssl"},
		{"Red Hat:enterprise_linux:9::appstream", "PyYAML"},
		{"crates.io", "remove_dir_all"},
	} {
		p, err := FromEcosystem(tt[0], tt[1])
		if err != nil {
			t.Fatal(err)
		}
		if got := p.OSVName(); got != tt[1] {
			t.Errorf("FromEcosystem(%q, %q).OSVName() = %q", tt[0], tt[1], got)
		}
	}
}

func TestPURLErrors(t *testing.T) {
	for _, in := range []string{
		"",
		"EnterpriseLibrary.Common@6.0.1304",
		"pkg:maven/@1.3.4",
		"pkg:npm/myartifact@1.0.0?in%20production=true",
		"pkg:golang/github.com/x/%zz",
		"pkg:" + strings.Repeat("a", MaxPURLLen),
	} {
		_, err := ParsePURL(in)
		if !errors.Is(err, ErrInvalidPURL) {
			t.Errorf("ParsePURL(%.40q): error %v, want ErrInvalidPURL", in, err)
			continue
		}
		if !strings.HasPrefix(err.Error(), "pkgid: invalid purl") {
			t.Errorf("message %q lacks the package prefix", err)
		}
		if len(err.Error()) > 400 {
			t.Errorf("message is %d bytes: input not clipped", len(err.Error()))
		}
	}
	for _, tt := range [][2]string{
		{"Linux", "Kernel"},
		{"OSS-Fuzz", "perfetto"},
		{"GIT", "https://github.com/x/y"},
		{"", "x"},
	} {
		if _, err := FromEcosystem(tt[0], tt[1]); !errors.Is(err, ErrUnknownEcosystem) {
			t.Errorf("FromEcosystem(%q, %q): %v, want ErrUnknownEcosystem", tt[0], tt[1], err)
		}
	}
	for _, tt := range [][2]string{
		{"Go", ""},
		{"Maven", "log4j-core"},
		{"Maven", "a:b:c"},
		{"Maven", ":b"},
		{"npm", "@scope"},
		{"npm", "@/x"},
	} {
		_, err := FromEcosystem(tt[0], tt[1])
		if err == nil || errors.Is(err, ErrUnknownEcosystem) {
			t.Errorf("FromEcosystem(%q, %q): %v, want a name error", tt[0], tt[1], err)
		}
	}
}

func TestFromEcosystemCase(t *testing.T) {
	// OSV spells ecosystems one way; a different case still maps.
	p, err := FromEcosystem("pypi", "Requests")
	if err != nil {
		t.Fatal(err)
	}
	want := Package{Type: "pypi", Name: "Requests", Ecosystem: "PyPI", Key: "pkg:pypi/requests",
		SourceKey: "pkg:pypi/requests", FoldKey: "pkg:pypi/requests"}
	if diff := cmp.Diff(want, p, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("FromEcosystem(pypi, Requests) (-want +got):\n%s", diff)
	}
}
