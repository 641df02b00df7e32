"""Where an actor sits: its ancestors, itself and everything under it, as a nested list."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, Sum, Value
from django.db.models.functions import Coalesce, Length, Replace
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from tracker.charts.svg import plural
from tracker.models import Actor

# The tree is cut at this many actors (the nearest levels first), so the page stays bounded.
TREE_LIMIT = 200
# How deep an actor sits: the slashes in its stored path "/1/7/42/" (ids differ in length).
DEPTH = Length("path") - Length(Replace("path", Value("/"), Value("")))


@dataclass
class Node:
    actor: Actor
    attributions: int  # to its sources and those of every actor under it (the kept counters)
    current: bool
    children: list[Node] = field(default_factory=list)


@dataclass(frozen=True)
class Tree:
    root: Node
    cut: bool  # more actors sit under the current one than are shown
    limit: int = TREE_LIMIT

    @property
    def html(self) -> SafeString:
        return format_html('<ul class="actor-tree">{}</ul>', _item(self.root))


def actor_tree(*, actor: Actor) -> Tree:
    """The actor's ancestors and sub-tree with each one's attribution count: one query.

    Counts come from the counters kept with the data (ActorStanceCount.subtree), summed per
    actor. Rows come nearest level first, so a cut tree loses its deepest actors.
    """
    rows = list(
        Actor.objects.filter(Q(path__startswith=actor.path) | Q(pk__in=actor.ancestor_ids))
        .annotate(n=Coalesce(Sum("stance_counts__subtree"), 0))
        .only("pk", "slug", "name", "kind", "parent_id", "path")
        .order_by(DEPTH, "name", "pk")[: TREE_LIMIT + 1]
    )
    cut = len(rows) > TREE_LIMIT
    nodes: dict[int, Node] = {}
    root: Node | None = None
    for row in rows[:TREE_LIMIT]:
        node = Node(row, row.n, current=row.pk == actor.pk)
        nodes[row.pk] = node
        parent = nodes.get(row.parent_id) if row.parent_id else None
        if parent is not None:
            parent.children.append(node)
        elif root is None:
            root = node
    if root is None:  # the actor itself is always there; this is for the type checker
        root = Node(actor, 0, current=True)
    return Tree(root=root, cut=cut)


def _item(node: Node) -> SafeString:
    name = (
        format_html('<strong aria-current="page">{}</strong>', node.actor.name)
        if node.current
        else format_html('<a href="{}">{}</a>', node.actor.get_absolute_url(), node.actor.name)
    )
    children = (
        format_html("<ul>{}</ul>", format_html_join("", "{}", ((_item(c),) for c in node.children)))
        if node.children
        else ""
    )
    return format_html(
        '<li>{} <span class="meta">{}, {}</span>{}</li>',
        name,
        node.actor.get_kind_display().lower(),
        plural(node.attributions, "attribution"),
        children,
    )
