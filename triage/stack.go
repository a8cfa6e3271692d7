package triage

import (
	"errors"
	"fmt"
	"strings"
)

// Exposure says how reachable a component is.
type Exposure string

// Exposure values. ExposureUnknown is treated like internal by the default rules.
const (
	ExposureUnknown  Exposure = ""
	ExposureInternet Exposure = "internet"
	ExposureInternal Exposure = "internal"
	ExposureIsolated Exposure = "isolated"
)

// Valid reports whether e is a known exposure (the empty value included).
func (e Exposure) Valid() bool {
	switch e {
	case ExposureUnknown, ExposureInternet, ExposureInternal, ExposureIsolated:
		return true
	}
	return false
}

// Criticality is the business criticality of a component.
type Criticality string

// Criticality values.
const (
	CriticalityUnknown  Criticality = ""
	CriticalityCritical Criticality = "critical"
	CriticalityHigh     Criticality = "high"
	CriticalityMedium   Criticality = "medium"
	CriticalityLow      Criticality = "low"
)

// Valid reports whether c is a known criticality (the empty value included).
func (c Criticality) Valid() bool {
	switch c {
	case CriticalityUnknown, CriticalityCritical, CriticalityHigh, CriticalityMedium, CriticalityLow:
		return true
	}
	return false
}

func (c Criticality) rank() int {
	switch c {
	case CriticalityCritical:
		return 4
	case CriticalityHigh:
		return 3
	case CriticalityMedium:
		return 2
	case CriticalityLow:
		return 1
	}
	return 0
}

// Component is one thing the organisation runs: an appliance, an operating
// system, an application, a library or a SaaS product.
type Component struct {
	// ID identifies the component within the stack ("edge-fw"). Required, unique.
	ID string `yaml:"id" json:"id"`
	// Name is a display name; it defaults to Vendor + Product.
	Name    string `yaml:"name,omitempty" json:"name,omitempty"`
	Vendor  string `yaml:"vendor,omitempty" json:"vendor,omitempty"`
	Product string `yaml:"product,omitempty" json:"product,omitempty"`
	// Version is the installed version as the vendor writes it.
	Version string `yaml:"version,omitempty" json:"version,omitempty"`
	// PURL and CPE are package URL and CPE 2.3 identifiers, when known.
	PURL string `yaml:"purl,omitempty" json:"purl,omitempty"`
	CPE  string `yaml:"cpe,omitempty" json:"cpe,omitempty"`
	// Ecosystem is the OSV ecosystem of a package ("Go", "npm").
	Ecosystem string `yaml:"ecosystem,omitempty" json:"ecosystem,omitempty"`
	// Owner is the person or team (a register person ID) that acts on advisories.
	Owner       string      `yaml:"owner,omitempty" json:"owner,omitempty"`
	Criticality Criticality `yaml:"criticality,omitempty" json:"criticality,omitempty"`
	Exposure    Exposure    `yaml:"exposure,omitempty" json:"exposure,omitempty"`
	Tags        []string    `yaml:"tags,omitempty" json:"tags,omitempty"`
	// Source says where the component was read from ("sbom.spdx.json:
	// SPDXRef-Package-go-module-x", "stack.csv:12"), for evidence and for
	// messages. Loaders set it; it is never matched on.
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
}

// DisplayName returns Name, or "Vendor Product", or the ID.
func (c *Component) DisplayName() string {
	if c.Name != "" {
		return c.Name
	}
	if n := strings.TrimSpace(c.Vendor + " " + c.Product); n != "" {
		return n
	}
	return c.ID
}

// Stack is the organisation's inventory of components.
type Stack struct {
	Components []Component `yaml:"components" json:"components"`
}

// Component returns the component with the given ID.
func (s *Stack) Component(id string) (*Component, bool) {
	for i := range s.Components {
		if s.Components[i].ID == id {
			return &s.Components[i], true
		}
	}
	return nil, false
}

// Validate checks that every component has a unique ID, something to match
// on (vendor and product, a purl or a CPE), and known exposure and criticality
// values. It returns all problems joined, each a *[ComponentError].
func (s *Stack) Validate() error {
	var errs []error
	seen := map[string]int{}
	for i, c := range s.Components {
		bad := func(first int, format string, args ...any) {
			errs = append(errs, &ComponentError{Index: i, ID: c.ID, First: first, Msg: fmt.Sprintf(format, args...)})
		}
		if c.ID == "" {
			bad(-1, "missing id")
		} else if j, dup := seen[c.ID]; dup {
			bad(j, "duplicate id %q", c.ID)
		} else {
			seen[c.ID] = i
		}
		if !c.identifiable() {
			bad(-1, "nothing to match on: give vendor and product, a purl or a cpe")
		}
		if !c.Exposure.Valid() {
			bad(-1, "unknown exposure %q (want internet, internal or isolated)", c.Exposure)
		}
		if !c.Criticality.Valid() {
			bad(-1, "unknown criticality %q (want critical, high, medium or low)", c.Criticality)
		}
	}
	return errors.Join(errs...)
}

// identifiable reports whether c has something to match on: a product, a
// purl or a CPE.
func (c *Component) identifiable() bool {
	return strings.TrimSpace(c.Product) != "" || c.PURL != "" || c.CPE != ""
}

// ComponentError is one problem with one component of a stack.
type ComponentError struct {
	// Index is the component's position in Stack.Components; ID its ID.
	Index int
	ID    string
	// First is the position of the component whose ID this one repeats,
	// or -1.
	First int
	Msg   string
}

// Error implements the error interface.
func (e *ComponentError) Error() string {
	where := fmt.Sprintf("components[%d]", e.Index)
	if e.ID != "" && e.First < 0 {
		where += " (" + e.ID + ")"
	}
	msg := e.Msg
	if e.First >= 0 {
		msg += fmt.Sprintf(" (first at components[%d])", e.First)
	}
	return "triage: " + where + ": " + msg
}
