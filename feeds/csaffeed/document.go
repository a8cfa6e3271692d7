package csaffeed

import (
	"time"

	"github.com/sigwatch/sigwatch/feeds"
)

// Document is one CSAF 2.0 document: its metadata, its resolved product
// tree, and the advisories it maps to (see the package documentation for
// the mapping).
type Document struct {
	// Name is the input name given to Parse (a file name or URL).
	Name string `json:"name,omitempty"`
	// ID is document.tracking.id as published ("ICSA-24-193-05",
	// "RHSA-2024:4546", "cisco-sa-20180328-smi2").
	ID string `json:"id"`
	// Version is document.tracking.version as published: an integer
	// string ("5") or a semantic version ("1.0.1"). Order revisions by
	// CurrentRelease and Revisions, never by comparing Version lexically.
	Version string `json:"version"`
	// Status is document.tracking.status: "draft", "interim" or "final".
	Status string `json:"status,omitempty"`
	// Category is document.category as published. Besides the CSAF
	// profiles (csaf_base, csaf_security_incident_response,
	// csaf_informational_advisory, csaf_security_advisory, csaf_vex) any
	// other value ("Cisco Security Advisory") is accepted and read with the
	// generic rules.
	Category string `json:"category"`
	// CSAFVersion is document.csaf_version ("2.0").
	CSAFVersion string `json:"csafVersion,omitempty"`
	// Title is document.title.
	Title string `json:"title"`
	// Lang and SourceLang are document.lang and document.source_lang.
	Lang       string `json:"lang,omitempty"`
	SourceLang string `json:"sourceLang,omitempty"`
	// Publisher is document.publisher.
	Publisher Publisher `json:"publisher"`
	// InitialRelease and CurrentRelease are
	// tracking.initial_release_date and tracking.current_release_date in
	// UTC; zero when absent or "0001-01-01T00:00:00Z".
	InitialRelease time.Time `json:"initialRelease,omitzero"`
	CurrentRelease time.Time `json:"currentRelease,omitzero"`
	// Revisions is tracking.revision_history in document order.
	Revisions []Revision `json:"revisions,omitempty"`
	// Aliases is tracking.aliases.
	Aliases []string `json:"aliases,omitempty"`
	// Generator is tracking.generator, when present.
	Generator *Generator `json:"generator,omitempty"`
	// TLP is the document's TLP label mapped to TLP 2.0: CSAF 2.0 uses the
	// TLP 1.0 names, so WHITE becomes CLEAR; GREEN, AMBER and RED are kept;
	// CLEAR and AMBER+STRICT (CSAF 2.1) are accepted. TLPUnspecified when
	// the document has no distribution.tlp block (see the package
	// documentation) or an unknown label (with a warning).
	TLP feeds.TLP `json:"tlp,omitempty"`
	// TLPLabel and TLPURL are distribution.tlp.label and .url as published.
	TLPLabel string `json:"tlpLabel,omitempty"`
	TLPURL   string `json:"tlpUrl,omitempty"`
	// Distribution is distribution.text, the publisher's sharing terms.
	Distribution string `json:"distribution,omitempty"`
	// AggregateSeverity is document.aggregate_severity, when present.
	AggregateSeverity *AggregateSeverity `json:"aggregateSeverity,omitempty"`
	// Notes are document.notes in document order.
	Notes []feeds.Note `json:"notes,omitempty"`
	// References are document.references in document order.
	References []Reference `json:"references,omitempty"`
	// SelfURL is the URL of the first document reference of category
	// "self"; empty when there is none.
	SelfURL string `json:"selfUrl,omitempty"`
	// Acknowledgments are document.acknowledgments.
	Acknowledgments []Acknowledgment `json:"acknowledgments,omitempty"`
	// Products are the products of product_tree, resolved: one entry per
	// product_id, from branches (depth first, in document order), then
	// full_product_names, then relationships. Look one up with
	// [Document.Product].
	Products []Product `json:"products,omitempty"`
	// Groups are product_tree.product_groups.
	Groups []ProductGroup `json:"groups,omitempty"`
	// Vulnerabilities counts the entries of the vulnerabilities array.
	Vulnerabilities int `json:"vulnerabilities"`
	// Advisories are the advisories the document maps to: one per
	// vulnerabilities[] entry in document order, or one for the whole
	// document when it has no vulnerabilities.
	Advisories []feeds.Advisory `json:"advisories"`
	// Warnings describe oddities that did not stop parsing, each with its
	// field path: undefined product IDs, duplicate IDs, a missing TLP
	// label, unknown labels and so on. A feed-health check should show them.
	Warnings []string `json:"warnings,omitempty"`

	index map[string]int // product_id -> index in Products
}

// Product returns the product with the given product_id.
func (d *Document) Product(id string) (*Product, bool) {
	if d == nil {
		return nil, false
	}
	i, ok := d.index[id]
	if !ok {
		return nil, false
	}
	return &d.Products[i], true
}

// Publisher is document.publisher.
type Publisher struct {
	// Name is the publisher's name ("CISA", "Red Hat Product Security").
	Name string `json:"name"`
	// Category is "coordinator", "discoverer", "other", "translator",
	// "user" or "vendor".
	Category string `json:"category,omitempty"`
	// Namespace is the publisher's URL ("https://www.redhat.com").
	Namespace        string `json:"namespace,omitempty"`
	ContactDetails   string `json:"contactDetails,omitempty"`
	IssuingAuthority string `json:"issuingAuthority,omitempty"`
}

