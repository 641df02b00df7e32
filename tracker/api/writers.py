"""Writing an article with its attributions through the API: validated whole, written atomically."""

from __future__ import annotations

from typing import Any

from django.core.validators import URLValidator
from django.db import models, transaction
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from simple_history.utils import bulk_create_with_history

from articles.history import recorded_as
from articles.importing import body_size_problem
from articles.models import Article, Outlet
from articles.slugs import unique_slug
from articles.text import normalise_text, normalised_offset
from tracker import partial_dates, spans
from tracker.api.serializers import _SLUG, MAX_ID, MAX_INT  # MAX_INT: PostgreSQL's int ceiling
from tracker.counters import attributions_added
from tracker.credibility.records import attribution_changed
from tracker.dates import follow_first_reports
from tracker.models import (
    Anonymity,
    Attribution,
    Claim,
    Source,
    Stance,
)
from tracker.models.claims import anonymity_problem, claim_key, claims_by_key

# -- Writing an article with its attributions --------------------------------------------------


class _KeyField(serializers.Field):
    """A row named by id (a JSON integer) or by slug (a JSON string), looked up on validation."""

    model: type[models.Model] = Source
    by_slug = True
    default_error_messages = {
        "invalid": "Give an id (a number) or a slug (a string).",
        "missing": "There is no {name} with the {kind} {value!r}.",
    }

    def to_internal_value(self, data: Any):
        kind, lookup = self._lookup(data)
        row = self.model._default_manager.filter(**lookup).first() if lookup else None
        if row is None:
            self.fail("missing", name=self.model._meta.verbose_name, kind=kind, value=data)
        return row

    def _lookup(self, data: Any) -> tuple[str, dict | None]:
        if isinstance(data, float) and data.is_integer():
            data = int(data)
        if isinstance(data, int) and not isinstance(data, bool):
            return "id", {"pk": data} if 1 <= data <= MAX_ID else None
        if self.by_slug and isinstance(data, str) and data:
            return "slug", {"slug": data} if _SLUG.match(data) else None
        self.fail("invalid")
        raise AssertionError  # fail() raises

    def to_representation(self, value) -> Any:
        return value.pk


@extend_schema_field(
    {"oneOf": [{"type": "integer"}, {"type": "string"}], "description": "Source id or slug."}
)
class SourceKeyField(_KeyField):
    model = Source


@extend_schema_field({"type": "integer", "description": "The id of an existing claim."})
class ClaimKeyField(_KeyField):
    model = Claim
    by_slug = False
    default_error_messages = {
        "invalid": "Give a claim id (a number).",
        "missing": "There is no {name} with the {kind} {value!r}.",
    }


@extend_schema_field({"type": "string", "nullable": True, "description": "The outlet's slug."})
class OutletSlugField(_KeyField):
    model = Outlet
    default_error_messages = {
        "invalid": "Give an outlet slug (a string).",
        "missing": "There is no {name} with the {kind} {value!r}.",
    }

    def _lookup(self, data: Any) -> tuple[str, dict | None]:
        if not isinstance(data, str) or not data:
            self.fail("invalid")
        return "slug", {"slug": data} if _SLUG.match(data) else None


class _Strict(serializers.Field):
    """The JSON type the schema says: DRF would take 5 for "5" (and "5" for 5)."""

    json_types: tuple[type, ...] = (str,)

    def to_internal_value(self, data: Any):
        if isinstance(data, bool) or not isinstance(data, self.json_types):
            self.fail("invalid")
        return super().to_internal_value(data)


class TextField(_Strict, serializers.CharField):
    pass


