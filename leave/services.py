"""Every write to leave and swap requests: one function per transition (R-LEAVE-1..4, R-SWAP-1..2, R-ROSTER-9).

Each transition goes through `_transition`, which locks the request row, checks the allowed-moves table of
leave.rules and the acting person's right, applies the transition's effect (a roster change goes through
roster.services.revise_published in the same transaction), writes a RequestEvent and queues the notices. Two
people acting at once are serialised on the request row: the second finds it moved and is told who was first.
A refused action raises RequestError (translated message) and changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk import events
from dutydesk.audit import rules as audit_refs
from dutydesk.audit.services import record
from dutydesk.models import Profile, Role
from dutydesk.months import month_start
from dutydesk.notifications.models import NoticeKind
from dutydesk.notifications.services import notify
from dutydesk.queries import leads_of, supervisors_of
from dutydesk.texts import Text
from leave import calls, kinds, rules, texts
from leave import permissions as perms
from leave.coverage import swap_refusal
from leave.models import (
    LEAVE_OPEN,
    SWAP_OPEN,
    EmergencyCall,
    LeaveRequest,
    LeaveShift,
    LeaveState,
    RequestEvent,
    SwapRequest,
    SwapState,
)
from roster import queries as roster_queries
from roster.models import DutyShift, VersionKind
from roster.services import Replacement, RosterError, revise_published


class RequestError(Exception):
    """A refused request action; the message is translated and fit to show the user as it is."""


def _words(shift: DutyShift) -> str:
    return f"{shift.date:%m-%d} {shift.shift_type.name}"


def _local(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%m-%d %H:%M}"


# --- the one way a request changes state ----------------------------------------------------------------------


def _transition(
    req: LeaveRequest | SwapRequest,
    to: str,
    *,
    actor: Profile,
    note: str = "",
    expected: tuple[str, ...],
    allowed,
    refusal: str,
    effect=None,
):
    """Move `req` (a leave or swap request) to `to`; returns the locked, saved row. Call inside a transaction.

    `expected`: the states this action is for (what the actor saw); `allowed(actor, row)`: the permission
    predicate; `effect(row)`: the transition's own work, run after the checks and before the state is saved.
    """
    model = type(req)
    moves = rules.LEAVE_MOVES if model is LeaveRequest else rules.SWAP_MOVES
    row = model.objects.select_for_update().get(pk=req.pk)
    if row.state not in expected:
        raise RequestError(_moved_message(row))
    if not rules.may_move(moves, row.state, to):
        labels = dict(model._meta.get_field("state").choices)
        raise RequestError(
            _("This request cannot go from “%(from)s” to “%(to)s”.")
            % {"from": row.get_state_display(), "to": labels[to]}
        )
    if not allowed(actor, row):
        raise RequestError(refusal)
    if effect is not None:
        effect(row)
    from_state = row.state
    row.state = to
    fields = ["state"]
    if to not in moves:  # a final state
        row.decided_at = timezone.now()
        fields.append("decided_at")
        if model is LeaveRequest:
            row.shifts.update(is_open=False)
    row.save(update_fields=fields)
    RequestEvent.objects.create(
        **{"leave" if model is LeaveRequest else "swap": row},
        actor=actor,
        from_state=from_state,
        to_state=to,
        note=note.strip(),
    )
    _audit(row, actor=actor, from_state=from_state, to=to, note=note)
    _emit_decision(row)
    req.state, req.decided_at = row.state, row.decided_at
    return row


def _emit_decision(row: LeaveRequest | SwapRequest) -> None:
    """The outgoing webhooks' events (issue 25 item 4), in the transaction of the move: a leave request decided
    for good (approved or rejected, R-LEAVE-2), a swap recorded by the team lead (R-SWAP-2). Ids and states only."""
    decided_at = row.decided_at.isoformat() if row.decided_at else None
    if isinstance(row, LeaveRequest) and row.state in (LeaveState.APPROVED, LeaveState.REJECTED):
        shifts = [
            {"duty_shift": duty_shift, "date": day.isoformat(), "substitute": substitute}
            for duty_shift, day, substitute in LeaveShift.objects.filter(leave=row)
            .order_by("duty_shift__date", "duty_shift_id")
            .values_list("duty_shift_id", "duty_shift__date", "substitute_id")
        ]
        data = {"leave": row.pk, "person": row.profile_id, "kind": row.kind, "state": row.state}
        events.emit(
            events.LEAVE_DECIDED, team_id=row.team_id, data={**data, "decided_at": decided_at, "shifts": shifts}
        )
    elif isinstance(row, SwapRequest) and row.state == SwapState.APPROVED:
        data = {"swap": row.pk, "person": row.profile_id, "colleague": row.colleague_id}
        shifts = {"give_shift": row.give_shift_id, "take_shift": row.take_shift_id}
        events.emit(events.SWAP_RECORDED, team_id=row.team_id, data={**data, **shifts, "recorded_at": decided_at})


def _audit(req: LeaveRequest | SwapRequest, *, actor: Profile, from_state: str, to: str, note: str) -> None:
    """The request's move in the audit trail, found in the history of each person and duty day it concerns."""
    if isinstance(req, LeaveRequest):
        action, people = "leave.state", [req.profile_id]
        days = LeaveShift.objects.filter(leave=req).values_list("duty_shift__date", flat=True)
    else:
        action, people = "swap.state", [req.profile_id, req.colleague_id]
        days = DutyShift.objects.filter(id__in=[req.give_shift_id, req.take_shift_id]).values_list("date", flat=True)
    record(
        action,
        actor=actor,
        target=req,
        before={"state": from_state} if from_state else None,
        after={"state": to},
        reason=note.strip(),
        refs=[*(audit_refs.person(p) for p in people), *(audit_refs.day(d) for d in sorted(set(days)))],
    )


