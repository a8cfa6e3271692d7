package cve5feed

import "encoding/json"

// The wire types follow the CVE JSON 5.x record schema (CVE_RECORD, data
// versions 5.0–5.2). Only the fields the adapter maps are declared; every
// other key, including the x_* extensions, is ignored by encoding/json.

type wireRecord struct {
	DataType    string          `json:"dataType"`
	DataVersion string          `json:"dataVersion"`
	CveMetadata *wireMeta       `json:"cveMetadata"`
	Containers  *wireContainers `json:"containers"`
}

type wireMeta struct {
	CveID             string `json:"cveId"`
	AssignerOrgID     string `json:"assignerOrgId"`
	AssignerShortName string `json:"assignerShortName"`
	State             string `json:"state"`
	DateReserved      string `json:"dateReserved"`
	DatePublished     string `json:"datePublished"`
	DateUpdated       string `json:"dateUpdated"`
	DateRejected      string `json:"dateRejected"`
}

type wireContainers struct {
	CNA *wireContainer  `json:"cna"`
	ADP []wireContainer `json:"adp"`
}

type wireContainer struct {
	ProviderMetadata wireProvider      `json:"providerMetadata"`
	Title            string            `json:"title"`
	DatePublic       string            `json:"datePublic"`
	Descriptions     []wireText        `json:"descriptions"`
	Affected         []wireAffected    `json:"affected"`
	CPEApplicability []wireCPEConfig   `json:"cpeApplicability"`
	ProblemTypes     []wireProblemType `json:"problemTypes"`
	References       []wireReference   `json:"references"`
	Metrics          []wireMetric      `json:"metrics"`
	Impacts          []wireImpact      `json:"impacts"`
	Configurations   []wireText        `json:"configurations"`
	Workarounds      []wireText        `json:"workarounds"`
	Solutions        []wireText        `json:"solutions"`
	Exploits         []wireText        `json:"exploits"`
	Timeline         []wireTimeline    `json:"timeline"`
	Credits          []wireCredit      `json:"credits"`
	Source           json.RawMessage   `json:"source"`
	Tags             []string          `json:"tags"`
	RejectedReasons  []wireText        `json:"rejectedReasons"`
	ReplacedBy       []string          `json:"replacedBy"`
}

type wireProvider struct {
	OrgID       string `json:"orgId"`
	ShortName   string `json:"shortName"`
	DateUpdated string `json:"dateUpdated"`
}

// wireText is the schema's "description" shape: lang, value and an optional
// supportingMedia array (the same text with markup), which is not mapped.
type wireText struct {
	Lang  string `json:"lang"`
	Value string `json:"value"`
}

type wireAffected struct {
	Vendor          string          `json:"vendor"`
	Product         string          `json:"product"`
	CollectionURL   string          `json:"collectionURL"`
	PackageName     string          `json:"packageName"`
	CPEs            []string        `json:"cpes"`
	Modules         []string        `json:"modules"`
	ProgramFiles    []string        `json:"programFiles"`
	ProgramRoutines json.RawMessage `json:"programRoutines"`
	Platforms       []string        `json:"platforms"`
	Repo            string          `json:"repo"`
	DefaultStatus   string          `json:"defaultStatus"`
	Versions        []wireVersion   `json:"versions"`
}

type wireVersion struct {
	Version         string       `json:"version"`
	Status          string       `json:"status"`
	VersionType     string       `json:"versionType"`
	LessThan        string       `json:"lessThan"`
	LessThanOrEqual string       `json:"lessThanOrEqual"`
	Changes         []wireChange `json:"changes"`
}

type wireChange struct {
	At     string `json:"at"`
	Status string `json:"status"`
}

type wireCPEConfig struct {
	Operator string        `json:"operator"`
	Negate   bool          `json:"negate"`
	Nodes    []wireCPENode `json:"nodes"`
}

type wireCPENode struct {
	Operator string         `json:"operator"`
	Negate   bool           `json:"negate"`
	CPEMatch []wireCPEMatch `json:"cpeMatch"`
}

type wireCPEMatch struct {
	Vulnerable            bool   `json:"vulnerable"`
	Criteria              string `json:"criteria"`
	VersionStartIncluding string `json:"versionStartIncluding"`
	VersionStartExcluding string `json:"versionStartExcluding"`
	VersionEndIncluding   string `json:"versionEndIncluding"`
	VersionEndExcluding   string `json:"versionEndExcluding"`
}

type wireProblemType struct {
	Descriptions []wireProblemDesc `json:"descriptions"`
}

type wireProblemDesc struct {
	Lang        string `json:"lang"`
	Description string `json:"description"`
	CweID       string `json:"cweId"`
	Type        string `json:"type"`
}

type wireReference struct {
	URL  string   `json:"url"`
	Name string   `json:"name"`
	Tags []string `json:"tags"`
}

type wireMetric struct {
	Format   string     `json:"format"`
	CVSSV4_0 *wireCVSS  `json:"cvssV4_0"`
	CVSSV3_1 *wireCVSS  `json:"cvssV3_1"`
	CVSSV3_0 *wireCVSS  `json:"cvssV3_0"`
	CVSSV2_0 *wireCVSS  `json:"cvssV2_0"`
	Other    *wireOther `json:"other"`
}

type wireCVSS struct {
	Version      string   `json:"version"`
	VectorString string   `json:"vectorString"`
	BaseScore    *float64 `json:"baseScore"`
	BaseSeverity string   `json:"baseSeverity"`
}

type wireOther struct {
	Type    string          `json:"type"`
	Content json.RawMessage `json:"content"`
}

type wireImpact struct {
	CapecID      string     `json:"capecId"`
	Descriptions []wireText `json:"descriptions"`
}

type wireTimeline struct {
	Time  string `json:"time"`
	Lang  string `json:"lang"`
	Value string `json:"value"`
}

type wireCredit struct {
	Lang  string `json:"lang"`
	Value string `json:"value"`
	Type  string `json:"type"`
}

// wireSSVC is the content of a CISA-ADP metric of type "ssvc".
type wireSSVC struct {
	ID        string              `json:"id"`
	Role      string              `json:"role"`
	Version   string              `json:"version"`
	Timestamp string              `json:"timestamp"`
	Options   []map[string]string `json:"options"`
}

// wireKEV is the content of a CISA-ADP metric of type "kev".
type wireKEV struct {
	DateAdded string `json:"dateAdded"`
	Reference string `json:"reference"`
}
