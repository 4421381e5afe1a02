"""Which language a page is in (issue 17): the signed-in user's stored choice, else the browser's
Accept-Language on anonymous pages, else MENHIR_LANGUAGE."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from common.roles import READ
from core.accounts import set_role
from core.models import UserPreference

pytestmark = pytest.mark.django_db


@pytest.fixture
def claire(settings: Any) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = get_user_model().objects.create_user(username="claire", password="menhir-pw")
    set_role(user, READ)
    return user


@pytest.mark.parametrize(
    ("accept", "title"),
    [("fr-FR,fr;q=0.9", "Connexion à Menhir"), ("en-GB,en;q=0.8", "Log in to Menhir")],
)
def test_the_login_page_follows_the_browser(accept: str, title: str) -> None:
    page = Client().get("/login/", headers={"accept-language": accept})
    assert title in page.content.decode()
    assert page["Content-Language"] == accept[:2]


def test_without_a_choice_the_site_default_applies(settings: Any, claire: Any) -> None:
    settings.LANGUAGE_CODE = "fr"
    client = Client()
    client.force_login(claire)
    page = client.get("/establishments/", headers={"accept-language": "en"}).content.decode()
    assert '<html lang="fr">' in page
    assert "Établissements" in page


def test_a_user_chooses_a_language_on_their_account_page(settings: Any, claire: Any) -> None:
    settings.LANGUAGE_CODE = "fr"
    client = Client()
    client.force_login(claire)
    account = client.get("/account/").content.decode()
    assert "Mon compte" in account
    assert "lecteur" in account
    answer = client.post("/account/", {"language": "en"}, follow=True)
    assert "Your settings are saved." in answer.content.decode()
    assert UserPreference.objects.get(user=claire).language == "en"
    assert "Establishments by category" in client.get("/").content.decode()
    # A new session (another browser) reads the stored choice at login.
    other = Client()
    other.force_login(claire)
    assert '<html lang="en">' in other.get("/").content.decode()


def test_an_unknown_language_is_refused(claire: Any) -> None:
    client = Client()
    client.force_login(claire)
    page = client.post("/account/", {"language": "xx"})
    assert page.status_code == 200
    assert "xx" in page.content.decode()
    assert not UserPreference.objects.filter(user=claire).exists()


def test_menhir_language_must_be_a_known_language(monkeypatch: Any) -> None:
    from menhir.env import env_choice

    monkeypatch.setenv("MENHIR_LANGUAGE", "de")
    with pytest.raises(ValueError, match="MENHIR_LANGUAGE='de': expected one of fr, en"):
        env_choice("MENHIR_LANGUAGE", "fr", ["fr", "en"])


def test_french_dates_and_numbers(settings: Any, claire: Any) -> None:
    import datetime as dt

    from django.template import Context, Template
    from django.utils import translation
    from django.utils.timezone import make_aware

    moment = make_aware(dt.datetime(2026, 12, 5, 14, 30))  # noqa: DTZ001  (made aware here)
    template = Template('{{ t|date:"SHORT_DATETIME_FORMAT" }} · {{ x }}')
    with translation.override("fr"):
        assert template.render(Context({"t": moment, "x": 99.791})) == "05/12/2026 14:30 · 99,791"
    with translation.override("en"):
        assert template.render(Context({"t": moment, "x": 99.791})) == "2026-12-05 14:30 · 99.791"


def test_the_admin_forms_name_every_field_in_french(settings: Any) -> None:
    """Model fields carry translated verbose names: a French administrator's forms and their
    errors say « Technologie », « Interface A », never the field's Python name."""
    from common.roles import ADMIN

    admin = get_user_model().objects.create_user(username="aziliz", is_staff=True)
    set_role(admin, ADMIN)
    UserPreference.objects.create(user=admin, language="fr")
    client = Client()
    client.force_login(admin)
    session = client.session
    session["menhir_language"] = "fr"
    session.save()
    page = client.get("/admin/inventory/link/add/").content.decode()
    assert "Administration de Menhir" in page
    assert "Django" not in page.split("<body")[1][:3000]
    for french in (
        "Technologie",
        "Interface A",
        "Interface Z",
        "Mise en service",
        "Commentaires",
        "Référence du circuit chez l&#x27;opérateur",
        "Débit engagé descendant (bit/s)",
        "Inventaire",
        "Alertes",
    ):
        assert f">{french}" in page, french
    for english in (">Technology", ">A interface", ">Service start", ">Comments"):
        assert english not in page, english
    page = client.get("/admin/inventory/snmpprofile/add/").content.decode()
    assert "Protocole d&#x27;authentification" in page or "Protocole d'authentification" in page


def test_api_errors_follow_the_clients_language() -> None:
    """An API client (a token, no session) that asks for French (Accept-Language) reads Menhir's
    own errors in French; English stays available."""
    from core.accounts import create_token

    _, key = create_token("script", "read")
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    url = "/api/inventory/links/?no_such_filter=1"
    french = client.get(url, headers={"accept-language": "fr"})
    assert french.status_code == 400
    assert french.json() == {"no_such_filter": ["Filtre inconnu."]}
    english = client.get(url, headers={"accept-language": "en"})
    assert english.json() == {"no_such_filter": ["Unknown filter."]}
