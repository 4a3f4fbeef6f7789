import pytest
from django.http import HttpRequest

from testdata import PASSWORD

pytestmark = pytest.mark.django_db


def test_home_anonymous_redirects_to_login(client):
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/")


@pytest.mark.parametrize(
    "who, empty_state",
    [
        ("agent", "你的主管发布下月排班后"),
        ("lead", "你的主管发布下月排班后"),
        ("supervisor", "至少提前 7 天发布"),
        ("manager", "各组的排班和月度考核"),
    ],
)
def test_home_shows_each_role_what_comes_next_in_chinese(client, people, who, empty_state):
    client.force_login(people[who])
    page = client.get("/").content.decode()
    assert f"你好，{people[who].profile.name}" in page
    assert empty_state in page


def test_home_in_english_after_switching_language(client, agent):
    client.force_login(agent)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Hello, 张伟" in page and "Log out" in page


def test_login_with_right_password_lands_home(client, agent):
    response = client.post("/accounts/login/", {"username": "agent", "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/")


def test_login_locked_after_five_failures_even_with_right_password(client, agent):
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "agent", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "agent", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_session(client, agent):
    client.force_login(agent)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_password_change_then_login_with_new_password(client, agent):
    client.force_login(agent)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-Secret-2026",
            "new_password2": "a-new-Secret-2026",
        },
    )
    assert (response.status_code, response["Location"]) == (302, "/accounts/password/done/")
    client.logout()
    # django-axes needs the request to throttle by address.
    assert client.login(request=HttpRequest(), username="agent", password="a-new-Secret-2026")


def test_password_change_mismatch_keeps_old_password(client, agent):
    client.force_login(agent)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-Secret-2026",
            "new_password2": "other-Secret-2026",
        },
    )
    assert response.status_code == 200
    agent.refresh_from_db()
    assert agent.check_password(PASSWORD)


def test_static_files_come_from_static_not_a_cdn(client, agent):
    client.force_login(agent)
    page = client.get("/").content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in page and "/static/vendor/htmx/htmx.min.js" in page
    assert "http://" not in page.replace("http://testserver", "") and "https://" not in page
