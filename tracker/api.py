"""The JSON API: read endpoints with the pages' filters, keyset pages, and the article write."""

from __future__ import annotations

import base64
import binascii
import json
import operator
import re
from functools import reduce
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, permissions, viewsets
from rest_framework.filters import BaseFilterBackend
from rest_framework.pagination import BasePagination
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import exception_handler

from articles.models import Article, Outlet
from tracker.filtersets import AttributionFilterSet
from tracker.models import (
    Actor,
    ActorKind,
    Attribution,
    Claim,
    Rating,
    Source,
    SourceKind,
    Stance,
    TrackRecord,
    Verdict,
)
from tracker.serializers import (
    MAX_ID,
    ActorDetailSerializer,
    ActorSerializer,
    ArticleDetailSerializer,
    ArticleSerializer,
    ArticleWriteSerializer,
    AttributionSerializer,
    ClaimDetailSerializer,
    ClaimSerializer,
    ErrorSerializer,
    OutletSerializer,
    RankedTrackRecordSerializer,
    SourceDetailSerializer,
    SourceSerializer,
    VerdictSerializer,
    attribution_rows,
)
from tracker.views import RANKING_KINDS, RankingForm

SLUG_REGEX = r"[-a-zA-Z0-9_]+"

# -- Errors: one shape for every error ---------------------------------------------------------


def error_map(detail: Any, path: str = "") -> dict[str, str]:
    """DRF's error detail as {"field.path": "message"}: nested fields and list items joined by dots.

    Errors about the request as a whole (not a field) are keyed by their code: not_found,
    not_authenticated, permission_denied, method_not_allowed, parse_error...
    """
    if isinstance(detail, dict):
        errors: dict[str, str] = {}
        for key, value in detail.items():
            if key == api_settings.NON_FIELD_ERRORS_KEY and path:
                name = path  # an item's own error is named by the item ("attributions.2")
            else:
                name = f"{path}.{key}" if path else str(key)
            errors.update(error_map(value, name))
        return errors
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            if not detail:
                return {}
            return {path or api_settings.NON_FIELD_ERRORS_KEY: " ".join(map(str, detail))}
        errors = {}
        for index, item in enumerate(detail):
            errors.update(error_map(item, f"{path}.{index}" if path else str(index)))
        return errors
    return {path or getattr(detail, "code", None) or "error": str(detail)}


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler (statuses, headers, rollback), with the body as {"errors": {...}}."""
    response = exception_handler(exc, context)
    if response is None:
        return None  # not an API error: a 500, as anywhere else
    data = response.data
    if not isinstance(getattr(exc, "detail", None), dict | list) and list(data) == ["detail"]:
        data = data["detail"]  # a whole-request error: keyed by its code (error_map)
    response.data = {"errors": error_map(data)}
    return response


def not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Any other path under /api/: a 404 in the API's error shape (not the HTML page)."""
    return JsonResponse(
        {"errors": {"not_found": "There is no API endpoint at this path."}}, status=404
    )


ERRORS = {
    400: "A field or parameter is wrong; each is named.",
    401: "The token is unknown, or writing needs one.",
    403: "The account may not do this.",
    404: "There is no such object (or page cursor).",
    415: "The body must be JSON.",
}


# -- Parsing -----------------------------------------------------------------------------------


