"""The API's endpoints: read-only lists and details, and writing an article whole."""

from __future__ import annotations

from typing import cast

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from articles.models import Article, Outlet
from tracker.api import pagination
from tracker.api.filters import SLUG_REGEX, FilterBackend
from tracker.api.pagination import KeysetPagination, count_rows, estimate_rows
from tracker.api.parsers import StrictJSONParser
from tracker.api.schema import ApiSchema, ReadAnyoneWriteEditors
from tracker.api.serializers import (
    ActorDetailSerializer,
    ActorSerializer,
    ArticleDetailSerializer,
    ArticleSerializer,
    AttributionSerializer,
    ClaimDetailSerializer,
    ClaimSerializer,
    OutletSerializer,
    RankedTrackRecordSerializer,
    SourceDetailSerializer,
    SourceSerializer,
    VerdictSerializer,
    attribution_rows,
)
from tracker.api.writers import ArticleWriteSerializer
from tracker.filtersets import (
    CLAIM_IDS_CAP,
    AttributionFilterSet,
    FilterSet,
    TrackRecordFilterSet,
    VerdictFilterSet,
)
from tracker.models import (
    Actor,
    Attribution,
    Claim,
    Source,
    Stance,
    TrackRecord,
    Verdict,
)
from tracker.querysets import AttributionQuerySet

# -- Endpoints ---------------------------------------------------------------------------------


class ApiViewSet(viewsets.GenericViewSet):
    permission_classes = [ReadAnyoneWriteEditors]
    pagination_class = KeysetPagination
    parser_classes = [StrictJSONParser]
    schema = ApiSchema()
    ordering: tuple[str, ...] = ("-id",)

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        # A misspelled parameter is a 400 naming it, never a filter silently left out.
        filterset = getattr(self, "filterset_class", None) if self.action == "list" else None
        unknown = (filterset or FilterSet).unknown_parameters(
            request.query_params, also=self.parameters_read()
        )
        if unknown:
            raise exceptions.ValidationError(dict(unknown))

    def parameters_read(self) -> list[str]:
        """The query parameters this action reads besides its filters."""
        read = [api_settings.URL_FORMAT_OVERRIDE or "format"]
        paginator = self.paginator if self.action == "list" else None
        if isinstance(paginator, KeysetPagination):
            read += [paginator.cursor_query_param, paginator.page_size_query_param]
        return read

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            name = self.get_queryset().model._meta.verbose_name
            key = "id" if self.lookup_field == "pk" else self.lookup_field
            value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
            raise exceptions.NotFound(f"There is no {name} with the {key} {value}.") from None


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    pass


@extend_schema(tags=["claims"])
class ClaimViewSet(ReadOnlyViewSet):
    """Claims with at least one attribution matching the filters, each with those attributions.

    The filters are the claim list page's: an attribution must match all of them at once, so
    `actor=russia&stance=responses` is the claims that Russia (or a body under it) denied,
    declined to comment on or did not answer.
    """

    queryset = Claim.objects.all()
    filter_backends = [FilterBackend]
    filterset_class = AttributionFilterSet
    ordering = ("-first_reported_on", "-id")

    def get_serializer_class(self):
        return ClaimDetailSerializer if self.action == "retrieve" else ClaimSerializer

    def get_queryset(self) -> QuerySet[Claim]:
        if self.action != "retrieve":
            return Claim.objects.all()  # the rows come from filter_by
        return Claim.objects.prefetch_related(
            "about",
            _attributions(Attribution.objects.all(), "matching_attributions"),
            Prefetch("verdicts", Verdict.objects.for_page(), to_attr="verdicts_latest_first"),
        )

    def filter_by(self, filterset: AttributionFilterSet) -> QuerySet[Claim]:
        claims = filterset.claims()
        # Each listed claim's matching attributions (the search is already the claims' own).
        matching = filterset.within_claims if filterset.is_filtered else Attribution.objects.all()
        self.claim_ids = filterset.claim_ids
        self.past_cap = filterset.is_filtered and filterset.claim_ids is None
        return claims.prefetch_related(_attributions(matching, "matching_attributions"))

    def count_rows(self, claims: QuerySet[Claim]) -> tuple[int, bool]:
        # The matching claims' ids were read once by the filters (up to CLAIM_IDS_CAP): no query.
        ids = getattr(self, "claim_ids", None)
        if ids is not None:
            return len(ids), True
        if getattr(self, "past_cap", False) and CLAIM_IDS_CAP >= pagination.COUNT_CAP:
            # More than CLAIM_IDS_CAP (= COUNT_CAP) claims match: counting them again up to the
            # cap would only find that out once more (a walk of the claims with an EXISTS each).
            return estimate_rows(claims), False
        return count_rows(claims)


def _attributions(attributions: QuerySet[Attribution], to_attr: str) -> Prefetch:
    rows = attribution_rows(cast(AttributionQuerySet, attributions)).order_by(
        "article__published_on", "span_start", "id"
    )
    return Prefetch("attributions", queryset=rows, to_attr=to_attr)


