"""Two people on one record: each loads a page, each submits what their page carried."""

from __future__ import annotations

import html
import re

from django.test import Client

from saferhub.web.audit.models import AuditEvent

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def hidden_fields(response) -> dict[str, str]:
    """The hidden inputs the page carried (the record versions among them), as a browser sends them."""
    return {
        name: html.unescape(value)
        for name, value in HIDDEN.findall(response.content.decode())
        if name != "csrfmiddlewaretoken"
    }


def loaded(client: Client, url: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return hidden_fields(response)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def updates_of(record) -> int:
    return AuditEvent.objects.filter(
        action="update", object_type=record._meta.label, object_id=str(record.pk)
    ).count()