def _moved_message(row) -> str:
    """What the second of two people acting at once (or a double click) is told: who was first, and when."""
    last = row.events.select_related("actor").order_by("-created_at", "-id").first()
    if last is not None and last.from_state:
        return _("Already decided by %(name)s at %(time)s (now: %(state)s); nothing was changed.") % {
            "name": last.actor.name,
            "time": _local(last.created_at),
            "state": row.get_state_display(),
        }
    return _("This request is “%(state)s”; nothing was changed.") % {"state": row.get_state_display()}


def _event(req: LeaveRequest | SwapRequest, *, actor: Profile, to: str, note: str) -> None:
    key = "leave" if isinstance(req, LeaveRequest) else "swap"
    RequestEvent.objects.create(**{key: req}, actor=actor, from_state="", to_state=to, note=note.strip())
    _audit(req, actor=actor, from_state="", to=to, note=note)


# --- leave: filing ---------------------------------------------------------------------------------------------


@transaction.atomic
def request_leave(
    *,
    profile: Profile,
    duty_shift_ids: list[int],
    kind: str,
    reason: str,
    proposed_substitute_id: int | None = None,
    now: datetime | None = None,
) -> LeaveRequest:
    """File a leave request for some of the requester's published shifts (R-LEAVE-1, R-LEAVE-3).

    Refused: no reason, a shift that is not the requester's in the published roster, a shift that started, less
    than the team's notice (unless the lead recorded an emergency call for it and its deadline has not passed), a
    shift already in an open leave or swap request, a substitute from outside the team. Side effects: the request
    waits for the team lead, who is notified; a recorded emergency call is linked to it.
    """
    now = now or timezone.now()
    if not kinds.is_available(kind):
        raise RequestError(_("Choose the type of leave."))
    if not reason.strip():
        raise RequestError(_("Give a reason for the leave."))
    ids = {int(i) for i in duty_shift_ids}
    if not ids:
        raise RequestError(_("Choose at least one of your shifts."))
    shifts = _own_shifts(profile, ids)
    notice_hours = roster_queries.settings_for(profile.team).leave_notice_hours
    calls = {
        c.duty_shift_id: c
        for c in EmergencyCall.objects.select_for_update().filter(
            profile=profile, duty_shift__in=shifts, leave__isnull=True
        )
    }
    for shift in shifts:
        if shift.id in calls:
            if rules.emergency_refusal(shift_start=shift.starts_at, now=now):  # R-LEAVE-3
                raise RequestError(
                    _(
                        "After an emergency call the written request for %(shift)s was due within an hour of the "
                        "start, by %(deadline)s; talk to your team lead."
                    )
                    % {"shift": _words(shift), "deadline": _local(rules.emergency_deadline(shift.starts_at))}
                )
            continue
        problem = rules.notice_refusal(shift_start=shift.starts_at, now=now, notice_hours=notice_hours)
        if problem == "started":
            raise RequestError(
                _("%(shift)s has already started; leave cannot be requested for it.") % {"shift": _words(shift)}
            )
        if problem == "short_notice":  # R-LEAVE-1; the emergency way is R-LEAVE-3
            raise RequestError(
                _(
                    "Leave for %(shift)s must be requested at least %(hours)s hours before it starts. "
                    "In an emergency, phone your team lead first."
                )
                % {"shift": _words(shift), "hours": notice_hours}
            )
    _refuse_open_requests(profile, shifts)
    _refuse_by_kind(kind, profile, shifts)
    substitute = None
    if proposed_substitute_id:
        substitute = (
            roster_queries.duty_staff(profile.team).exclude(pk=profile.pk).filter(pk=proposed_substitute_id).first()
        )
        if substitute is None:
            raise RequestError(_("The proposed substitute must be a colleague of your team."))
    leave = LeaveRequest.objects.create(
        team=profile.team,
        profile=profile,
        kind=kind,
        reason=reason.strip(),
        emergency=bool(calls),
        proposed_substitute=substitute,
        created_at=now,
    )
    try:
        with transaction.atomic():
            LeaveShift.objects.bulk_create(
                LeaveShift(leave=leave, duty_shift=shift, profile=profile) for shift in shifts
            )
    except IntegrityError as error:
        # Two tabs filing at once: the partial unique constraint lets one open request per shift through.
        raise RequestError(_("You already have an open request for one of these shifts; nothing was filed.")) from error
    EmergencyCall.objects.filter(pk__in=[c.pk for c in calls.values()]).update(leave=leave)
    _event(leave, actor=profile, to=LeaveState.AWAITING_LEAD, note=reason)
    notify(
        leads_of(leave.team).exclude(pk=profile.pk),
        kind=NoticeKind.REQUEST_WAITING,
        url=_url(leave),
        dedupe_key=f"leave:{leave.pk}:filed",
        subject=texts.LEAVE_WAITING(name=profile.name),
        body=", ".join(_words(s) for s in shifts),
    )
    return leave


