"""The sign-in providers dutydesk adds to django-allauth's registry (it imports `<app>.provider` of every installed
app). OpenID Connect is allauth's own (allauth.socialaccount.providers.openid_connect).

- WeCom (企业微信): allauth has none (its `weixin` is consumer WeChat); written here in allauth's shape.
- DingTalk (钉钉) and Feishu (飞书): allauth's, with the company's directory added (the corp user id, employee
  number, mobile) and every address under dutydesk.sso.platforms.host (the tests' local servers stand in for them).
- The company directory (LDAP): django-auth-ldap signs people in (backends.DirectoryBackend); this provider only
  names their linked identities ("ldap"), so that every way a person signs in is one SocialAccount.
"""

from allauth.socialaccount.providers.base import Provider, ProviderAccount
from allauth.socialaccount.providers.dingtalk.provider import DingTalkProvider as AllauthDingTalkProvider
from allauth.socialaccount.providers.feishu.provider import FeishuProvider as AllauthFeishuProvider
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider

from dutydesk.sso import oauth


class NamedAccount(ProviderAccount):
    def to_str(self):
        return self.account.extra_data.get("name") or self.account.uid


class WeComProvider(OAuth2Provider):
    id = "wecom"
    name = "企业微信"
    account_class = NamedAccount
    oauth2_adapter_class = oauth.WeComOAuth2Adapter

    def extract_uid(self, data):
        return str(data["userid"])

    def extract_common_fields(self, data):
        return {"name": data.get("name", "")}

    def get_default_scope(self):
        return ["snsapi_base"]


class DingTalkProvider(AllauthDingTalkProvider):
    name = "钉钉"
    account_class = NamedAccount
    oauth2_adapter_class = oauth.DingTalkOAuth2Adapter

    def extract_uid(self, data):
        # The company's user id (what work notices are addressed to), not the app-specific openId.
        return str(data["userid"])

    def get_auth_params(self):
        # DingTalk asks for prompt=consent on its authorise page (and signs in at once inside the DingTalk app).
        return {"prompt": "consent", **super().get_auth_params()}


class FeishuProvider(AllauthFeishuProvider):
    name = "飞书"
    account_class = NamedAccount
    oauth2_adapter_class = oauth.FeishuOAuth2Adapter

    def extract_uid(self, data):
        # user_id is the company's id for the person (messages are addressed to it); open_id is per app.
        return str(data.get("user_id") or data["open_id"])


class DirectoryProvider(Provider):
    id = "ldap"
    name = "LDAP"
    uses_apps = False
    account_class = NamedAccount


provider_classes = [WeComProvider, DingTalkProvider, FeishuProvider, DirectoryProvider]
