"""Issue #13, the checks that keep its findings away: every page of every role, in zh-hans, in Chromium.

Each page the access matrix knows (dutydesk/tests/test_access.py, with its sample arguments) is opened as each
role allowed to see it, and fails on:
- a visible element whose text has (almost) the colour of what is behind it (an invisible button, point 1);
- a Latin-letter word in the text a user can see or reveal (menus, options, placeholders, tooltips, confirmations),
  outside the allow-list below (point 4) — a word in an element marked with another language (the language
  switcher's "English") is that language's, not ours;
- a rule code such as R-LEAVE-1 anywhere a user can read it (point 5);
- more than one main-menu item highlighted (point 12).
The same pages are opened in English too (issue #27 point 3), and fail on Chinese text that is not data: what
people wrote and named (people, teams, shifts, skills, entries ...) is data and stays as written; anything else in
Chinese is system text left untranslated, or stored as a sentence instead of a message key (dutydesk.texts).
"""

import re
from datetime import date

import pytest
from django.contrib.auth.models import User

from dutydesk.models import Skill, Team
from dutydesk.permissions import ACTIONS, role_of
from dutydesk.tests.test_access import PUBLIC, _fill, app_urls, url_samples
from logbook.models import Entry
from logbook.rules import mask_text, shown
from roster.models import ShiftType

pytestmark = pytest.mark.browser

# Words that stay Latin in a Chinese page: file formats and products known by these names, and keyboard keys.
ALLOWED_WORDS = {"Excel", "iCalendar", "CSV", "JSON", "VIP", "AB", "Ctrl", "Enter"}
# Sign-in (issue 23): protocols known by these names, and the field names of the WeCom / DingTalk / Feishu consoles
# a manager copies values from (企业ID, AgentId, Secret ...).
ALLOWED_WORDS |= {"OpenID", "Connect", "LDAP", "ID", "AgentId", "Secret", "AppKey", "AppSecret", "App", "Client", "DN"}
# A token with a digit in it is a code (an order number DD20261107, a file encoding UTF-8), not a word.
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9@._+-]*")
RULE_CODE = re.compile(r"R-[A-Z]+-[0-9]")
# Pages that are files, not pages.
FILES = (".xlsx", ".ics")
# A few pages more than the bare URLs: what a user reaches by typing or choosing on them.
EXTRA_PAGES = {"lead": ["/logbook/{team}/search/?q=退款"], "supervisor": ["/logbook/{team}/search/?q=退款"]}

# Runs in the page: the problems of colour and menu it can see, and every text a user can read or reveal.
INSPECT = """(language = "zh") => {
  const problems = [];
  const rgba = value => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const behind = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c.a >= 0.5) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const luminance = c => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const shown = el => {
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return false;
    const box = el.getBoundingClientRect();
    return box.width > 1 && box.height > 1;
  };
  const ours = el => { const l = el.closest("[lang]"); return !l || l.lang.toLowerCase().startsWith(language); };
  const texts = [document.title];
  for (const el of document.body.querySelectorAll("*")) {
    if (["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"].includes(el.tagName) || !ours(el)) continue;
    const own = [...el.childNodes].filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.textContent).join(" ")
      + (el.matches("input[type=submit], input[type=button]") ? " " + el.value : "");
    if (own.trim()) {
      texts.push(own);
      if (shown(el)) {
        const fg = rgba(getComputedStyle(el).color), bg = behind(el);
        if (fg && fg.a > 0 && contrast(fg, bg) < 1.5)
          problems.push(`invisible text "${own.trim().slice(0, 40)}": ${getComputedStyle(el).color} on rgb(${bg.r}, ${bg.g}, ${bg.b})`);
      }
    }
    for (const name of ["placeholder", "title", "aria-label", "alt", "data-confirm"])
      if (el.getAttribute(name)) texts.push(el.getAttribute(name));
  }
  // Issue #27 point 8: a mark (a visible element whose text is only a symbol: "!", "✓", "★", "▲") is explained
  // by a tooltip (title) on it or its parent, or by the page's legend (data-testid "...legend") showing it. A label
  // for screen readers alone (aria-label) names the control; a sighted reader still does not know the mark.
  const legends = [...document.querySelectorAll('[data-testid$="legend"]')];
  const explained = el => {
    for (const e of [el, el.parentElement]) if (e && e.getAttribute("title")) return true;
    const mark = el.textContent.trim();
    return legends.some(l => l.contains(el) || [...l.querySelectorAll("*")].some(e => e.textContent.trim() === mark));
  };
  for (const el of document.body.querySelectorAll("*")) {
    if (["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "OPTION"].includes(el.tagName) || el.children.length) continue;
    const mark = el.textContent.trim();
    // Dashes and ellipses mean "nothing" / "more" in any language; a separator sits between words.
    if (!/^[^\\p{L}\\p{N}\\s]{1,3}$/u.test(mark) || /^[—–\\-…·|/:()]+$/u.test(mark)) continue;
    if (shown(el) && !explained(el)) problems.push(`mark "${mark}" without a legend or tooltip`);
  }
  const active = document.querySelectorAll("#main-nav .navbar-nav.me-auto .nav-link.active");
  if (active.length > 1)
    problems.push("menu items highlighted at once: " + [...active].map(a => a.textContent.trim()).join(", "));
  return {problems, text: texts.join("\\n")};
}"""


