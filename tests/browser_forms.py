"""What a browser submits from a form: for posting admin pages exactly as an editor would."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    """The fields a browser would submit from one <form>: inputs, checked boxes, selected
    options, and textareas (whose line endings a browser sends as CRLF)."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside = form_id, False
        self.fields: list[tuple[str, str]] = []
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attr = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form":
            self.inside = attr.get("id") == self.form_id
        if not self.inside or "disabled" in attr:
            return
        if tag == "input":
            kind = attr.get("type", "text").lower()
            if kind in ("submit", "button", "image", "file", "reset") or "name" not in attr:
                return
            if kind in ("checkbox", "radio") and "checked" not in attr:
                return
            self.fields.append(
                (attr["name"], attr.get("value", "on" if kind == "checkbox" else ""))
            )
        elif tag == "select" and "name" in attr:
            self._select = {"name": attr["name"], "multiple": "multiple" in attr, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": attr.get("value"), "selected": "selected" in attr, "text": ""}
            self._select["options"].append(self._option)
        elif tag == "textarea" and "name" in attr:
            self._textarea = {"name": attr["name"], "text": ""}

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea["text"] += data
        elif self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            options = self._select["options"]
            chosen = [o for o in options if o["selected"]]
            if not chosen and options and not self._select["multiple"]:
                chosen = options[:1]  # a single select submits its first option by default
            for option in chosen:
                value = option["value"] if option["value"] is not None else option["text"]
                self.fields.append((self._select["name"], value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            text = text[1:] if text.startswith("\n") else text  # HTML drops the first newline
            text = text.replace("\r\n", "\n").replace("\n", "\r\n")
            self.fields.append((self._textarea["name"], text))
            self._textarea = None


def form_data(response, form_id: str) -> dict[str, list[str]]:
    """What a browser sends when the form with this id is submitted untouched."""
    assert response.status_code == 200, response.status_code
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    assert data, f"no form {form_id!r} on the page"
    return data
