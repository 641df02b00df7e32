"""The editors' forms: an article and its text, an attribution with its passage, a verdict with
its evidence."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article
from articles.text import normalise_text
from tracker import anchoring, spans
from tracker.admin.helpers import KnownAutocompleteSelectMultiple, PreloadedRelationsFormSet
from tracker.models import (
    Attribution,
    Evidence,
    Verdict,
)


class StoredTextField(forms.CharField):
    """Text as it will be stored (articles/text.py): what a browser changes invisibly (CRLF line
    endings, decomposed accents) is neither a change nor a difference."""

    def to_python(self, value: Any) -> str:
        return normalise_text(super().to_python(value) or "")


class ArticleForm(forms.ModelForm):
    """An article: a new text moves every attribution to its passage in it, or is refused."""

    class Meta:
        model = Article
        fields = ("title", "slug", "outlet", "published_on", "byline", "url", "language", "body")
        field_classes = {"body": StoredTextField}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        body = cleaned.get("body")
        # Against the stored text, not the form's initial one: a revert to an old version
        # starts from that version.
        if self.instance.pk and body is not None:
            plan = anchoring.plan(self.instance, body)
            if plan.lost:
                self.add_error("body", str(anchoring.PassagesLost(plan.lost, plan.old_body)))
        return cleaned


class PassageInContext(forms.Widget):
    """The passage highlighted in its sentence, to read (nothing is posted back)."""

    template_name = "admin/tracker/passage_in_context.html"

    def format_value(self, value: Any) -> Any:
        return value  # (before, passage, after), or None for a new attribution

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["parts"] = value if isinstance(value, tuple) else None
        return context

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        # The project's template engine (templates/admin/), as the admin's own pages use: the
        # default form renderer looks only in the apps' and Django's own form templates.
        context = self.get_context(name, value, attrs)
        # The template escapes the article's text; the rendered HTML is safe to insert.
        return mark_safe(render_to_string(self.template_name, context))

    def value_from_datadict(self, data: Any, files: Any, name: str) -> None:
        return None

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False


class AttributionForm(forms.ModelForm):
    """An attribution placed by its passage: the span is found from the words, never typed."""

    passage = StoredTextField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="The words of the article the attribution rests on. Typographic and straight "
        "quotes, dashes and line breaks count as the same; the article's own text is kept.",
    )
    context = forms.Field(
        required=False, disabled=True, label="In the article", widget=PassageInContext
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
            "said_on",
            "said_on_precision",
            "quote",
            "passage",
            "context",
        )
        field_classes = {"wording": StoredTextField, "quote": StoredTextField}
        widgets = {
            "quote": forms.Textarea(attrs={"rows": 2, "cols": 60}),
            "wording": forms.TextInput(attrs={"size": 40}),
            "count": forms.NumberInput(attrs={"style": "width: 5em"}),
        }

    def __init__(self, *args: Any, stored_body: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.placed: spans.Placed | None = None
        instance = self.instance
        if instance.pk is None:
            return
        # The passage box holds the words the span rests on, in their sentence beside it.
        body = stored_body if stored_body is not None else instance.article.body
        start, end = instance.span_start, instance.span_end
        self.initial.setdefault("passage", body[start:end])
        self.initial["context"] = spans.in_context(body, start, end)

    def _article(self) -> Article | None:
        article = self.cleaned_data.get("article")
        if article is None and self.instance.article_id:
            article = self.instance.article
        return article

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        passage = cleaned.get("passage") or ""
        article = self._article()
        if article is None:
            return cleaned  # the article field says why
        if not passage:
            self.add_error("passage", spans.MISSING_PASSAGE)
            return cleaned
        # The same words as before: the place nearest the old one (the article's text may
        # have changed around them, or they may occur twice).
        keeps_place = (
            self.instance.pk is not None
            and self.instance.article_id == article.pk
            and "passage" not in self.changed_data
        )
        try:
            self.placed = spans.locate(
                article.body,
                passage=passage,
                quote=cleaned.get("quote") or "",
                wording=cleaned.get("wording") or "",
                near=self.instance.span_start if keeps_place else None,
            )
        except spans.SpanError as exc:
            for field, message in exc.errors.items():
                self.add_error(field if field in self.fields else "passage", message)
        else:
            if self.placed.quote:
                cleaned["quote"] = self.placed.quote  # as the article has it
        return cleaned

    def _post_clean(self) -> None:
        # The span found from the passage goes into the instance before the model checks it;
        # a passage not placed leaves no span for the model to judge (the passage says why).
        placed = self.placed
        self.instance.span_start = placed.start if placed else None
        self.instance.span_end = placed.end if placed else None
        super()._post_clean()  # type: ignore[misc]  # Django's, not in the stubs

    def _get_validation_exclusions(self) -> set[str]:
        exclude = super()._get_validation_exclusions()  # type: ignore[misc]  # as above
        # The span is the form's own (from the passage): the uniqueness of a source's stance
        # at one place in the article is checked here, not left to the database.
        return exclude - {"span_start", "span_end"} if self.placed else exclude

    def add_error(self, field: str | None, error: Any) -> None:
        # What the model says of the span, this form says of the passage.
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            by_field: dict[str, list[ValidationError]] = {}
            for name, errors in error.error_dict.items():
                known = name in self.fields or name == NON_FIELD_ERRORS
                by_field.setdefault(name if known else "passage", []).extend(errors)
            error = ValidationError(by_field)
        super().add_error(field, error)


class ArticleAttributionFormSet(PreloadedRelationsFormSet):
    """An article's attributions, shown against the text their spans were made in."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stored_body = self.instance.body if self.instance.pk else ""
        if self.is_bound and self.instance.pk:
            # On a save the article's form may already hold the editor's new text: the spans
            # point into the stored one.
            stored = Article.objects.filter(pk=self.instance.pk).values_list("body", flat=True)
            self.stored_body = stored.first() or ""

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "stored_body": self.stored_body}


# -- Verdicts ---------------------------------------------------------------------------------


def _evidence_widget(field: str) -> KnownAutocompleteSelectMultiple:
    # The autocomplete asks the admin about the evidence row's own relation: Evidence.<field>.
    return KnownAutocompleteSelectMultiple(Evidence._meta.get_field(field), admin.site)


class VerdictTimeForm(forms.ModelForm):
    """A verdict's time as the browser sends it back: to the second.

    The admin shows `rated_at` without its microseconds, so an untouched form posts a time a
    fraction of a second off the stored one; that is the stored instant, not an edit.
    """

    def clean_rated_at(self) -> datetime | None:
        value: datetime | None = self.cleaned_data.get("rated_at")
        stored = self.instance.rated_at if self.instance.pk else None
        if stored and value and value == stored.replace(microsecond=0):
            return stored
        return value


class VerdictInlineForm(VerdictTimeForm):
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
    links = StoredTextField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        label="Evidence: web pages",
        help_text="One per line: the address (http or https), then a space and a title if you "
        "like.",
    )

    class Meta:
        model = Verdict
        fields = ("rating", "rated_at", "explanation")
        field_classes = {"explanation": StoredTextField}
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
        # BaseModelForm._save_m2m is private to Django, and the stubs leave it out.
        super()._save_m2m()  # type: ignore[misc]
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
