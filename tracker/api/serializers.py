"""The JSON the API reads and writes: claims, attributions, sources, actors, articles, outlets,
verdicts and track records."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import F
from django.db.models.functions import Substr
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.models import Article, Outlet
from tracker.choices import LinkRelation
from tracker.models import (
    Actor,
    Attribution,
    Claim,
    Source,
    TrackRecord,
    Verdict,
)
from tracker.models.links import ClaimLink
from tracker.models.verdicts import Evidence
from tracker.querysets import AttributionQuerySet

# PositiveIntegerField's ceiling on PostgreSQL (SQLite's is higher): above it the row cannot be
# PositiveIntegerField's ceiling on PostgreSQL (SQLite's is higher): above it the row cannot be
# stored, so the API says so instead of failing at the database.
MAX_INT = 2**31 - 1
MAX_ID = 2**63 - 1
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def attribution_rows(attributions: AttributionQuerySet) -> AttributionQuerySet:
    """Attributions with everything a row shows, and the passage cut out by the database."""
    return attributions.for_list().annotate(
        passage_text=Substr("article__body", F("span_start") + 1, F("span_end") - F("span_start"))
    )


class ReadOnlyModelSerializer(serializers.ModelSerializer):
    # Output only: every field read-only, so the schema marks every field as always present.
    # (A comment, not a docstring: drf-spectacular would show a docstring on every component.)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


@extend_schema_field({"type": "string", "format": "uri"})
class PageUrlField(serializers.CharField):
    """The row's page on the site, as an absolute address (as a list's `next` is)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="get_absolute_url", **kwargs)

    def to_representation(self, value: Any) -> str:
        request = self.context.get("request")
        path = str(value)
        return request.build_absolute_uri(path) if request is not None else path


# -- References: the small objects nested in others ------------------------------------------


class OutletSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Outlet
        fields = ["slug", "name", "url"]


class ActorRefSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Actor
        fields = ["slug", "name", "kind"]


class SourceRefSerializer(ReadOnlyModelSerializer):
    actor = ActorRefSerializer(allow_null=True)

    class Meta:
        model = Source
        fields = ["id", "slug", "name", "kind", "actor", "tie"]


class ArticleRefSerializer(ReadOnlyModelSerializer):
    outlet = OutletSerializer(allow_null=True)

    class Meta:
        model = Article
        fields = ["id", "title", "published_on", "outlet"]


class ClaimRefSerializer(ReadOnlyModelSerializer):
    page_url = PageUrlField()

    class Meta:
        model = Claim
        fields = ["id", "text", "status", "page_url"]


# -- Attributions ------------------------------------------------------------------------------

ATTRIBUTION_FIELDS = [
    "id",
    "stance",
    "stance_label",
    "source",
    "wording",
    "count",
    "anonymity",
    "quote",
    "said_on",
    "passage",
    "span_start",
    "span_end",
]


# DRF reads declared fields from the class body, so an API field named "source" or "label" is a
# class attribute that shadows Field.source or Field.label, which the stubs type as text: those
# few lines carry an ignore[assignment].


class _AttributionBase(ReadOnlyModelSerializer):
    source = SourceRefSerializer()  # type: ignore[assignment]  # the API field "source" (above)
    stance_label = serializers.CharField(
        source="get_stance_display",
        help_text="The stance in words, as the pages and the exports say it.",
    )
    passage = serializers.CharField(
        source="passage_text", help_text="The article's words the attribution rests on."
    )
    said_on = serializers.CharField(
        source="said_on_iso",
        allow_null=True,
        help_text='When the source said it, ISO 8601 cut to what the article gives ("2020-01"); '
        "null when it does not say.",
    )


class ClaimAttributionSerializer(_AttributionBase):
    """An attribution inside a claim: who, with what stance, in which article."""

    article = ArticleRefSerializer()

    class Meta:
        model = Attribution
        fields = [*ATTRIBUTION_FIELDS, "article"]


