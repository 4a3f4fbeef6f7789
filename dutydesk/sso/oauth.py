"""allauth OAuth2 adapters, clients and views of the chat platforms (provider.py names them).

WeCom (企业微信), https://developer.work.weixin.qq.com/document/path/98151 (web login) and /91022 (in-app):
- on the login page: {login host}/wwlogin/sso/login?login_type=CorpApp&appid=CORPID&agentid=AGENTID&redirect_uri&
  state → the person scans the QR code with WeCom → our callback with ?code&state;
- inside WeCom (the workbench, a message's link, 免登): {open host}/connect/oauth2/authorize?appid=CORPID&
  redirect_uri&response_type=code&scope=snsapi_base&state&agentid#wechat_redirect, which WeCom answers at once;
- the code is no user token: the app's access token (platforms.Client, cached) and cgi-bin/auth/getuserinfo give the
  member's userid, cgi-bin/user/get their record.
DingTalk (钉钉): allauth's flow (login.dingtalk.com/oauth2/auth → v1.0/oauth2/userAccessToken → v1.0/contact/users/me),
then the company app's token and topapi/user/getbyunionid + topapi/v2/user/get for the corp user id and the employee
number; the corpId the token names must be the company's.
Feishu (飞书): allauth's flow (authen/v1/index → authen/v1/access_token → authen/v1/user_info), which already gives
user_id, mobile, email and employee_no.
"""

from functools import wraps

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.dingtalk.client import DingTalkOAuth2Client
from allauth.socialaccount.providers.dingtalk.views import DingTalkOAuth2Adapter as AllauthDingTalkAdapter
from allauth.socialaccount.providers.feishu.views import FeishuOAuth2Adapter as AllauthFeishuAdapter
from allauth.socialaccount.providers.oauth2.client import OAuth2Client, OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2Adapter, OAuth2CallbackView, OAuth2LoginView
from django.http import Http404
from django.utils.http import urlencode

from dutydesk.sso import platforms


class ProviderUnavailable(OAuth2Error):
    """The platform did not answer in time or answered with a server error (platforms.Unavailable)."""

    def __init__(self, message: str, *, slow: bool):
        super().__init__(message)
        self.slow = slow


def _as_oauth_error(error: platforms.PlatformError) -> OAuth2Error:
    if isinstance(error, platforms.Unavailable):
        return ProviderUnavailable(str(error), slow=error.slow)
    return OAuth2Error(str(error))


IN_APP = "in_app"  # a state flag: the sign-in started inside the chat app (免登), not on the login page


def _client(app) -> platforms.Client:
    """The company app's server client (credentials from the SocialApp the adapter built from our settings)."""
    return platforms.Client(
        platforms.Credentials(
            provider=app.provider,
            corp_id=app.settings.get("corp_id", ""),
            agent_id=app.key,
            app_key=app.client_id,
            secret=app.secret,
        )
    )


# --- WeCom -------------------------------------------------------------------------------------------------------


