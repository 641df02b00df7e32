"""The public pages for readers and analysts, each kept whole until a model it reads is written.

`reads` names every model whose rows a page shows or filters by: a write to any other model
leaves the page kept. tests/tracker/test_caching.py checks each list against the tables the
page's SQL touches, so a page that starts reading a new model fails a test until it is named here.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import path

from articles.models import Article, Outlet
from tracker.caching import cached_page
from tracker.models import (
    Actor,
    ActorAlias,
    Attribution,
    Claim,
    ClaimLink,
    Evidence,
    Source,
    TrackRecord,
    Verdict,
)
from tracker.views import claim_list, credibility, matrix, pages, suggest

app_name = "tracker"

# What every list and detail page shows or filters by: claims, who said them, where.
ATTRIBUTIONS = (Claim, Attribution, Source, Actor, Article, Outlet)
# The counts kept with the data (tracker/counters.py) that lists and actor pages read.
COUNTERS = (
    "tracker.ActorStanceCount",
    "tracker.ActorMonthCount",
    "tracker.AttributionTally",
    "tracker.ClaimTally",
    "tracker.ActorReach",
)
ABOUT = Claim.about.through  # the actors a claim is about
# Lists filter and search by actors' aliases as well as their names, and find contradicted
# denials through linked claims.
LISTS = (*ATTRIBUTIONS, *COUNTERS, ActorAlias, ClaimLink)

urlpatterns = [
    path("", cached_page(pages.home, reads=LISTS), name="home"),
    # The filters find actors by alias too (tracker.names).
    path(
        "claims/",
        cached_page(claim_list.claim_list, reads=(*LISTS, ActorAlias)),
        name="claim_list",
    ),
    path(
        "claims/matrix/",
        cached_page(matrix.claim_matrix, reads=(*LISTS, ActorAlias)),
        name="claim_matrix",
    ),
    path(
        "claims/<int:pk>/",
        cached_page(
            pages.claim_detail,
            reads=(*ATTRIBUTIONS, ABOUT, ClaimLink, Verdict, Evidence, User),
        ),
        name="claim_detail",
    ),
    path(
        "articles/<int:pk>/",
        cached_page(pages.article_detail, reads=ATTRIBUTIONS),
        name="article_detail",
    ),
    path(
        "actors/<slug:slug>/",
        cached_page(pages.actor_detail, reads=(*LISTS, ABOUT, TrackRecord)),
        name="actor_detail",
    ),
    path(
        "sources/<int:pk>/",
        cached_page(pages.source_detail, reads=(*LISTS, TrackRecord)),
        name="source_detail",
    ),
    path("credibility/", credibility.credibility, name="credibility"),
    path("suggest/actors/", suggest.actors, name="suggest_actors"),
    path("suggest/outlets/", suggest.outlets, name="suggest_outlets"),
]
