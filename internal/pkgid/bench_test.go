package pkgid

import "testing"

var (
	benchPackage Package
	benchOK      bool
	benchWhy     string
)

func BenchmarkParsePURL(b *testing.B) {
	for _, s := range []string{
		"pkg:golang/github.com/Azure/azure-sdk-for-go@v51.1.0+incompatible",
		"pkg:maven/com.google.guava/guava@24.1.1-jre?type=jar",
		"pkg:deb/ubuntu/pcre3@2%3A8.39-12ubuntu0.1?arch=amd64&distro=focal&source=pcre3",
	} {
		b.Run(s[4:7], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, err := ParsePURL(s)
				if err != nil {
					b.Fatal(err)
				}
				benchPackage = p
			}
		})
	}
}

func BenchmarkFromEcosystem(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		p, err := FromEcosystem("Go", "github.com/Azure/azure-sdk-for-go")
		if err != nil {
			b.Fatal(err)
		}
		benchPackage = p
	}
}

func BenchmarkParseCPE(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		c, err := ParseCPE("cpe:2.3:o:microsoft:windows_10_21H2:10.0.19044.4046:*:*:*:*:*:x64:*")
		if err != nil {
			b.Fatal(err)
		}
		benchWhy = c.Product
	}
}

func BenchmarkMatch(b *testing.B) {
	for _, tt := range []struct{ name, advisory, component string }{
		{"match", "cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*", "cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*"},
		{"product_differs", "cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*", "cpe:2.3:o:fortinet:fortimanager:7.2.4:*:*:*:*:*:*:*"},
		{"pattern_target_sw", "cpe:2.3:a:jenkins:ftp_publisher:1.*:*:*:*:*:jenkins:*:*", "cpe:2.3:a:jenkins:ftp_publisher:1.2:*:*:*:*:*:*:*"},
	} {
		adv, err := ParseCPE(tt.advisory)
		if err != nil {
			b.Fatal(err)
		}
		comp, err := ParseCPE(tt.component)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				benchOK, benchWhy = Match(adv, comp)
			}
		})
	}
}