class StrictJSONParser(JSONParser):
    """JSON whose strings are real text: a lone surrogate ("\\ud800") cannot be stored anywhere."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    message = "The body holds text that is not valid Unicode."
                    raise exceptions.ParseError(message) from None
            elif isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
        return data


# -- Pages: keyset cursors ---------------------------------------------------------------------


class KeysetPagination(BasePagination):
    """Cursor pages on a unique sort key: page 10,000 is the same indexed range query as page 1.

    The cursor holds the sort key of the row it continues from ("after" or "before" it), so
    no OFFSET is ever used. The view's `ordering` must end in a unique field ("-id").
    """

    page_size = 25
    max_page_size = 200
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset: QuerySet, request: Request, view=None) -> list:
        self.request = request
        self.ordering = list(getattr(view, "ordering", ("-id",)))
        size = self.get_page_size(request)
        backwards, position = self._decode(request, queryset)
        order = [_flip(name) for name in self.ordering] if backwards else self.ordering
        rows = queryset.order_by(*order)
        if position is not None:
            rows = rows.filter(_beyond(order, position))
        page = list(rows[: size + 1])
        more = len(page) > size
        page = page[:size]
        if backwards:
            page.reverse()
        self.next_cursor = self.previous_cursor = None
        if page:
            after_last = ("n", self._key(page[-1]))
            before_first = ("p", self._key(page[0]))
            if backwards:
                self.next_cursor = after_last
                self.previous_cursor = before_first if more else None
            else:
                self.next_cursor = after_last if more else None
                self.previous_cursor = before_first if position is not None else None
        return page

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: f"{raw!r} is not a whole number of 1 or more."}
            )
        return min(size, self.max_page_size)

    def get_paginated_response(self, data: list) -> Response:
        return Response(
            {
                "next": self._link(self.next_cursor),
                "previous": self._link(self.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The next page, or null on the last."},
                "previous": {**link, "description": "The previous page, or null on the first."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Where the page starts: copy it from a response's next or "
                "previous link (a cursor that is not from this list is a 404).",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": f"Rows per page: {self.page_size} unless given; at most "
                f"{self.max_page_size} (a larger number is capped).",
                "schema": {"type": "integer", "minimum": 1},
            },
        ]

    def _key(self, row) -> list:
        values = []
        for name in self.ordering:
            value = getattr(row, name.lstrip("-"))
            values.append(value.isoformat() if hasattr(value, "isoformat") else value)
        return values

    def _link(self, cursor: tuple[str, list] | None) -> str | None:
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        token = base64.urlsafe_b64encode(json.dumps(cursor, separators=(",", ":")).encode())
        return replace_query_param(url, self.cursor_query_param, token.decode().rstrip("="))

    def _decode(self, request: Request, queryset: QuerySet) -> tuple[bool, list | None]:
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return False, None
        try:
            padded = raw + "=" * (-len(raw) % 4)
            direction, values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            if direction not in ("n", "p") or len(values) != len(self.ordering):
                raise ValueError(direction)
            fields = [queryset.model._meta.get_field(name.lstrip("-")) for name in self.ordering]
            position = [field.to_python(value) for field, value in zip(fields, values, strict=True)]
            if any(value is None for value in position):
                raise ValueError(values)
        except (ValueError, TypeError, binascii.Error, DjangoValidationError):
            raise exceptions.NotFound(
                {"cursor": "Not a cursor from this list; start again from the first page."}
            ) from None
        return direction == "p", position


def _flip(name: str) -> str:
    return name[1:] if name.startswith("-") else f"-{name}"


def _beyond(order: list[str], position: list) -> Q:
    """Rows strictly after `position` in `order`: (a > x) or (a = x and b > y) or ..."""
    conditions, equal = [], {}
    for name, value in zip(order, position, strict=True):
        field = name.lstrip("-")
        lookup = "lt" if name.startswith("-") else "gt"
        conditions.append(Q(**equal, **{f"{field}__{lookup}": value}))
        equal[field] = value
    return reduce(operator.or_, conditions)


# -- Filters: the pages' FilterSet -------------------------------------------------------------

_FILTER_NOTES = {
    "actor": "an actor's slug; the actors under it count too unless actor_exact=1",
    "actor_exact": "1 or 0",
    "stance": "repeatable; responses means denies, declined and no_response together",
    "q": "words in the claim's text or its quotes",
}


def _filter_schema(field: django_filters.Filter) -> dict:
    if isinstance(field, django_filters.MultipleChoiceFilter):
        choices = [value for value, _label in field.extra["choices"]]
        return {"type": "array", "items": {"type": "string", "enum": choices}}
    if isinstance(field, django_filters.ModelChoiceFilter):  # (a ChoiceFilter too)
        return {"type": "string", "pattern": f"^{SLUG_REGEX}$"}
    if isinstance(field, django_filters.ChoiceFilter):
        return {"type": "string", "enum": [value for value, _label in field.extra["choices"]]}
    if isinstance(field, django_filters.BooleanFilter):
        return {"type": "boolean"}
    if isinstance(field, django_filters.DateFilter):
        return {"type": "string", "format": "date"}
    if isinstance(field, django_filters.NumberFilter):
        # django-filter bounds numbers (at most 1e50 by default): the schema says so.
        schema: dict[str, Any] = {"type": "number"}
        for validator in field.field.validators:
            if isinstance(validator, MinValueValidator | MaxValueValidator):
                key = "maximum" if isinstance(validator, MaxValueValidator) else "minimum"
                schema[key] = float(validator.limit_value)
        return schema
    return {"type": "string"}


def _accepts_empty(field: django_filters.Filter) -> bool:
    """Whether the filter reads an empty value (as a form sends it) as "not filtering"."""
    empty = [""] if isinstance(field, django_filters.MultipleChoiceFilter) else ""
    try:
        field.field.clean(empty)
    except DjangoValidationError:
        return False
    return True


class AttributionFilterBackend(BaseFilterBackend):
    """AttributionFilterSet (the pages' filters) on the query string; a bad value is a 400.

    The view turns the valid filterset into its rows (`filter_by`): the attributions that match,
    or the claims with at least one matching attribution.
    """

    def filter_queryset(self, request: Request, queryset: QuerySet, view) -> QuerySet:
        if getattr(view, "action", None) != "list":
            return queryset
        filterset = AttributionFilterSet(request.query_params, queryset=Attribution.objects.all())
        if not filterset.is_valid():
            raise exceptions.ValidationError(dict(filterset.error_messages()))
        rows = view.filter_by(filterset)
        article = filterset.form.cleaned_data.get("article")
        if article is not None and abs(article) > MAX_ID:
            # No article has an id that large, and SQLite cannot even compare with one.
            return rows.none()
        return rows

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = []
        for name, field in AttributionFilterSet.base_filters.items():
            parameter = {
                "name": name,
                "in": "query",
                "required": False,
                "description": ": ".join(filter(None, [str(field.label), _FILTER_NOTES.get(name)])),
                "schema": _filter_schema(field),
            }
            if parameter["schema"]["type"] == "array":
                parameter.update(style="form", explode=True)
            if _accepts_empty(field):
                parameter["allowEmptyValue"] = True  # "actor=" is no filter, as on the pages
            parameters.append(parameter)
        return parameters


class VerdictFilterBackend(BaseFilterBackend):
    """`claim` (an id) and `rating` on the verdict list; a bad value is a 400 naming it."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view) -> QuerySet:
        if getattr(view, "action", None) != "list":
            return queryset
        errors: dict[str, str] = {}
        claim = request.query_params.get("claim", "")
        if claim:
            if not re.fullmatch(r"[0-9]+", claim) or int(claim) < 1:
                errors["claim"] = f"{claim!r} is not a claim id (a whole number of 1 or more)."
            elif int(claim) > MAX_ID:
                queryset = queryset.none()  # no claim has such an id (SQLite cannot compare it)
            else:
                queryset = queryset.filter(claim_id=int(claim))
        rating = request.query_params.get("rating", "")
        if rating:
            if rating in Rating.values:
                queryset = queryset.filter(rating=rating)
            else:
                errors["rating"] = f"{rating!r} is not one of {', '.join(Rating.values)}."
        if errors:
            raise exceptions.ValidationError(errors)
        return queryset

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": "claim",
                "in": "query",
                "required": False,
                "description": "The claim's id: only its verdicts",
                "schema": {"type": "integer", "minimum": 1},
                "allowEmptyValue": True,
            },
            {
                "name": "rating",
                "in": "query",
                "required": False,
                "description": "Only the verdicts with this rating",
                "schema": {"type": "string", "enum": Rating.values},
                "allowEmptyValue": True,
            },
        ]


