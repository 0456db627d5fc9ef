"""Telling people by email when an action is allocated or overdue, or a case is listed.

Each event makes one `Notice` per recipient. Users who chose immediate delivery get an email
once the transaction commits; everyone else gets the daily digest that `saferhub notify`
sends (run it from cron once a day). The digest also finds actions that have become overdue
since the last run, and tells the owning agency once per action.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from saferhub.web.accounts.models import Role, User
from saferhub.web.notifications.models import Delivery, Kind, Notice, Preference

logger = logging.getLogger(__name__)

# Roles that act on cases; viewers and analysts are not sent work.
RECIPIENT_ROLES = (Role.PRACTITIONER, Role.COORDINATOR)
SUBJECTS = {
    Kind.ALLOCATED: "SaferHub: an action for your agency",
    Kind.OVERDUE: "SaferHub: an action is overdue",
    Kind.LISTED: "SaferHub: a case is listed for a meeting",
}


def recipients(agency_ids, programme: str) -> list[User]:
    """Active users with an email address in these agencies, if the agency is in the programme."""
    ids = {pk for pk in agency_ids if pk is not None}
    users = User.objects.filter(
        agency_id__in=ids, is_active=True, role__in=RECIPIENT_ROLES
    ).exclude(email="")
    return [u for u in users.select_related("agency") if u.in_programme(programme)]


def _notify(users, *, kind: str, key: str, text: str, path: str) -> list[Notice]:
    made = []
    for user in users:
        try:
            with transaction.atomic():
                made.append(
                    Notice.objects.create(recipient=user, kind=kind, key=key, text=text, path=path)
                )
        except IntegrityError:
            continue  # already told this user about this
    immediate = [n.pk for n in made if _delivery(n.recipient) == Delivery.IMMEDIATE]
    if immediate:
        transaction.on_commit(lambda: _send_quietly(immediate))
    return made


def _send_quietly(notice_ids: list[int]) -> None:
    # The record is already saved: a mail server that is down must not turn the user's
    # save into an error page. The notices stay unsent, so the daily digest carries them.
    try:
        send_now(notice_ids)
    except Exception:
        logger.exception("Could not send %d notification email(s) now", len(notice_ids))


def _delivery(user) -> str:
    pref = Preference.objects.filter(user=user).values_list("delivery", flat=True).first()
    return pref or Delivery.DIGEST


def action_allocated(action) -> list[Notice]:
    """Tell the owning agency's practitioners and coordinators about a new action."""
    case = action.case
    return _notify(
        recipients([action.owner_agency_id], case.panel),
        kind=Kind.ALLOCATED,
        key=f"allocated:{action.pk}",
        text=f"A new action for your agency on case {case.reference}, "
        f"due {action.due_date:%d %B %Y}.",
        path=case.get_absolute_url(),
    )


def case_listed(listing) -> list[Notice]:
    """Tell the referring agency and the IDVA's agency that the case is on an agenda."""
    case, meeting = listing.case, listing.meeting
    return _notify(
        recipients([case.referring_agency_id, case.idva_agency_id], case.panel),
        kind=Kind.LISTED,
        key=f"listed:{listing.pk}",
        text=f"Case {case.reference} is listed for the meeting on {meeting.date:%d %B %Y}. "
        "Share your agency's research before the meeting.",
        path=meeting.get_absolute_url(),
    )


def find_overdue(today: date) -> list[Notice]:
    """Make a notice, once per action and user, for each open action past its due date."""
    from saferhub.web.panels.models import Action, ActionStatus

    made = []
    overdue = Action.objects.filter(status=ActionStatus.OPEN, due_date__lt=today).select_related(
        "case"
    )
    for action in overdue:
        made += _notify(
            recipients([action.owner_agency_id], action.case.panel),
            kind=Kind.OVERDUE,
            key=f"overdue:{action.pk}",
            text=f"An action for your agency on case {action.case.reference} was due on "
            f"{action.due_date:%d %B %Y} and is still open.",
            path=action.case.get_absolute_url(),
        )
    return made


def _link(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path else settings.SITE_URL


def _message(user, notices: list[Notice], subject: str) -> EmailMessage:
    lines = [f"Hello {user.first_name or user.username},", ""]
    for notice in notices:
        lines += [f"- {notice.text}", f"  {_link(notice.path)}"]
    lines += [
        "",
        "Sign in to SaferHub to see the details. This email names no one, on purpose.",
        f"To change how often we email you: {_link(reverse('notifications:preferences'))}",
    ]
    return EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [user.email])


def _send(by_user: dict[int, list[Notice]], subject_for) -> int:
    messages = [_message(ns[0].recipient, ns, subject_for(ns)) for ns in by_user.values()]
    if not messages:
        return 0
    with get_connection() as connection:
        connection.send_messages(messages)
    Notice.objects.filter(pk__in=[n.pk for ns in by_user.values() for n in ns]).update(
        sent_at=timezone.now()
    )
    return len(messages)


def send_now(notice_ids: list[int]) -> int:
    """Send these notices one email each, straight away (users who chose immediate)."""
    notices = Notice.objects.filter(pk__in=notice_ids, sent_at__isnull=True).select_related(
        "recipient"
    )
    return _send({n.pk: [n] for n in notices}, lambda ns: SUBJECTS[ns[0].kind])


@dataclass(frozen=True)
class DigestResult:
    overdue_found: int
    emails: int
    notices: int


def send_digest(today: date) -> DigestResult:
    """The daily run: find newly overdue actions, then send each user all their unsent notices.

    Users who chose immediate delivery get the overdue notices in this run too, as an
    action only becomes overdue at the turn of the day.
    """
    overdue = find_overdue(today)
    waiting = Notice.objects.filter(sent_at__isnull=True).filter(
        Q(recipient__is_active=True) & ~Q(recipient__email="")
    )
    by_user: dict[int, list[Notice]] = defaultdict(list)
    for notice in waiting.select_related("recipient").order_by("recipient_id", "created_at"):
        by_user[notice.recipient_id].append(notice)
    count = sum(len(ns) for ns in by_user.values())
    emails = _send(by_user, lambda ns: f"SaferHub: your daily summary ({len(ns)} new)")
    return DigestResult(len(overdue), emails, count)


def set_delivery(*, user, delivery: str) -> Preference:
    if delivery not in Delivery.values:
        raise ValueError(f"Unknown delivery {delivery!r}")
    pref, _ = Preference.objects.update_or_create(user=user, defaults={"delivery": delivery})
    return pref
