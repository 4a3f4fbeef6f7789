from django.urls import path

from dutydesk.sso import views

app_name = "sso"
urlpatterns = [
    path("open/<slug:provider>/", views.open_link, name="open"),
    path("identities/<slug:team>/", views.identities, name="identities"),
    path("identities/<slug:team>/<int:person>/link/", views.link, name="link"),
    path("identities/<slug:team>/unlink/<int:account>/", views.unlink, name="unlink"),
    path("providers/", views.providers, name="providers"),
    path("providers/<slug:provider>/", views.provider_edit, name="provider"),
    path("providers/<slug:provider>/test/", views.provider_test, name="provider-test"),
]
