"""The public pages for readers and analysts (detail pages kept whole under the data version)."""

from __future__ import annotations

from django.urls import path

from tracker.caching import cached_page
from tracker.views import claim_list, credibility, matrix, pages

app_name = "tracker"

urlpatterns = [
    path("", cached_page(pages.home), name="home"),
    path("claims/", cached_page(claim_list.claim_list), name="claim_list"),
    path("claims/matrix/", cached_page(matrix.claim_matrix), name="claim_matrix"),
    path("claims/<int:pk>/", cached_page(pages.claim_detail), name="claim_detail"),
    path("articles/<int:pk>/", cached_page(pages.article_detail), name="article_detail"),
    path("actors/<slug:slug>/", cached_page(pages.actor_detail), name="actor_detail"),
    path("sources/<int:pk>/", cached_page(pages.source_detail), name="source_detail"),
    path("credibility/", credibility.credibility, name="credibility"),
]
