"""The marketplace's addresses: /market/<team>/..., names in the `market:` namespace."""

from django.urls import path

from market import views

app_name = "market"
urlpatterns = [
    path("<slug:team>/", views.board, name="board"),
    path("<slug:team>/post/", views.post_open, name="post"),
    path("<slug:team>/offer/", views.offer_new, name="offer-new"),
    path("<slug:team>/settings/", views.settings, name="settings"),
    path("<slug:team>/offers/<int:offer>/", views.offer_detail, name="offer"),
    path("<slug:team>/offers/<int:offer>/claim/", views.claim, name="claim"),
    path("<slug:team>/offers/<int:offer>/withdraw/", views.offer_withdraw, name="offer-withdraw"),
    path("<slug:team>/claims/<int:claim>/withdraw/", views.claim_withdraw, name="claim-withdraw"),
    path("<slug:team>/claims/<int:claim>/approve/", views.approve, name="approve"),
]