class WeComOAuth2Client(OAuth2Client):
    def __init__(self, *args, app, in_app: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.app = app
        self.in_app = in_app

    def get_redirect_url(self, authorization_url, scope, extra_params):
        corp_id = self.app.settings.get("corp_id", "")
        if self.in_app:
            params = {
                "appid": corp_id,
                "redirect_uri": self.callback_url,
                "response_type": "code",
                "scope": "snsapi_base",
                "state": self.state or "",
                "agentid": self.app.key,
            }
            return f"{platforms.host('wecom', 'open')}/connect/oauth2/authorize?{urlencode(params)}#wechat_redirect"
        params = {
            "login_type": "CorpApp",
            "appid": corp_id,
            "agentid": self.app.key,
            "redirect_uri": self.callback_url,
            "state": self.state or "",
        }
        return f"{platforms.host('wecom', 'login')}/wwlogin/sso/login?{urlencode(params)}"

    def get_access_token(self, code, pkce_code_verifier=None, extra_data=None):
        client = _client(self.app)
        try:
            member = client.wecom_user_of_code(code)
        except platforms.PlatformError as error:
            raise _as_oauth_error(error) from error
        finally:
            client.close()
        # Not a user token: WeCom signs the member in through the app's own token (cached by platforms.Client).
        return {"access_token": "wecom-app", "member": member}


class WeComOAuth2Adapter(OAuth2Adapter):
    provider_id = "wecom"
    access_token_url = ""  # the code goes to cgi-bin/auth/getuserinfo with the app's token (WeComOAuth2Client)

    @property
    def authorize_url(self):
        return f"{platforms.host('wecom', 'login')}/wwlogin/sso/login"

    def get_client(self, request, app):
        in_app = request.GET.get(IN_APP) == "1" or "wxwork" in request.headers.get("User-Agent", "").lower()
        return WeComOAuth2Client(
            request,
            app.client_id,
            app.secret,
            self.access_token_method,
            self.access_token_url,
            self.get_callback_url(request, app),
            app=app,
            in_app=in_app,
        )

    def complete_login(self, request, app, token, **kwargs):
        member = kwargs["response"]["member"]
        return self.get_provider().sociallogin_from_response(request, member)


# --- DingTalk ----------------------------------------------------------------------------------------------------


class DingTalkOAuth2Adapter(AllauthDingTalkAdapter):
    client_class = DingTalkOAuth2Client

    @property
    def access_token_url(self):
        return f"{platforms.host('dingtalk', 'api')}/v1.0/oauth2/userAccessToken"

    @property
    def authorize_url(self):
        return f"{platforms.host('dingtalk', 'login')}/oauth2/auth"

    @property
    def profile_url(self):
        return f"{platforms.host('dingtalk', 'api')}/v1.0/contact/users/me"

    def complete_login(self, request, app, token, **kwargs):
        corp_id = app.settings.get("corp_id", "")
        answered = (kwargs.get("response") or {}).get("corpId")
        if corp_id and answered and answered != corp_id:
            raise OAuth2Error("dingtalk: the person signed in to another organisation")
        headers = {"x-acs-dingtalk-access-token": token.token}
        with get_adapter().get_requests_session() as session:
            response = session.get(self.profile_url, headers=headers)
            response.raise_for_status()
            me = response.json()
        client = _client(app)
        try:
            userid = client.dingtalk_userid_of_unionid(me["unionId"])
            detail = client.user_detail(userid)
        except platforms.PlatformError as error:
            raise _as_oauth_error(error) from error
        except KeyError as error:
            raise OAuth2Error(f"dingtalk: the answer lacks {error}") from error
        finally:
            client.close()
        return self.get_provider().sociallogin_from_response(request, {**me, **detail, "userid": userid})


# --- Feishu ------------------------------------------------------------------------------------------------------


class FeishuOAuth2Adapter(AllauthFeishuAdapter):
    @property
    def authorize_url(self):
        return f"{platforms.host('feishu', 'open')}/open-apis/authen/v1/index"

    @property
    def access_token_url(self):
        return f"{platforms.host('feishu', 'open')}/open-apis/authen/v1/access_token"

    @property
    def user_info_url(self):
        return f"{platforms.host('feishu', 'open')}/open-apis/authen/v1/user_info"

    def get_client(self, request, app):
        client = super().get_client(request, app)
        client.access_token_url = self.access_token_url
        client.app_access_token_url = f"{platforms.host('feishu', 'open')}/open-apis/auth/v3/app_access_token/internal/"
        return client


def _view(view_class, adapter_class):
    """allauth's view; a provider that is not turned on has no sign-in address (404, as allauth's OpenID Connect)."""
    view = view_class.adapter_view(adapter_class)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except SocialApp.DoesNotExist:
            raise Http404 from None

    return wrapped


wecom_login = _view(OAuth2LoginView, WeComOAuth2Adapter)
wecom_callback = _view(OAuth2CallbackView, WeComOAuth2Adapter)
dingtalk_login = _view(OAuth2LoginView, DingTalkOAuth2Adapter)
dingtalk_callback = _view(OAuth2CallbackView, DingTalkOAuth2Adapter)
feishu_login = _view(OAuth2LoginView, FeishuOAuth2Adapter)
feishu_callback = _view(OAuth2CallbackView, FeishuOAuth2Adapter)
