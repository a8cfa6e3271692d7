package rssfeed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/sigwatch/sigwatch/internal/jsonin"
	"github.com/sigwatch/sigwatch/internal/sniff"
	"github.com/sigwatch/sigwatch/internal/timex"
)

// XML namespaces the parser knows.
const (
	nsRSS10   = "http://purl.org/rss/1.0/"
	nsRDF     = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsAtom03  = "http://purl.org/atom/ns#"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	nsDCTerms = "http://purl.org/dc/terms/"
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsXMLNS   = "xmlns"
)

// xmlReader wraps an encoding/xml Decoder: it remembers where each token
// starts, enforces MaxDepth and turns errors into *feeds.ParseError.
type xmlReader struct {
	p     *parser
	d     *xml.Decoder
	data  []byte
	depth int
	// position and byte offset where the last token returned by next started
	line, col int
	off       int64
}

// encodingDecl finds the encoding in an XML declaration.
var encodingDecl = regexp.MustCompile(`^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']`)

// toUTF8 converts data to UTF-8 according to its XML declaration. UTF-8,
// US-ASCII, ISO-8859-1 and windows-1252 are supported.
func toUTF8(data []byte) ([]byte, error) {
	m := encodingDecl.FindSubmatch(data[:min(len(data), 256)])
	if m == nil {
		return data, nil
	}
	switch strings.ToLower(string(m[1])) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return data, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
		return decode8bit(data, nil), nil
	case "windows-1252", "cp1252":
		return decode8bit(data, &cp1252), nil
	default:
		return nil, fmt.Errorf("unsupported encoding %q (want UTF-8, ISO-8859-1 or windows-1252)", m[1])
	}
}

// cp1252 maps bytes 0x80–0x9F of windows-1252; other bytes equal ISO-8859-1.
var cp1252 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}

func decode8bit(data []byte, high *[32]rune) []byte {
	var b bytes.Buffer
	b.Grow(len(data) + len(data)/8)
	for _, c := range data {
		switch {
		case c < 0x80:
			b.WriteByte(c)
		case high != nil && c < 0xA0:
			b.WriteRune(high[c-0x80])
		default:
			b.WriteRune(rune(c))
		}
	}
	return b.Bytes()
}

func (p *parser) newXMLReader(data []byte) *xmlReader {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	// HTML entities such as &nbsp; are common in feeds although XML does
	// not define them; custom entities from a DTD are never expanded.
	d.Entity = xml.HTMLEntity
	// data is UTF-8 already (see toUTF8): accept the declared label.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	return &xmlReader{p: p, d: d, data: data}
}

// next returns the next token; io.EOF at the end of the document.
func (x *xmlReader) next() (xml.Token, error) {
	x.off = x.d.InputOffset()
	x.line, x.col = x.d.InputPos()
	tok, err := x.d.Token()
	if err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		line, col := x.d.InputPos()
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			msg := se.Msg
			if msg == "unexpected EOF" {
				return nil, x.p.errorAt(line, col, "", fmt.Errorf("truncated XML: %w", io.ErrUnexpectedEOF))
			}
			return nil, x.p.errorAt(line, col, "", fmt.Errorf("XML syntax error: %s", msg))
		}
		return nil, x.p.errorAt(line, col, "", fmt.Errorf("XML: %w", err))
	}
	switch t := tok.(type) {
	case xml.StartElement:
		x.depth++
		if x.depth > MaxDepth {
			return nil, x.p.errorAt(x.line, x.col, "", fmt.Errorf("elements nested deeper than %d levels", MaxDepth))
		}
	case xml.EndElement:
		x.depth--
	case xml.Directive:
		if bytes.Contains(t, []byte("ENTITY")) {
			x.p.warn(x.line, x.col, "", "document type declaration defines entities; they are not expanded")
		}
	}
	return tok, nil
}