class LinkField(_Strict, serializers.URLField):
    """An http or https address: DRF's URLField also takes ftp, and a link is followed."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        web = URLValidator(schemes=["http", "https"], message="Enter an http or https address.")
        self.validators = [v for v in self.validators if not isinstance(v, URLValidator)] + [web]


class NumberField(_Strict, serializers.IntegerField):
    json_types = (int, float)  # 5.0 is the integer 5 in JSON


class AttributionWriteSerializer(serializers.Serializer):
    """One attribution of a new article: the claim (existing or new), the source, the span."""

    claim = ClaimKeyField(required=False, help_text="An existing claim's id (or give claim_text).")
    claim_text = TextField(required=False, help_text="The text of a new claim (or give claim).")
    # The serializer's metaclass takes declared fields off the class: this is not Field.source.
    source = SourceKeyField(  # type: ignore[assignment]
        help_text="The source's id (a number) or slug (a string)."
    )
    stance = serializers.ChoiceField(choices=Stance.choices)
    wording = TextField(max_length=500, required=False, allow_blank=True, default="")
    count = NumberField(
        min_value=1,
        max_value=MAX_INT,
        default=1,
        allow_null=True,
        help_text="How many people the wording stands for; null for an unspecified number more "
        'than one ("some experts").',
    )
    anonymity = serializers.ChoiceField(
        choices=Anonymity.choices,
        required=False,
        help_text="Left out: anonymous or unattributed as the source's kind says, else named.",
    )
    said_on = TextField(
        required=False,
        allow_null=True,
        help_text="When the source said it, to the day, month or year the article gives: "
        '"2020-01-07", "2020-01" or "2020".',
    )
    quote = TextField(required=False, allow_blank=True, default="", trim_whitespace=False)
    passage = TextField(
        required=False,
        trim_whitespace=False,
        help_text="The words of the body the attribution rests on; they must occur there once "
        "(or give span_start and span_end). Typographic and straight quotes, dashes and runs of "
        "whitespace count as the same; the span stored is the body's own text.",
    )
    span_start = NumberField(min_value=0, max_value=MAX_INT, required=False)
    span_end = NumberField(min_value=1, max_value=MAX_INT, required=False)

    def validate(self, attrs: dict) -> dict:
        errors: dict[str, str] = {}
        if ("claim" in attrs) == ("claim_text" in attrs):
            errors["claim"] = (
                "Give one of claim (an existing claim's id) and claim_text (a new one)."
            )
        anonymity = attrs.get("anonymity")
        problem = (
            anonymity and "source" in attrs and anonymity_problem(attrs["source"].kind, anonymity)
        )
        if problem:
            errors["anonymity"] = problem
        said_on = attrs.pop("said_on", None)
        if said_on:
            try:
                attrs["said_on"], attrs["said_on_precision"] = partial_dates.parse(said_on)
            except ValueError as error:
                errors["said_on"] = str(error)
        if "passage" not in attrs and ("span_start" not in attrs or "span_end" not in attrs):
            errors["passage"] = f"{spans.MISSING_PASSAGE} (Or give span_start and span_end.)"
        # Placed in the article's body here, item by item, so that one request names every
        # misplaced passage at once (the body itself is checked by the article's serializer).
        data = self.root.initial_data
        body = data.get("body") if isinstance(data, dict) else None
        if not errors and isinstance(body, str):
            errors = locate(body, attrs)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def locate(raw_body: str, item: dict) -> dict[str, str]:
    """Fill in span_start/span_end from the passage (tracker/spans.py's rules); errors by field.

    The body is placed into as it will be stored (articles/text.py); explicit spans count in the
    body as it was sent, and are moved with it.
    """
    body = normalise_text(raw_body)
    start, end = item.get("span_start"), item.get("span_end")
    if body != raw_body:
        start = None if start is None else normalised_offset(raw_body, start)
        end = None if end is None else normalised_offset(raw_body, end)
    try:
        placed = spans.locate(
            body,
            passage=item.get("passage"),
            start=start,
            end=end,
            quote=item.get("quote") or "",
            wording=item.get("wording") or "",
            choose_hint=" (or give span_start and span_end)",
        )
    except spans.SpanError as exc:
        return exc.errors
    item["span_start"], item["span_end"] = placed.start, placed.end
    if placed.quote:
        item["quote"] = placed.quote  # as the article has it
    return {}


class ArticleWriteSerializer(serializers.Serializer):
    """A new article and its attributions, written together or not at all."""

    title = TextField(max_length=500)
    outlet = OutletSlugField(required=False, allow_null=True, default=None)
    published_on = serializers.DateField()
    url = LinkField(max_length=1000, required=False, allow_blank=True, default="")
    byline = TextField(max_length=300, required=False, allow_blank=True, default="")
    language = TextField(max_length=16, required=False, default="en")
    body = TextField(trim_whitespace=False)
    attributions = AttributionWriteSerializer(many=True, required=False, default=list)

    def validate_body(self, value: str) -> str:
        body = normalise_text(value)
        if not body:
            raise serializers.ValidationError("The body is empty.")
        if problem := body_size_problem(len(body.encode("utf-8", "surrogatepass"))):
            raise serializers.ValidationError(f"The body {problem}.")
        return body

    def validate(self, attrs: dict) -> dict:
        problems: list[dict[str, str]] = []
        seen: dict[tuple, int] = {}
        # A claim_text equal (claim_key) to an existing claim's text is that claim.
        texts = [item["claim_text"] for item in attrs["attributions"] if "claim_text" in item]
        existing = claims_by_key(texts) if texts else {}
        for index, item in enumerate(attrs["attributions"]):
            if "claim_text" in item and (found := existing.get(claim_key(item["claim_text"]))):
                item["claim"] = found
            claim = item.get("claim")
            # The same source may support a claim twice in one article (the lede and the body),
            # but not twice from the same place.
            key = (
                claim.pk if claim else claim_key(item["claim_text"]),
                item["source"].pk,
                item["stance"],
                item.get("span_start"),
            )
            if key in seen:
                problems.append(
                    {
                        "stance": "The same claim, source and stance at the same place in the "
                        f"article as attributions.{seen[key]}."
                    }
                )
            else:
                seen[key] = index
                problems.append({})
        if any(problems):
            raise serializers.ValidationError({"attributions": problems})
        return attrs

    def create(self, validated: dict) -> Article:
        items = validated.pop("attributions")
        request = self.context.get("request")
        user = getattr(request, "user", None)
        user = user if user is not None and user.is_authenticated else None
        # Every row written here has a history row naming the API and the token's editor.
        with transaction.atomic(), recorded_as("API", user=user):
            article = Article.objects.create(
                slug=unique_slug(Article, validated["title"]), **validated
            )
            # A claim_text no existing claim equals (validate()) is one new claim, however
            # many attributions repeat it (in whatever case, spacing or quotes).
            new_claims: dict[str, Claim] = {}
            rows = []
            for item in items:
                claim = item.get("claim")
                if claim is None:
                    key = claim_key(item["claim_text"])
                    if key not in new_claims:
                        new_claims[key] = Claim.objects.create(
                            text=item["claim_text"], first_reported_on=article.published_on
                        )
                    claim = new_claims[key]
                source = item["source"]
                rows.append(
                    Attribution(
                        claim=claim,
                        source=source,
                        article=article,
                        stance=item["stance"],
                        wording=item["wording"],
                        count=item["count"],
                        anonymity=item.get("anonymity") or source.default_anonymity,
                        quote=item["quote"],
                        said_on=item.get("said_on"),
                        said_on_precision=item.get("said_on_precision", ""),
                        span_start=item["span_start"],
                        span_end=item["span_end"],
                    )
                )
            bulk_create_with_history(
                rows, Attribution, default_user=user, default_change_reason="API"
            )
            # A bulk insert sends no signals: count the rows as a save would have.
            attributions_added([row.pk for row in rows])
            # A claim was first reported by its earliest article (unless an editor set it).
            follow_first_reports(claim_ids={row.claim_id for row in rows})
            # Statements on rated claims move their sources' track records.
            attribution_changed(
                source_ids={row.source_id for row in rows}, claim_ids={row.claim_id for row in rows}
            )
        return article
