"""What leave and swaps tell people, as message keys (dutydesk.texts): rendered in the reader's language."""

from django.utils.translation import gettext_lazy as _

from dutydesk.texts import define

LEAVE_WAITING = define("leave.waiting", _("Leave request from %(name)s waits for your approval"))
EMERGENCY_FILE_BY = define(
    "leave.emergency.file_by", _("Your emergency leave for %(shift)s: file the written request by %(deadline)s")
)
RECORDED_BY = define("leave.emergency.recorded_by", _("Recorded by %(lead)s."))
EMERGENCY_REPORTED = define("leave.emergency.reported", _("Emergency leave reported: %(name)s, %(shift)s"))
LEAVE_WAITING_FINAL = define("leave.waiting_final", _("Leave request from %(name)s waits for your final approval"))
LEAVE_LEAD_OK = define(
    "leave.lead_ok", _("Your leave request was approved by the team lead; it now waits for the supervisor")
)
LEAVE_APPROVED = define("leave.approved", _("Your leave request was approved"))
SUBSTITUTE_FOR = define("leave.substitute_for", _("You substitute for %(name)s on %(shift)s"))
LEAVE_APPROVED_LEADS = define("leave.approved.leads", _("Leave of %(name)s approved"))
LEAVE_REJECTED = define("leave.rejected", _("Your leave request was rejected by %(name)s"))
SWAP_WITHDRAWN = define("swap.withdrawn", _("%(name)s withdrew the swap request"))
SWAP_PROPOSED = define("swap.proposed", _("%(name)s proposes a swap: please accept or decline"))
SWAP_WAITING = define("swap.waiting", _("Swap of %(a)s and %(b)s waits for you to record it"))
SWAP_ACCEPTED = define("swap.accepted", _("%(name)s accepted your swap; it waits for the team lead"))
SWAP_DECLINED = define("swap.declined", _("%(name)s declined your swap"))
SWAP_RECORDED = define("swap.recorded", _("Swap recorded by %(name)s: the roster is changed"))
SWAP_REJECTED = define("swap.rejected", _("Swap rejected by %(name)s"))
SWAP_GIVE_TAKE = define("swap.give_take", _("%(a)s gives %(give)s and takes %(take)s of %(b)s"))
SWAP_GIVE = define("swap.give", _("%(a)s gives %(give)s to %(b)s"))