// skip consumes the rest of the element whose start tag was just read.
func (x *xmlReader) skip() error {
	for depth := 1; depth > 0; {
		tok, err := x.next()
		if err != nil {
			return x.eof(err)
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// eof turns io.EOF inside an element into a truncation error.
func (x *xmlReader) eof(err error) error {
	if err == io.EOF {
		line, col := x.d.InputPos()
		return x.p.errorAt(line, col, "", fmt.Errorf("truncated XML: %w", io.ErrUnexpectedEOF))
	}
	return err
}

// text reads the content of the element whose start tag was just read: its
// character data (entities decoded, CDATA verbatim) when it has no child
// elements, else its inner markup exactly as written. Nothing is trimmed.
func (x *xmlReader) text() (string, error) {
	start := x.d.InputOffset()
	var b strings.Builder
	nested := false
	for depth := 1; ; {
		tok, err := x.next()
		if err != nil {
			return "", x.eof(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if depth == 1 {
				b.Write(t)
			}
		case xml.StartElement:
			nested = true
			depth++
		case xml.EndElement:
			depth--
			if depth == 0 {
				if nested {
					return string(x.data[start:x.off]), nil
				}
				return b.String(), nil
			}
		}
	}
}

// children calls fn for each child element of the element whose start tag
// was just read, then consumes its end tag. fn must consume the child (by
// text, skip or children).
func (x *xmlReader) children(fn func(el xml.StartElement, line, col int) error) error {
	for {
		tok, err := x.next()
		if err != nil {
			return x.eof(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t, x.line, x.col); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

func attr(el xml.StartElement, space, local string) (string, bool) {
	for _, a := range el.Attr {
		if a.Name.Local == local && (a.Name.Space == space || space == "*") {
			return a.Value, true
		}
	}
	return "", false
}

// is reports whether el has local name local (case-insensitively) in one
// of the namespaces.
func is(el xml.StartElement, local string, spaces ...string) bool {
	if !strings.EqualFold(el.Name.Local, local) {
		return false
	}
	for _, s := range spaces {
		if el.Name.Space == s {
			return true
		}
	}
	return false
}

// parseXML parses an RSS, RDF or Atom document.
func (p *parser) parseXML(data []byte) (*Feed, error) {
	conv, err := toUTF8(data)
	if err != nil {
		return nil, p.errorAt(1, 1, "", err)
	}
	p.data = conv
	x := p.newXMLReader(conv)
	var root xml.StartElement
	for {
		tok, err := x.next()
		if err == io.EOF {
			return nil, p.errorAt(x.line, x.col, "", sniff.NotFeedf("not a feed: XML document has no root element"))
		}
		if err != nil {
			return nil, err
		}
		if el, ok := tok.(xml.StartElement); ok {
			root = el
			break
		}
	}
	line, col := x.line, x.col
	var feed *Feed
	switch {
	case strings.EqualFold(root.Name.Local, "rss"):
		feed, err = p.parseRSS(x, root)
	case root.Name.Local == "RDF" && root.Name.Space == nsRDF:
		feed, err = p.parseRDF(x, root)
	case root.Name.Local == "feed" && (root.Name.Space == nsAtom || root.Name.Space == nsAtom03 || root.Name.Space == ""):
		if root.Name.Space != nsAtom {
			p.warn(line, col, "feed", "root element is not in the Atom 1.0 namespace %q (namespace %q); read as Atom", nsAtom, root.Name.Space)
		}
		feed, err = p.parseAtom(x, root)
	case strings.EqualFold(root.Name.Local, "html"):
		return nil, p.errorAt(line, col, "", sniff.NotFeedf("got an HTML page, not a feed"))
	default:
		return nil, p.errorAt(line, col, "", sniff.NotFeedf("not a feed: root element <%s> (namespace %q), want <rss>, <rdf:RDF> or <feed>", clip(root.Name.Local), clip(root.Name.Space)))
	}
	if err != nil {
		return nil, err
	}
	// Nothing but white space, comments and processing instructions may
	// follow the root element (encoding/xml accepts a second root).
	for {
		tok, err := x.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return nil, p.errorAt(x.line, x.col, "", fmt.Errorf("XML syntax error: element <%s> after the root element", clip(t.Name.Local)))
		case xml.CharData:
			if trimmed := bytes.TrimLeft(t, " \t\r\n"); len(trimmed) > 0 {
				// Point at the text, not at the white space before it.
				line, col := jsonin.Position(x.data, x.off+int64(len(t)-len(trimmed)))
				return nil, p.errorAt(line, col, "", errors.New("XML syntax error: text after the root element"))
			}
		}
	}
	return feed, nil
}

// channelInfo collects channel fields.
type channelInfo struct {
	title, link, description string
}

func (p *parser) feedDate(f *Feed, dates []rawDate) {
	for _, d := range dates {
		if !d.set || strings.TrimSpace(d.value) == "" {
			continue
		}
		t, err := timex.Parse(d.value)
		if err != nil {
			p.warn(d.line, d.col, d.field, "unparseable date %q", clip(d.value))
			continue
		}
		f.Updated = t
		return
	}
}

// appendItem parses the <item> that el opens and appends it to items; its
// path for messages is prefix[index].
func (p *parser) appendItem(x *xmlReader, el xml.StartElement, core []string, prefix string, items *[]rawItem, line, col int) error {
	it, err := p.parseRSSItem(x, el, core, prefix+"["+strconv.Itoa(len(*items))+"]", line, col)
	if err == nil {
		*items = append(*items, it)
	}
	return err
}

// parseRSS reads an <rss> document (RSS 0.91, 0.92, 2.0).
func (p *parser) parseRSS(x *xmlReader, root xml.StartElement) (*Feed, error) {
	f := &Feed{Format: FormatRSS}
	f.Version, _ = attr(root, "", "version")
	core := []string{"", root.Name.Space}
	var items []rawItem
	var ch channelInfo
	var lastBuild, pub, dcDate rawDate
	err := x.children(func(el xml.StartElement, line, col int) error {
		switch {
		case is(el, "channel", core...):
			return x.children(func(el xml.StartElement, line, col int) error {
				var err error
				switch {
				case is(el, "item", core...):
					return p.appendItem(x, el, core, "rss.channel.item", &items, line, col)
				case is(el, "title", core...):
					ch.title, err = x.text()
				case is(el, "link", core...):
					var s string
					if s, err = x.text(); ch.link == "" {
						ch.link = s
					}
				case is(el, "description", core...):
					ch.description, err = x.text()
				case is(el, "lastBuildDate", core...):
					lastBuild, err = x.date("rss.channel.lastBuildDate", line, col)
				case is(el, "pubDate", core...):
					pub, err = x.date("rss.channel.pubDate", line, col)
				case is(el, "date", nsDC):
					dcDate, err = x.date("rss.channel.dc:date", line, col)
				default:
					err = x.skip()
				}
				return err
			})
		case is(el, "item", core...):
			// Some RSS 0.9x feeds put items beside the channel.
			return p.appendItem(x, el, core, "rss.item", &items, line, col)
		default:
			return x.skip()
		}
	})
	if err != nil {
		return nil, err
	}
	f.Title, f.Link, f.Description = ch.title, ch.link, ch.description
	p.feedDate(f, []rawDate{lastBuild, pub, dcDate})
	f.Advisories = p.mapItems(items)
	return f, nil
}

// date reads a date element's text.
func (x *xmlReader) date(field string, line, col int) (rawDate, error) {
	s, err := x.text()
	return rawDate{value: s, field: field, line: line, col: col, set: true}, err
}

// parseRSSItem reads an RSS 2.0 or RSS 1.0 <item>.
func (p *parser) parseRSSItem(x *xmlReader, el xml.StartElement, core []string, path string, line, col int) (rawItem, error) {
	if err := p.countItem(line, col, path); err != nil {
		return rawItem{}, err
	}
	it := rawItem{path: path, line: line, col: col, permaLink: true}
	for _, a := range el.Attr {
		switch {
		case a.Name.Space == nsRDF && a.Name.Local == "about":
			it.about = a.Value
		case a.Name.Space == nsXMLNS || (a.Name.Space == "" && a.Name.Local == "xmlns"):
		default:
			it.attrs = append(it.attrs, [2]string{a.Name.Local, a.Value})
		}
	}
	var dcDate rawDate
	err := x.children(func(el xml.StartElement, line, col int) error {
		var (
			s   string
			err error
		)
		switch {
		case is(el, "title", core...):
			it.title, err = x.text()
		case is(el, "link", core...):
			if s, err = x.text(); it.link == "" && strings.TrimSpace(s) != "" {
				it.link = s
			} else if strings.TrimSpace(s) != "" {
				it.links = append(it.links, rawLink{rel: "alternate", href: s})
			}
		case is(el, "description", core...):
			it.summary, err = x.text()
		case is(el, "encoded", nsContent):
			it.content, err = x.text()
		case is(el, "guid", core...):
			if v, ok := attr(el, "", "isPermaLink"); ok && strings.EqualFold(strings.TrimSpace(v), "false") {
				it.permaLink = false
			}
			it.guid, err = x.text()
			it.hasGUID = true
		case is(el, "pubDate", core...):
			it.published, err = x.date("pubDate", line, col)
		case is(el, "date", nsDC):
			dcDate, err = x.date("dc:date", line, col)
		case is(el, "modified", nsDCTerms), is(el, "updated", nsAtom):
			it.modified, err = x.date(el.Name.Local, line, col)
		case is(el, "category", core...):
			domain, _ := attr(el, "", "domain")
			s, err = x.text()
			it.cats = append(it.cats, rawCategory{term: s, scheme: domain})
		case is(el, "subject", nsDC):
			s, err = x.text()
			it.cats = append(it.cats, rawCategory{term: s})
		case is(el, "author", core...), is(el, "creator", nsDC):
			if s, err = x.text(); strings.TrimSpace(s) != "" {
				it.authors = append(it.authors, s)
			}
		case is(el, "comments", core...):
			s, err = x.text()
			it.links = append(it.links, rawLink{rel: "comments", href: s})
		case is(el, "enclosure", core...):
			if u, ok := attr(el, "", "url"); ok {
				it.links = append(it.links, rawLink{rel: "enclosure", href: u})
			}
			err = x.skip()
		case is(el, "link", nsAtom):
			href, _ := attr(el, "", "href")
			rel, _ := attr(el, "", "rel")
			if strings.TrimSpace(href) != "" {
				it.links = append(it.links, rawLink{rel: rel, href: href})
			}
			err = x.skip()
		default:
			// Unknown children (Amazon's <lastBuildDate> inside <item>,
			// extensions) are ignored.
			err = x.skip()
		}
		return err
	})
	if strings.TrimSpace(it.link) == "" {
		// No <link>: an atom:link rel="alternate" (or without rel) serves.
		for i, l := range it.links {
			if l.rel == "" || l.rel == "alternate" {
				it.link = l.href
				it.links = append(it.links[:i:i], it.links[i+1:]...)
				break
			}
		}
	}
	if !it.published.set {
		it.published = dcDate
	} else if dcDate.set && !it.modified.set {
		it.modified = dcDate
	}
	return it, err
}

// parseRDF reads an RSS 1.0 <rdf:RDF> document. Items are the <item>
// children of the root; the channel's rdf:Seq is only compared with them.
func (p *parser) parseRDF(x *xmlReader, root xml.StartElement) (*Feed, error) {
	f := &Feed{Format: FormatRDF, Version: "1.0"}
	core := []string{nsRSS10, ""}
	var items []rawItem
	var ch channelInfo
	var dcDate rawDate
	seq, seqLine, seqCol := -1, 0, 0
	err := x.children(func(el xml.StartElement, line, col int) error {
		switch {
		case is(el, "channel", core...):
			return x.children(func(el xml.StartElement, line, col int) error {
				var err error
				switch {
				case is(el, "title", core...):
					ch.title, err = x.text()
				case is(el, "link", core...):
					ch.link, err = x.text()
				case is(el, "description", core...):
					ch.description, err = x.text()
				case is(el, "date", nsDC):
					dcDate, err = x.date("rdf:RDF.channel.dc:date", line, col)
				case is(el, "items", core...):
					seqLine, seqCol = line, col
					seq = 0
					err = x.children(func(el xml.StartElement, _, _ int) error {
						if !is(el, "Seq", nsRDF) {
							return x.skip()
						}
						return x.children(func(el xml.StartElement, _, _ int) error {
							if is(el, "li", nsRDF) {
								seq++
							}
							return x.skip()
						})
					})
				default:
					err = x.skip()
				}
				return err
			})
		case is(el, "item", core...):
			return p.appendItem(x, el, core, "rdf:RDF.item", &items, line, col)
		default:
			return x.skip()
		}
	})
	if err != nil {
		return nil, err
	}
	if seq >= 0 && seq != len(items) {
		p.warn(seqLine, seqCol, "rdf:RDF.channel.items", "rdf:Seq lists %d items but the document holds %d; read the items present", seq, len(items))
	}
	f.Title, f.Link, f.Description = ch.title, ch.link, ch.description
	p.feedDate(f, []rawDate{dcDate})
	f.Advisories = p.mapItems(items)
	return f, nil
}

// parseAtom reads an Atom <feed>.
func (p *parser) parseAtom(x *xmlReader, root xml.StartElement) (*Feed, error) {
	f := &Feed{Format: FormatAtom, Version: "1.0"}
	if root.Name.Space == nsAtom03 {
		f.Version = "0.3"
	}
	ns := []string{root.Name.Space}
	var items []rawItem
	var updated rawDate
	err := x.children(func(el xml.StartElement, line, col int) error {
		var err error
		switch {
		case is(el, "entry", ns...):
			path := "feed.entry[" + strconv.Itoa(len(items)) + "]"
			it, err := p.parseAtomEntry(x, el, ns, path, line, col)
			if err == nil {
				items = append(items, it)
			}
			return err
		case is(el, "title", ns...):
			f.Title, err = x.text()
		case is(el, "subtitle", ns...), is(el, "tagline", ns...):
			f.Description, err = x.text()
		case is(el, "link", ns...):
			rel, _ := attr(el, "", "rel")
			href, _ := attr(el, "", "href")
			if (rel == "" || rel == "alternate") && f.Link == "" {
				f.Link = href
			}
			err = x.skip()
		case is(el, "updated", ns...), is(el, "modified", ns...):
			updated, err = x.date("feed.updated", line, col)
		default:
			err = x.skip()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	p.feedDate(f, []rawDate{updated})
	f.Advisories = p.mapItems(items)
	return f, nil
}

// parseAtomEntry reads an Atom <entry>.
func (p *parser) parseAtomEntry(x *xmlReader, el xml.StartElement, ns []string, path string, line, col int) (rawItem, error) {
	if err := p.countItem(line, col, path); err != nil {
		return rawItem{}, err
	}
	it := rawItem{path: path, line: line, col: col}
	for _, a := range el.Attr {
		if a.Name.Space != nsXMLNS && !(a.Name.Space == "" && a.Name.Local == "xmlns") {
			it.attrs = append(it.attrs, [2]string{a.Name.Local, a.Value})
		}
	}
	err := x.children(func(el xml.StartElement, line, col int) error {
		var (
			s   string
			err error
		)
		switch {
		case is(el, "id", ns...):
			it.guid, err = x.text()
			it.hasGUID = true
		case is(el, "title", ns...):
			it.title, err = x.text()
		case is(el, "link", ns...):
			rel, _ := attr(el, "", "rel")
			href, _ := attr(el, "", "href")
			switch {
			case strings.TrimSpace(href) == "":
			case (rel == "" || rel == "alternate") && it.link == "":
				it.link = href
			default:
				if rel == "" {
					rel = "alternate"
				}
				it.links = append(it.links, rawLink{rel: rel, href: href})
			}
			err = x.skip()
		case is(el, "summary", ns...):
			it.summary, err = x.text()
		case is(el, "content", ns...):
			if src, ok := attr(el, "", "src"); ok && strings.TrimSpace(src) != "" {
				it.links = append(it.links, rawLink{rel: "content", href: src})
			}
			it.content, err = x.text()
		case is(el, "published", ns...), is(el, "issued", ns...):
			it.published, err = x.date(el.Name.Local, line, col)
		case is(el, "updated", ns...), is(el, "modified", ns...):
			it.modified, err = x.date(el.Name.Local, line, col)
		case is(el, "category", ns...):
			term, _ := attr(el, "", "term")
			scheme, _ := attr(el, "", "scheme")
			label, _ := attr(el, "", "label")
			it.cats = append(it.cats, rawCategory{term: term, scheme: scheme, label: label})
			err = x.skip()
		case is(el, "author", ns...):
			// <author/> or an author without a name is ignored.
			err = x.children(func(el xml.StartElement, _, _ int) error {
				if is(el, "name", ns...) {
					if s, err = x.text(); err == nil && strings.TrimSpace(s) != "" {
						it.authors = append(it.authors, s)
					}
					return err
				}
				return x.skip()
			})
		default:
			err = x.skip()
		}
		return err
	})
	return it, err
}
