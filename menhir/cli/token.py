"""`menhir token …`: API tokens for scripts and integrations."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from common.roles import ROLES

token_app = typer.Typer(help="API tokens.", no_args_is_help=True)


@token_app.command("create")
def create(
    user: Annotated[str, typer.Option("--user", help="User name (created if it does not exist).")],
    role: Annotated[str, typer.Option("--role", help="read, edit or admin.")],
    description: Annotated[str, typer.Option(help="What the token is for.")] = "",
    expires_days: Annotated[int, typer.Option(help="Days until it expires (0: never).")] = 0,
) -> None:
    """Create a token for USER with ROLE; the key is printed on the last line, and only once."""
    if role not in ROLES:
        raise typer.BadParameter(f"expected one of {', '.join(ROLES)}", param_hint="--role")
    from menhir.bootstrap import setup_django

    setup_django()
    from django.utils import timezone

    from core.accounts import create_token

    expires = timezone.now() + timedelta(days=expires_days) if expires_days > 0 else None
    token, key = create_token(user, role, description=description, expires=expires)
    typer.echo(
        f"Token {token.prefix}… for {user} (role {role}), expires {expires or 'never'}:", err=True
    )
    typer.echo(key)
