"""Django admin is available to superusers for setup: every registered model's list page opens."""

import pytest
from django.contrib import admin
from django.urls import reverse


@pytest.mark.django_db
def test_every_admin_list_page_opens_for_a_superuser(admin_client):
    opened = []
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = admin_client.get(url)
        assert response.status_code == 200, url
        opened.append(model._meta.label)
    assert {"dutydesk.Team", "roster.ShiftType", "appraisal.AgentScore", "notifications.Outbox"} <= set(opened)


@pytest.mark.django_db
def test_admin_refuses_people_who_are_not_staff(client, supervisor):
    client.force_login(supervisor)
    response = client.get("/admin/")
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/admin/")
