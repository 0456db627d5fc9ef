"""The route-by-role walk: every URL pattern, every role, against docs/access-policy.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from saferhub.web.access import rule_of
from saferhub.web.accounts.models import Programme, Role
from tests.factories import AgencyFactory, UserFactory

POLICY = Path(__file__).resolve().parents[2] / "docs" / "access-policy.md"
ROW = re.compile(r"^\|\s*([\w:-]+)\s*\|\s*`([^`]*)`\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*$")


def written_policy() -> dict[str, tuple[frozenset[str], str | None, bool]]:
    policy = {}
    for line in POLICY.read_text().splitlines():
        match = ROW.match(line)
        if not match:
            continue
        name, _path, roles, programme = match.groups()
        public = roles.strip() == "public"
        role_set = frozenset() if public else frozenset(r.strip() for r in roles.split(","))
        policy[name] = (
            role_set,
            None if programme.strip() in ("–", "-", "") else programme.strip(),
            public,
        )
    return policy


def walk(resolver=None, namespace: str = "") -> list[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.extend(walk(entry, inner))
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{namespace}{entry.name}", entry))
        elif isinstance(entry, URLPattern):
            found.append((f"<unnamed {entry.pattern}>", entry))
    return found


ROUTES = walk()


def sample_kwargs(pattern: URLPattern) -> dict:
    """Fill each URL parameter with a value that resolves; objects need not exist."""
    converters = getattr(pattern.pattern, "converters", {})
    kwargs = {}
    for name, converter in converters.items():
        kind = type(converter).__name__
        kwargs[name] = {
            "IntConverter": 999999,
            "UUIDConverter": "00000000-0000-0000-0000-000000000000",
        }.get(kind, "x")
    return kwargs


def test_every_route_is_in_the_written_policy():
    policy = written_policy()
    missing = [name for name, _ in ROUTES if name not in policy]
    assert not missing, f"Routes missing from docs/access-policy.md: {missing}"
    stale = sorted(set(policy) - {name for name, _ in ROUTES})
    assert not stale, f"docs/access-policy.md lists routes that do not exist: {stale}"


@pytest.mark.parametrize(("name", "pattern"), ROUTES, ids=[n for n, _ in ROUTES])
def test_each_view_declares_the_written_rule(name, pattern):
    rule = rule_of(pattern.callback)
    assert rule is not None, f"{name} declares no access rule"
    roles, programme, public = written_policy()[name]
    assert rule.public == public, f"{name}: public is {rule.public} in code, {public} in the policy"
    assert rule.roles == roles, (
        f"{name}: code allows {sorted(rule.roles)}, policy says {sorted(roles)}"
    )
    assert rule.programme == programme, (
        f"{name}: programme {rule.programme!r} vs policy {programme!r}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "pattern"), ROUTES, ids=[n for n, _ in ROUTES])
def test_every_role_gets_what_the_policy_says(client, name, pattern):
    roles, programme, public = written_policy()[name]
    url = reverse(name, kwargs=sample_kwargs(pattern))
    member = AgencyFactory(name="Member agency", programmes=list(Programme.values))
    outsider = AgencyFactory(name="Outside agency", programmes=[])

    client.logout()
    anonymous = client.get(url)
    if public:
        assert anonymous.status_code != 403
    else:
        assert anonymous.status_code == 302 and "/accounts/sign-in/" in anonymous["Location"], (
            f"{name} must send signed-out users to sign in"
        )

    for role in Role.values:
        user = UserFactory(username=f"{role}-member", role=role, agency=member)
        client.force_login(user)
        status = client.get(url).status_code
        if public or role in roles:
            assert status != 403, f"{name}: {role} should be let in, got 403"
        else:
            assert status == 403, f"{name}: {role} should be refused, got {status}"
        if programme and role in roles and role != Role.ADMINISTRATOR:
            client.force_login(UserFactory(username=f"{role}-outsider", role=role, agency=outsider))
            assert client.get(url).status_code == 403, (
                f"{name}: a {role} from an agency outside {programme} must be refused"
            )


def test_a_view_without_a_rule_is_refused(rf):
    from saferhub.web.access import AccessPolicyMiddleware

    def undeclared(request):  # pragma: no cover - never reached
        raise AssertionError("the middleware let an undeclared view run")

    middleware = AccessPolicyMiddleware(lambda r: None)
    request = rf.get("/somewhere/")
    response = middleware.process_view(request, undeclared, (), {})
    assert response.status_code == 403