def _own_shifts(profile: Profile, ids: set[int]) -> list[DutyShift]:
    shifts = list(roster_queries.shifts_by_id(ids))
    held = set(
        roster_queries.published_assignments()
        .filter(profile=profile, duty_shift_id__in=ids)
        .values_list("duty_shift_id", flat=True)
    )
    if len(shifts) != len(ids) or any(s.id not in held for s in shifts):
        # Someone else's shift, a forged id, or a shift the roster no longer gives this person.
        raise RequestError(_("You can only request leave for your own shifts in the published roster."))
    return shifts


def _refuse_open_requests(profile: Profile, shifts: list[DutyShift]) -> None:
    busy = (
        LeaveShift.objects.filter(profile=profile, duty_shift__in=shifts, is_open=True)
        .select_related("duty_shift__shift_type")
        .first()
    )
    if busy is not None:
        raise RequestError(
            _("%(shift)s is already in your open leave request #%(id)s; nothing was filed.")
            % {"shift": _words(busy.duty_shift), "id": busy.leave_id}
        )
    swap = SwapRequest.objects.filter(
        Q(profile=profile, give_shift__in=shifts) | Q(colleague=profile, take_shift__in=shifts),
        state__in=SWAP_OPEN,
    ).first()
    if swap is not None:
        raise RequestError(
            _("A shift you chose is in open swap request #%(id)s; withdraw or settle it first.") % {"id": swap.pk}
        )


