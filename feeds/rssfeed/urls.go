package rssfeed

import (
	"net/url"
	"strings"
)

// trackingParams are query parameters that only track clicks; they are
// removed from item links before the link is used as an ID or URL. Keys
// compare case-insensitively; a trailing "*" matches a prefix.
var trackingParams = [...]string{
	"utm_*",                                     // Google Analytics and everyone copying it
	"vs_f", "vs_cat", "vs_type", "vs_p", "vs_k", // Cisco PSIRT RSS
	"fbclid", "gclid", "dclid", "msclkid", // ad click IDs
	"mc_cid", "mc_eid", // Mailchimp
	"_hsenc", "_hsmi", "mkt_tok", // HubSpot, Marketo
	"ocid", "wt.mc_id", // Microsoft
}

// TrackingParams returns the query parameters Parse strips from item links
// ("utm_*" stands for every key starting with "utm_"). Each call returns a
// new slice.
func TrackingParams() []string { return append([]string(nil), trackingParams[:]...) }

// stripTracking removes tracking query parameters (trackingParams plus
// extra) from raw. The rest of the URL is kept byte for byte, including the
// order and encoding of the remaining parameters; a value that is not a
// valid http(s) URL is returned unchanged.
func stripTracking(raw string, extra []string) string {
	q := strings.IndexByte(raw, '?')
	if q < 0 {
		return raw
	}
	if h := strings.IndexByte(raw, '#'); h >= 0 && h < q {
		return raw // the "?" is inside the fragment: there is no query
	}
	if !isHTTP(strings.TrimSpace(raw)) {
		return raw
	}
	if _, err := url.Parse(strings.TrimSpace(raw)); err != nil {
		return raw
	}
	query, frag := raw[q+1:], ""
	if h := strings.IndexByte(query, '#'); h >= 0 {
		query, frag = query[:h], query[h:]
	}
	var kept []string
	changed := false
	for _, pair := range strings.Split(query, "&") {
		key, _, _ := strings.Cut(pair, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		if isTracking(key, extra) {
			changed = true
			continue
		}
		kept = append(kept, pair)
	}
	if !changed {
		return raw
	}
	out := raw[:q]
	if len(kept) > 0 {
		out += "?" + strings.Join(kept, "&")
	}
	return out + frag
}

func isTracking(key string, extra []string) bool {
	for _, lists := range [][]string{trackingParams[:], extra} {
		for _, p := range lists {
			if prefix, ok := strings.CutSuffix(p, "*"); ok {
				if len(key) >= len(prefix) && strings.EqualFold(key[:len(prefix)], prefix) {
					return true
				}
			} else if strings.EqualFold(key, p) {
				return true
			}
		}
	}
	return false
}