URL = re.compile(r"https?://\S+")


def text_problems(text: str, allowed: set[str]) -> list[str]:
    problems = [f"rule code {code!r}" for code in RULE_CODE.findall(text)]
    for token in TOKEN.findall(URL.sub(" ", text)):  # an address is a code, whatever its letters
        if token in allowed or "@" in token:
            continue
        if any(c.isdigit() for c in token):
            # A code (DD20261107, UTF-8) has no lower-case letters; "v2" or "10min" are words with a number.
            if any(c.islower() for c in token):
                problems.append(f"Latin word {token!r}")
            continue
        if any(word not in allowed for word in re.findall(r"[A-Za-z]{2,}", token)):
            problems.append(f"Latin word {token!r}")
    return problems


def test_text_problems_finds_english_words_and_rule_codes_but_not_codes_or_allowed_names():
    assert text_problems("记录已保存 (reply by 11-29 15:30)", set()) == ["Latin word 'reply'", "Latin word 'by'"]
    assert text_problems("R-LEAVE-1：至少提前 24 小时", set()) == ["rule code 'R-LEAVE-1'"]
    assert text_problems("已计算 · v2", set()) == ["Latin word 'v2'"]
    assert (
        text_problems(
            "导出 Excel · 订单 DD20261107 · UTF-8 · agent01@example.com · AB角 · https://oapi.dingtalk.com/robot",
            {"Excel", "AB"},
        )
        == []
    )


def test_e2e_inspection_sees_blue_text_on_a_blue_button(page, login, agent):
    # Issue #13 point 1 as it was: crispy's btn-primary and an extra btn-outline-primary on one button.
    login(agent)
    page.evaluate("""() => {
      const button = document.createElement("button");
      button.className = "btn btn-primary btn-outline-primary";
      button.textContent = "查看可调班同事";
      document.querySelector("main").append(button);
    }""")
    assert [p for p in page.evaluate(INSPECT, "zh")["problems"] if "查看可调班同事" in p] != []


def test_e2e_inspection_finds_a_mark_nobody_explains(page, login, agent):
    # Issue #27 point 8 as it was: a "!" after a name, no legend on the page and no tooltip.
    login(agent)
    page.evaluate("""() => {
      const main = document.querySelector("main");
      main.insertAdjacentHTML("beforeend", '<p>张伟 <span class="badge">!</span> 李娜 <span title="已确认">✓</span></p>');
    }""")
    marks = [p for p in page.evaluate(INSPECT, "zh")["problems"] if p.startswith("mark")]
    assert marks == ['mark "!" without a legend or tooltip']
    page.evaluate("""() => document.querySelector("main").insertAdjacentHTML(
      "beforeend", '<p data-testid="marks-legend"><span>!</span> 有班次无考勤记录</p>')""")
    assert [p for p in page.evaluate(INSPECT, "zh")["problems"] if p.startswith("mark")] == []


def _pages(samples, user):
    for name, route, view in app_urls():
        if name in PUBLIC or "GET" not in view.access_methods or route.endswith(FILES):
            continue
        if role_of(user) in ACTIONS[view.access_action]:
            yield _fill(route, samples)


def test_e2e_every_page_of_every_role_is_readable_chinese(page, login, people, team):
    samples = url_samples(team, people)
    # Codes people typed may appear as they are: usernames, the keys of shifts and skills, team addresses.
    allowed = (
        ALLOWED_WORDS
        | set(User.objects.values_list("username", flat=True))
        | set(ShiftType.objects.values_list("key", flat=True))
        | set(Skill.objects.values_list("code", flat=True))
        | set(Team.objects.values_list("slug", flat=True))
    )
    found, visited = [], 0
    for who in ("agent", "lead", "supervisor", "manager"):
        page.context.clear_cookies()
        login(people[who])
        urls = list(_pages(samples, people[who])) + [u.format(team=team.slug) for u in EXTRA_PAGES.get(who, [])]
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, (who, url, response.status)
            result = page.evaluate(INSPECT, "zh")
            found += [(who, url, problem) for problem in result["problems"] + text_problems(result["text"], allowed)]
            visited += 1
    assert found == [], "\n".join(" ".join(problem) for problem in found)
    assert visited > 100


CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
# Columns that keep a stored text's site-language copy beside its message key (dutydesk.texts): not data.
FALLBACK_COLUMNS = {
    ("notifications", "notification", "subject"),
    ("notifications", "notification", "body"),
    ("notifications", "outbox", "subject"),  # what e-mail and the team chat were sent: system text, rendered
    ("notifications", "outbox", "body"),
    ("logbook", "disciplinerecord", "note"),
    ("people", "personevent", "note"),
}


# Names known in both languages and shown beside their English on purpose (the chat platforms, 调休), and the
# State Council notice's title given as the example of what to type: the notice exists only in Chinese.
CHINESE_TERMS = ["企业微信", "钉钉", "飞书", "调休上班", "调休", "国务院办公厅关于2027年部分节假日安排的通知"]
# The working-time systems by the law's names beside their English (R-LAW-1: what the labour bureau approved), and
# the chat consoles' field names a manager looks for there (工作台 应用主页, 免登), which exist only in Chinese.
CHINESE_TERMS += ["标准工时", "综合计算工时", "不定时", "工作台", "应用主页", "免登"]


def data_strings() -> list[str]:
    """Every text people wrote or named in the test database (our apps' char and text columns), longest first."""
    from django.apps import apps
    from django.db import models

    found = set()
    for model in apps.get_models():
        if model._meta.app_label in {"auth", "contenttypes", "sessions", "admin", "axes", "django_celery_beat"}:
            continue
        names = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.CharField | models.TextField)
            and not f.choices
            and (model._meta.app_label, model._meta.model_name, f.name) not in FALLBACK_COLUMNS
        ]
        for name in names:
            found |= {v for v in model.objects.values_list(name, flat=True).distinct()[:2000] if v and CJK.search(v)}
    # The holiday calendar's day names (春节, 国庆节调休上班): named by the State Council's notice, or by the package's
    # estimate for a year nobody stored, so data either way (R-CAL-1).
    from workcalendar.queries import years

    this_year = date.today().year
    found |= {day.name for year in years(range(this_year - 2, this_year + 3)).values() for day in year.days.values()}
    found.discard("")
    # As pages show it to those who see customer data masked (R-LOG-4): still data.
    found |= {mask_text(value) for value in found} | set(CHINESE_TERMS)
    # A customer's name as every page shows it by default (R-PIPL-1: 赵女士 → 赵**): still data.
    found |= {shown("customer_name", name) for name in Entry.objects.values_list("customer_name", flat=True) if name}
    return sorted(found, key=len, reverse=True)


def chinese_problems(text: str, data: list[str]) -> list[str]:
    for value in data:
        text = text.replace(value, " ")
    return [f"Chinese text {run!r}" for run in dict.fromkeys(CJK.findall(text)) if run.strip("\u3000 ")]


def test_chinese_problems_leave_data_alone_and_find_system_text():
    assert chinese_problems("Roster of 华东客服组 · 张伟", ["华东客服组", "张伟"]) == []
    assert chinese_problems("Absence from post: 班次开始后仍未签到", ["张伟"]) == ["Chinese text '班次开始后仍未签到'"]


def _stored_texts(people, team) -> None:
    """What the system writes for people to read later, as the issue found it in Chinese: a bell notice of every
    role and an absence reason the absence job wrote (they must read in English on the English pages)."""
    from django.utils import timezone

    from dutydesk.notifications.models import NoticeKind
    from dutydesk.notifications.services import notify
    from dutydesk.texts import stored
    from logbook import texts as logbook_texts
    from logbook.models import DisciplineKind, DisciplineRecord
    from roster import texts as roster_texts

    notify(
        [people[who].profile for who in ("agent", "lead", "supervisor", "manager")],
        kind=NoticeKind.ROSTER_PUBLISHED,
        subject=roster_texts.PUBLISHED(team=team.name, month="2027-01"),
        body=roster_texts.PUBLISHED_BODY(),
        dedupe_key="every-page:published",
    )
    note, note_text = stored(logbook_texts.ABSENCE_NOTE())
    DisciplineRecord.objects.create(
        profile=people["agent"].profile,
        kind=DisciplineKind.ABSENCE,
        date=timezone.localdate(),
        note=note,
        note_text=note_text,
    )


def test_e2e_every_page_of_every_role_in_english_has_no_chinese_system_text(page, login, people, team):
    samples = url_samples(team, people)
    _stored_texts(people, team)
    data = data_strings()
    found, visited = [], 0
    for who in ("agent", "lead", "supervisor", "manager"):
        page.context.clear_cookies()
        login(people[who])
        page.get_by_test_id("language-switcher").get_by_role("button", name="English").click()
        urls = list(_pages(samples, people[who])) + [u.format(team=team.slug) for u in EXTRA_PAGES.get(who, [])]
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, (who, url, response.status)
            result = page.evaluate(INSPECT, "en")
            found += [(who, url, problem) for problem in chinese_problems(result["text"], data)]
            visited += 1
    assert found == [], "\n".join(" ".join(problem) for problem in found)
    assert visited > 100
