"""An article's workspace: its text beside the attributions suggested from it, each one accepted
(as proposed or edited), or rejected, by an editor, in one screen."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms import modelform_factory
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from articles import suggestions
from articles.history import recorded_as
from articles.models import Article, SuggestedAttribution
from tracker.admin.claims import ClaimForm
from tracker.admin.forms import AttributionForm, StoredTextField
from tracker.admin.helpers import KnownAutocompleteSelect
from tracker.choices import Anonymity, SourceKind, Stance
from tracker.models import Attribution, Claim, Source
from tracker.models.claims import claims_by_key
from tracker.suggesting import Proposal, proposals

Status = SuggestedAttribution.Status
NewSourceForm = modelform_factory(Source, fields=("name", "kind"))


def _autocomplete(field: str) -> KnownAutocompleteSelect:
    # Asks the admin about Attribution.<field>, as the attribution forms' autocompletes do.
    return KnownAutocompleteSelect(Attribution._meta.get_field(field), admin.site)


class SuggestionForm(forms.Form):
    """One suggestion, filled with what it proposes: accepted as it stands or as edited."""

    claim = forms.ModelChoiceField(
        Claim.objects.all(),
        required=False,
        widget=_autocomplete("claim"),
        help_text="An existing claim, or leave empty and give a new claim's text.",
    )
    claim_text = StoredTextField(
        required=False,
        label="or a new claim",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 50}),
    )
    source = forms.ModelChoiceField(
        Source.objects.all(),
        required=False,
        widget=_autocomplete("source"),
        help_text="An existing source, or leave empty and name a new one.",
    )
    source_name = StoredTextField(required=False, label="or a new source", max_length=300)
    source_kind = forms.ChoiceField(choices=SourceKind.choices, label="new source's kind")
    stance = forms.ChoiceField(choices=Stance.choices)
    anonymity = forms.ChoiceField(choices=Anonymity.choices)
    count = forms.IntegerField(
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"style": "width: 5em"}),
        help_text="How many people; empty where the text does not count them.",
    )
    wording = StoredTextField(required=False, max_length=500)
    quote = StoredTextField(required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 50}))
    passage = StoredTextField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 50, "class": "workspace-passage"}),
        help_text="Select words in the text to set it, or paste them here.",
    )

    def __init__(self, *args: Any, proposal: Proposal | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if proposal is not None:
            # The widgets label their chosen rows from the rows already loaded (no query each).
            for name, row in (("claim", proposal.claim), ("source", proposal.source)):
                if row is not None:
                    self.fields[name].widget.known = {str(row.pk): row}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("claim") and not cleaned.get("claim_text"):
            self.add_error("claim_text", "Choose a claim, or give a new claim's text.")
        if not cleaned.get("source") and not cleaned.get("source_name"):
            self.add_error("source_name", "Choose a source, or name a new one.")
        return cleaned


def _count(value: int | None) -> str:
    """An empty count: unspecified where the model allows it, else the model's default."""
    field = Attribution._meta.get_field("count")
    if value is None:
        return "" if field.null else str(field.get_default())
    return str(value)


def _claim(form: SuggestionForm) -> Claim:
    chosen: Claim | None = form.cleaned_data["claim"]
    if chosen is not None:
        return chosen
    text = form.cleaned_data["claim_text"]
    # The same words (claim_key) as an existing claim are that claim, as in every writer.
    found = next(iter(claims_by_key([text]).values()), None)
    if found is not None:
        return found
    claim_form = ClaimForm({"text": text, "slug": "", "first_reported_on": ""})
    if not claim_form.is_valid():
        raise _Refused({"claim_text": _words(claim_form)})
    return claim_form.save()


def _source(form: SuggestionForm) -> Source:
    chosen: Source | None = form.cleaned_data["source"]
    if chosen is not None:
        return chosen
    name, kind = form.cleaned_data["source_name"], form.cleaned_data["source_kind"]
    source_form = NewSourceForm({"name": name, "kind": kind})
    if not source_form.is_valid():
        raise _Refused({"source_name": _words(source_form)})
    return source_form.save()


def _words(form: forms.BaseForm) -> str:
    return " ".join(str(m) for errors in form.errors.values() for m in errors)


