"""The site's URLs plus one that fails, for the error-page tests (dutydesk/tests/test_error_pages.py)."""

from django.urls import path

from dutydesk.urls import urlpatterns as site_patterns


def broken(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [*site_patterns, path("broken/", broken)]
