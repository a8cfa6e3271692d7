package csaffeed

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sigwatch/sigwatch/feeds"
)

// TestParseProviderMetadataSpecExample reads the OASIS example
// (csaf_2.0/examples/provider-metadata/example-01-provider-metadata.json).
// The expected values were read off the file by hand (it is 33 lines long).
func TestParseProviderMetadataSpecExample(t *testing.T) {
	const name = "example-01-provider-metadata.json"
	pm, err := ParseProviderMetadata(bytes.NewReader(distRead(t, "oasis/"+name)), name)
	if err != nil {
		t.Fatal(err)
	}
	want := &ProviderMetadata{
		CanonicalURL: "https://www.example.com/.well-known/csaf/provider-metadata.json",
		Distributions: []Distribution{{ROLIE: &ROLIEDistribution{Feeds: []ROLIEFeedRef{{
			Summary:  "All TLP:WHITE advisories of Example Company.",
			TLPLabel: "WHITE",
			URL:      "https://www.example.com/.well-known/csaf/feed-tlp-white.json",
		}}}}},
		LastUpdated:         time.Date(2021, 7, 12, 20, 20, 56, 169e6, time.UTC),
		ListOnAggregators:   true,
		MirrorOnAggregators: true,
		MetadataVersion:     "2.0",
		PublicOpenPGPKeys: []OpenPGPKey{{
			Fingerprint: "8F5F267907B2C4559DB360DB2294BA7D2B2298B1",
			URL:         "https://keys.example.net/vks/v1/by-fingerprint/8F5F267907B2C4559DB360DB2294BA7D2B2298B1",
		}},
		Publisher: ProviderPublisher{Category: "vendor", Name: "Example Company ProductCERT", Namespace: "https://psirt.example.com"},
		Role:      RoleTrustedProvider,
	}
	if d := cmp.Diff(want, pm); d != "" {
		t.Errorf("mismatch (-want +got):\n%s", d)
	}
	if tlp, ok := pm.Distributions[0].ROLIE.Feeds[0].TLP(); tlp != feeds.TLPClear || !ok {
		t.Errorf("TLP() = %q, %v; want CLEAR, true (WHITE maps to CLEAR)", tlp, ok)
	}
	distGolden(t, "provider-metadata.golden", pm)
}

func TestParseProviderMetadataVariations(t *testing.T) {
	const head = `"canonical_url": "https://a.example/.well-known/csaf/provider-metadata.json",
 "last_updated": "2024-01-02T03:04:05Z", "list_on_CSAF_aggregators": false,
 "mirror_on_CSAF_aggregators": false, "metadata_version": "2.0",
 "publisher": {"category": "coordinator", "name": "A"}, "role": "csaf_publisher"`
	for _, tc := range []struct {
		name  string
		in    string
		check func(t *testing.T, pm *ProviderMetadata)
		warns []string
	}{
		{
			name: "minimal_directory",
			in:   `{"distributions": [{"directory_url": "https://a.example/csaf/white/"}]}`,
			check: func(t *testing.T, pm *ProviderMetadata) {
				if !pm.ListOnAggregators || !pm.MirrorOnAggregators || pm.Role != RoleProvider {
					t.Errorf("defaults not applied: %+v", pm)
				}
				if len(pm.Distributions) != 1 || pm.Distributions[0].DirectoryURL != "https://a.example/csaf/white/" || pm.Distributions[0].ROLIE != nil {
					t.Errorf("distributions = %+v", pm.Distributions)
				}
			},
			warns: []string{
				`"canonical_url" is missing`,
				`"last_updated" is missing`,
				`"list_on_CSAF_aggregators" is missing; assumed true`,
				`"mirror_on_CSAF_aggregators" is missing; assumed true`,
				`"metadata_version" is missing`,
				`"publisher" is missing`,
				`"role" is missing; assumed csaf_provider`,
			},
		},
		{
			name: "flags_false_kept",
			in:   `{` + head + `, "distributions": [{"directory_url": "https://a.example/csaf/"}]}`,
			check: func(t *testing.T, pm *ProviderMetadata) {
				if pm.ListOnAggregators || pm.MirrorOnAggregators || pm.Role != RolePublisher || pm.Publisher.Name != "A" {
					t.Errorf("got %+v", pm)
				}
				if want := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC); !pm.LastUpdated.Equal(want) {
					t.Errorf("LastUpdated = %v", pm.LastUpdated)
				}
			},
		},
		{
			name:  "no_distributions",
			in:    `{` + head + `}`,
			warns: []string{`"distributions" is missing: the provider lists no feeds or directories`},
		},
		{
			name:  "null_distributions",
			in:    `{` + head + `, "distributions": null}`,
			warns: []string{`"distributions" is missing: the provider lists no feeds or directories`},
		},
		{
			name:  "empty_distributions",
			in:    `{` + head + `, "distributions": []}`,
			warns: []string{`"distributions" is empty`},
		},
		{
			name:  "empty_distribution_object",
			in:    `{` + head + `, "distributions": [{}]}`,
			warns: []string{`distributions[0]: neither "directory_url" nor "rolie"`},
		},
		{
			name: "feed_labels",
			in: `{` + head + `, "distributions": [{"rolie": {"feeds": [
				{"url": "https://a.example/white.json", "tlp_label": "WHITE"},
				{"url": "https://a.example/x.json"},
				{"url": "https://a.example/p.json", "tlp_label": "PURPLE"},
				{"url": "https://a.example/u.json", "tlp_label": "UNLABELED"}]},
				"directory_url": "https://a.example/dir/"}]}`,
			check: func(t *testing.T, pm *ProviderMetadata) {
				fs := pm.Distributions[0].ROLIE.Feeds
				if len(fs) != 4 || pm.Distributions[0].DirectoryURL != "https://a.example/dir/" {
					t.Fatalf("got %+v", pm.Distributions)
				}
				for i, want := range []struct {
					tlp feeds.TLP
					ok  bool
				}{{feeds.TLPClear, true}, {"", false}, {"", false}, {"", true}} {
					if tlp, ok := fs[i].TLP(); tlp != want.tlp || ok != want.ok {
						t.Errorf("feeds[%d].TLP() = %q, %v; want %q, %v", i, tlp, ok, want.tlp, want.ok)
					}
				}
			},
			warns: []string{
				`distributions[0].rolie.feeds[1]: "tlp_label" is missing; the feed counts as unlabeled`,
				`distributions[0].rolie.feeds[2]: unknown "tlp_label" "PURPLE"`,
			},
		},
		{
			name:  "unknown_role_and_version",
			in:    `{"canonical_url": "https://a.example/pm.json", "role": "csaf_aggregator", "metadata_version": "2.1", "distributions": [{"rolie": {"feeds": []}}]}`,
			check: func(t *testing.T, pm *ProviderMetadata) {},
			warns: []string{
				`"canonical_url" "https://a.example/pm.json" does not end in /provider-metadata.json`,
				`"last_updated" is missing`,
				`"list_on_CSAF_aggregators" is missing; assumed true`,
				`"mirror_on_CSAF_aggregators" is missing; assumed true`,
				`"metadata_version" is "2.1"; this package reads 2.0`,
				`"publisher" is missing`,
				`"role" "csaf_aggregator" is not one of csaf_publisher, csaf_provider, csaf_trusted_provider`,
				`distributions[0].rolie: no feeds`,
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pm, err := ParseProviderMetadata(strings.NewReader(tc.in), "pm.json")
			if err != nil {
				t.Fatal(err)
			}
			if tc.check != nil {
				tc.check(t, pm)
			}
			if d := cmp.Diff(tc.warns, pm.Warnings); d != "" {
				t.Errorf("warnings (-want +got):\n%s", d)
			}
		})
	}
}

