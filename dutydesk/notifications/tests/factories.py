"""Robots pointed at the local sink (duty shifts: testdata.make_shift)."""

from dutydesk.notifications.models import Platform, TeamNotificationSettings


def robot(team, sink, platform: str = Platform.WECOM, secret: str = "") -> TeamNotificationSettings:
    settings, _ = TeamNotificationSettings.objects.update_or_create(
        team=team,
        defaults={
            "webhook_platform": platform,
            "webhook_url": sink.url(platform),
            "webhook_secret": secret,
        },
    )
    return settings
