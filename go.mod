module github.com/sigwatch/sigwatch

go 1.26.3

require (
	github.com/CycloneDX/cyclonedx-go v0.12.0
	github.com/Masterminds/semver/v3 v3.5.0
	github.com/google/go-cmp v0.7.0
	github.com/google/osv-scalibr v0.5.3
	github.com/package-url/packageurl-go v0.1.7
	github.com/spdx/tools-golang v0.5.7
	go.yaml.in/yaml/v3 v3.0.5
	golang.org/x/sync v0.22.0
)

require github.com/anchore/go-struct-converter v0.1.0 // indirect
