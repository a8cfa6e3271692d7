package rssfeed

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/sigwatch/sigwatch/feeds"
	"github.com/sigwatch/sigwatch/internal/jsonin"
	"github.com/sigwatch/sigwatch/internal/sniff"
)

// jsonFeedPrefix starts the version URL of every JSON Feed.
const jsonFeedPrefix = "https://jsonfeed.org/version/"

type jsonFeed struct {
	Version     *string    `json:"version"`
	Title       string     `json:"title"`
	HomePageURL string     `json:"home_page_url"`
	FeedURL     string     `json:"feed_url"`
	Description string     `json:"description"`
	Items       []jsonItem `json:"items"`
}

type jsonItem struct {
	ID            json.RawMessage `json:"id"`
	URL           string          `json:"url"`
	ExternalURL   string          `json:"external_url"`
	Title         string          `json:"title"`
	ContentHTML   string          `json:"content_html"`
	ContentText   string          `json:"content_text"`
	Summary       string          `json:"summary"`
	DatePublished string          `json:"date_published"`
	DateModified  string          `json:"date_modified"`
	Author        *jsonAuthor     `json:"author"`  // JSON Feed 1.0
	Authors       []jsonAuthor    `json:"authors"` // JSON Feed 1.1
	Tags          []string        `json:"tags"`
	Attachments   []struct {
		URL string `json:"url"`
	} `json:"attachments"`
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// parseJSON parses a JSON Feed.
func (p *parser) parseJSON(data []byte) (*Feed, error) {
	p.json = true
	var w jsonFeed
	if err := jsonin.Unmarshal(data, p.name, &w); err != nil {
		return nil, err
	}
	switch {
	case w.Version == nil:
		return nil, jsonin.ErrorAt(data, p.name, "", sniff.NotFeedf(`not a JSON Feed: no "version"`))
	case !strings.HasPrefix(*w.Version, jsonFeedPrefix):
		return nil, jsonin.ErrorAt(data, p.name, "version", sniff.NotFeedf("not a JSON Feed: version %q does not start with %s", clip(*w.Version), jsonFeedPrefix))
	}
	if len(w.Items) > p.maxItems {
		return nil, p.tooManyItemsJSON(data)
	}
	f := &Feed{Format: FormatJSON, Version: *w.Version, Title: w.Title, Link: w.HomePageURL, Description: w.Description}
	items := make([]rawItem, 0, len(w.Items))
	for i := range w.Items {
		wi := &w.Items[i]
		path := "items[" + strconv.Itoa(i) + "]"
		it := rawItem{path: path, title: wi.Title, link: wi.URL}
		if id, ok := jsonID(wi.ID); ok {
			it.guid, it.hasGUID = id, true
		} else if len(wi.ID) > 0 && !bytes.Equal(wi.ID, []byte("null")) {
			p.warnItem(&it, 0, 0, path+".id", "id is neither a string nor a number; ignored")
		}
		// content_html, else content_text, is the summary as published;
		// the other texts become notes.
		switch {
		case wi.ContentHTML != "":
			it.content = wi.ContentHTML
			if wi.ContentText != "" {
				it.notes = append(it.notes, feeds.Note{Category: "content_text", Text: wi.ContentText})
			}
		case wi.ContentText != "":
			it.content = wi.ContentText
		}
		it.summary = wi.Summary
		if wi.ExternalURL != "" {
			it.links = append(it.links, rawLink{rel: "external", href: wi.ExternalURL})
		}
		for _, a := range wi.Attachments {
			if strings.TrimSpace(a.URL) != "" {
				it.links = append(it.links, rawLink{rel: "enclosure", href: a.URL})
			}
		}
		if wi.DatePublished != "" {
			it.published = rawDate{value: wi.DatePublished, field: "date_published", set: true}
		}
		if wi.DateModified != "" {
			it.modified = rawDate{value: wi.DateModified, field: "date_modified", set: true}
		}
		for _, t := range wi.Tags {
			it.cats = append(it.cats, rawCategory{term: t})
		}
		if wi.Author != nil && strings.TrimSpace(wi.Author.Name) != "" {
			it.authors = append(it.authors, wi.Author.Name)
		}
		for _, a := range wi.Authors {
			if strings.TrimSpace(a.Name) != "" {
				it.authors = append(it.authors, a.Name)
			}
		}
		items = append(items, it)
	}
	f.Advisories = p.mapItems(items)
	return f, nil
}

// jsonID reads a JSON Feed id: a string, or a number (JSON Feed 1.1 asks
// readers to coerce it to a string).
func jsonID(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String(), true
	}
	return "", false
}

func (p *parser) tooManyItemsJSON(data []byte) error {
	path := "items[" + strconv.Itoa(p.maxItems) + "]"
	return jsonin.ErrorAt(data, p.name, path, fmt.Errorf("more than %d items: %w", p.maxItems, feeds.ErrTooLarge))
}
