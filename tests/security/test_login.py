"""Sign-in protection: CSRF on forms, lockout after repeated failures (per username and per
client address, UI, admin and API tokens), and the audit log that records it all without a
single secret."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from core.accounts import set_role
from core.models import AuditEvent, LoginThrottle
from tests.common.api.clients import token_client

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-42-battery"
WRONG = "Zx9-not-the-password-q7"


@pytest.fixture(autouse=True)
def _small_limits(settings: Any) -> None:
    settings.MENHIR_LOGIN_MAX_ATTEMPTS = 3
    settings.MENHIR_LOGIN_LOCKOUT_S = 600
    settings.MENHIR_LOGIN_SLOWDOWN_MAX_S = 0  # the slow-down's values: test_login_lockout_dos


@pytest.fixture
def alice() -> Any:
    user = get_user_model().objects.create(username="alice")
    user.set_password(PASSWORD)
    user.save()
    set_role(user, "read")
    return user


def login(client: Client, username: str, password: str, ip: str = "10.1.1.1") -> Any:
    return client.post(
        "/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT="pytest-browser",
    )


def kinds() -> list[str]:
    return list(AuditEvent.objects.order_by("time", "pk").values_list("kind", flat=True))


def test_login_form_post_without_csrf_token_is_refused(alice: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_session_api_write_without_csrf_token_is_refused(alice: Any) -> None:
    set_role(alice, "edit")
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/api/core/tags/", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_logout_by_get_is_refused_csrf_protected_post_works(alice: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post("/logout/").status_code == 403
    assert "_auth_user_id" in client.session


def test_repeated_failures_lock_the_username_from_that_address_with_a_clear_message(
    alice: Any,
) -> None:
    client = Client()
    for _ in range(2):
        page = login(client, "alice", WRONG)
        assert page.status_code == 200
        assert "Too many failed" not in page.content.decode()
    third = login(client, "alice", WRONG).content.decode()
    assert "Too many failed sign-in attempts" in third
    assert "try again in 10 minutes" in third
    # Locked from that address: even the right password is refused there.
    refused = login(client, "alice", PASSWORD)
    assert "Too many failed sign-in attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert kinds() == ["login_failed"] * 3 + ["lockout", "login_refused"]
    # The window passes (moved in the database: no sleeping), the right password works.
    LoginThrottle.objects.update(locked_until=timezone.now())
    assert login(client, "alice", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)
    assert not LoginThrottle.objects.filter(scope__in=("user", "user_ip")).exists()
    assert kinds()[-1] == "login"


def test_one_address_guessing_many_usernames_is_locked_out(alice: Any) -> None:
    client = Client()
    for name in ("bob", "carol", "dave"):
        login(client, name, WRONG, ip="10.6.6.6")
    assert "Too many failed" in login(client, "alice", PASSWORD, ip="10.6.6.6").content.decode()
    assert login(Client(), "alice", PASSWORD, ip="10.7.7.7").status_code == 302


def test_the_admin_login_is_throttled_too(alice: Any) -> None:
    client = Client()
    for _ in range(3):
        client.post(
            "/admin/login/", {"username": "alice", "password": WRONG}, REMOTE_ADDR="10.2.2.2"
        )
    page = client.post(
        "/admin/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.2.2.2"
    )
    assert "Too many failed sign-in attempts" in page.content.decode()


def test_guessing_api_tokens_locks_the_address(client_for: Any) -> None:
    valid = client_for("read")
    guesser = token_client("0" * 40)
    statuses = [
        guesser.get("/api/inventory/links/", REMOTE_ADDR="10.3.3.3").status_code for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    locked = guesser.get("/api/inventory/links/", REMOTE_ADDR="10.3.3.3").json()
    assert "Too many failed sign-in attempts" in locked["detail"]
    assert kinds().count("token_failed") == 3
    assert "lockout" in kinds()
    # Valid keys are never throttled (160 random bits: they are not guessed).
    assert valid.get("/api/inventory/links/", REMOTE_ADDR="10.3.3.3").status_code == 200


def test_audit_log_records_sign_ins_and_never_a_secret(alice: Any, admin: Any) -> None:
    client = Client()
    login(client, "alice", WRONG)
    login(client, "alice", PASSWORD)
    client.post("/logout/")
    token_client("f" * 40).get("/api/inventory/links/")
    assert kinds() == ["login_failed", "login", "logout", "token_failed"]
    first = AuditEvent.objects.order_by("pk").first()
    assert first is not None
    assert (first.username, first.ip, first.user_agent) == ("alice", "10.1.1.1", "pytest-browser")
    listing = admin.get("/api/core/audit/?limit=100")
    assert listing.status_code == 200
    assert listing.json()["count"] == 4
    login_row = next(r for r in listing.json()["results"] if r["kind"] == "login")
    assert login_row["changes_url"].endswith("/api/core/changes/?user=alice")
    failed = admin.get("/api/core/audit/?kind=login_failed").json()
    assert [r["username"] for r in failed["results"]] == ["alice"]
    admin_user = admin.user
    page = Client()
    page.force_login(admin_user)
    audit_page = page.get("/audit/?user=alice")
    assert audit_page.status_code == 200
    stored = " ".join(str(v) for row in AuditEvent.objects.values() for v in row.values())
    for text in (stored, listing.content.decode(), audit_page.content.decode()):
        for secret in (PASSWORD, WRONG, "f" * 40, admin.key):
            assert secret not in text


def test_audit_log_is_for_admins_only(alice: Any, reader: Any, editor: Any) -> None:
    assert reader.get("/api/core/audit/").status_code == 403
    assert editor.get("/api/core/audit/").status_code == 403
    client = Client()
    client.force_login(alice)
    assert client.get("/audit/").status_code == 403


def test_audit_page_links_a_users_sign_ins_to_its_changes(admin: Any) -> None:
    created = admin.post(
        "/api/inventory/operators/", {"name": "Audited Télécom", "slug": "audited"}, format="json"
    )
    assert created.status_code == 201
    page = Client()
    page.force_login(admin.user)
    body = page.get(f"/audit/?user={admin.user.username}").content.decode()
    assert "Audited Télécom" in body
    assert "Logged in" in body
    assert "Unknown event kind" in page.get("/audit/?kind=nope").content.decode()
