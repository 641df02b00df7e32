"""The editors' forms: an attribution with its passage, a verdict with its evidence."""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin
from django.core.validators import URLValidator

from articles.models import Article
from tracker.admin.helpers import KnownAutocompleteSelectMultiple
from tracker.models import (
    Attribution,
    Evidence,
    Verdict,
)


class AttributionForm(forms.ModelForm):
    passage = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
        help_text="Paste the sentence from the article body: the span is found for you. "
        "Or give the span's start and end.",
    )

    class Meta:
        model = Attribution
        fields = (
            "claim",
            "source",
            "article",
            "stance",
            "wording",
            "count",
            "anonymity",
            "quote",
            "passage",
            "span_start",
            "span_end",
        )
        widgets = {
            "quote": forms.Textarea(attrs={"rows": 2, "cols": 40}),
            "wording": forms.TextInput(attrs={"size": 30}),
            "count": forms.NumberInput(attrs={"style": "width: 5em"}),
            "span_start": forms.NumberInput(attrs={"style": "width: 6em"}),
            "span_end": forms.NumberInput(attrs={"style": "width: 6em"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("span_start", "span_end"):
            if name in self.fields:
                self.fields[name].required = False

    def _article(self) -> Article | None:
        article = self.cleaned_data.get("article")
        if article is None and self.instance.article_id:
            article = self.instance.article
        return article

    def clean(self) -> dict:
        cleaned = super().clean()
        passage = (cleaned.get("passage") or "").strip()
        article = self._article()
        if passage and article is not None:
            hits = [m.start() for m in re.finditer(re.escape(passage), article.body)]
            if not hits:
                self.add_error("passage", "This passage is not in the article's body.")
            elif len(hits) > 1:
                self.add_error(
                    "passage",
                    f"This passage occurs {len(hits)} times in the article; paste a longer one.",
                )
            else:
                cleaned["span_start"], cleaned["span_end"] = hits[0], hits[0] + len(passage)
        elif cleaned.get("span_start") is None or cleaned.get("span_end") is None:
            self.add_error("passage", "Give the passage (or the span's start and end).")
        return cleaned

    def _post_clean(self) -> None:
        # The span found from the passage goes into the instance before the model checks it.
        for name in ("span_start", "span_end"):
            if self.cleaned_data.get(name) is not None:
                setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()


# -- Verdicts ---------------------------------------------------------------------------------


def _evidence_widget(field: str) -> KnownAutocompleteSelectMultiple:
    # The autocomplete asks the admin about the evidence row's own relation: Evidence.<field>.
    return KnownAutocompleteSelectMultiple(Evidence._meta.get_field(field), admin.site)


class VerdictInlineForm(forms.ModelForm):
    """A verdict with its evidence in one form, so that a claim is rated on its own page."""

    articles = forms.ModelMultipleChoiceField(
        queryset=Article.objects.defer("body"),
        required=False,
        widget=_evidence_widget("article"),
        label="Evidence: articles",
        help_text="Articles in the tracker that bear the claim out or refute it.",
    )
    attributions = forms.ModelMultipleChoiceField(
        queryset=Attribution.objects.all(),
        required=False,
        widget=_evidence_widget("attribution"),
        label="Evidence: attributions",
        help_text="Statements in the tracker the verdict rests on.",
    )
    links = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        label="Evidence: web pages",
        help_text="One per line: the address (http or https), then a space and a title if you "
        "like.",
    )

    class Meta:
        model = Verdict
        fields = ("rating", "rated_at", "explanation")
        widgets = {"explanation": forms.Textarea(attrs={"rows": 3, "cols": 60})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        # The inline's queryset prefetched the evidence with its articles and attributions.
        evidence = list(self.instance.evidence.all())
        for name, field in (("articles", "article"), ("attributions", "attribution")):
            rows = [getattr(e, field) for e in evidence if getattr(e, f"{field}_id")]
            self.initial[name] = [row.pk for row in rows]
            if name in self.fields:
                self.fields[name].widget.known = {str(row.pk): row for row in rows}
        self.initial["links"] = "\n".join(f"{e.url} {e.title}".strip() for e in evidence if e.url)

    def clean_links(self) -> list[tuple[str, str]]:
        links: dict[str, str] = {}
        check = URLValidator(schemes=["http", "https"])
        for number, line in enumerate(self.cleaned_data["links"].splitlines(), start=1):
            url, _, title = line.strip().partition(" ")
            if not url:
                continue
            try:
                check(url)
            except forms.ValidationError:
                raise forms.ValidationError(
                    f"Line {number}: {url!r} is not an http or https address."
                ) from None
            links[url] = title.strip()[:300]
        return list(links.items())

    def _save_m2m(self) -> None:
        super()._save_m2m()
        if not {"articles", "attributions", "links"} & set(self.changed_data):
            return
        wanted = {("article", a.pk): "" for a in self.cleaned_data.get("articles", [])}
        wanted |= {("attribution", a.pk): "" for a in self.cleaned_data.get("attributions", [])}
        wanted |= {("url", url): title for url, title in self.cleaned_data.get("links", [])}
        existing = {e.key: e for e in Evidence.objects.filter(verdict=self.instance)}
        stale = [e.pk for key, e in existing.items() if key not in wanted]
        Evidence.objects.filter(pk__in=stale).delete()
        for (kind, value), title in wanted.items():
            row = existing.get((kind, value))
            if row is None:
                fields = {"url": value, "title": title} if kind == "url" else {f"{kind}_id": value}
                Evidence.objects.create(verdict=self.instance, **fields)
            elif kind == "url" and row.title != title:
                row.title = title
                row.save(update_fields=["title"])