// Positions below are counted by hand: line 1 is the first line of the
// input, columns count characters from 1.
func TestParseProviderMetadataErrors(t *testing.T) {
	for _, tc := range []struct {
		name      string
		in        string
		line, col int
		field     string
		target    error
	}{
		{"bad_last_updated", "{\"last_updated\": \"yesterday\"}", 1, 18, "last_updated", nil},
		{"feed_without_url", "{\"distributions\": [\n {\"rolie\": {\"feeds\": [{\"tlp_label\": \"WHITE\"}]}}]}", 2, 23, "distributions[0].rolie.feeds[0]", nil},
		{"feed_ftp_url", "{\"distributions\": [{\"rolie\": {\"feeds\": [\n  {\"url\": \"ftp://a.example/f.json\", \"tlp_label\": \"WHITE\"}]}}]}", 2, 11, "distributions[0].rolie.feeds[0].url", nil},
		{"bad_directory_url", "{\"distributions\": [{\"directory_url\": \"\"}]}", 1, 38, "distributions[0].directory_url", nil},
		{"key_without_url", "{\"role\": \"csaf_provider\",\n\"public_openpgp_keys\": [{\"fingerprint\": \"AB\"}]}", 2, 25, "public_openpgp_keys[0].url", nil},
		{"flag_wrong_type", "{\"list_on_CSAF_aggregators\": \"yes\"}", 1, 30, "list_on_CSAF_aggregators", nil},
		{"html", "<!DOCTYPE html><html><body>Not found</body></html>", 1, 1, "-", feeds.ErrNotFeed},
		{"empty", "", 1, 1, "-", feeds.ErrNotFeed},
		{"null", "null", 1, 1, "", feeds.ErrNotFeed},
		{"empty_object", "{}", 1, 1, "", feeds.ErrNotFeed},
		{"rolie_feed", `{"feed": {"id": "x", "entry": []}}`, 1, 1, "", feeds.ErrNotFeed},
		{"csaf_document", `{"document": {"title": "x"}}`, 1, 1, "", feeds.ErrNotFeed},
		{"array", `[1, 2]`, 1, 1, "-", nil},
		{"truncated", "{\"canonical_url\": \"https://a.example/provider-metadata.json\",\n \"distributions\": [", 2, 20, "-", io.ErrUnexpectedEOF},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pm, err := ParseProviderMetadata(strings.NewReader(tc.in), "pm.json")
			if err == nil {
				t.Fatalf("no error; got %+v", pm)
			}
			distWantParseError(t, err, tc.line, tc.col, tc.field, tc.target)
			if !strings.HasPrefix(err.Error(), "pm.json:") {
				t.Errorf("error %q does not start with the input name", err)
			}
		})
	}
}

func TestParseProviderMetadataTooLarge(t *testing.T) {
	in := `{"canonical_url": "` + strings.Repeat("a", 2000) + `"}`
	if _, err := parseProvider(strings.NewReader(in), "big.json", 1024); !errors.Is(err, feeds.ErrTooLarge) {
		t.Fatalf("err = %v, want feeds.ErrTooLarge", err)
	}
	if _, err := parseProvider(strings.NewReader(in), "big.json", 4096); err != nil {
		t.Fatalf("under the limit: %v", err)
	}
}
