package csaffeed

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/jsonin"
	"github.com/sigwatch/sigwatch/internal/sniff"
	"github.com/sigwatch/sigwatch/internal/timex"
)

// Roles a CSAF provider-metadata.json declares (CSAF 2.0 section 7).
const (
	RolePublisher       = "csaf_publisher"
	RoleProvider        = "csaf_provider"
	RoleTrustedProvider = "csaf_trusted_provider"
)

// ProviderMetadata is a CSAF provider-metadata.json file.
type ProviderMetadata struct {
	// CanonicalURL is where the provider says this file lives.
	CanonicalURL string `json:"canonical_url,omitempty"`
	// Distributions are the provider's ROLIE feeds and directories, in file
	// order.
	Distributions []Distribution `json:"distributions,omitempty"`
	// LastUpdated is last_updated in UTC; zero when absent.
	LastUpdated time.Time `json:"last_updated,omitzero"`
	// ListOnAggregators and MirrorOnAggregators are
	// list_on_CSAF_aggregators and mirror_on_CSAF_aggregators; both default
	// to true (the schema's default) when absent.
	ListOnAggregators   bool `json:"list_on_CSAF_aggregators"`
	MirrorOnAggregators bool `json:"mirror_on_CSAF_aggregators"`
	// MetadataVersion is metadata_version as published ("2.0").
	MetadataVersion string `json:"metadata_version,omitempty"`
	// PublicOpenPGPKeys are the keys the provider signs documents with.
	// sigwatch does not verify signatures (see the package documentation).
	PublicOpenPGPKeys []OpenPGPKey `json:"public_openpgp_keys,omitempty"`
	// Publisher is the organisation publishing the documents.
	Publisher ProviderPublisher `json:"publisher"`
	// Role is the provider's role as published; RoleProvider (the schema's
	// default) when absent.
	Role string `json:"role,omitempty"`
	// Warnings describe problems that did not stop parsing: missing required
	// fields, unknown roles or TLP labels, distributions with nothing in
	// them.
	Warnings []string `json:"warnings,omitempty"`
}

// Distribution is one entry of provider-metadata.json "distributions": a
// directory, a set of ROLIE feeds, or (rarely) both.
type Distribution struct {
	// DirectoryURL is the base URL of a directory distribution, "" when
	// there is none.
	DirectoryURL string `json:"directory_url,omitempty"`
	// ROLIE lists ROLIE feeds; nil when there are none.
	ROLIE *ROLIEDistribution `json:"rolie,omitempty"`
}

// ROLIEDistribution is the "rolie" member of a distribution.
type ROLIEDistribution struct {
	// Feeds are the ROLIE feeds, in file order.
	Feeds []ROLIEFeedRef `json:"feeds"`
	// Categories and Services are URLs of ROLIE category and service
	// documents, as published.
	Categories []string `json:"categories,omitempty"`
	Services   []string `json:"services,omitempty"`
}

// ROLIEFeedRef describes a ROLIE feed in provider-metadata.json.
type ROLIEFeedRef struct {
	// Summary is the feed's description, raw.
	Summary string `json:"summary,omitempty"`
	// TLPLabel is tlp_label as published: "WHITE", "GREEN", "AMBER",
	// "RED" or "UNLABELED" in CSAF 2.0. Use TLP to interpret it.
	TLPLabel string `json:"tlp_label"`
	// URL is the feed's URL as published.
	URL string `json:"url"`
}

// TLP maps TLPLabel to a TLP 2.0 label: WHITE (and CLEAR) → feeds.TLPClear,
// UNLABELED → feeds.TLPUnspecified. ok is false when the label is missing or
// unknown.
func (f ROLIEFeedRef) TLP() (tlp feeds.TLP, ok bool) { return distTLPLabel(f.TLPLabel) }

// OpenPGPKey is one entry of public_openpgp_keys.
type OpenPGPKey struct {
	Fingerprint string `json:"fingerprint,omitempty"`
	URL         string `json:"url"`
}

// ProviderPublisher is the publisher of provider-metadata.json (the same
// shape as a CSAF document's /document/publisher).
type ProviderPublisher struct {
	Category         string `json:"category,omitempty"`
	Name             string `json:"name,omitempty"`
	Namespace        string `json:"namespace,omitempty"`
	ContactDetails   string `json:"contact_details,omitempty"`
	IssuingAuthority string `json:"issuing_authority,omitempty"`
}