@extend_schema(tags=["attributions"])
class AttributionViewSet(ReadOnlyViewSet):
    """Attributions matching the filters: claim x source x article, with the stance and words."""

    queryset = Attribution.objects.all()
    serializer_class = AttributionSerializer
    filter_backends = [FilterBackend]
    filterset_class = AttributionFilterSet

    def get_queryset(self) -> QuerySet[Attribution]:
        return attribution_rows(Attribution.objects.all())


@extend_schema(tags=["sources"])
class SourceViewSet(ReadOnlyViewSet):
    """Who is cited: people, bodies, documents, anonymous groups, and "unattributed"."""

    queryset = Source.objects.select_related("actor")

    def get_serializer_class(self):
        return SourceDetailSerializer if self.action == "retrieve" else SourceSerializer

    def get_queryset(self) -> QuerySet[Source]:
        if self.action == "retrieve":
            return Source.objects.select_related("actor", "track_record")
        return super().get_queryset()

    def get_object(self) -> Source:
        source = super().get_object()
        counts = Attribution.objects.filter(source=source).stance_counts()
        source.attribution_counts = {stance: counts.get(stance, 0) for stance in Stance.values}
        return source


@extend_schema(tags=["actors"])
class ActorViewSet(ReadOnlyViewSet):
    """Actors (states, government bodies, armed groups, people...), with parents and sub-actors."""

    queryset = Actor.objects.select_related("parent").prefetch_related("children", "aliases")
    lookup_field = "slug"
    lookup_value_regex = SLUG_REGEX

    def get_serializer_class(self):
        return ActorDetailSerializer if self.action == "retrieve" else ActorSerializer

    def get_queryset(self) -> QuerySet[Actor]:
        queryset = super().get_queryset()
        return queryset.select_related("track_record") if self.action == "retrieve" else queryset

    def get_object(self) -> Actor:
        actor = super().get_object()
        ids = actor.ancestor_ids
        by_id = {a.pk: a for a in Actor.objects.filter(pk__in=ids)}
        actor.ancestors = [by_id[pk] for pk in ids if pk in by_id]
        return actor


@extend_schema(tags=["articles"])
class ArticleViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """Articles; an editor adds one with all its attributions in one request (all or nothing)."""

    queryset = Article.objects.all()
    ordering = ("-published_on", "-id")

    def get_serializer_class(self):
        return {
            "retrieve": ArticleDetailSerializer,
            "create": ArticleWriteSerializer,
        }.get(self.action, ArticleSerializer)

    def get_queryset(self) -> QuerySet[Article]:
        if self.action == "list":
            return Article.objects.for_list()
        rows = attribution_rows(Attribution.objects.all()).order_by("span_start", "id")
        return Article.objects.select_related("outlet").prefetch_related(
            Prefetch("attributions", queryset=rows, to_attr="rows")
        )

    @extend_schema(
        request=ArticleWriteSerializer,
        responses={201: ArticleDetailSerializer},
        description="Add an article and its attributions in one transaction. Each attribution "
        "names an existing claim (claim) or a new one (claim_text), a source by id or slug, and "
        "where it rests in the body: a passage that occurs there once, or span_start/span_end. "
        "If anything is wrong nothing is written, and the 400 names every problem "
        '("attributions.2.passage").',
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = ArticleWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        new_claims = any("claim_text" in item for item in serializer.validated_data["attributions"])
        if new_claims and not request.user.has_perm("tracker.add_claim"):
            raise exceptions.PermissionDenied("Adding claims (claim_text) needs that permission.")
        article = serializer.save()
        saved = self.get_queryset().get(pk=article.pk)
        location = reverse("api:article-detail", args=[article.pk])
        return Response(
            ArticleDetailSerializer(saved, context={"request": request}).data,
            status=201,
            headers={"Location": request.build_absolute_uri(location)},
        )


@extend_schema(tags=["outlets"])
class OutletViewSet(ReadOnlyViewSet):
    queryset = Outlet.objects.all()
    serializer_class = OutletSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_REGEX


@extend_schema(tags=["verdicts"])
class VerdictViewSet(ReadOnlyViewSet):
    """The editors' verdicts on claims, the latest first, each with its evidence."""

    queryset = Verdict.objects.all()
    serializer_class = VerdictSerializer
    filter_backends = [FilterBackend]
    filterset_class = VerdictFilterSet
    ordering = ("-rated_at", "-id")

    def get_queryset(self) -> QuerySet[Verdict]:
        return Verdict.objects.for_page().select_related("claim")


@extend_schema(tags=["track records"])
class TrackRecordViewSet(mixins.ListModelMixin, ApiViewSet):
    """Sources' and actors' track records, the best first: the /credibility/ page's rankings in
    one list (only the records long enough to rank, unless `all=1`)."""

    queryset = TrackRecord.objects.all()
    serializer_class = RankedTrackRecordSerializer
    filter_backends = [FilterBackend]
    filterset_class = TrackRecordFilterSet
    ordering = ("-score", "-lower", "-scored", "id")

    def get_queryset(self) -> QuerySet[TrackRecord]:
        return TrackRecord.objects.select_related("source__actor", "actor")
