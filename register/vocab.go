package register

import (
	"net/url"
	"strings"
	"unicode"
)

// The word lists Check judges names and scopes with. They are data, kept
// small and explained; a register whose wording they misjudge can set an
// explicit purpose (for authorities) or more specific names.

// platformWords name platforms and media, not groups (hygiene rule H5 of
// the reference: "Twitter", "LinkedIn", "Reddit", "the news", "Google
// alerts" are platforms). A name made only of these and genericWords is vague.
var platformWords = map[string]string{
	"twitter": "a social network", "x": "a social network", "linkedin": "a social network",
	"reddit": "a social network", "facebook": "a social network", "mastodon": "a social network",
	"bluesky": "a social network", "instagram": "a social network", "tiktok": "a social network",
	"youtube": "a video platform", "telegram": "a messaging platform", "discord": "a messaging platform",
	"whatsapp": "a messaging platform", "social": "social media", "media": "social media",
	"news": "the news", "internet": "the internet", "web": "the web", "online": "the internet",
	"google": "a search engine", "alerts": "an alerting service", "blogs": "blogs in general",
	"websites": "websites in general", "forums": "forums in general", "vendors": "vendors in general",
	"newsletters": "newsletters in general", "sources": "sources in general", "various": "nothing specific",
	"misc": "nothing specific", "miscellaneous": "nothing specific", "other": "nothing specific",
	"rss": "feeds in general", "lists": "lists in general",
}

// genericWords add nothing to a name ("Twitter feeds", "the security news").
var genericWords = map[string]bool{
	"the": true, "a": true, "feed": true, "feeds": true, "account": true, "accounts": true,
	"group": true, "groups": true, "post": true, "posts": true, "thread": true, "threads": true,
	"channel": true, "channels": true, "page": true, "pages": true, "general": true,
	"security": true, "cyber": true, "cybersecurity": true, "it": true, "and": true, "of": true,
	"in": true, "on": true, "mailing": true, "tech": true, "infosec": true, "com": true,
	"formerly": true, "several": true, "some": true, "sites": true, "monitoring": true, "vendor": true,
}

// platformHosts are sites whose front page is a platform, not a group;
// a URL with a path (an account, a subreddit) is specific enough.
var platformHosts = map[string]string{
	"twitter.com": "a social network", "x.com": "a social network", "linkedin.com": "a social network",
	"reddit.com": "a social network", "facebook.com": "a social network", "mastodon.social": "a social network",
	"bsky.app": "a social network", "youtube.com": "a video platform", "t.me": "a messaging platform",
	"discord.com": "a messaging platform", "google.com": "a search engine", "news.google.com": "a news aggregator",
}

// nameWords splits a name into lower-case words of letters and digits.
func nameWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// vagueName reports whether name names a platform or a medium rather than
// a group, and what it names.
func vagueName(name string) (string, bool) {
	what := ""
	for _, w := range nameWords(name) {
		if p, ok := platformWords[w]; ok {
			if what == "" {
				what = p
			}
			continue
		}
		if !genericWords[w] {
			return "", false
		}
	}
	return what, what != ""
}

// vagueURL reports whether raw is the front page of a platform.
func vagueURL(raw string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return "", false
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	p, ok := platformHosts[host]
	if !ok || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" {
		return "", false
	}
	return p, true
}

// authorityPhrases mark regulators, supervisors and law enforcement (word
// sequences matched on whole words). National CERTs are not among them.
var authorityPhrases = [][]string{
	{"regulator"}, {"regulatory"}, {"authority"}, {"commissioner"}, {"police"},
	{"law", "enforcement"}, {"europol"}, {"interpol"}, {"action", "fraud"}, {"bafin"},
	{"fca"}, {"ico"}, {"ministry"}, {"prosecutor"}, {"national", "crime", "agency"},
}

// notAuthority are words that, before "authority", name something else
// ("Certification Authority Browser Forum").
var notAuthority = map[string]bool{"certification": true, "certificate": true, "numbers": true, "naming": true}

// authorityName reports whether a name looks like an authority's, and the
// phrase that says so.
func authorityName(name string) (string, bool) {
	words := nameWords(name)
	for _, phrase := range authorityPhrases {
		for i := 0; i+len(phrase) <= len(words); i++ {
			match := true
			for j, w := range phrase {
				if words[i+j] != w {
					match = false
					break
				}
			}
			if match && !(phrase[0] == "authority" && i > 0 && notAuthority[words[i-1]]) {
				return strings.Join(phrase, " "), true
			}
		}
	}
	return "", false
}

// Regions. A region is an ISO 3166 country code ("de"), a subdivision
// ("us-ny", inside "us"), or a named area; the names below are recognised
// and the areas know their members, so a German CERT is in scope for an
// organisation operating in the EU and an EU-wide ISAC is in scope for one
// operating in Germany.

