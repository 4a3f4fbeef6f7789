"""/api/v1/ (django-ninja's patterns, namespace api-v1) and the token pages (namespace api)."""

from django.urls import include, path

from api import views
from api.v1 import api

token_pages = [
    path("", views.tokens, name="tokens"),
    path("new/", views.create_token, name="token-create"),
    path("service/new/", views.create_service_token, name="service-token-create"),
    path("<int:token_id>/revoke/", views.revoke_token, name="token-revoke"),
]

urlpatterns = [
    path("v1/", api.urls),
    path("tokens/", include((token_pages, "api"))),
]