class TrackRecordForm(RankingForm):
    """The /credibility/ page's parameters, and `all` (records too short to rank as well)."""

    all = forms.TypedChoiceField(
        choices=[(v, v) for v in ("", "1", "0", "true", "false")],
        coerce=lambda value: value in ("1", "true"),
        empty_value=False,
        required=False,
        error_messages={"invalid_choice": "Give 1 or 0 (true or false), not %(value)s."},
    )


class TrackRecordFilterBackend(BaseFilterBackend):
    """The /credibility/ page's rules (`kind`, `actor`; enough record unless `all`); 400s."""

    NOTES = {
        "kind": "a source kind or an actor kind (person is both)",
        "actor": "an actor's slug: the records under it (its sources, its sub-actors', "
        "and its sub-actors themselves)",
        "all": "1 to list the records too short to rank as well (0 by default)",
    }

    def filter_queryset(self, request: Request, queryset: QuerySet, view) -> QuerySet:
        if getattr(view, "action", None) != "list":
            return queryset
        form = TrackRecordForm(request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError(
                {name: " ".join(errors) for name, errors in form.errors.items()}
            )
        kind, actor = form.cleaned_data["kind"], form.cleaned_data["actor"]
        sources, actors = Q(source__isnull=False), Q(actor__isnull=False)
        if kind:
            # A kind that only sources have (anonymous) leaves out the actors, and the other way on.
            sources &= Q(source__kind=kind) if kind in SourceKind.values else Q(pk__in=[])
            actors &= Q(actor__kind=kind) if kind in ActorKind.values else Q(pk__in=[])
        if actor is not None:
            sources &= Q(source__actor__path__startswith=actor.path)
            actors &= Q(actor__path__startswith=actor.path) & ~Q(actor=actor)
        queryset = queryset.filter(sources | actors)
        return queryset if form.cleaned_data["all"] else queryset.enough()

    def get_schema_operation_parameters(self, view) -> list[dict]:
        schemas = {
            "kind": {"type": "string", "enum": [value for value, _label in RANKING_KINDS]},
            "actor": {"type": "string", "pattern": f"^{SLUG_REGEX}$"},
            "all": {"type": "boolean"},
        }
        return [
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": self.NOTES[name],
                "schema": schema,
                "allowEmptyValue": True,
            }
            for name, schema in schemas.items()
        ]


