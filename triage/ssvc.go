package triage

import (
	"fmt"
	"strings"
)

// SSVCDecision is an outcome of the SSVC deployer decision model.
type SSVCDecision string

// Deployer outcomes, from the least to the most urgent.
const (
	SSVCDefer      SSVCDecision = "defer"
	SSVCScheduled  SSVCDecision = "scheduled"
	SSVCOutOfCycle SSVCDecision = "out-of-cycle"
	SSVCImmediate  SSVCDecision = "immediate"
)

var ssvcLevels = []string{string(SSVCDefer), string(SSVCScheduled), string(SSVCOutOfCycle), string(SSVCImmediate)}

// SSVC is the deployer decision for one advisory on one component, with
// the decision points it used and which of them were assumed.
type SSVC struct {
	Decision SSVCDecision `json:"decision"`
	// Exploitation is none, public poc or active; SystemExposure small,
	// controlled or open; Automatable yes or no; HumanImpact low, medium,
	// high or very high — the SSVC decision point values.
	Exploitation   string `json:"exploitation"`
	SystemExposure string `json:"system_exposure"`
	Automatable    string `json:"automatable"`
	HumanImpact    string `json:"human_impact"`
	// Assumed lists the decision points that were not known and took the
	// documented default.
	Assumed []string `json:"assumed,omitempty"`
}

// String renders the decision and its inputs in one line.
func (s SSVC) String() string {
	out := fmt.Sprintf("SSVC deployer: %s (exploitation %s, exposure %s, automatable %s, human impact %s",
		s.Decision, s.Exploitation, s.SystemExposure, s.Automatable, s.HumanImpact)
	if len(s.Assumed) > 0 {
		out += "; assumed " + strings.Join(s.Assumed, ", ")
	}
	return out + ")"
}

// The CERT/CC SSVC "Deployer Patch Application Priority" decision table
// v1.0.0 (decision points Exploitation v1.1.0, System Exposure v1.0.1,
// Automatable v2.0.0, Human Impact v2.0.2), indexed
// [exploitation][exposure][automatable][human impact] with values
// 0 defer, 1 scheduled, 2 out-of-cycle, 3 immediate. The test checks every
// row against the table as published (testdata/ssvc/).
var deployerTable = [3][3][2][4]uint8{
	{ // none
		{{0, 0, 1, 1}, {0, 1, 1, 1}}, // small: automatable no, yes
		{{0, 1, 1, 1}, {1, 1, 1, 1}}, // controlled
		{{0, 1, 1, 1}, {1, 1, 1, 2}}, // open
	},
	{ // public poc
		{{0, 1, 1, 1}, {1, 1, 1, 1}},
		{{0, 1, 1, 1}, {1, 1, 1, 2}},
		{{1, 1, 1, 2}, {1, 1, 2, 2}},
	},
	{ // active
		{{1, 1, 2, 2}, {1, 2, 2, 2}},
		{{1, 1, 2, 2}, {2, 2, 2, 2}},
		{{1, 2, 2, 3}, {2, 2, 3, 3}},
	},
}

var (
	ssvcExploitation = []string{"none", "public poc", "active"}
	ssvcExposure     = []string{"small", "controlled", "open"}
	ssvcAutomatable  = []string{"no", "yes"}
	ssvcHumanImpact  = []string{"low", "medium", "high", "very high"}
)

// DeployerDecision computes the SSVC deployer decision from its four
// decision points as SSVC names them. It reports false when a value is not
// one of the table's.
func DeployerDecision(exploitation, exposure, automatable, humanImpact string) (SSVCDecision, bool) {
	e, x, a, h := indexOf(ssvcExploitation, exploitation), indexOf(ssvcExposure, exposure),
		indexOf(ssvcAutomatable, automatable), indexOf(ssvcHumanImpact, humanImpact)
	if e < 0 || x < 0 || a < 0 || h < 0 {
		return "", false
	}
	return SSVCDecision(ssvcLevels[deployerTable[e][x][a][h]]), true
}

func indexOf(xs []string, s string) int {
	s = strings.ToLower(strings.TrimSpace(s))
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}

// deployerSSVC computes the decision for an advisory's facts and a
// component:
//
//   - Exploitation: active when KEV lists the vulnerability or CISA's SSVC
//     says active; "poc" → public poc; otherwise none (stated, or assumed
//     when nothing is published).
//   - System Exposure from the component's exposure: isolated → small,
//     internal → controlled, internet → open; unknown → controlled (assumed).
//   - Automatable from CISA's SSVC; unknown → yes (assumed: the cautious
//     value).
//   - Human Impact from criticality: low → low, medium → medium, high →
//     high, critical → very high; unknown → medium (assumed).
func deployerSSVC(f *advFacts, c *Component) SSVC {
	s := SSVC{}
	switch {
	case f.kev || f.exploitation == "active":
		s.Exploitation = "active"
	case f.exploitation == "poc":
		s.Exploitation = "public poc"
	case f.exploitation == "none":
		s.Exploitation = "none"
	default:
		s.Exploitation = "none"
		s.Assumed = append(s.Assumed, "exploitation none (nothing published)")
	}
	switch c.Exposure {
	case ExposureIsolated:
		s.SystemExposure = "small"
	case ExposureInternet:
		s.SystemExposure = "open"
	case ExposureInternal:
		s.SystemExposure = "controlled"
	default:
		s.SystemExposure = "controlled"
		s.Assumed = append(s.Assumed, "exposure controlled")
	}
	switch f.automatable {
	case "yes", "no":
		s.Automatable = f.automatable
	default:
		s.Automatable = "yes"
		s.Assumed = append(s.Assumed, "automatable yes")
	}
	switch c.Criticality {
	case CriticalityLow:
		s.HumanImpact = "low"
	case CriticalityMedium:
		s.HumanImpact = "medium"
	case CriticalityHigh:
		s.HumanImpact = "high"
	case CriticalityCritical:
		s.HumanImpact = "very high"
	default:
		s.HumanImpact = "medium"
		s.Assumed = append(s.Assumed, "human impact medium")
	}
	s.Decision, _ = DeployerDecision(s.Exploitation, s.SystemExposure, s.Automatable, s.HumanImpact)
	return s
}