@transaction.atomic
def record_emergency_call(
    *, actor: Profile, profile_id: int, duty_shift_id: int, called_at: datetime, said: str, now: datetime | None = None
) -> EmergencyCall:
    """R-LEAVE-3: the team lead records an agent's phone report for a shift.

    Refused: not a lead of the agent's team, a shift the agent does not hold, a call in the future, after the
    written-request deadline, or recorded twice. Side effects: the agent is told the deadline of the written
    request; the supervisors are told of the absence; the listeners of leave.calls run (the logbook
    withdraws an absence already marked for the shift); what they did is in `call.effects`.
    """
    now = now or timezone.now()
    if not said.strip():
        raise RequestError(_("Write down what was said on the phone."))
    profile = Profile.objects.filter(pk=profile_id, role__in=[Role.AGENT, Role.LEAD]).select_related("team").first()
    if profile is None or not perms.can_record_emergency_call(actor, profile.team_id, profile.pk):
        raise RequestError(_("Only a team lead (or supervisor) of the agent's team can record the call."))
    shift = _own_shifts(profile, {int(duty_shift_id)})[0]
    if called_at > now:
        raise RequestError(_("The time of the call cannot be in the future."))
    if rules.emergency_refusal(shift_start=shift.starts_at, now=now):
        raise RequestError(
            _("%(shift)s started more than an hour ago; it is too late for emergency leave.") % {"shift": _words(shift)}
        )
    try:
        with transaction.atomic():
            call = EmergencyCall.objects.create(
                team=profile.team,
                profile=profile,
                duty_shift=shift,
                recorded_by=actor,
                called_at=called_at,
                said=said.strip(),
                recorded_at=now,
            )
    except IntegrityError as error:
        raise RequestError(_("A call for this shift of this agent is already recorded.")) from error
    deadline = _local(rules.emergency_deadline(shift.starts_at))
    notify(
        [profile],
        kind=NoticeKind.REQUEST_WAITING,
        url=reverse("leave:leave-new"),
        dedupe_key=f"emergency:{call.pk}:agent",
        subject=texts.EMERGENCY_FILE_BY(shift=_words(shift), deadline=str(deadline)),
        body=texts.RECORDED_BY(lead=actor.name),
    )
    notify(
        supervisors_of(profile.team),
        kind=NoticeKind.REQUEST_WAITING,
        url=reverse("leave:requests-queue", kwargs={"team": profile.team.slug}),
        dedupe_key=f"emergency:{call.pk}:supervisors",
        subject=texts.EMERGENCY_REPORTED(name=profile.name, shift=_words(shift)),
        body=said.strip(),
    )
    # E.g. an absence the logbook marked before the call: emergency leave now (R-LEAVE-3, issue #27 point 7).
    call.effects = calls.call_recorded(call, actor=actor)
    return call


# --- leave: decisions ------------------------------------------------------------------------------------------


@transaction.atomic
def approve_leave_as_lead(leave: LeaveRequest, *, actor: Profile, note: str = "") -> LeaveRequest:
    """R-LEAVE-2 first level. Re-checks that the requester still holds the shifts. Notifies the supervisors."""
    _transition(
        leave,
        LeaveState.AWAITING_SUPERVISOR,
        actor=actor,
        note=note,
        expected=(LeaveState.AWAITING_LEAD,),
        allowed=perms.can_decide_leave_as_lead,
        refusal=_("Only a team lead of this team may approve at this step, and nobody approves their own request."),
        effect=_still_held,
    )
    notify(
        supervisors_of(leave.team),
        kind=NoticeKind.REQUEST_WAITING,
        url=_url(leave),
        dedupe_key=f"leave:{leave.pk}:lead-approved",
        subject=texts.LEAVE_WAITING_FINAL(name=leave.profile.name),
        body=note,
    )
    notify(
        [leave.profile],
        kind=NoticeKind.REQUEST_DECIDED,
        url=_url(leave),
        dedupe_key=f"leave:{leave.pk}:lead-ok",
        subject=texts.LEAVE_LEAD_OK(),
        body=note,
    )
    return leave


