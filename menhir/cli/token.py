"""`menhir token …` and `menhir user …`: API tokens and accounts for people and scripts."""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import Annotated

import typer

from common.roles import ALL_ROLES, OPERATOR

token_app = typer.Typer(help="API tokens.", no_args_is_help=True)
user_app = typer.Typer(help="User accounts.", no_args_is_help=True)

RoleOption = Annotated[str, typer.Option("--role", help="read, edit, admin or operator.")]
OperatorOption = Annotated[
    str,
    typer.Option("--operator", help="With --role operator: the operator (slug or name) it sees."),
]


def _check_role(role: str, operator: str) -> None:
    if role not in ALL_ROLES:
        raise typer.BadParameter(f"expected one of {', '.join(ALL_ROLES)}", param_hint="--role")
    if role == OPERATOR and not operator:
        raise typer.BadParameter(
            "an operator account needs --operator NAME", param_hint="--operator"
        )
    if role != OPERATOR and operator:
        raise typer.BadParameter("--operator goes with --role operator", param_hint="--operator")


def _operator_error(error: Exception) -> typer.Exit:
    typer.echo(f"error: {error}", err=True)
    return typer.Exit(2)


@token_app.command("create")
def create(
    user: Annotated[str, typer.Option("--user", help="User name (created if it does not exist).")],
    role: RoleOption,
    operator: OperatorOption = "",
    description: Annotated[str, typer.Option(help="What the token is for.")] = "",
    expires_days: Annotated[int, typer.Option(help="Days until it expires (0: never).")] = 0,
) -> None:
    """Create a token for USER with ROLE; the key is printed on the last line, and only once."""
    _check_role(role, operator)
    from menhir.bootstrap import setup_django

    setup_django()
    from django.utils import timezone

    from core.accounts import create_token
    from inventory.accounts import UnknownOperator, create_operator_token

    expires = timezone.now() + timedelta(days=expires_days) if expires_days > 0 else None
    if role == OPERATOR:
        try:
            token, key = create_operator_token(user, operator, description, expires)
        except UnknownOperator as error:
            raise _operator_error(error) from None
    else:
        token, key = create_token(user, role, description=description, expires=expires)
    typer.echo(
        f"Token {token.prefix}… for {user} (role {role}), expires {expires or 'never'}:", err=True
    )
    typer.echo(key)


@user_app.command("create")
def create_user(
    username: Annotated[str, typer.Option("--username", help="The login name.")],
    role: RoleOption,
    operator: OperatorOption = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create (or update) a user who logs in to the web UI, with ROLE. Without
    --password-stdin the password is asked for twice, never taken from the command line."""
    _check_role(role, operator)
    password = (
        sys.stdin.readline().rstrip("\n")
        if password_stdin
        else typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    )
    from menhir.bootstrap import setup_django

    setup_django()
    from django.contrib.auth import get_user_model, password_validation
    from django.core.exceptions import ValidationError

    from core.accounts import set_role
    from inventory.accounts import UnknownOperator, create_operator_user

    try:
        password_validation.validate_password(password)
    except ValidationError as error:
        typer.echo("error: " + " ".join(error.messages), err=True)
        raise typer.Exit(2) from None
    if role == OPERATOR:
        try:
            create_operator_user(username, operator, password=password)
        except UnknownOperator as error:
            raise _operator_error(error) from None
    else:
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.set_password(password)
        user.save()
        set_role(user, role)
    typer.echo(f"User {username} has role {role}{f' ({operator})' if operator else ''}.")
