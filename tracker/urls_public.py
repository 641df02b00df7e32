"""The public pages for readers and analysts."""

from __future__ import annotations

from django.urls import path

from tracker import views, views_claims

app_name = "tracker"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views_claims.claim_list, name="claim_list"),
    path("claims/matrix/", views_claims.claim_matrix, name="claim_matrix"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor_detail"),
    path("sources/<int:pk>/", views.source_detail, name="source_detail"),
    path("credibility/", views.credibility, name="credibility"),
]