// Revision is one entry of tracking.revision_history.
type Revision struct {
	// Number is the revision number as published ("1", "1.0.1").
	Number string `json:"number"`
	// Date is the revision date in UTC.
	Date    time.Time `json:"date,omitzero"`
	Summary string    `json:"summary,omitempty"`
	// LegacyVersion is legacy_version, when present.
	LegacyVersion string `json:"legacyVersion,omitempty"`
}

// Generator is tracking.generator: the tool that wrote the document.
type Generator struct {
	Engine        string    `json:"engine,omitempty"`
	EngineVersion string    `json:"engineVersion,omitempty"`
	Date          time.Time `json:"date,omitzero"`
}

// AggregateSeverity is document.aggregate_severity: the publisher's own
// rating of the whole document ("Important", "Critical").
type AggregateSeverity struct {
	Text      string `json:"text"`
	Namespace string `json:"namespace,omitempty"`
}

// Reference is a CSAF reference.
type Reference struct {
	// Category is "self" or "external" (the CSAF default when absent).
	Category string `json:"category,omitempty"`
	Summary  string `json:"summary,omitempty"`
	URL      string `json:"url"`
}

// Acknowledgment is a CSAF acknowledgment.
type Acknowledgment struct {
	Names        []string `json:"names,omitempty"`
	Organization string   `json:"organization,omitempty"`
	Summary      string   `json:"summary,omitempty"`
	URLs         []string `json:"urls,omitempty"`
}

// Product is one product_id of the product tree with everything the tree
// says about it.
type Product struct {
	// ID is the product_id, an opaque string ("CSAFPID-0001",
	// "AppStream-8.6.0.Z.AUS:git-lfs-0:2.13.3-3.el8_6.1.src").
	ID string `json:"id"`
	// Name is the product's full name (product.name or
	// full_product_name.name).
	Name string `json:"name"`
	// Field is the JSON path where the product is defined
	// ("product_tree.branches[0].branches[1].product").
	Field string `json:"field"`
	// Path is the chain of branches from the root to the product, outermost
	// first; empty for full_product_names and relationships.
	Path []Branch `json:"path,omitempty"`
	// Vendor, Family, ProductName, Version and VersionRange are the names
	// of the innermost branches of category vendor, product_family,
	// product_name, product_version and product_version_range on Path.
	// VersionRange is kept exactly as published ("vers:all/*", "<V4.1.8",
	// "all versions"). For a relationship they are the component's.
	Vendor       string `json:"vendor,omitempty"`
	Family       string `json:"family,omitempty"`
	ProductName  string `json:"productName,omitempty"`
	Version      string `json:"version,omitempty"`
	VersionRange string `json:"versionRange,omitempty"`
	// Helper is product_identification_helper; for a relationship, the
	// component's.
	Helper *Helper `json:"helper,omitempty"`
	// Relationship is set when the product is the full_product_name of a
	// relationship (a component installed on, or part of, a platform).
	Relationship *Relationship `json:"relationship,omitempty"`
}

// Branch is one level of product_tree.branches.
type Branch struct {
	// Category is the branch category as published: architecture,
	// host_name, language, legacy, patch_level, product_family,
	// product_name, product_version, product_version_range, service_pack,
	// specification, vendor (unknown categories are kept, with a warning).
	Category string `json:"category"`
	Name     string `json:"name"`
}

// Helper is a product_identification_helper.
type Helper struct {
	// CPE is the CPE as published: a CPE 2.3 formatted string or a CPE 2.2
	// URI ("cpe:/a:redhat:rhel_aus:8.6::appstream"), not converted.
	CPE string `json:"cpe,omitempty"`
	// PURL is the package URL as published.
	PURL          string       `json:"purl,omitempty"`
	Hashes        []FileHashes `json:"hashes,omitempty"`
	ModelNumbers  []string     `json:"modelNumbers,omitempty"`
	SBOMURLs      []string     `json:"sbomUrls,omitempty"`
	SerialNumbers []string     `json:"serialNumbers,omitempty"`
	SKUs          []string     `json:"skus,omitempty"`
	XGenericURIs  []GenericURI `json:"xGenericUris,omitempty"`
}

// FileHashes is one entry of product_identification_helper.hashes.
type FileHashes struct {
	Filename string     `json:"filename"`
	Hashes   []FileHash `json:"hashes"`
}

// FileHash is one cryptographic hash of a file.
type FileHash struct {
	Algorithm string `json:"algorithm"`
	Value     string `json:"value"`
}

// GenericURI is one entry of product_identification_helper.x_generic_uris.
type GenericURI struct {
	Namespace string `json:"namespace"`
	URI       string `json:"uri"`
}

// Relationship is one product_tree.relationships entry.
type Relationship struct {
	// Category is default_component_of, external_component_of,
	// installed_on, installed_with or optional_component_of.
	Category string `json:"category"`
	// Component is product_reference, the product that is part of or
	// installed on the platform.
	Component string `json:"component"`
	// Platform is relates_to_product_reference.
	Platform string `json:"platform"`
}

// ProductGroup is one product_tree.product_groups entry.
type ProductGroup struct {
	ID         string   `json:"id"`
	Summary    string   `json:"summary,omitempty"`
	ProductIDs []string `json:"productIds"`
}
