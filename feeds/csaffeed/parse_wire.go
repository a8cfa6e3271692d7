package csaffeed

import "encoding/json"

// The wire types mirror the CSAF 2.0 JSON schema loosely: every field is
// optional, enumerations are plain strings, unknown fields are ignored and
// null is accepted wherever an object or array is expected. Values whose
// type varies in the wild (tracking.version, revision numbers, CVSS scores)
// are read as raw JSON and converted with a positioned error.

type wireRoot struct {
	Document        *wireDocument       `json:"document"`
	ProductTree     *wireProductTree    `json:"product_tree"`
	Vulnerabilities []wireVulnerability `json:"vulnerabilities"`
}

type wireDocument struct {
	Category          string               `json:"category"`
	CSAFVersion       string               `json:"csaf_version"`
	Title             string               `json:"title"`
	Lang              string               `json:"lang"`
	SourceLang        string               `json:"source_lang"`
	Publisher         wirePublisher        `json:"publisher"`
	Tracking          *wireTracking        `json:"tracking"`
	Distribution      *wireDocDistrib      `json:"distribution"`
	AggregateSeverity *wireAggSeverity     `json:"aggregate_severity"`
	Notes             []wireNote           `json:"notes"`
	References        []wireReference      `json:"references"`
	Acknowledgments   []wireAcknowledgment `json:"acknowledgments"`
}

type wirePublisher struct {
	Name             string `json:"name"`
	Category         string `json:"category"`
	Namespace        string `json:"namespace"`
	ContactDetails   string `json:"contact_details"`
	IssuingAuthority string `json:"issuing_authority"`
}

type wireTracking struct {
	ID                 string          `json:"id"`
	Status             string          `json:"status"`
	Version            json.RawMessage `json:"version"`
	InitialReleaseDate string          `json:"initial_release_date"`
	CurrentReleaseDate string          `json:"current_release_date"`
	RevisionHistory    []wireRevision  `json:"revision_history"`
	Aliases            []string        `json:"aliases"`
	Generator          *wireGenerator  `json:"generator"`
}

type wireRevision struct {
	Number        json.RawMessage `json:"number"`
	Date          string          `json:"date"`
	Summary       string          `json:"summary"`
	LegacyVersion string          `json:"legacy_version"`
}

