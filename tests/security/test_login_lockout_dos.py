"""Nobody can lock another's account (issue 13, finding 12): five wrong passwords from anywhere
used to lock a username everywhere, the admin's included. The lockout is now per username from
one address (and per address); guessing one username from many addresses is slowed, not
locked."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from core import throttle
from core.accounts import set_role

pytestmark = pytest.mark.django_db
PASSWORD = "Correct-Horse-42-battery"


@pytest.fixture(autouse=True)
def _limits(settings: Any) -> None:
    settings.MENHIR_LOGIN_MAX_ATTEMPTS = 5
    settings.MENHIR_LOGIN_LOCKOUT_S = 900
    settings.MENHIR_LOGIN_SLOWDOWN_MAX_S = 0  # values checked below, without sleeping


@pytest.fixture
def admin_user() -> Any:
    user = get_user_model().objects.create(username="admin")
    user.set_password(PASSWORD)
    user.save()
    set_role(user, "admin")
    return user


def login(client: Client, password: str, ip: str) -> Any:
    return client.post("/login/", {"username": "admin", "password": password}, REMOTE_ADDR=ip)


def test_an_attacker_failing_the_admins_password_does_not_lock_the_admin(admin_user: Any) -> None:
    attacker = Client()
    for _ in range(6):
        login(attacker, "wrong-guess", ip="203.0.113.66")
    # the attacker's own address is locked, even with the right password
    assert "Too many failed" in login(attacker, PASSWORD, ip="203.0.113.66").content.decode()
    # the admin, from the NOC, signs in
    noc = Client()
    assert login(noc, PASSWORD, ip="192.0.2.10").status_code == 302
    assert noc.session["_auth_user_id"] == str(admin_user.pk)


def test_many_addresses_guessing_one_username_are_slowed_progressively(
    admin_user: Any, settings: Any
) -> None:
    settings.MENHIR_LOGIN_SLOWDOWN_MAX_S = 4.0
    delays = []
    for n in range(9):
        throttle.record_failure("admin", f"198.51.100.{n}")
        delays.append(throttle.slowdown_seconds("admin"))
    assert delays == [0.0, 0.0, 0.0, 0.0, 0.5, 1.0, 2.0, 4.0, 4.0]
    assert throttle.locked_seconds("admin", "192.0.2.10") == 0  # never locked everywhere
    throttle.clear_username("admin")  # a successful sign-in forgives
    assert throttle.slowdown_seconds("admin") == 0.0
