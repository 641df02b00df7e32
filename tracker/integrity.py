"""What rests on a row: deletions refused in editors' words, naming what depends on it.

Evidence, attributions, sources and sub-actors are protected (on_delete=PROTECT): deleting what
they rest on raises ProtectedError. These helpers say which rows are in the way, so an editor
(or a script's operator) can read why nothing was deleted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.admin.utils import NestedObjects
from django.db import models, router
from django.db.models import ProtectedError

from articles.models import Article
from tracker.models import Actor, Attribution, Evidence, Source

# A refusal names at most this many dependants, then says how many more there are.
SHOWN = 20


def blockers(rows: Iterable[models.Model]) -> list[models.Model]:
    """The protected rows that stop `rows` (and whatever would go with them) being deleted."""
    rows = list(rows)
    if not rows:
        return []
    collector = NestedObjects(using=router.db_for_write(type(rows[0])))
    collector.collect(rows)
    return list(collector.protected)


def _loaded(rows: list[models.Model]) -> list[models.Model]:
    # One query per kind of row, with what its description names.
    by_model: dict[type[models.Model], list[int]] = defaultdict(list)
    for row in rows:
        concrete = type(row)._meta.concrete_model
        assert concrete is not None  # Django sets it when it builds the model class
        by_model[concrete].append(row.pk)
    related = {
        Evidence: Evidence.objects.select_related("verdict__claim"),
        Attribution: Attribution.objects.select_related("claim", "source", "article").defer(
            "article__body"
        ),
        Article: Article.objects.defer("body"),
    }
    loaded: list[models.Model] = []
    for model, pks in by_model.items():
        queryset = related.get(model, model._default_manager.all())
        loaded.extend(queryset.filter(pk__in=pks[: SHOWN + 1]).order_by("pk"))
    return loaded


def describe(row: models.Model) -> str:
    """One dependant, as an editor would say it."""
    if isinstance(row, Evidence):
        verdict = row.verdict
        return f"the verdict “{verdict}” on the claim “{verdict.claim}” cites it as evidence"
    if isinstance(row, Attribution):
        return f"the attribution “{row}” in the article “{row.article.title}”"
    if isinstance(row, Source):
        return f"the source “{row}” is tied to it"
    if isinstance(row, Actor):
        return f"the actor “{row}” is filed under it"
    if isinstance(row, Article):
        return f"the article “{row.title}” is filed under it"
    return f"the {row._meta.verbose_name} “{row}” rests on it"


def dependants_in_words(protected: Iterable[models.Model]) -> list[str]:
    """Each protected row described, at most SHOWN of them and a count of the rest."""
    protected = list(protected)
    lines = [describe(row) for row in _loaded(protected)][:SHOWN]
    if len(protected) > SHOWN:
        lines.append(f"and {len(protected) - SHOWN} more")
    return lines


def refusal(row: models.Model | str, protected: Iterable[models.Model]) -> str:
    """The whole message: "“X” was not deleted: <what rests on it>. Remove those first."."""
    lines = dependants_in_words(protected)
    return (
        f"“{row}” was not deleted, because other records rest on it: {'; '.join(lines)}. "
        "Change or delete those first."
    )


def explain(error: ProtectedError, row: models.Model | str) -> str:
    """A ProtectedError from a script's delete(), in the same words as the admin's refusal."""
    return refusal(row, error.protected_objects)