class _Refused(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors


# Where AttributionForm's errors belong in the workspace's form.
_FIELD_OF = {"claim": "claim", "source": "source", "article": None}


def accept(form: SuggestionForm, suggestion: SuggestedAttribution, article: Article, user: Any):
    """The attribution (and its new claim and source, where needed), checked by the admin's own
    forms and written with history in one transaction; None if anything was refused (the form
    says what)."""
    try:
        with (
            transaction.atomic(),
            recorded_as("Accepted from the article's suggestions", user=user),
        ):
            # Two editors on one suggestion: the second finds it decided and writes nothing.
            locked = SuggestedAttribution.objects.select_for_update().get(pk=suggestion.pk)
            if locked.status != Status.PENDING:
                raise _Refused({"__all__": "Another editor decided on this suggestion meanwhile."})
            claim, source = _claim(form), _source(form)
            data = form.cleaned_data
            attribution_form = AttributionForm(
                {
                    "claim": claim.pk,
                    "source": source.pk,
                    "article": article.pk,
                    "stance": data["stance"],
                    "anonymity": data["anonymity"],
                    "count": _count(data["count"]),
                    "wording": data["wording"],
                    "quote": data["quote"],
                    "passage": data["passage"],
                }
            )
            if not attribution_form.is_valid():
                raise _Refused(
                    {
                        _FIELD_OF.get(field, field) or "passage": " ".join(map(str, errors))
                        for field, errors in attribution_form.errors.items()
                    }
                )
            attribution = attribution_form.save()
            suggestion.status = Status.ACCEPTED
            suggestion.attribution_id = attribution.pk
            suggestion.save(update_fields=["status", "attribution_id", "updated_at"])
    except _Refused as refused:
        for field, message in refused.errors.items():
            form.add_error(field if field in form.fields else None, message)
        return None
    return attribution


# -- Views -------------------------------------------------------------------------------------


def _may_decide(request: HttpRequest) -> None:
    # The Editors group and staff: whoever may add attributions decides on suggestions.
    if not (request.user.is_staff and request.user.has_perm("tracker.add_attribution")):
        raise PermissionDenied


def workspace_url(article: Article) -> str:
    return reverse("admin:articles_article_workspace", args=[article.pk])


def workspace(
    request: HttpRequest, pk: int, *, bound: tuple[int, SuggestionForm] | None = None
) -> HttpResponse:
    """The article's text with its pending suggestions highlighted, and a form for each."""
    _may_decide(request)
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=pk)
    rows = list(article.suggestions.filter(detached=False).order_by("cue_start", "pk"))
    pending = [row for row in rows if row.status == Status.PENDING]
    items = []
    for proposal in proposals(article.body, pending):
        row = proposal.suggestion
        if bound is not None and bound[0] == row.pk:
            form = bound[1]
        else:
            form = SuggestionForm(prefix=f"s{row.pk}", initial=proposal.initial, proposal=proposal)
        items.append((proposal, form))
    media = SuggestionForm().media + forms.Media(
        css={"all": ["tracker/workspace.css"]}, js=["tracker/workspace.js"]
    )
    context = {
        **admin.site.each_context(request),
        "title": f"Suggested attributions: {article.title}",
        "article": article,
        "opts": Article._meta,
        "items": items,
        "pending": pending,
        "decided": [row for row in rows if row.status != Status.PENDING],
        "media": media,
    }
    return TemplateResponse(request, "admin/articles/article/workspace.html", context)


@require_POST
def decide(request: HttpRequest, pk: int, suggestion_pk: int) -> HttpResponse:
    """Accept (as the form stands) or reject one suggestion; back to the workspace."""
    _may_decide(request)
    article = get_object_or_404(Article, pk=pk)
    suggestion = get_object_or_404(article.suggestions, pk=suggestion_pk)
    back = workspace_url(article)
    if suggestion.status != Status.PENDING:
        messages.warning(request, "That suggestion was already decided.")
        return HttpResponseRedirect(back)
    if request.POST.get("decision") == "reject":
        with recorded_as("Rejected in the article's workspace", user=request.user):
            suggestion.status = Status.REJECTED
            suggestion.save(update_fields=["status", "updated_at"])
        messages.success(request, "Rejected; it stays rejected when suggestions are found again.")
        return HttpResponseRedirect(back)
    form = SuggestionForm(request.POST, prefix=f"s{suggestion.pk}")
    attribution = accept(form, suggestion, article, request.user) if form.is_valid() else None
    if attribution is None:
        return workspace(request, pk, bound=(suggestion.pk, form))
    link = reverse("admin:tracker_attribution_change", args=[attribution.pk])
    messages.success(request, f"Attribution added: {attribution} (admin: {link}).")
    return HttpResponseRedirect(back)


@require_POST
def run_extractor(request: HttpRequest, pk: int) -> HttpResponse:
    """Find the article's suggestions again (decisions are kept)."""
    _may_decide(request)
    article = get_object_or_404(Article, pk=pk)
    with recorded_as("Suggestions found in the article's text", user=request.user):
        stored = suggestions.store(article)
    messages.success(request, f"{stored}.".capitalize())
    return HttpResponseRedirect(workspace_url(article))