type wireGenerator struct {
	Date   string `json:"date"`
	Engine struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"engine"`
}

type wireDocDistrib struct {
	Text string `json:"text"`
	TLP  *struct {
		Label string `json:"label"`
		URL   string `json:"url"`
	} `json:"tlp"`
}

type wireAggSeverity struct {
	Text      string `json:"text"`
	Namespace string `json:"namespace"`
}

type wireNote struct {
	Category string `json:"category"`
	Title    string `json:"title"`
	Text     string `json:"text"`
	Audience string `json:"audience"`
}

type wireReference struct {
	Category string `json:"category"`
	Summary  string `json:"summary"`
	URL      string `json:"url"`
}

type wireAcknowledgment struct {
	Names        []string `json:"names"`
	Organization string   `json:"organization"`
	Summary      string   `json:"summary"`
	URLs         []string `json:"urls"`
}

type wireProductTree struct {
	Branches         []wireBranch          `json:"branches"`
	FullProductNames []wireFullProductName `json:"full_product_names"`
	ProductGroups    []wireProductGroup    `json:"product_groups"`
	Relationships    []wireRelationship    `json:"relationships"`
}

type wireBranch struct {
	Category string               `json:"category"`
	Name     string               `json:"name"`
	Product  *wireFullProductName `json:"product"`
	Branches []wireBranch         `json:"branches"`
}

type wireFullProductName struct {
	Name      string      `json:"name"`
	ProductID string      `json:"product_id"`
	Helper    *wireHelper `json:"product_identification_helper"`
}

type wireHelper struct {
	CPE           string           `json:"cpe"`
	PURL          string           `json:"purl"`
	Hashes        []wireFileHashes `json:"hashes"`
	ModelNumbers  []string         `json:"model_numbers"`
	SBOMURLs      []string         `json:"sbom_urls"`
	SerialNumbers []string         `json:"serial_numbers"`
	SKUs          []string         `json:"skus"`
	XGenericURIs  []GenericURI     `json:"x_generic_uris"`
}

type wireFileHashes struct {
	Filename   string     `json:"filename"`
	FileHashes []FileHash `json:"file_hashes"`
}

type wireProductGroup struct {
	GroupID    string   `json:"group_id"`
	Summary    string   `json:"summary"`
	ProductIDs []string `json:"product_ids"`
}

type wireRelationship struct {
	Category                  string              `json:"category"`
	FullProductName           wireFullProductName `json:"full_product_name"`
	ProductReference          string              `json:"product_reference"`
	RelatesToProductReference string              `json:"relates_to_product_reference"`
}

type wireVulnerability struct {
	CVE             string               `json:"cve"`
	IDs             []wireVulnID         `json:"ids"`
	Title           string               `json:"title"`
	CWE             *wireCWE             `json:"cwe"`
	Notes           []wireNote           `json:"notes"`
	References      []wireReference      `json:"references"`
	Acknowledgments []wireAcknowledgment `json:"acknowledgments"`
	DiscoveryDate   string               `json:"discovery_date"`
	ReleaseDate     string               `json:"release_date"`
	ProductStatus   *wireProductStatus   `json:"product_status"`
	Scores          []wireScore          `json:"scores"`
	Threats         []wireThreat         `json:"threats"`
	Remediations    []wireRemediation    `json:"remediations"`
	Flags           []wireFlag           `json:"flags"`
	Involvements    []wireInvolvement    `json:"involvements"`
}

type wireVulnID struct {
	SystemName string `json:"system_name"`
	Text       string `json:"text"`
}

type wireCWE struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type wireProductStatus struct {
	FirstAffected      []string `json:"first_affected"`
	FirstFixed         []string `json:"first_fixed"`
	Fixed              []string `json:"fixed"`
	KnownAffected      []string `json:"known_affected"`
	KnownNotAffected   []string `json:"known_not_affected"`
	LastAffected       []string `json:"last_affected"`
	Recommended        []string `json:"recommended"`
	UnderInvestigation []string `json:"under_investigation"`
}

type wireScore struct {
	CVSSv2   *wireCVSS `json:"cvss_v2"`
	CVSSv3   *wireCVSS `json:"cvss_v3"`
	CVSSv4   *wireCVSS `json:"cvss_v4"`
	Products []string  `json:"products"`
}

type wireCVSS struct {
	Version      string          `json:"version"`
	VectorString string          `json:"vectorString"`
	BaseScore    json.RawMessage `json:"baseScore"`
	BaseSeverity string          `json:"baseSeverity"`
}

type wireThreat struct {
	Category   string   `json:"category"`
	Details    string   `json:"details"`
	Date       string   `json:"date"`
	ProductIDs []string `json:"product_ids"`
	GroupIDs   []string `json:"group_ids"`
}

type wireRemediation struct {
	Category        string   `json:"category"`
	Details         string   `json:"details"`
	Date            string   `json:"date"`
	URL             string   `json:"url"`
	ProductIDs      []string `json:"product_ids"`
	GroupIDs        []string `json:"group_ids"`
	Entitlements    []string `json:"entitlements"`
	RestartRequired *struct {
		Category string `json:"category"`
		Details  string `json:"details"`
	} `json:"restart_required"`
}

type wireFlag struct {
	Label      string   `json:"label"`
	Date       string   `json:"date"`
	ProductIDs []string `json:"product_ids"`
	GroupIDs   []string `json:"group_ids"`
}

type wireInvolvement struct {
	Party   string `json:"party"`
	Status  string `json:"status"`
	Date    string `json:"date"`
	Summary string `json:"summary"`
}