@transaction.atomic
def approve_leave_as_supervisor(
    leave: LeaveRequest, *, actor: Profile, substitutes: dict[int, int | None], note: str = ""
) -> LeaveRequest:
    """R-LEAVE-2 final approval; confirms the substitute of each shift (R-LEAVE-4).

    `substitutes` maps duty shift id -> substitute profile id (or None: the shift stays under-covered and shows so).
    The roster changes in this transaction (a new published version, R-ROSTER-9); refused with the reason and no
    change if a shift changed since the request or a substitute cannot take it now. Notifies the requester, the
    substitutes (and everyone whose shifts moved, through the publication), and the team leads.
    """

    def effect(row: LeaveRequest) -> None:
        _still_held(row)
        staff = set(roster_queries.duty_staff(row.team).exclude(pk=row.profile_id).values_list("pk", flat=True))
        rows = list(row.shifts.select_related("duty_shift__shift_type"))
        by_roster: dict = defaultdict(list)
        for leave_shift in rows:
            substitute = substitutes.get(leave_shift.duty_shift_id)
            substitute = int(substitute) if substitute else None
            if substitute is not None and substitute not in staff:
                raise RequestError(_("The substitute must be a colleague of this team."))
            leave_shift.substitute_id = substitute
            by_roster[month_start(leave_shift.duty_shift.date)].append(
                Replacement(leave_shift.duty_shift_id, row.profile_id, substitute)
            )
        shifts = [leave_shift.duty_shift for leave_shift in rows]
        _refuse_by_kind(row.kind, row.profile, shifts)
        for month, changes in sorted(by_roster.items()):
            roster = roster_queries.roster_for(row.team_id, month)
            if roster is None:
                raise RequestError(_("The roster of this shift no longer exists; nothing was changed."))
            reason = _("Leave of %(name)s (request #%(id)s) approved by %(by)s") % {
                "name": row.profile.name,
                "id": row.pk,
                "by": actor.name,
            }
            try:
                revise_published(roster, changes, actor=actor, kind=VersionKind.LEAVE, reason=reason)
            except RosterError as error:
                refused = _("Approval refused, nothing was changed: %(reason)s") % {"reason": error}
                raise RequestError(refused) from error
        LeaveShift.objects.bulk_update(rows, ["substitute"])
        kind_rules = kinds.rules_for(row.kind)
        if kind_rules is not None:
            # E.g. 调休 takes its hours from the balance, in this transaction: refused, the roster change goes too.
            try:
                kind_rules.on_approved(leave=row, duty_shifts=shifts, actor=actor)
            except kinds.LeaveKindRefused as error:
                raise RequestError(
                    _("Approval refused, nothing was changed: %(reason)s") % {"reason": error}
                ) from error
        leave._approved_shifts = rows

    _transition(
        leave,
        LeaveState.APPROVED,
        actor=actor,
        note=note,
        expected=(LeaveState.AWAITING_SUPERVISOR,),
        allowed=perms.can_decide_leave_as_supervisor,
        refusal=_("Only a supervisor who oversees this team may give the final approval."),
        effect=effect,
    )
    rows = leave._approved_shifts
    notify(
        [leave.profile],
        kind=NoticeKind.REQUEST_DECIDED,
        url=_url(leave),
        dedupe_key=f"leave:{leave.pk}:approved",
        subject=texts.LEAVE_APPROVED(),
        body=", ".join(_words(r.duty_shift) + (f" → {r.substitute.name}" if r.substitute_id else "") for r in rows),
    )
    for r in rows:
        if r.substitute_id:
            notify(
                [r.substitute],
                kind=NoticeKind.ROSTER_CHANGED,
                url=_url(leave),
                dedupe_key=f"leave:{leave.pk}:substitute:{r.duty_shift_id}",
                subject=texts.SUBSTITUTE_FOR(name=leave.profile.name, shift=_words(r.duty_shift)),
                body=note,
            )
    notify(
        leads_of(leave.team),
        kind=NoticeKind.REQUEST_DECIDED,
        url=_url(leave),
        dedupe_key=f"leave:{leave.pk}:approved:leads",
        subject=texts.LEAVE_APPROVED_LEADS(name=leave.profile.name),
        body=note,
    )
    return leave


