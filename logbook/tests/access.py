"""Sample URL arguments for the access matrix (dutydesk/tests/test_access.py)."""


def url_samples(team, people) -> dict:
    from logbook import services
    from logbook.models import Handover
    from testdata import open_entry, signed_in

    logbook = signed_in(team, people["agent"])
    entry = open_entry(logbook, content="客户13812345678询问退款进度")
    handover = services.prepare_handover(logbook, profile=logbook.profile)
    assert isinstance(handover, Handover)
    return {"duty_shift": logbook.duty_shift_id, "logbook": logbook.pk, "entry": entry.pk, "handover": handover.pk}
