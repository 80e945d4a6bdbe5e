"""What a browser would submit from a form of a page: the load test posts the
admin's seminar form with it, and the served-portal tests too. Plain Python,
no Django: locust imports it from load/, the tests as load.form_fields."""

from html.parser import HTMLParser


class FormFields(HTMLParser):
    """The fields a browser would submit from the form with id `form_id`:
    [(name, value), ...], without the submit buttons and files."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self.select = None  # (name, multiple, options, selected)
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            default = "on" if kind == "checkbox" else ""
            self.fields.append((name, attrs.get("value") or default))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = (name, "multiple" in attrs, [], [])
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            self.select[2].append(value)
            if "selected" in attrs:
                self.select[3].append(value)

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            # The parser keeps the newline that HTML drops after <textarea>.
            name, value = self.textarea
            self.fields.append((name, value.removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select:
            name, multiple, options, selected = self.select
            if not selected and options and not multiple:
                selected = options[:1]
            self.fields.extend((name, value) for value in selected)
            self.select = None


def form_fields(html, form_id):
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields
