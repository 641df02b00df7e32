"""The public pages for readers and analysts (detail pages kept whole under the data version)."""

from __future__ import annotations

from django.urls import path

from tracker import views, views_claims
from tracker.caching import cached_page

app_name = "tracker"

urlpatterns = [
    path("", cached_page(views.home), name="home"),
    path("claims/", cached_page(views_claims.claim_list), name="claim_list"),
    path("claims/matrix/", cached_page(views_claims.claim_matrix), name="claim_matrix"),
    path("claims/<int:pk>/", cached_page(views.claim_detail), name="claim_detail"),
    path("articles/<int:pk>/", cached_page(views.article_detail), name="article_detail"),
    path("actors/<slug:slug>/", cached_page(views.actor_detail), name="actor_detail"),
    path("sources/<int:pk>/", cached_page(views.source_detail), name="source_detail"),
    path("credibility/", views.credibility, name="credibility"),
]
