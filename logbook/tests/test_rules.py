from datetime import datetime, timedelta, timezone

import pytest

from logbook import rules
from logbook.rules import SignIn
from logbook.search import normalise, search_text, tsquery_text, vector_text

START = datetime(2026, 12, 5, 9, 0, tzinfo=timezone.utc)
END = START + timedelta(hours=9)


def after(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


def test_classify_sign_in_each_window():
    assert [rules.classify_sign_in(after(m), START, END) for m in (-31, -30, -15, -14, 0, 1, 9 * 60)] == [
        SignIn.TOO_EARLY,
        SignIn.EXPECTED,
        SignIn.EXPECTED,
        SignIn.BEFORE_START,
        SignIn.BEFORE_START,
        SignIn.LATE,
        SignIn.OVER,
    ]


def test_minutes_late_counts_whole_minutes_at_least_one():
    assert [rules.minutes_late(START + timedelta(seconds=s), START) for s in (-60, 0, 20, 60, 61 * 60 + 59)] == [
        0,
        0,
        1,
        1,
        61,
    ]


def test_is_absent_only_after_fifteen_minutes_and_while_shift_runs():
    assert [rules.is_absent(after(m), START, END, signed_in=False) for m in (10, 15, 16, 9 * 60)] == [
        False,
        False,
        True,
        False,
    ]
    assert rules.is_absent(after(30), START, END, signed_in=True) is False


def test_is_early_leave_before_end_only():
    assert (rules.is_early_leave(END - timedelta(minutes=1), END), rules.is_early_leave(END, END)) == (True, False)


def test_night_break_due_every_two_hours_on_night_shifts_only():
    assert [rules.night_break_due(after(m), START, is_night=True, breaks_taken=0) for m in (0, 119, 120)] == [
        False,
        False,
        True,
    ]
    assert rules.night_break_due(after(150), START, is_night=True, breaks_taken=1) is False
    assert rules.night_break_due(after(240), START, is_night=True, breaks_taken=1) is True
    assert rules.night_break_due(after(240), START, is_night=False, breaks_taken=0) is False


def test_sign_out_blocked_only_with_open_items_no_handover_not_last_shift():
    cases = [(0, False, False), (2, False, False), (2, True, False), (2, False, True)]
    assert [
        rules.sign_out_blocked_by_open_items(open_items=n, handover_signed=h, last_shift_of_day=last)
        for n, h, last in cases
    ] == [False, True, False, False]


def test_handover_locked_only_when_both_signed():
    assert [
        rules.handover_locked(outgoing_signed=o, incoming_signed=i)
        for o, i in ((False, False), (True, False), (True, True))
    ] == [False, False, True]


def test_promise_must_be_in_the_future():
    assert [rules.promise_is_valid(p, START) for p in (None, after(-1), START, after(1))] == [False, False, False, True]


def test_answered_on_time_at_or_before_promise():
    assert [rules.answered_on_time(START, a) for a in (None, after(-5), START, after(1))] == [False, True, True, False]


def test_mask_phone_id_and_short_values():
    assert [rules.mask(v) for v in ("13812345678", "110101199003078515", "DD202611230001", "A12345", "12", "")] == [
        "138****5678",
        "110***********8515",
        "DD2*******0001",
        "****45",
        "**",
        "",
    ]


def test_mask_text_masks_numbers_inside_text_only():
    assert rules.mask_text("客户13812345678来电，身份证11010119900307851X，订单DD2026") == (
        "客户138****5678来电，身份证110***********851X，订单DD2026"
    )
    assert rules.mask_text("座机 021-62345678 找王经理") == "座机 021*****5678 找王经理"


def test_may_reveal_customer_data_author_lead_supervisor_only():
    def sees(**flags):
        return rules.may_reveal_customer_data(
            **{
                "viewer_id": 1,
                "author_id": 2,
                "viewer_is_lead_of_team": False,
                "viewer_is_supervisor_of_team": False,
                **flags,
            }
        )

    assert [sees(), sees(author_id=1), sees(viewer_is_lead_of_team=True), sees(viewer_is_supervisor_of_team=True)] == [
        False,
        True,
        True,
        True,
    ]


def test_vector_text_has_a_pair_at_every_position_and_a_triple_from_ascii():
    assert (
        vector_text("订单号123", "VIP 退款")
        == "'12' '123' '23' '3' 'ip' 'p' 'vi' 'vip' '单号' '号1' '款' '订单' '退款'"
    )


def test_vector_text_and_search_text_normalise_full_width_and_case():
    assert vector_text("ＡＰＰ１２") == vector_text("app12") == "'12' '2' 'ap' 'app' 'p1' 'p12' 'pp' 'pp1'"
    assert search_text("订单１２３", "", "ＭｙＡｐｐ\n第二行") == "订单123\nmyapp\n第二行"


def test_tsquery_text_whole_ngrams_inside_runs_prefix_for_one_character():
    assert tsquery_text("物流延迟") == "'物流' & '流延' & '延迟'"
    assert tsquery_text("订单123") == "'订单' & '单1' & '123'"
    assert tsquery_text("订单88") == "'订单' & '单8' & '88'"
    assert tsquery_text("订单１２３") == tsquery_text("订单123")
    assert tsquery_text("3天") == "'3天'"
    assert tsquery_text("DD12") == "'dd1' & 'd12'"
    assert tsquery_text("退") == "'退':*"
    assert tsquery_text("app") == "'app'"
    assert tsquery_text("VIP 退款！") == "'vip' & '退款'"
    assert tsquery_text(" ,.!' ") == ""


def _filter_keeps(query: str, text: str) -> bool:
    """The candidate filter evaluated as PostgreSQL would on these lexemes (no database)."""
    lexemes = {part.strip("'") for part in vector_text(text).split()}
    for term in filter(None, tsquery_text(query).split(" & ")):
        if term.endswith(":*"):
            if not any(lexeme.startswith(term[1:-3]) for lexeme in lexemes):
                return False
        elif term.strip("'") not in lexemes:
            return False
    return True


@pytest.mark.parametrize(
    "query, text",
    [
        ("订单123", "客户订单123456催发货"),
        ("3天", "已经13天没有更新"),
        ("app", "在myapp里下单"),
        ("456", "订单DD123456"),
        ("DD12", "订单DD123456"),
        ("退", "办理退款"),
        ("订单１２３", "订单123"),
        ("款进", "退款进度"),
        ("p1", "app12"),
        ("订单88", "订单8812"),
        ("12天", "112天"),
        ("2", "app12"),
        ("款", "退款"),
        ("玻璃杯破损", "客户反映玻璃杯破损，要求上门取件"),
    ],
)
def test_candidate_filter_never_loses_an_entry_that_contains_the_query(query, text):
    # R-LOG-7: whatever the substring test would confirm, the index must offer first.
    assert normalise(query) in search_text(text)
    assert _filter_keeps(query, text)


@pytest.mark.parametrize(
    "query, text",
    [
        ("订单123", "订单号123456"),
        ("3天", "10天内退款，3个工作日到账"),
        ("订单１２３", "订单已取消"),
    ],
)
def test_candidate_filter_leaves_out_entries_that_only_hold_the_pieces(query, text):
    assert normalise(query) not in search_text(text)
    assert not _filter_keeps(query, text)


# --- R-ATT-1: the team's equipment checklist ------------------------------------------------------------------


def test_equipment_list_problem_accepts_distinct_named_items():
    assert rules.equipment_list_problem(["电脑", "电话", "耳机"]) is None


def test_equipment_list_problem_names_each_refusal():
    assert [
        rules.equipment_list_problem(names)
        for names in (
            ["电脑", " "],
            ["Headset", "headset "],
            ["x"] * 21,
            ["电脑", "长" * 61],
        )
    ] == [
        (rules.EquipmentProblem.EMPTY_NAME, ""),
        (rules.EquipmentProblem.DUPLICATE, "headset"),
        (rules.EquipmentProblem.TOO_MANY, ""),
        (rules.EquipmentProblem.NAME_TOO_LONG, "长" * 61),
    ]


def test_equipment_list_problem_allows_exactly_the_maximum():
    assert rules.equipment_list_problem([f"项目{n}" for n in range(rules.MAX_EQUIPMENT_ITEMS)]) is None


def test_every_personal_field_is_masked_by_default_and_whole_only_when_revealed():
    # R-PIPL-1: one rule by classification, whatever the viewer.
    values = {
        "customer_name": "欧阳娜娜",
        "customer_phone": "13812345678",
        "customer_ref": "DD202611230001",
        "content": "客户13912345678要求退款",
        "departments": "物流部",
    }
    assert {field: rules.shown(field, value) for field, value in values.items()} == {
        "customer_name": "欧***",
        "customer_phone": "138****5678",
        "customer_ref": "DD2*******0001",
        "content": "客户139****5678要求退款",
        "departments": "物流部",
    }
    assert {field: rules.shown(field, value, full=True) for field, value in values.items()} == values


def test_mask_name_keeps_the_first_character_only():
    assert [rules.mask_name(n) for n in ("张伟", "赵女士", "John Smith", "", "王")] == [
        "张*",
        "赵**",
        "J*** *****",
        "",
        "王",
    ]


def test_erased_empties_names_and_identifiers_and_erases_numbers_in_text_only():
    # R-PIPL-3: the rest of the text stays readable.
    values = {
        "customer_name": "赵女士",
        "customer_phone": "13812345678",
        "customer_ref": "DD1",
        "content": "客户13912345678要求退款，订单已取消",
        "outcome": "已退款",
    }
    assert rules.erased(values) == {
        "customer_name": "",
        "customer_phone": "",
        "customer_ref": "",
        "content": "客户***********要求退款，订单已取消",
        "outcome": "已退款",
    }
    assert rules.removed_fields(values) == ["customer_name", "customer_phone", "customer_ref", "content"]
    assert rules.removed_fields(rules.erased(values)) == []


def test_retention_cutoff_counts_days_back():
    from datetime import datetime, timezone

    now = datetime(2027, 3, 1, 3, 30, tzinfo=timezone.utc)
    assert rules.retention_cutoff(now, 180) == datetime(2026, 9, 2, 3, 30, tzinfo=timezone.utc)