var regionSynonyms = map[string]string{
	"gb": "uk", "united-kingdom": "uk", "great-britain": "uk", "britain": "uk", "england": "uk",
	"scotland": "uk", "wales": "uk", "northern-ireland": "uk",
	"usa": "us", "united-states": "us", "america": "us",
	"european-union": "eu", "deutschland": "de", "germany": "de", "france": "fr", "ireland": "ie",
	"netherlands": "nl", "the-netherlands": "nl", "holland": "nl", "spain": "es", "italy": "it",
	"switzerland": "ch", "norway": "no", "iceland": "is", "austria": "at", "belgium": "be",
	"bulgaria": "bg", "croatia": "hr", "cyprus": "cy", "czechia": "cz", "czech-republic": "cz",
	"denmark": "dk", "estonia": "ee", "finland": "fi", "greece": "gr", "hungary": "hu",
	"latvia": "lv", "lithuania": "lt", "luxembourg": "lu", "malta": "mt", "poland": "pl",
	"portugal": "pt", "romania": "ro", "slovakia": "sk", "slovenia": "si", "sweden": "se",
	"canada": "ca", "mexico": "mx", "brazil": "br", "australia": "au", "new-zealand": "nz",
	"japan": "jp", "india": "in", "singapore": "sg", "south-korea": "kr", "korea": "kr",
	"hong-kong": "hk", "china": "cn", "israel": "il", "united-arab-emirates": "ae", "uae": "ae",
	"south-africa": "za", "ukraine": "ua", "turkey": "tr", "turkiye": "tr",
	"na": "north-america", "latin-america": "latam", "asia-pacific": "apac",
	"world": "global", "worldwide": "global", "international": "global", "all": "global", "any": "global",
}

var eu = []string{"at", "be", "bg", "hr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "gr", "hu", "ie",
	"it", "lv", "lt", "lu", "mt", "nl", "pl", "pt", "ro", "sk", "si", "es", "se"}

// regionMembers lists what each area contains (areas may contain areas).
var regionMembers = map[string][]string{
	"eu":            eu,
	"europe":        append([]string{"eu", "uk", "ch", "no", "is", "li", "ua", "rs", "al", "ba", "me", "mk", "md"}, eu...),
	"emea":          {"europe", "ae", "sa", "il", "qa", "za", "ng", "ke", "eg", "ma", "tr"},
	"north-america": {"us", "ca", "mx"},
	"latam":         {"mx", "br", "ar", "cl", "co", "pe", "uy"},
	"apac":          {"au", "nz", "sg", "jp", "kr", "in", "hk", "cn", "tw", "my", "id", "th", "ph", "vn"},
}

// fold lower-cases s, drops dots and joins its words with hyphens:
// "North America" → "north-america", "U.K." → "uk".
func fold(s string) string {
	s = strings.ReplaceAll(strings.ToLower(s), ".", "")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '_' || r == '-' }), "-")
}

// normRegion folds a region and maps synonyms; in a subdivision code
// ("GB-SCT") the country part is mapped too ("uk-sct").
func normRegion(s string) string {
	s = fold(s)
	if v, ok := regionSynonyms[s]; ok {
		return v
	}
	if country, sub, ok := strings.Cut(s, "-"); ok && len(country) == 2 {
		if v, ok := regionSynonyms[country]; ok && len(v) == 2 {
			return v + "-" + sub
		}
	}
	return s
}

// regionContains reports whether area a contains region b (or is it).
func regionContains(a, b string, depth int) bool {
	if a == b {
		return true
	}
	if depth > 4 {
		return false
	}
	// A subdivision is inside its country: "us-ny" in "us".
	if country, _, ok := strings.Cut(b, "-"); ok && len(country) == 2 && regionContains(a, country, depth+1) {
		return true
	}
	for _, m := range regionMembers[a] {
		if regionContains(m, b, depth+1) {
			return true
		}
	}
	return false
}

// regionsOverlap reports whether the organisation (org) operates anywhere
// the group serves.
func regionsOverlap(org, group []string) bool {
	for _, o := range org {
		o = normRegion(o)
		for _, g := range group {
			g = normRegion(g)
			if o == "global" || g == "global" || regionContains(o, g, 0) || regionContains(g, o, 0) {
				return true
			}
		}
	}
	return false
}

var sectorSynonyms = map[string]string{
	"finance": "financial-services", "financial": "financial-services", "banking": "financial-services",
	"payments": "financial-services", "insurance": "financial-services", "fintech": "financial-services",
	"financial-sector": "financial-services",
	"health":           "healthcare", "health-care": "healthcare", "medical": "healthcare",
	"electricity": "energy", "oil-and-gas": "energy", "utilities": "energy",
	"it": "technology", "information-technology": "technology", "software": "technology",
	"government": "public-sector", "public": "public-sector",
	"all": "all", "any": "all", "cross-sector": "all", "all-sectors": "all", "multi-sector": "all",
}

func normSector(s string) string {
	s = fold(s)
	if v, ok := sectorSynonyms[s]; ok {
		return v
	}
	return s
}

func sectorsOverlap(org, group []string) bool {
	for _, o := range org {
		o = normSector(o)
		for _, g := range group {
			g = normSector(g)
			if o == g || o == "all" || g == "all" {
				return true
			}
		}
	}
	return false
}
