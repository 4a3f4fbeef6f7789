"""The providers' sign-in addresses, under /accounts/sso/, named as allauth reverses them (<provider>_login,
<provider>_callback). The callback addresses are what each console is given (README)."""

from allauth.socialaccount import views as allauth_views
from django.urls import include, path

from dutydesk.sso import oauth, views

urlpatterns = [
    path("wecom/login/", oauth.wecom_login, name="wecom_login"),
    path("wecom/login/callback/", oauth.wecom_callback, name="wecom_callback"),
    path("dingtalk/login/", oauth.dingtalk_login, name="dingtalk_login"),
    path("dingtalk/login/callback/", oauth.dingtalk_callback, name="dingtalk_callback"),
    path("feishu/login/", oauth.feishu_login, name="feishu_login"),
    path("feishu/login/callback/", oauth.feishu_callback, name="feishu_callback"),
    path("login/cancelled/", allauth_views.login_cancelled, name="socialaccount_login_cancelled"),
    path("login/error/", allauth_views.login_error, name="socialaccount_login_error"),
    path("inactive/", views.inactive, name="account_inactive"),
    # OpenID Connect (allauth's): oidc/<provider id>/login/ and .../login/callback/ (SOCIALACCOUNT_OPENID_...).
    path("", include("allauth.socialaccount.providers.openid_connect.urls")),
]
