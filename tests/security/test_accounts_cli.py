"""`menhir token create --role operator --operator NAME` and `menhir user create`: operator
accounts from the command line, and the clear errors of bad input."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient
from typer.testing import CliRunner

from common.roles import user_role
from inventory.models import OperatorAccount
from menhir.cli import app
from tests.security.networks import two_operators

pytestmark = pytest.mark.django_db


def test_operator_token_sees_only_that_operators_links() -> None:
    two_operators()
    result = CliRunner().invoke(
        app, ["token", "create", "--user", "noc-bzh", "--role", "operator", "--operator", "breizh"]
    )
    assert result.exit_code == 0, result.stderr
    key = result.stdout.strip().splitlines()[-1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    circuits = [r["circuit_id"] for r in client.get("/api/inventory/links/").json()["results"]]
    assert sorted(circuits) == ["BZH-0001", "BZH-0002"]
    user = get_user_model().objects.get(username="noc-bzh")
    assert user_role(user) == "operator"
    assert not user.is_staff
    assert OperatorAccount.objects.get(user=user).operator.slug == "breizh"


def test_user_create_makes_an_operator_who_logs_in_to_the_ui() -> None:
    two_operators()
    result = CliRunner().invoke(
        app,
        [
            "user",
            "create",
            "--username",
            "noc-armor",
            "--role",
            "operator",
            "--operator",
            "Armor Télécom",
            "--password-stdin",
        ],
        input="Long-enough-passphrase-9\n",
    )
    assert result.exit_code == 0, result.stderr
    from django.test import Client

    client = Client()
    assert client.login(username="noc-armor", password="Long-enough-passphrase-9")
    assert "CIR-" in client.get("/links/").content.decode()
    assert client.get("/pops/").status_code == 403


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "operator"], "an operator account needs --operator NAME"),
        (["--role", "read", "--operator", "armor"], "--operator goes with --role operator"),
        (["--role", "boss"], "expected one of read, edit, admin, operator"),
        (["--role", "operator", "--operator", "nobody"], "no operator 'nobody' (known: armor"),
    ],
)
def test_bad_account_options_are_refused_clearly(args: list[str], message: str) -> None:
    two_operators()
    result = CliRunner().invoke(app, ["token", "create", "--user", "x", *args])
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert not get_user_model().objects.filter(username="x").exists()


def test_weak_password_is_refused_and_nothing_created() -> None:
    result = CliRunner().invoke(
        app,
        ["user", "create", "--username", "weak", "--role", "read", "--password-stdin"],
        input="123\n",
    )
    assert result.exit_code == 2
    assert "too short" in result.stderr
    assert not get_user_model().objects.filter(username="weak").exists()
