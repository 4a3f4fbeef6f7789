"""The manager's month table, one page of it, as the rows of HTML the month page shows.

A page of the table is 50 people × 14 cells; as template nodes those were most of the page's time (issue 14: the
page must stay within 3× of a bare render of the same rows), so the rows are put together here, every value
escaped as it goes in, every label translated once per page.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape  # the standard library's: Django's adds a lazy-string check to each of ~700 calls

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from appraisal.models import Band, ResponseKind, ScoreStatus
from appraisal.queries import TableRow
from appraisal.rules import METRICS

_ANY_ID = 987654321  # stands for the person's id in the link, which is the same for everyone but that number

# Controls other apps put beside a score's extra-reward flag (R-APP-5; people: grant a training opportunity),
# registered from their AppConfig.ready() so that appraisal imports none of them. Each is called once per page
# with (request, team, month, the page's scores) and returns {profile id: safe HTML}.
RewardControls = Callable[..., dict[int, str]]
reward_controls: list[RewardControls] = []


def register_reward_control(control: RewardControls) -> None:
    if control not in reward_controls:
        reward_controls.append(control)


def month_rows(scores, *, team, month, request=None) -> list[SafeString]:
    """The <tr> of each row of the table (appraisal.queries.TableRow)."""
    scores = list(scores)
    extras: dict[int, list[str]] = {}
    if request is not None:
        rewarded = [s for s in scores if s.reward_flag]
        for control in reward_controls if rewarded else ():
            for profile_id, html in control(request, team, month, rewarded).items():
                extras.setdefault(profile_id, []).append(html)
    labels = {value: str(label) for choices in (Band, ScoreStatus, ResponseKind) for value, label in choices.choices}
    link = reverse("appraisal:person", kwargs={"team": team.slug, "month": month, "appraisee": _ANY_ID})
    # gettext outside the f-strings: xgettext does not read inside them.
    title, excellent = _("Excellent agent of the month"), _("Excellent agent")
    still_open = pgettext("dispute state", "open")
    words = {
        "excellent": f'<span class="badge text-bg-warning" title="{escape(title)}">★ {escape(excellent)}</span>',
        "open": f' <span class="badge text-bg-danger">{escape(still_open)}</span>',
    }
    return [_row(score, labels, link, words, extras.get(score.profile_id, ())) for score in scores]


def _figure(value) -> str:
    return escape(str(value)) if value is not None else '<span class="text-muted">—</span>'


def _badge(band: str, labels: dict[str, str]) -> str:
    return f' <span class="badge band band-{escape(band)}">{escape(labels.get(band, ""))}</span>' if band else ""


def _row(score: TableRow, labels: dict[str, str], link: str, words: dict[str, str], extras) -> SafeString:
    username = escape(score.profile.username)
    status = (
        ""
        if score.status == ScoreStatus.RATED
        else f'<div class="small text-muted">{escape(labels.get(score.status, ""))}</div>'
    )
    figures = "".join(
        f"<td>{_figure(getattr(score, metric))}{_badge(getattr(score, f'{metric}_band'), labels)}</td>"
        for metric in METRICS
    )
    flags = [words["excellent"]] if score.is_excellent_agent else []
    if score.reward_flag:
        text = _("Extra reward (%(n)s excellent months)") % {"n": score.excellent_streak}
        flags.append(f'<span class="badge text-bg-success">{escape(text)}</span>')
        flags.extend(extras)  # already safe HTML, rendered by the app that registered the control
    if score.review_flag:
        text = _("Dismissal review (%(n)s failing months)") % {"n": score.failing_streak}
        flags.append(f'<span class="badge text-bg-danger">{escape(text)}</span>')
    if score.deduction:
        text = _("Bonus −%(pct)s%%") % {"pct": score.deduction}
        flags.append(f'<span class="badge text-bg-secondary">{escape(text)}</span>')
    response = escape(labels.get(score.response_kind, "")) + (words["open"] if score.open_dispute else "")
    person = escape(link.replace(str(_ANY_ID), str(score.profile_id)))
    rank = score.rank if score.rank is not None else "—"
    composite = escape(str(score.composite)) if score.composite is not None else "—"
    return mark_safe(  # every value in it was escaped above
        f'<tr data-testid="score-row" data-agent="{username}"><td>{rank}</td>'
        f'<td><a href="{person}" data-testid="person-{username}">{escape(score.profile.name)}</a>{status}</td>'
        f'{figures}<td class="fw-semibold">{composite}</td>'
        f"<td>{_badge(score.band, labels).lstrip()}</td>"
        f'<td class="small">{" ".join(flags)}</td><td class="small">{response}</td></tr>'
    )
