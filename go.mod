module github.com/sigwatch/sigwatch

go 1.26

require (
	github.com/Masterminds/semver/v3 v3.5.0
	github.com/google/go-cmp v0.7.0
	github.com/mmcdole/gofeed v1.4.2
	go.yaml.in/yaml/v3 v3.0.4
	golang.org/x/sync v0.22.0
)

require (
	github.com/mmcdole/goxpp/v2 v2.0.0 // indirect
	golang.org/x/net v0.57.0 // indirect
	golang.org/x/text v0.40.0 // indirect
)
