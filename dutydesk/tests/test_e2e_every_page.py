"""Issue #13, the checks that keep its findings away: every page of every role, in zh-hans, in Chromium.

Each page the access matrix knows (dutydesk/tests/test_access.py, with its sample arguments) is opened as each
role allowed to see it, and fails on:
- a visible element whose text has (almost) the colour of what is behind it (an invisible button, point 1);
- a Latin-letter word in the text a user can see or reveal (menus, options, placeholders, tooltips, confirmations),
  outside the allow-list below (point 4) — a word in an element marked with another language (the language
  switcher's "English") is that language's, not ours;
- a rule code such as R-LEAVE-1 anywhere a user can read it (point 5);
- more than one main-menu item highlighted (point 12).
"""

import re

import pytest
from django.contrib.auth.models import User

from dutydesk.models import Skill, Team
from dutydesk.permissions import ACTIONS, role_of
from dutydesk.tests.test_access import PUBLIC, _fill, app_urls, url_samples
from roster.models import ShiftType

pytestmark = pytest.mark.browser

# Words that stay Latin in a Chinese page: file formats and products known by these names, and keyboard keys.
ALLOWED_WORDS = {"Excel", "iCalendar", "CSV", "JSON", "VIP", "AB", "Ctrl", "Enter"}
# A token with a digit in it is a code (an order number DD20261107, a file encoding UTF-8), not a word.
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9@._+-]*")
RULE_CODE = re.compile(r"R-[A-Z]+-[0-9]")
# Pages that are files, not pages.
FILES = (".xlsx", ".ics")
# A few pages more than the bare URLs: what a user reaches by typing or choosing on them.
EXTRA_PAGES = {"lead": ["/logbook/{team}/search/?q=退款"], "supervisor": ["/logbook/{team}/search/?q=退款"]}

# Runs in the page: the problems of colour and menu it can see, and every text a user can read or reveal.
INSPECT = """() => {
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
  const ours = el => { const l = el.closest("[lang]"); return !l || l.lang.toLowerCase().startsWith("zh"); };
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
    assert [p for p in page.evaluate(INSPECT)["problems"] if "查看可调班同事" in p] != []


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
            result = page.evaluate(INSPECT)
            found += [(who, url, problem) for problem in result["problems"] + text_problems(result["text"], allowed)]
            visited += 1
    assert found == [], "\n".join(" ".join(problem) for problem in found)
    assert visited > 100