type wireProvider struct {
	CanonicalURL      *string            `json:"canonical_url"`
	Distributions     []wireDistribution `json:"distributions"`
	LastUpdated       *string            `json:"last_updated"`
	ListOn            *bool              `json:"list_on_CSAF_aggregators"`
	MirrorOn          *bool              `json:"mirror_on_CSAF_aggregators"`
	MetadataVersion   *string            `json:"metadata_version"`
	PublicOpenPGPKeys []OpenPGPKey       `json:"public_openpgp_keys"`
	Publisher         *ProviderPublisher `json:"publisher"`
	Role              *string            `json:"role"`
	// Document is present when the body is a CSAF document, not provider
	// metadata; Feed when it is a ROLIE feed.
	Document json.RawMessage `json:"document"`
	Feed     json.RawMessage `json:"feed"`
}

type wireDistribution struct {
	DirectoryURL *string    `json:"directory_url"`
	ROLIE        *wireROLIE `json:"rolie"`
}

type wireROLIE struct {
	Feeds      []wireFeedRef `json:"feeds"`
	Categories []string      `json:"categories"`
	Services   []string      `json:"services"`
}

type wireFeedRef struct {
	Summary  string  `json:"summary"`
	TLPLabel *string `json:"tlp_label"`
	URL      *string `json:"url"`
}

// ParseProviderMetadata reads a CSAF provider-metadata.json from r. name
// identifies the input (a file name or URL) in errors.
//
// Missing optional fields are fine; missing required fields (canonical_url,
// last_updated, the aggregator flags, metadata_version, publisher, role) are
// reported in Warnings and take the schema's defaults. Errors are returned
// for malformed JSON, values of the wrong type, an unparseable last_updated,
// a ROLIE feed or OpenPGP key without a usable URL, and an unusable
// directory_url; each is a *feeds.ParseError with the position and field
// path. A body that is not provider metadata (HTML, a ROLIE feed, a CSAF
// document, JSON without any provider-metadata field) wraps feeds.ErrNotFeed.
func ParseProviderMetadata(r io.Reader, name string) (*ProviderMetadata, error) {
	return parseProvider(r, name, DistributionMaxBytes)
}

func parseProvider(r io.Reader, name string, limit int64) (*ProviderMetadata, error) {
	data, err := jsonin.Read(r, name, limit)
	if err != nil {
		return nil, distPrefix(err)
	}
	return parseProviderData(data, name)
}