class ArticleAttributionSerializer(_AttributionBase):
    """An attribution inside an article: which claim, who, with what stance."""

    claim = ClaimRefSerializer()

    class Meta:
        model = Attribution
        fields = [*ATTRIBUTION_FIELDS, "claim"]


class AttributionSerializer(_AttributionBase):
    claim = ClaimRefSerializer()
    article = ArticleRefSerializer()

    class Meta:
        model = Attribution
        fields = [*ATTRIBUTION_FIELDS, "claim", "article"]


# -- Claims ------------------------------------------------------------------------------------


class ClaimSerializer(ReadOnlyModelSerializer):
    page_url = PageUrlField()
    attributions = ClaimAttributionSerializer(
        source="matching_attributions",
        many=True,
        help_text="The claim's attributions that match the filters (all of them when unfiltered).",
    )

    class Meta:
        model = Claim
        fields = ["id", "slug", "text", "status", "first_reported_on", "page_url", "attributions"]


# -- Verdicts and track records ----------------------------------------------------------------


class EvidenceSerializer(serializers.Serializer):
    kind = serializers.SerializerMethodField(
        help_text="What the evidence is: an article in the tracker, an attribution, or a web page."
    )
    href = serializers.CharField(read_only=True, help_text="Where a reader follows it.")
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]  # (see above)

    @extend_schema_field({"type": "string", "enum": ["article", "attribution", "url"]})
    def get_kind(self, evidence: Evidence) -> str:
        return evidence.key[0]


class ClaimVerdictSerializer(ReadOnlyModelSerializer):
    """A verdict inside its claim: the rating, why, who rated it and the evidence."""

    rating_label = serializers.CharField(source="get_rating_display")
    rated_by = serializers.SerializerMethodField(
        help_text="The editor's full name (or username); null if the account is gone."
    )
    evidence = EvidenceSerializer(many=True)

    class Meta:
        model = Verdict
        fields = ["id", "rating", "rating_label", "explanation", "rated_at", "rated_by", "evidence"]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_rated_by(self, verdict: Verdict) -> str | None:
        user = verdict.rated_by
        return None if user is None else (user.get_full_name() or user.get_username())


class VerdictSerializer(ClaimVerdictSerializer):
    claim = ClaimRefSerializer()

    class Meta(ClaimVerdictSerializer.Meta):
        fields = [*ClaimVerdictSerializer.Meta.fields, "claim"]


TRACK_RECORD_FIELDS = [
    "scored", "rated_claims", "declined", "no_response", "score", "lower", "upper", "enough",
]  # fmt: skip


class TrackRecordSerializer(ReadOnlyModelSerializer):
    """How the assertions and denials fared once claims were rated (tracker.credibility)."""

    enough = serializers.BooleanField(
        help_text=f"Whether there are enough scored claims ({TrackRecord.MIN_RECORD}) to rank."
    )

    class Meta:
        model = TrackRecord
        fields = TRACK_RECORD_FIELDS

    def get_fields(self) -> dict[str, serializers.Field]:
        # "for" is a Python keyword: added here rather than declared on the class.
        fields = super().get_fields()
        counts = {
            "for": serializers.FloatField(
                source="for_count", read_only=True, help_text="Weight in the record's favour."
            ),
            "against": serializers.FloatField(
                source="against_count", read_only=True, help_text="Weight against it."
            ),
        }
        return {**counts, **fields}


class RankedTrackRecordSerializer(TrackRecordSerializer):
    """A source's or an actor's track record (one of source and actor is null)."""

    source = SourceRefSerializer(allow_null=True)  # type: ignore[assignment]  # (see above)
    actor = ActorRefSerializer(allow_null=True)

    class Meta(TrackRecordSerializer.Meta):
        fields = ["id", "source", "actor", *TRACK_RECORD_FIELDS]

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        first = ["id", "source", "actor"]
        return {**{name: fields[name] for name in first}, **fields}


