"""/api/v1/ (django-ninja's patterns, namespace api-v1) the token and webhook pages (namespace api)."""

from django.urls import include, path

from api import views
from api.v1 import api

token_pages = [
    path("", views.tokens, name="tokens"),
    path("new/", views.create_token, name="token-create"),
    path("service/new/", views.create_service_token, name="service-token-create"),
    path("<int:token_id>/revoke/", views.revoke_token, name="token-revoke"),
]

webhook_pages = [
    path("", views.webhooks, name="webhooks"),
    path("new/", views.create_webhook, name="webhook-create"),
    path("<int:endpoint_id>/", views.webhook_log, name="webhook-log"),
    path("<int:endpoint_id>/rotate/", views.rotate_webhook_secret, name="webhook-rotate"),
    path("<int:endpoint_id>/delete/", views.delete_webhook, name="webhook-delete"),
    path("<int:endpoint_id>/deliveries/<int:delivery_id>/resend/", views.resend_delivery, name="webhook-resend"),
]

# One include for the namespace: two includes named "api" would reverse only one's names.
pages = [path("tokens/", include(token_pages)), path("webhooks/", include(webhook_pages))]

urlpatterns = [
    path("v1/", api.urls),
    path("", include((pages, "api"))),
]