# -- Permissions and the schema ----------------------------------------------------------------


class ReadAnyoneWriteEditors(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """Anyone reads; writing needs the model's add/change/delete permission (the Editors group).

    An article is written with its attributions, so adding one needs both permissions.
    """

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "POST": ["%(app_label)s.add_%(model_name)s", "tracker.add_attribution"],
    }

    def has_permission(self, request: Request, view) -> bool:
        # A method the endpoint does not have is a 405 for everyone, before any 401 or 403.
        if not hasattr(view, request.method.lower()):
            raise exceptions.MethodNotAllowed(request.method)
        return super().has_permission(request, view)


class ApiSchema(AutoSchema):
    """drf-spectacular's schema, plus: reading needs no credentials, and every error documented."""

    def get_auth(self) -> list[dict]:
        auths = super().get_auth()
        reads_openly = any(
            isinstance(p, permissions.DjangoModelPermissionsOrAnonReadOnly)
            for p in self.view.get_permissions()
        )
        if reads_openly and self.method in permissions.SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        codes = [401]
        if self.method == "POST":
            codes += [400, 403, 415]
        elif getattr(self.view, "action", None) == "list":
            codes += [400, 404]
        else:
            codes += [404]
        for code in sorted(codes):
            if str(code) not in responses:
                error = OpenApiResponse(ErrorSerializer, description=ERRORS[code])
                responses[str(code)] = self._get_response_for_code(error, str(code))
        return responses


# -- Endpoints ---------------------------------------------------------------------------------


class ApiViewSet(viewsets.GenericViewSet):
    permission_classes = [ReadAnyoneWriteEditors]
    pagination_class = KeysetPagination
    parser_classes = [StrictJSONParser]
    schema = ApiSchema()
    ordering: tuple[str, ...] = ("-id",)

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
    filter_backends = [AttributionFilterBackend]
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
        matching = filterset.qs if filterset.is_filtered else Attribution.objects.all()
        return filterset.claims().prefetch_related(_attributions(matching, "matching_attributions"))


def _attributions(attributions: QuerySet[Attribution], to_attr: str) -> Prefetch:
    rows = attribution_rows(attributions).order_by("article__published_on", "span_start", "id")
    return Prefetch("attributions", queryset=rows, to_attr=to_attr)


@extend_schema(tags=["attributions"])
class AttributionViewSet(ReadOnlyViewSet):
    """Attributions matching the filters: claim x source x article, with the stance and words."""

    queryset = Attribution.objects.all()
    serializer_class = AttributionSerializer
    filter_backends = [AttributionFilterBackend]

    def get_queryset(self) -> QuerySet[Attribution]:
        return attribution_rows(Attribution.objects.all())

    def filter_by(self, filterset: AttributionFilterSet) -> QuerySet[Attribution]:
        return attribution_rows(filterset.qs)


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
    filter_backends = [VerdictFilterBackend]
    ordering = ("-rated_at", "-id")

    def get_queryset(self) -> QuerySet[Verdict]:
        return Verdict.objects.for_page().select_related("claim")


@extend_schema(tags=["track records"])
class TrackRecordViewSet(mixins.ListModelMixin, ApiViewSet):
    """Sources' and actors' track records, the best first: the /credibility/ page's rankings in
    one list (only the records long enough to rank, unless `all=1`)."""

    queryset = TrackRecord.objects.all()
    serializer_class = RankedTrackRecordSerializer
    filter_backends = [TrackRecordFilterBackend]
    ordering = ("-score", "-lower", "-scored", "id")

    def get_queryset(self) -> QuerySet[TrackRecord]:
        return TrackRecord.objects.select_related("source__actor", "actor")