@transaction.atomic
def reject_leave(leave: LeaveRequest, *, actor: Profile, reason: str) -> LeaveRequest:
    """R-LEAVE-2: the team lead (first step) or the supervisor (final step) rejects with a reason."""
    if not reason.strip():
        raise RequestError(_("Give the reason for the rejection."))
    at_step, allowed = perms.deciding_step(actor)
    _transition(
        leave,
        LeaveState.REJECTED,
        actor=actor,
        note=reason,
        expected=(at_step,),
        allowed=allowed,
        refusal=_("You may not decide this request."),
    )
    notify(
        [leave.profile],
        kind=NoticeKind.REQUEST_DECIDED,
        url=_url(leave),
        dedupe_key=f"leave:{leave.pk}:rejected",
        subject=texts.LEAVE_REJECTED(name=actor.name),
        body=reason.strip(),
    )
    return leave


def _refuse_by_kind(kind: str, profile: Profile, shifts: list[DutyShift]) -> None:
    """The rules of a kind registered by another app (leave.kinds), e.g. enough 调休 balance."""
    if not kinds.is_available(kind):
        raise RequestError(_("This type of leave cannot be taken now."))
    kind_rules = kinds.rules_for(kind)
    problem = kind_rules.refusal(profile=profile, duty_shifts=shifts) if kind_rules else None
    if problem:
        raise RequestError(problem)


def _still_held(row: LeaveRequest) -> None:
    """Approval re-checks the roster as it is now: each shift still the requester's in the version in force."""
    ids = list(row.shifts.values_list("duty_shift_id", flat=True))
    held = set(
        roster_queries.published_assignments()
        .filter(profile_id=row.profile_id, duty_shift_id__in=ids)
        .values_list("duty_shift_id", flat=True)
    )
    missing = [i for i in ids if i not in held]
    if missing:
        shift = roster_queries.shifts_by_id([missing[0]]).get()
        raise RequestError(
            _(
                "Approval refused, nothing was changed: %(shift)s is no longer %(name)s's shift; the "
                "roster changed since the request was made."
            )
            % {"shift": _words(shift), "name": row.profile.name}
        )


# --- withdrawing -----------------------------------------------------------------------------------------------


@transaction.atomic
def withdraw_request(req: LeaveRequest | SwapRequest, *, actor: Profile, note: str = ""):
    """The requester withdraws a leave or swap request until it is decided. Tells whoever was waiting on it."""
    is_leave = isinstance(req, LeaveRequest)
    _transition(
        req,
        LeaveState.WITHDRAWN if is_leave else SwapState.WITHDRAWN,
        actor=actor,
        note=note,
        expected=tuple(LEAVE_OPEN if is_leave else SWAP_OPEN),
        allowed=lambda who, row: who.pk == row.profile_id,
        refusal=_("Only the person who filed a request can withdraw it."),
    )
    if not is_leave and req.colleague_id:
        notify(
            [req.colleague],
            kind=NoticeKind.REQUEST_DECIDED,
            url=_url(req),
            dedupe_key=f"swap:{req.pk}:withdrawn",
            subject=texts.SWAP_WITHDRAWN(name=actor.name),
            body=note,
        )
    return req


# --- swaps -----------------------------------------------------------------------------------------------------


