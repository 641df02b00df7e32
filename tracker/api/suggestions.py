"""POST /api/suggestions/: the extractor's suggested attributions for a text, as the batch command
(`manage.py suggest_attributions --jsonl`) gives them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from articles.importing import body_size_problem
from articles.suggest import suggest
from articles.suggest.results import ANONYMITIES, STANCES
from tracker.api.views import ApiViewSet
from tracker.api.writers import TextField
from tracker.models import Attribution

_SPAN = {
    "type": "array",
    "items": {"type": "integer", "minimum": 0},
    "minItems": 2,
    "maxItems": 2,
    "description": "[start, end): string indices into the text (Unicode code points), end "
    "exclusive.",
}


@extend_schema_field({**_SPAN, "nullable": True})
class NullableSpanField(serializers.JSONField):
    pass


@extend_schema_field(_SPAN)
class SpanField(serializers.JSONField):
    pass


@extend_schema_field(
    {"oneOf": [{"type": "string"}, {"type": "integer"}], "description": "Echoed back as given."}
)
class EntryIdField(serializers.Field):
    default_error_messages = {"invalid": "Give a string or an integer."}

    def to_internal_value(self, data: Any) -> str | int:
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid")
        return data

    def to_representation(self, value: Any) -> Any:
        return value


class SuggestRequestSerializer(serializers.Serializer):
    text = TextField(trim_whitespace=False, allow_blank=True, help_text="The text to read.")
    id = EntryIdField(required=False, help_text="Any id of yours, echoed in the answer.")

    def validate_text(self, value: str) -> str:
        if problem := body_size_problem(len(value.encode("utf-8", "surrogatepass"))):
            raise serializers.ValidationError(f"The text {problem}.")
        return value


class SuggestedAttributionSerializer(serializers.Serializer):
    # The batch interface's key; it shadows Field.source, which a serializer that only writes
    # out a dict never reads.
    source = NullableSpanField(  # type: ignore[assignment]
        help_text="Who is cited; null for a statement with no source."
    )
    cue = SpanField(help_text="The words that report the statement (said, denied, ...).")
    content = NullableSpanField(help_text="What was said; null when the text does not say.")
    stance = serializers.ChoiceField(choices=STANCES)
    anonymity = serializers.ChoiceField(choices=ANONYMITIES)
    count = serializers.IntegerField(
        allow_null=True, min_value=1, help_text="How many people; null for an uncounted plural."
    )


class SuggestionsSerializer(serializers.Serializer):
    id = EntryIdField(required=False, help_text="The request's id, when it gave one.")
    attributions = SuggestedAttributionSerializer(many=True)


class SuggestionViewSet(ApiViewSet):
    """Suggested attributions for a text: who said, denied, declined or did not answer what."""

    # Asking is an editor's tool, with the same permission as writing attributions.
    queryset = Attribution.objects.none()
    serializer_class = SuggestRequestSerializer

    @extend_schema(
        tags=["suggestions"],
        request=SuggestRequestSerializer,
        responses={200: SuggestionsSerializer},
        description="The extractor's suggestions for a text, exactly as `manage.py "
        "suggest_attributions --jsonl` prints them for one line: source, cue and content spans "
        "as [start, end) indices into the text as sent, stance, anonymity and count. Nothing "
        "is stored.",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = SuggestRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        answer: dict[str, Any] = {"id": data["id"]} if "id" in data else {}
        answer["attributions"] = [found.as_json() for found in suggest(data["text"])]
        return Response(answer)