class ClaimLinkSerializer(serializers.Serializer):
    """A link as read from the claim shown (for the schema)."""

    relation = serializers.ChoiceField(choices=LinkRelation.choices)
    reads = serializers.CharField(help_text='The relation from this claim: "Contradicted by".')
    claim = ClaimRefSerializer()


class ClaimDetailSerializer(ClaimSerializer):
    about = ActorRefSerializer(many=True, help_text="The actors the claim is about.")
    verdicts = ClaimVerdictSerializer(
        source="verdicts_latest_first",
        many=True,
        help_text="The editors' verdicts, the latest (which sets the status) first.",
    )

    links = serializers.SerializerMethodField(
        help_text="The claims this one answers or is answered by, read from this claim: "
        '"Contradicts", "Contradicted by", "Supports", "Supported by", "The same as".'
    )

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "about", "verdicts", "links"]

    @extend_schema_field(ClaimLinkSerializer(many=True))
    def get_links(self, claim: Claim) -> list[dict[str, Any]]:
        rows = []
        for link in ClaimLink.objects.touching(claim.pk):
            relation, other = link.seen_from(claim.pk)
            rows.append(
                {
                    "relation": link.relation,
                    "reads": relation,
                    "claim": ClaimRefSerializer(other, context=self.context).data,
                }
            )
        return rows


# -- Sources, actors, articles -----------------------------------------------------------------


class SourceSerializer(ReadOnlyModelSerializer):
    actor = ActorRefSerializer(allow_null=True)
    page_url = PageUrlField()

    class Meta:
        model = Source
        fields = ["id", "slug", "name", "kind", "role", "description", "actor", "tie", "page_url"]


class StanceCountsSerializer(serializers.Serializer):
    asserts = serializers.IntegerField(read_only=True)
    denies = serializers.IntegerField(read_only=True)
    declined = serializers.IntegerField(read_only=True)
    no_response = serializers.IntegerField(read_only=True)


class SourceDetailSerializer(SourceSerializer):
    attribution_counts = StanceCountsSerializer(
        help_text="How many of the source's attributions have each stance."
    )
    track_record = TrackRecordSerializer(
        allow_null=True, help_text="Null until a claim the source spoke to is rated."
    )

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "attribution_counts", "track_record"]


class ActorSerializer(ReadOnlyModelSerializer):
    parent = ActorRefSerializer(allow_null=True)
    children = ActorRefSerializer(many=True, help_text="The actors directly under this one.")
    aliases: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True
    )
    page_url = PageUrlField()

    class Meta:
        model = Actor
        fields = [
            "slug", "name", "kind", "country", "wikidata_id", "parent", "children", "aliases",
            "page_url",
        ]  # fmt: skip


class ActorDetailSerializer(ActorSerializer):
    parents = ActorRefSerializer(
        source="ancestors", many=True, help_text="The actors above this one, the root first."
    )

    track_record = TrackRecordSerializer(
        allow_null=True,
        help_text="With its sub-actors and all their sources; null until one spoke to a rated "
        "claim.",
    )

    class Meta(ActorSerializer.Meta):
        fields = [*ActorSerializer.Meta.fields, "description", "parents", "track_record"]


class ArticleSerializer(ReadOnlyModelSerializer):
    outlet = OutletSerializer(allow_null=True)
    page_url = PageUrlField()

    class Meta:
        model = Article
        fields = [
            "id", "slug", "title", "outlet", "published_on", "url", "byline", "language",
            "page_url",
        ]  # fmt: skip


class ArticleDetailSerializer(ArticleSerializer):
    attributions = ArticleAttributionSerializer(source="rows", many=True)

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body", "attributions"]


# -- Errors ------------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    # The error body's one key; it shadows Serializer.errors, which only a serializer given input
    # reads, and this one only documents the body (api/errors.py writes it).
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.CharField(),
        help_text="What is wrong, by field or parameter (nested fields joined with dots, e.g. "
        '"attributions.0.passage"); errors about the whole request by their code '
        '("not_found", "not_authenticated", "permission_denied"...).',
    )
