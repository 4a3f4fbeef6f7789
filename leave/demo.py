"""Demo leave and swaps on the demo rosters: approved leaves with substitutes, one waiting at each level, a rejected
one, an emergency call whose written request is overdue, a recorded swap and a withdrawn request.

Idempotent: each case is keyed on its (unique) reason text and skipped when it exists. Everything goes through
leave.services, so the history rows, notices and roster versions are the real ones.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from dutydesk.models import Qualification, Role, Team
from dutydesk.queries import leads_of, supervisors_of
from leave import coverage, queries, services
from leave.models import EmergencyCall, LeaveRequest, LeaveShift, LeaveType, SwapRequest
from roster import queries as roster_queries
from roster.models import Assignment, AssignmentRole


def load(*, today: date) -> None:
    now = datetime.combine(today, time(8), tzinfo=timezone.get_default_timezone())
    for slug in ("team-east", "team-south"):
        team = Team.objects.filter(slug=slug).first()
        if team is None:
            continue
        lead = leads_of(team).order_by("user__username").first()
        supervisor = supervisors_of(team).order_by("user__username").first()
        if lead is None or supervisor is None:
            continue
        cases = _Cases(team, lead, supervisor, now)
        cases.approved("家中老人生病住院，需要陪护", kind=LeaveType.PERSONAL)
        cases.approved("提前约好的牙科手术", kind=LeaveType.SICK, substitute=False)
        cases.waiting_for_lead("孩子学校家长会")
        cases.waiting_for_supervisor("参加朋友婚礼，已和同事沟通可替班")
        cases.rejected("想多休息一天", reason="当天为大促预热，人手紧张，请调整到下周")
        cases.withdrawn("原定出行计划取消")
        cases.swap("周六要带孩子看病，和同事换班")
        cases.overdue_call("突发急性肠胃炎，正在医院，无法到岗")


class _Cases:
    def __init__(self, team, lead, supervisor, now: datetime):
        self.team, self.lead, self.supervisor, self.now = team, lead, supervisor, now
        self.used: set[tuple[int, int]] = set()
        # Each person in one case only (substitutes included), and cases spread over the coming shifts; seeded
        # with what an earlier run made, so a second run picks no new slot for a case it could not place before.
        self.people: set[int] = set()
        self.per_shift: dict[int, int] = {}
        for profile_id, shift_id, substitute_id in LeaveShift.objects.filter(leave__team=team).values_list(
            "profile_id", "duty_shift_id", "substitute_id"
        ):
            self.people |= {profile_id, substitute_id}
            self.per_shift[shift_id] = self.per_shift.get(shift_id, 0) + 1
        for pair in SwapRequest.objects.filter(team=team).values_list("profile_id", "colleague_id"):
            self.people |= set(pair)
        self.people |= set(EmergencyCall.objects.filter(team=team).values_list("profile_id", flat=True))

    # --- picking a shift and its holder ---

    def _slots(self, *, future: bool = True):
        """(assignment) of qualified agents in published rosters: future ones at least 2 days ahead, in order."""
        rows = roster_queries.published_assignments().filter(
            duty_shift__team=self.team,
            profile__role=Role.AGENT,
            profile__qualification=Qualification.QUALIFIED,
            role=AssignmentRole.MEMBER,
        )
        if future:
            rows = rows.filter(duty_shift__starts_at__gte=self.now + timedelta(days=2)).order_by(
                "duty_shift__starts_at", "profile__user__username"
            )
        else:
            rows = rows.filter(duty_shift__starts_at__lt=self.now - timedelta(hours=2)).order_by(
                "-duty_shift__starts_at", "profile__user__username"
            )
        return rows

    def _free_slot(self, *, future: bool = True) -> Assignment | None:
        for a in self._slots(future=future)[:200]:
            key = (a.profile_id, a.duty_shift_id)
            busy = LeaveShift.objects.filter(profile=a.profile, duty_shift=a.duty_shift, is_open=True).exists()
            if key in self.used or busy or a.profile_id in self.people or self.per_shift.get(a.duty_shift_id, 0) >= 2:
                continue
            self.used.add(key)
            self.people.add(a.profile_id)
            self.per_shift[a.duty_shift_id] = self.per_shift.get(a.duty_shift_id, 0) + 1
            return a
        return None

    def _file(self, reason: str, kind: str = LeaveType.PERSONAL) -> LeaveRequest | None:
        slot = self._free_slot()
        if slot is None:
            return None
        return services.request_leave(
            profile=slot.profile, duty_shift_ids=[slot.duty_shift_id], kind=kind, reason=reason, now=self.now
        )

    def _exists(self, reason: str) -> bool:
        return (
            LeaveRequest.objects.filter(team=self.team, reason=reason).exists()
            or SwapRequest.objects.filter(team=self.team, reason=reason).exists()
            or EmergencyCall.objects.filter(team=self.team, said=reason).exists()
        )

    # --- the cases ---

    def approved(self, reason: str, *, kind: str, substitute: bool = True) -> None:
        if self._exists(reason):
            return
        leave = self._file(reason, kind)
        if leave is None:
            return
        services.approve_leave_as_lead(leave, actor=self.lead, note="同意，请做好交接")
        item = coverage.leave_items([queries.leave_requests().get(pk=leave.pk)])[0]
        subs = {}
        for row in item.shifts:
            pick = (
                next((s.agent_id for s in row.suggestions if s.agent_id not in self.people), None)
                if substitute
                else None
            )
            subs[row.shift.pk] = pick
            self.people.add(pick)
        services.approve_leave_as_supervisor(
            leave, actor=self.supervisor, substitutes=subs, note="已安排替班" if substitute else "暂无替班，缺员待补"
        )

    def waiting_for_lead(self, reason: str) -> None:
        if not self._exists(reason):
            self._file(reason, LeaveType.PERSONAL)

    def waiting_for_supervisor(self, reason: str) -> None:
        if self._exists(reason):
            return
        leave = self._file(reason, LeaveType.ANNUAL)
        if leave is not None:
            services.approve_leave_as_lead(leave, actor=self.lead, note="同意")

    def rejected(self, text: str, *, reason: str) -> None:
        if self._exists(text):
            return
        leave = self._file(text, LeaveType.PERSONAL)
        if leave is not None:
            services.reject_leave(leave, actor=self.lead, reason=reason)

    def withdrawn(self, reason: str) -> None:
        if self._exists(reason):
            return
        leave = self._file(reason, LeaveType.ANNUAL)
        if leave is not None:
            services.withdraw_request(leave, actor=leave.profile, note="不需要请假了")

    def swap(self, reason: str) -> None:
        if self._exists(reason):
            return
        for _ in range(10):
            slot = self._free_slot()
            if slot is None:
                return
            give = slot.duty_shift
            options = coverage.swap_options(slot.profile, give, now=self.now)
            # R-SWAP-2: the lead records the swap, so the lead is never a party to it.
            exchange = next(
                (
                    o
                    for o in options.offered
                    if o.take is not None and o.colleague.pk not in self.people and o.colleague.pk != self.lead.pk
                ),
                None,
            )
            if exchange is None or slot.profile_id == self.lead.pk:
                continue
            swap = services.propose_swap(
                profile=slot.profile,
                give_shift_id=give.pk,
                colleague_id=exchange.colleague.pk,
                take_shift_id=exchange.take.pk,
                reason=reason,
                now=self.now,
            )
            self.people.add(exchange.colleague.pk)
            services.accept_swap(swap, actor=exchange.colleague, note="没问题")
            services.record_swap(swap, actor=self.lead, note="双方已确认，已登记")
            return

    def overdue_call(self, said: str) -> None:
        if self._exists(said):
            return
        slot = self._free_slot(future=False)
        if slot is None:
            return
        starts = slot.duty_shift.starts_at
        services.record_emergency_call(
            actor=self.lead,
            profile_id=slot.profile_id,
            duty_shift_id=slot.duty_shift_id,
            called_at=starts - timedelta(minutes=45),
            said=said,
            now=starts - timedelta(minutes=40),
        )
