"""Operator accounts: a user with the `operator` role bound to one inventory operator."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from common.roles import OPERATOR
from core.accounts import set_role
from core.models import Token
from inventory.models import Operator, OperatorAccount


class UnknownOperator(ValueError):
    """The operator named for an account does not exist."""


def find_operator(name: str) -> Operator:
    """An operator by slug or exact name (case-insensitive)."""
    found = (
        Operator.objects.filter(slug=name).first()
        or Operator.objects.filter(name__iexact=name).first()
    )
    if found is None:
        known = ", ".join(Operator.objects.order_by("slug").values_list("slug", flat=True)[:20])
        raise UnknownOperator(f"no operator {name!r} (known: {known or 'none'})")
    return found


@transaction.atomic
def make_operator_account(user: Any, operator: Operator) -> None:
    """Give `user` the operator role, bound to `operator` (replacing any earlier binding)."""
    set_role(user, OPERATOR)
    OperatorAccount.objects.update_or_create(user=user, defaults={"operator": operator})
    user._menhir_operator_id = operator.pk


@transaction.atomic
def create_operator_user(username: str, operator_name: str, password: str | None = None) -> Any:
    """Create (or rebind) the user `username` as an account of operator `operator_name`."""
    operator = find_operator(operator_name)
    user, _ = get_user_model().objects.get_or_create(username=username)
    if password:
        user.set_password(password)
    elif not user.has_usable_password():
        user.set_unusable_password()
    user.save()
    make_operator_account(user, operator)
    return user


def create_operator_token(
    username: str, operator_name: str, description: str = "", expires: datetime | None = None
) -> tuple[Token, str]:
    """`menhir token create --role operator --operator NAME`: the account and a new token."""
    with transaction.atomic():
        user = create_operator_user(username, operator_name)
        return Token.issue(user, description=description, expires=expires)
