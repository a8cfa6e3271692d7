package sniff

import "testing"

func TestHTML(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"doctype", "<!DOCTYPE html><html><body>Access denied</body></html>", true},
		{"doctype_lower", "<!doctype html>", true},
		{"doctype_spaces", "<!DOCTYPE  HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\">", true},
		{"html_tag", "<html lang=\"en\">", true},
		{"html_upper", "<HTML>", true},
		{"leading_whitespace", "\n\t  <html>", true},
		{"bom", "\xef\xbb\xbf<!doctype html>", true},
		{"xml_decl_then_html", "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">", true},
		{"comment_then_html", "<!-- cache miss -->\n<!DOCTYPE html>", true},
		{"json", `{"title": "<html>"}`, false},
		{"rss", `<?xml version="1.0"?><rss version="2.0">`, false},
		{"htmlx_element", "<htmlx>", false},
		{"empty", "", false},
		{"unterminated_decl", "<?xml version", false},
		{"unterminated_comment", "<!-- x", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTML([]byte(tt.in)); got != tt.want {
				t.Errorf("HTML(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestTrimBOM(t *testing.T) {
	if got := string(TrimBOM([]byte("\xef\xbb\xbf{}"))); got != "{}" {
		t.Errorf("TrimBOM = %q", got)
	}
	if got := string(TrimBOM([]byte("{}"))); got != "{}" {
		t.Errorf("TrimBOM = %q", got)
	}
}
