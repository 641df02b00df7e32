"""Parsing request bodies: JSON only, and strictly."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rest_framework import exceptions
from rest_framework.parsers import JSONParser

# -- Parsing -----------------------------------------------------------------------------------


class StrictJSONParser(JSONParser):
    """JSON whose strings are real text: a lone surrogate ("\\ud800") cannot be stored anywhere."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        data = super().parse(stream, media_type, parser_context)
        stack: list[Any] = [data]
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