func parseProviderData(data []byte, name string) (*ProviderMetadata, error) {
	var w wireProvider
	if err := jsonin.Unmarshal(data, name, &w); err != nil {
		return nil, err
	}
	if err := distCheckObject(data, name, "CSAF provider metadata document"); err != nil {
		return nil, err
	}
	if w.CanonicalURL == nil && w.Distributions == nil && w.MetadataVersion == nil &&
		w.Publisher == nil && w.Role == nil && w.LastUpdated == nil {
		msg := "not a CSAF provider metadata document: none of canonical_url, distributions, metadata_version, publisher, role"
		switch {
		case w.Feed != nil:
			msg = "not a CSAF provider metadata document: this is a ROLIE feed"
		case w.Document != nil:
			msg = "not a CSAF provider metadata document: this is a CSAF document"
		}
		return nil, jsonin.ErrorAt(data, name, "", sniff.NotFeed(msg))
	}

	pm := &ProviderMetadata{ListOnAggregators: true, MirrorOnAggregators: true, Role: RoleProvider}
	warn := func(format string, args ...any) { pm.Warnings = append(pm.Warnings, fmt.Sprintf(format, args...)) }

	if w.CanonicalURL == nil {
		warn(`"canonical_url" is missing`)
	} else {
		pm.CanonicalURL = *w.CanonicalURL
		if err := distCheckURL(pm.CanonicalURL); err != nil {
			return nil, jsonin.ErrorAt(data, name, "canonical_url", err)
		}
		if !strings.HasSuffix(strings.TrimSpace(pm.CanonicalURL), "/provider-metadata.json") {
			warn(`"canonical_url" %q does not end in /provider-metadata.json`, distClip(pm.CanonicalURL))
		}
	}
	if w.LastUpdated == nil || strings.TrimSpace(*w.LastUpdated) == "" {
		warn(`"last_updated" is missing`)
	} else {
		t, err := timex.Parse(*w.LastUpdated)
		if err != nil {
			return nil, jsonin.ErrorAt(data, name, "last_updated", err)
		}
		pm.LastUpdated = t
	}
	if w.ListOn == nil {
		warn(`"list_on_CSAF_aggregators" is missing; assumed true`)
	} else {
		pm.ListOnAggregators = *w.ListOn
	}
	if w.MirrorOn == nil {
		warn(`"mirror_on_CSAF_aggregators" is missing; assumed true`)
	} else {
		pm.MirrorOnAggregators = *w.MirrorOn
	}
	switch {
	case w.MetadataVersion == nil:
		warn(`"metadata_version" is missing`)
	case *w.MetadataVersion != "2.0":
		pm.MetadataVersion = *w.MetadataVersion
		warn(`"metadata_version" is %q; this package reads 2.0`, distClip(*w.MetadataVersion))
	default:
		pm.MetadataVersion = *w.MetadataVersion
	}
	if w.Publisher == nil {
		warn(`"publisher" is missing`)
	} else {
		pm.Publisher = *w.Publisher
	}
	if w.Role == nil {
		warn(`"role" is missing; assumed %s`, RoleProvider)
	} else {
		pm.Role = *w.Role
		switch pm.Role {
		case RolePublisher, RoleProvider, RoleTrustedProvider:
		default:
			warn(`"role" %q is not one of %s, %s, %s`, distClip(pm.Role), RolePublisher, RoleProvider, RoleTrustedProvider)
		}
	}

	for i, k := range w.PublicOpenPGPKeys {
		if err := distCheckURL(k.URL); err != nil {
			return nil, jsonin.ErrorAt(data, name, fmt.Sprintf("public_openpgp_keys[%d].url", i), err)
		}
		pm.PublicOpenPGPKeys = append(pm.PublicOpenPGPKeys, k)
	}

	if len(w.Distributions) == 0 && w.Distributions != nil {
		warn(`"distributions" is empty`)
	}
	for i, wd := range w.Distributions {
		field := fmt.Sprintf("distributions[%d]", i)
		var d Distribution
		if wd.DirectoryURL != nil {
			if err := distCheckURL(*wd.DirectoryURL); err != nil {
				return nil, jsonin.ErrorAt(data, name, field+".directory_url", err)
			}
			d.DirectoryURL = *wd.DirectoryURL
		}
		if wd.ROLIE != nil {
			d.ROLIE = &ROLIEDistribution{Categories: wd.ROLIE.Categories, Services: wd.ROLIE.Services}
			if len(wd.ROLIE.Feeds) == 0 {
				warn(`%s.rolie: no feeds`, field)
			}
			for j, f := range wd.ROLIE.Feeds {
				ff := fmt.Sprintf("%s.rolie.feeds[%d]", field, j)
				if f.URL == nil {
					return nil, jsonin.ErrorAt(data, name, ff, errors.New(`missing "url"`))
				}
				if err := distCheckURL(*f.URL); err != nil {
					return nil, jsonin.ErrorAt(data, name, ff+".url", err)
				}
				ref := ROLIEFeedRef{Summary: f.Summary, URL: *f.URL}
				if f.TLPLabel == nil {
					warn(`%s: "tlp_label" is missing; the feed counts as unlabeled`, ff)
				} else {
					ref.TLPLabel = *f.TLPLabel
					if _, ok := distTLPLabel(ref.TLPLabel); !ok {
						warn(`%s: unknown "tlp_label" %q`, ff, distClip(ref.TLPLabel))
					}
				}
				d.ROLIE.Feeds = append(d.ROLIE.Feeds, ref)
			}
		}
		if d.DirectoryURL == "" && d.ROLIE == nil {
			warn(`%s: neither "directory_url" nor "rolie"`, field)
		}
		pm.Distributions = append(pm.Distributions, d)
	}
	if len(pm.Distributions) == 0 && w.Distributions == nil {
		warn(`"distributions" is missing: the provider lists no feeds or directories`)
	}
	return pm, nil
}
