"""The working-time law's problems as a supervisor reads them (zh-hans): the article named in words, no rule code,
and a teammate told nothing of a protection period. No database."""

from datetime import date, time

from django.utils import translation

from roster import law
from roster.messages import describe, law_refusal, summarise
from roster.rules import check_roster
from roster.tests.test_law import PREGNANT, SAT, SUN, agent, month, put


def _zh(function, *args):
    with translation.override("zh-hans"):
        return function(*args)


def test_each_law_problem_names_its_article_in_words():
    weekends = [SAT, SUN, date(2026, 6, 13), date(2026, 6, 20), date(2026, 6, 27)]
    instance = month([agent(1), agent(2, protections=PREGNANT)], weekends)
    roster = [put(1, d) for d in weekends] + [put(2, SAT, "night")]
    problems = [v for v in check_roster(instance, roster) if v.code in law.CODES]  # in the grid's order

    said = _zh(summarise, problems, instance)

    assert said == [
        "06-06 夜班：客服2 处于保护期（怀孕7个月以上），不得安排夜班（《女职工劳动保护特别规定》第六条）",
        "06-07 白班：客服1 在 06-01–06-07 这一周没有休息日（《劳动法》第三十八条：每周至少休息一日）",
        "06-27 白班：客服1 本月休息日和节假日值班达 45 小时，超过《劳动法》第四十一条每月 36 小时",
    ]
    assert not any("R-LAW" in sentence for sentence in said)


def test_a_teammate_is_told_the_rules_keep_a_colleague_off_not_why():
    instance = month([agent(1), agent(2, protections=PREGNANT)], [SAT])
    refusal = law.claim_refusal(instance, [], 2, SAT, "night")

    assert _zh(law_refusal, refusal, instance) == "按工时规定，客服2 不能接这个班次。"
    assert "保护期" in _zh(describe, refusal, instance)  # the supervisor's grid says it whole


def test_a_month_the_law_makes_short_is_said_once_a_shift_naming_the_rule():
    from roster.instance import Shift
    from roster.tests.test_law import SAT2, SUN2

    two = (Shift("day", "白班", time(9), time(18), headcount=2),)
    weekends = [SAT, SUN, SAT2, SUN2]
    instance = month([agent(1), agent(2), agent(3, protections=PREGNANT)], weekends, shifts=two)
    # 1 and 2 work every Sunday: Saturday would take their week's last rest day, and 3 is protected.
    problems = check_roster(instance, [put(a, d) for a in (1, 2) for d in (SUN, SUN2)])

    said = _zh(summarise, problems, instance)

    assert said == [
        "白班（06-06、06-13） 需要 2 人，现有 0 人（缺 2 人）：工时法规使有空的客服不能排入（当周已无休息日：2 人；"
        "已达延长工时上限：0 人；处于保护期：1 人；已排其他班次或已达连续夜班上限：0 人）"
    ]
    # A teammate reading the published grid is told the same without the protection period.
    assert "保护期" not in _zh(summarise, law.without_protection(problems), instance)[0]


def test_a_sentence_about_a_colleague_ends_with_the_readers_full_stop():
    # Names and shift names are Chinese whatever the reader's language: the language decides the full stop.
    from roster.messages import sentence_without_name

    with translation.override("en"):
        assert sentence_without_name("张伟 holds 夜班 on 2026-12-05", "张伟") == "Holds 夜班 on 2026-12-05."
    with translation.override("zh-hans"):
        assert sentence_without_name("张伟已有夜班", "张伟") == "已有夜班。"
