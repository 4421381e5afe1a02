"""Serializers of the core API: tags, users with their role, tokens, change-log entries."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractUser
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from common.api.serializers import BaseModelSerializer
from common.roles import ALL_ROLES, OPERATOR, READ, role_from_groups
from core.accounts import set_role
from core.models import AuditEvent, ObjectChange, Tag, Token

User = get_user_model()
ROLE_CHOICES = [(role, role) for role in ALL_ROLES]


class TagSerializer(BaseModelSerializer[Tag]):
    natural_key = "slug"
    brief_fields = ("name", "color")

    class Meta:
        model = Tag
        fields = ("name", "slug", "color", "description")


class RoleField(serializers.ChoiceField):
    """A user's role, read from prefetched groups (one query for a whole list), written by name."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ROLE_CHOICES, source="*", **kwargs)

    def to_representation(self, value: Any) -> str | None:  # type: ignore[override]
        return role_from_groups({g.name for g in value.groups.all()}, value.is_superuser)

    def to_internal_value(self, data: Any) -> dict[str, str]:  # type: ignore[override]
        role = super().to_internal_value(data)
        if role == OPERATOR:  # an operator account needs its operator: the CLI binds both
            raise serializers.ValidationError(
                _(
                    "Create operator accounts with `menhir user create --role operator "
                    "--operator NAME`."
                )
            )
        return {"role": role}


class UserSerializer(BaseModelSerializer[AbstractUser]):
    natural_key = "username"
    brief_fields = ()
    clean_exclude = ("password",)

    role = RoleField(required=False)
    password = serializers.CharField(
        write_only=True, required=False, style={"input_type": "password"}, trim_whitespace=False
    )

    class Meta:
        model = User
        url_view_name = "core-api:user-detail"
        fields = (
            "username",
            "first_name",
            "last_name",
            "email",
            "is_active",
            "role",
            "password",
            "date_joined",
            "last_login",
        )
        read_only_fields = ("date_joined", "last_login")

    def validate_password(self, value: str) -> str:
        password_validation.validate_password(value, self.instance)
        return value

    def create(self, validated_data: dict[str, Any]) -> Any:
        role = validated_data.pop("role", READ)
        password = validated_data.pop("password", None)
        user = User(**validated_data)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        set_role(user, role)
        return user

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        role = validated_data.pop("role", None)
        password = validated_data.pop("password", None)
        user = super().update(instance, validated_data)
        if password:
            user.set_password(password)
            user.save(update_fields=["password"])
        if role:
            set_role(user, role)
        return user


class TokenSerializer(BaseModelSerializer[Token]):
    brief_fields = ("prefix",)
    user = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.all(), required=False
    )

    class Meta:
        model = Token
        fields = ("user", "prefix", "description", "created", "expires", "last_used")
        read_only_fields = ("prefix", "created", "last_used")

    def get_extra_kwargs(self) -> dict[str, Any]:
        extra = super().get_extra_kwargs()
        if self.instance is not None:  # a token never changes hands
            extra["user"] = {**extra.get("user", {}), "read_only": True}
        return extra

    def validate_expires(self, value: Any) -> Any:
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError(_("The expiry date is in the past."))
        return value

    def create(self, validated_data: dict[str, Any]) -> Token:
        user = validated_data.get("user") or self.context["request"].user
        token, key = Token.issue(
            user,
            description=validated_data.get("description", ""),
            expires=validated_data.get("expires"),
        )
        token.key = key  # type: ignore[attr-defined]  # shown in this one response, never stored
        return token


class IssuedTokenSerializer(TokenSerializer):
    """The answer to a token creation: the only time the key is ever shown."""

    key = serializers.CharField(read_only=True, help_text="The token's key: shown once, keep it.")

    def get_field_names(self, declared_fields: Any, info: Any) -> list[str]:
        return [*super().get_field_names(declared_fields, info), "key"]


class ObjectChangeSerializer(BaseModelSerializer[ObjectChange]):
    changed_object_type = serializers.SerializerMethodField()

    class Meta:
        model = ObjectChange
        fields = (
            "time",
            "user",
            "user_name",
            "request_id",
            "source",
            "action",
            "changed_object_type",
            "changed_object_id",
            "object_repr",
            "prechange_data",
            "postchange_data",
        )
        read_only_fields = fields

    def get_changed_object_type(self, obj: ObjectChange) -> str | None:
        ct = obj.changed_object_type
        return f"{ct.app_label}.{ct.model}" if ct else None


class AuditEventSerializer(BaseModelSerializer[AuditEvent]):
    """A sign-in event, with a link to the changes made by the same user."""

    user: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    changes_url = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = ("time", "kind", "username", "user", "ip", "user_agent", "detail", "changes_url")
        read_only_fields = fields

    def get_changes_url(self, obj: AuditEvent) -> str | None:
        """The change log of this user (/api/core/changes/?user=…), when the user exists."""
        if obj.user_id is None:
            return None
        from urllib.parse import urlencode

        from django.urls import reverse

        url = reverse("core-api:objectchange-list") + "?" + urlencode({"user": obj.username})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url
