package pkgid_test

import (
	"fmt"
	"log"

	"github.com/sigwatch/sigwatch/internal/pkgid"
)

// A component from an SBOM and a package named by an OSV record meet on
// the same Key, whatever the spelling.
func Example() {
	component, err := pkgid.ParsePURL("pkg:pypi/Django_REST_framework@3.14.0")
	if err != nil {
		log.Fatal(err)
	}
	advisory, err := pkgid.FromEcosystem("PyPI", "djangorestframework")
	if err != nil {
		log.Fatal(err)
	}
	same, err := pkgid.FromEcosystem("PyPI", "django.rest.framework")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(component.Key, component.Ecosystem, component.Version)
	fmt.Println(component.Key == advisory.Key, component.Key == same.Key)
	// Output:
	// pkg:pypi/django-rest-framework PyPI 3.14.0
	// false true
}

func ExampleParsePURL() {
	p, err := pkgid.ParsePURL("pkg:deb/debian/libpcre3@2:8.39-13?arch=amd64&upstream=pcre3&distro=debian-11")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Ecosystem, p.Release, p.Version)
	fmt.Println(p.Key)
	fmt.Println(p.SourceKey, p.OSVName())
	// Output:
	// Debian 11 2:8.39-13
	// pkg:deb/debian/libpcre3
	// pkg:deb/debian/pcre3 pcre3
}

func ExampleMatch() {
	advisory, err := pkgid.ParseCPE("cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*")
	if err != nil {
		log.Fatal(err)
	}
	edge, err := pkgid.ParseCPE("cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*")
	if err != nil {
		log.Fatal(err)
	}
	box, err := pkgid.ParseCPE("cpe:2.3:h:fortinet:fortigate_100f:-:*:*:*:*:*:*:*")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pkgid.Match(advisory, edge))
	fmt.Println(pkgid.Match(advisory, box))
	// Output:
	// true CPE vendor fortinet and product fortios are equal; advisory version * covers 7.2.4
	// false CPE product fortinet:fortios differs from fortinet:fortigate_100f
}

func ExampleParseCPE() {
	// Red Hat's CSAF documents use CPE 2.2 URIs.
	c, err := pkgid.ParseCPE("cpe:/a:redhat:enterprise_linux:9::appstream")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.String())
	fmt.Println(c.Key())
	// Output:
	// cpe:2.3:a:redhat:enterprise_linux:9:*:appstream:*:*:*:*:*
	// redhat:enterprise_linux
}
