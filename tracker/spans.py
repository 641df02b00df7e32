"""Spans: where an attribution's passage lies in its article's body, and what is wrong with it."""

from __future__ import annotations


def span_errors(
    *, body: str | None, span_start: int | None, span_end: int | None, quote: str
) -> dict[str, str]:
    """What is wrong with a span and quote against an article body, by field name."""
    if span_start is None or span_end is None:
        return {}  # the field-level "required" errors already say it
    if span_end <= span_start:
        return {"span_end": f"The span must end after it starts ({span_start}..{span_end})."}
    if body is None:
        return {}
    if span_end > len(body):
        return {
            "span_end": f"The span {span_start}..{span_end} runs past the end of the article "
            f"body ({len(body)} characters)."
        }
    if quote and quote not in body[span_start:span_end]:
        where = body.find(quote)
        hint = f" (it appears at {where}..{where + len(quote)})" if where >= 0 else ""
        return {
            "quote": f"The quote is not in the passage {span_start}..{span_end} of the "
            f"article body{hint}."
        }
    return {}
