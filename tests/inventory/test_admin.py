"""The Django admin of the inventory: every model registered, SNMP secrets never shown."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from common.roles import ADMIN
from core.accounts import set_role
from inventory import models as m
from tests.factories import inventory as f

pytestmark = pytest.mark.django_db

COMMUNITY = "s3cret-community"
AUTH_KEY = "auth-key-not-to-show"
PRIV_KEY = "priv-key-not-to-show"


@pytest.fixture
def admin_client() -> Client:
    user = get_user_model().objects.create_user(username="root")
    set_role(user, ADMIN)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def profile() -> m.SNMPProfile:
    return f.SNMPProfileFactory.create(
        name="v3-core",
        version="v3",
        community=COMMUNITY,
        username="menhir",
        auth_protocol="sha",
        auth_key=AUTH_KEY,
        priv_protocol="aes128",
        priv_key=PRIV_KEY,
    )


def form_data(profile: m.SNMPProfile, **changes: Any) -> dict[str, Any]:
    data = {
        "name": profile.name,
        "version": profile.version,
        "community": "",
        "username": profile.username,
        "auth_protocol": profile.auth_protocol,
        "auth_key": "",
        "priv_protocol": profile.priv_protocol,
        "priv_key": "",
        "port": profile.port,
        "timeout_ms": profile.timeout_ms,
        "retries": profile.retries,
    }
    data.update(changes)
    return data


def test_every_inventory_model_is_in_the_admin() -> None:
    missing = [
        model.__name__
        for model in apps.get_app_config("inventory").get_models()
        if model not in admin.site._registry
    ]
    assert missing == []


def test_every_admin_list_and_add_page_renders(admin_client: Client) -> None:
    f.small_network()
    for model in apps.get_app_config("inventory").get_models():
        meta = model._meta
        for view in ("changelist", "add"):
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}")
            assert admin_client.get(url).status_code == 200, url
    link = m.Link.objects.first()
    assert link is not None
    url = reverse("admin:inventory_link_change", args=[link.pk])
    assert admin_client.get(url).status_code == 200


def test_snmp_secrets_never_appear_in_the_admin_pages(
    admin_client: Client, profile: m.SNMPProfile
) -> None:
    f.DeviceFactory(snmp_profile=profile)
    pages = [
        reverse("admin:inventory_snmpprofile_changelist"),
        reverse("admin:inventory_snmpprofile_change", args=[profile.pk]),
        reverse("admin:inventory_snmpprofile_history", args=[profile.pk]),
        reverse("admin:inventory_device_changelist"),
    ]
    for url in pages:
        body = admin_client.get(url).content.decode()
        for secret in (COMMUNITY, AUTH_KEY, PRIV_KEY):
            assert secret not in body, (url, secret)
    form = admin_client.get(pages[1]).content.decode()
    assert 'type="password" name="community"' in form
    assert "leave empty to keep the stored value" in form


def test_leaving_secrets_empty_keeps_the_stored_values(
    admin_client: Client, profile: m.SNMPProfile
) -> None:
    url = reverse("admin:inventory_snmpprofile_change", args=[profile.pk])
    response = admin_client.post(url, form_data(profile, port=1161))
    assert response.status_code == 302, response.content.decode()[:2000]
    profile.refresh_from_db()
    assert (profile.port, profile.community, profile.auth_key, profile.priv_key) == (
        1161,
        COMMUNITY,
        AUTH_KEY,
        PRIV_KEY,
    )


def test_typing_a_secret_replaces_it_and_erase_clears_it(
    admin_client: Client, profile: m.SNMPProfile
) -> None:
    url = reverse("admin:inventory_snmpprofile_change", args=[profile.pk])
    data = form_data(profile, auth_key="a-brand-new-key", clear_secrets=["community"])
    assert admin_client.post(url, data).status_code == 302
    profile.refresh_from_db()
    assert (profile.community, profile.auth_key, profile.priv_key) == (
        "",
        "a-brand-new-key",
        PRIV_KEY,
    )


def test_a_bad_secret_is_refused_and_nothing_is_lost(
    admin_client: Client, profile: m.SNMPProfile
) -> None:
    url = reverse("admin:inventory_snmpprofile_change", args=[profile.pk])
    short = admin_client.post(url, form_data(profile, auth_key="short"))
    assert short.status_code == 200
    body = short.content.decode()
    assert "at least 8 characters" in body
    assert "short" not in body.split('name="auth_key"')[1].split(">")[0]  # not echoed back
    both = admin_client.post(url, form_data(profile, community="x", clear_secrets=["community"]))
    assert "not both" in both.content.decode()
    profile.refresh_from_db()
    assert (profile.community, profile.auth_key) == (COMMUNITY, AUTH_KEY)


def test_v2c_profile_created_in_the_admin_needs_its_community(admin_client: Client) -> None:
    url = reverse("admin:inventory_snmpprofile_add")
    base: dict[str, Any] = {"name": "lab", "version": "v2c", "auth_protocol": "none"}
    base |= {"priv_protocol": "none", "port": 161, "timeout_ms": 2000, "retries": 1}
    refused = admin_client.post(url, base)
    assert "SNMPv2c needs a community" in refused.content.decode()
    assert admin_client.post(url, base | {"community": "public-lab"}).status_code == 302
    assert m.SNMPProfile.objects.get(name="lab").community == "public-lab"
