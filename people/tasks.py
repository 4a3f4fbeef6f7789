"""Thin Celery tasks over people.services."""

import logging

from celery import shared_task

from dutydesk.models import Profile
from people.services import members, qualification, training

log = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def task_send_activation(*, profile_id: int, base_url: str) -> None:
    profile = Profile.objects.filter(pk=profile_id).select_related("user").first()
    if profile is None:
        log.info("people: profile %s is gone; no activation mail", profile_id)
        return
    members.send_activation_email(profile, base_url=base_url)


@shared_task
def task_ask_for_checks() -> None:
    log.info("people: asked for %d qualification checks", qualification.ask_for_checks())


@shared_task
def task_send_training_reminders() -> None:
    log.info("people: reminded %d training sessions", training.send_reminders())


@shared_task
def task_close_left_accounts() -> None:
    log.info("people: closed %d accounts of leavers", members.close_left_accounts())