@transaction.atomic
def propose_swap(
    *,
    profile: Profile,
    give_shift_id: int,
    colleague_id: int,
    take_shift_id: int | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> SwapRequest:
    """R-SWAP-1: offer one of my shifts to a named colleague, taking one of theirs (or giving it away).

    Refused: a colleague outside the team or oneself, a shift not held by its giver, a started shift, two
    different months, an open request on either shift, or a result that breaks a hard roster rule (skills,
    qualification, R-ROSTER-3, R-ROSTER-8). Side effect: the colleague is asked to sign.
    """
    now = now or timezone.now()
    colleague = roster_queries.duty_staff(profile.team).filter(pk=colleague_id).first() if profile.team_id else None
    if colleague is None or colleague.pk == profile.pk:
        raise RequestError(_("Choose a colleague of your team to swap with (not yourself)."))
    give = _own_shifts(profile, {int(give_shift_id)})[0]
    take = None
    if take_shift_id:
        try:
            take = _own_shifts(colleague, {int(take_shift_id)})[0]
        except RequestError as error:
            raise RequestError(
                _("%(name)s does not hold that shift in the published roster.") % {"name": colleague.name}
            ) from error
    for shift in [give] + ([take] if take else []):
        if shift.starts_at <= now:
            raise RequestError(_("%(shift)s has already started; it cannot be swapped.") % {"shift": _words(shift)})
    if take is not None and month_start(take.date) != month_start(give.date):
        raise RequestError(_("Both shifts of a swap must be in the same month's roster."))
    _refuse_open_requests(profile, [give])
    if take is not None:
        _refuse_open_requests(colleague, [take])
    problem = swap_refusal(profile, colleague, give, take)
    if problem:
        # R-SWAP-1: the colleague must be able to take the shift under every roster rule.
        raise RequestError(_("This swap would break a roster rule: %(problem)s") % {"problem": problem})
    try:
        with transaction.atomic():
            swap = SwapRequest.objects.create(
                team=profile.team,
                profile=profile,
                colleague=colleague,
                give_shift=give,
                take_shift=take,
                reason=reason.strip(),
                created_at=now,
            )
    except IntegrityError as error:
        raise RequestError(_("You already have an open swap request for this shift.")) from error
    _event(swap, actor=profile, to=SwapState.AWAITING_COLLEAGUE, note=reason)
    notify(
        [colleague],
        kind=NoticeKind.REQUEST_WAITING,
        url=_url(swap),
        dedupe_key=f"swap:{swap.pk}:proposed",
        subject=texts.SWAP_PROPOSED(name=profile.name),
        body=_swap_words(swap),
    )
    return swap


@transaction.atomic
def accept_swap(swap: SwapRequest, *, actor: Profile, note: str = "") -> SwapRequest:
    """R-SWAP-2: the colleague signs. Re-checks the roster as it is now. The team leads are asked to record it."""

    def effect(row: SwapRequest) -> None:
        problem = swap_refusal(row.profile, row.colleague, row.give_shift, row.take_shift)
        if problem:
            raise RequestError(
                _("The swap is no longer possible, nothing was changed: %(problem)s") % {"problem": problem}
            )

    _transition(
        swap,
        SwapState.AWAITING_LEAD,
        actor=actor,
        note=note,
        expected=(SwapState.AWAITING_COLLEAGUE,),
        allowed=lambda who, row: who.pk == row.colleague_id,
        refusal=_("Only the named colleague can accept or decline this swap."),
        effect=effect,
    )
    notify(
        leads_of(swap.team).exclude(pk__in=[swap.profile_id, swap.colleague_id]),
        kind=NoticeKind.REQUEST_WAITING,
        url=_url(swap),
        dedupe_key=f"swap:{swap.pk}:accepted",
        subject=texts.SWAP_WAITING(a=swap.profile.name, b=swap.colleague.name),
        body=_swap_words(swap),
    )
    notify(
        [swap.profile],
        kind=NoticeKind.REQUEST_DECIDED,
        url=_url(swap),
        dedupe_key=f"swap:{swap.pk}:signed",
        subject=texts.SWAP_ACCEPTED(name=actor.name),
        body=note,
    )
    return swap


@transaction.atomic
def decline_swap(swap: SwapRequest, *, actor: Profile, reason: str = "") -> SwapRequest:
    _transition(
        swap,
        SwapState.DECLINED,
        actor=actor,
        note=reason,
        expected=(SwapState.AWAITING_COLLEAGUE,),
        allowed=lambda who, row: who.pk == row.colleague_id,
        refusal=_("Only the named colleague can accept or decline this swap."),
    )
    notify(
        [swap.profile],
        kind=NoticeKind.REQUEST_DECIDED,
        url=_url(swap),
        dedupe_key=f"swap:{swap.pk}:declined",
        subject=texts.SWAP_DECLINED(name=actor.name),
        body=reason.strip(),
    )
    return swap


@transaction.atomic
def record_swap(swap: SwapRequest, *, actor: Profile, note: str = "") -> SwapRequest:
    """R-SWAP-2: the team lead records the signed swap; the roster changes in this transaction (a new published
    version). Refused with the reason, nothing changed, if the roster no longer allows it. Notifies both people."""

    def effect(row: SwapRequest) -> None:
        give = row.give_shift
        take = row.take_shift
        held = {
            (a.duty_shift_id, a.profile_id): a.role
            for a in roster_queries.published_assignments().filter(
                duty_shift_id__in=[give.id] + ([take.id] if take else []),
                profile_id__in=[row.profile_id, row.colleague_id],
            )
        }
        # Both leave their shifts first, then each takes the other's place with the role it had, so a same-day
        # exchange is never two shifts at once for anyone.
        changes = [Replacement(give.id, row.profile_id, None)]
        if take is not None:
            changes.append(Replacement(take.id, row.colleague_id, None))
        changes.append(Replacement(give.id, None, row.colleague_id, held.get((give.id, row.profile_id))))
        if take is not None:
            changes.append(Replacement(take.id, None, row.profile_id, held.get((take.id, row.colleague_id))))
        roster = roster_queries.roster_for(row.team_id, give.date)
        reason = _("Swap of %(a)s and %(b)s (request #%(id)s) recorded by %(by)s") % {
            "a": row.profile.name,
            "b": row.colleague.name,
            "id": row.pk,
            "by": actor.name,
        }
        try:
            if roster is None:
                raise RosterError(_("This roster is not published yet."))
            revise_published(
                roster, changes, actor=actor, kind=VersionKind.SWAP, reason=reason, allow_under_headcount=False
            )
        except RosterError as error:
            raise RequestError(_("Recording refused, nothing was changed: %(reason)s") % {"reason": error}) from error

    _transition(
        swap,
        SwapState.APPROVED,
        actor=actor,
        note=note,
        expected=(SwapState.AWAITING_LEAD,),
        allowed=perms.can_record_swap,
        refusal=_("Only a team lead of this team who is not part of the swap may record it."),
        effect=effect,
    )
    notify(
        [swap.profile, swap.colleague],
        kind=NoticeKind.REQUEST_DECIDED,
        url=_url(swap),
        dedupe_key=f"swap:{swap.pk}:recorded",
        subject=texts.SWAP_RECORDED(name=actor.name),
        body=_swap_words(swap),
    )
    return swap


@transaction.atomic
def reject_swap(swap: SwapRequest, *, actor: Profile, reason: str) -> SwapRequest:
    if not reason.strip():
        raise RequestError(_("Give the reason for the rejection."))
    _transition(
        swap,
        SwapState.REJECTED,
        actor=actor,
        note=reason,
        expected=(SwapState.AWAITING_LEAD,),
        allowed=perms.can_record_swap,
        refusal=_("Only a team lead of this team who is not part of the swap may decide it."),
    )
    notify(
        [swap.profile, swap.colleague],
        kind=NoticeKind.REQUEST_DECIDED,
        url=_url(swap),
        dedupe_key=f"swap:{swap.pk}:rejected",
        subject=texts.SWAP_REJECTED(name=actor.name),
        body=reason.strip(),
    )
    return swap


# --- helpers ---------------------------------------------------------------------------------------------------


def _swap_words(swap: SwapRequest) -> Text:
    if swap.take_shift_id:
        return texts.SWAP_GIVE_TAKE(
            a=swap.profile.name, b=swap.colleague.name, give=_words(swap.give_shift), take=_words(swap.take_shift)
        )
    return texts.SWAP_GIVE(a=swap.profile.name, b=swap.colleague.name, give=_words(swap.give_shift))


def _url(req: LeaveRequest | SwapRequest) -> str:
    if isinstance(req, LeaveRequest):
        return reverse("leave:leave-detail", kwargs={"team": req.team.slug, "leave": req.pk})
    return reverse("leave:swap-detail", kwargs={"team": req.team.slug, "swap": req.pk})
