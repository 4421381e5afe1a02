"""The inventory's web pages: access by role, filters, sorting, pages, export, bounded SQL."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.changes import change_context
from common.roles import ADMIN, EDIT, READ
from core.accounts import set_role
from inventory import choices as c
from inventory import models as m
from tests.factories import inventory as f

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "inventory:home",
    "inventory:establishment_list",
    "inventory:device_list",
    "inventory:link_list",
    "inventory:pop_list",
    "inventory:operator_list",
    "inventory:contract_list",
]


def user_with(role: str | None, name: str = "", password: str | None = None) -> Any:
    user = get_user_model().objects.create_user(username=name or f"user-{role}", password=password)
    if role:
        set_role(user, role)
    return user


def client_for(role: str | None) -> Client:
    client = Client()
    client.force_login(user_with(role))
    return client


@pytest.fixture
def net() -> dict[str, Any]:
    return f.small_network()


@pytest.fixture
def reader() -> Client:
    return client_for(READ)


def detail_urls(net: dict[str, Any]) -> list[str]:
    link = net["links"][0]
    return [
        net["sites"][0].get_absolute_url(),
        link.a_interface.device.get_absolute_url(),
        link.get_absolute_url(),
        net["pops"][0].get_absolute_url(),
        net["operator"].get_absolute_url(),
        net["contract"].get_absolute_url(),
    ]


def all_urls(net: dict[str, Any]) -> list[str]:
    return [reverse(name) for name in LIST_PAGES] + detail_urls(net)


def codes_on(response: Any) -> list[str]:
    """Establishment codes of the list's rows, in order."""
    page = response.context["page"]
    return [site.code for site in page.object_list]


# Access ---------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_page_from_every_page(net: dict[str, Any]) -> None:
    client = Client()
    for url in all_urls(net):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_every_page_renders_for_a_read_only_user(net: dict[str, Any], reader: Client) -> None:
    for url in all_urls(net):
        response = reader.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "Log out" in body
        assert "Edit in admin" not in body, url
        assert ">Edit<" not in body, url
        assert reverse("admin:index") not in body, url


def test_a_user_without_role_is_refused(net: dict[str, Any]) -> None:
    client = client_for(None)
    for url in all_urls(net):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Your account has no Menhir role" in response.content.decode(), url


def test_a_missing_object_is_a_404_page(reader: Client) -> None:
    response = reader.get(reverse("inventory:establishment", args=[999_999]))
    assert response.status_code == 404
    assert "Nothing lives at this address" in response.content.decode()


def test_editors_get_edit_links_and_only_admins_the_admin_menu(net: dict[str, Any]) -> None:
    site = net["sites"][0]
    edit_url = reverse("admin:inventory_establishment_change", args=[site.pk])
    editor = client_for(EDIT).get(site.get_absolute_url()).content.decode()
    assert edit_url in editor
    assert f'href="{reverse("admin:index")}"' not in editor
    admin = client_for(ADMIN).get(site.get_absolute_url()).content.decode()
    assert edit_url in admin
    assert f'href="{reverse("admin:index")}"' in admin


@pytest.fixture
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.usefixtures("fast_hasher")
def test_login_form_logs_in_and_returns_to_the_page_asked_for(net: dict[str, Any]) -> None:
    user_with(READ, name="alice", password="pw")
    client = Client()
    target = reverse("inventory:establishment_list")
    response = client.post(
        reverse("login"), {"username": "alice", "password": "pw", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == target
    assert client.get(target).status_code == 200


@pytest.mark.usefixtures("fast_hasher")
def test_login_with_a_wrong_password_says_so(net: dict[str, Any]) -> None:
    user_with(READ, name="alice", password="pw")
    response = Client().post(reverse("login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


# Home -----------------------------------------------------------------------------------------


def test_home_counts_establishments_devices_links_and_operators(
    net: dict[str, Any], reader: Client
) -> None:
    response = reader.get(reverse("inventory:home"))
    ctx = response.context
    assert ctx["establishment_count"] == 3
    assert [(code, n) for code, _, n in ctx["by_department"]] == [("29", 2), ("35", 1)]
    assert {v: n for v, _, n in ctx["by_category"]} == {
        "lycee": 1,
        "local_authority": 1,
        "health": 1,
    }
    assert ctx["device_count"] == m.Device.objects.count() == 5
    assert {v: n for v, _, n in ctx["by_technology"]} == {"ftto": 4}
    assert ctx["operator_count"] == 1
    body = response.content.decode()
    assert "Finistère (29)" in body
    assert "?commune__department=29" in body


# Lists: filters, search, sort, pages ----------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["CHU-35-001", "LYC-29-001", "MAI-29-002"]),
        ({"commune__department": "35"}, ["CHU-35-001"]),
        ({"category": "lycee"}, ["LYC-29-001"]),
        ({"criticality": "critical"}, ["CHU-35-001"]),
        ({"commune": "29232"}, ["LYC-29-001", "MAI-29-002"]),
        ({"status": "planned"}, []),
        ({"operator": "armor"}, ["CHU-35-001", "LYC-29-001", "MAI-29-002"]),
        ({"pop": "rennes"}, ["CHU-35-001"]),
        ({"q": "lycée"}, ["LYC-29-001"]),
        ({"q": "quimper", "category": "local_authority"}, ["MAI-29-002"]),
    ],
)
def test_establishment_filters_and_search_narrow_the_list(
    net: dict[str, Any], reader: Client, params: dict[str, str], expected: list[str]
) -> None:
    response = reader.get(reverse("inventory:establishment_list"), params)
    assert response.status_code == 200
    assert codes_on(response) == expected


def test_tenant_filter(net: dict[str, Any], reader: Client) -> None:
    tenant = f.TenantFactory(name="Région Bretagne", slug="region")
    m.Establishment.objects.filter(code="MAI-29-002").update(tenant=tenant)
    response = reader.get(reverse("inventory:establishment_list"), {"tenant": "region"})
    assert codes_on(response) == ["MAI-29-002"]
    assert "Région Bretagne" in response.content.decode()


def test_filter_form_offers_the_database_choices_and_keeps_the_selection(
    net: dict[str, Any], reader: Client
) -> None:
    body = reader.get(
        reverse("inventory:establishment_list"), {"commune__department": "35"}
    ).content.decode()
    assert '<option value="35" selected>Ille-et-Vilaine (35)</option>' in body
    assert '<option value="armor">Armor Télécom</option>' in body
    # communes are suggested as one types (suggest.js), not listed: the field keeps its value
    assert 'list="commune-suggestions"' in body
    assert "29232" not in body
    kept = reader.get(reverse("inventory:establishment_list"), {"commune": "29232"})
    assert 'value="29232"' in kept.content.decode()


def test_an_invalid_filter_is_a_clear_error_not_a_silent_full_list(
    net: dict[str, Any], reader: Client
) -> None:
    response = reader.get(reverse("inventory:establishment_list"), {"category": "castle"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "These filters are not valid" in body
    assert "castle is not one of the available choices" in body
    assert "CHU-35-001" not in body


def test_columns_sort_both_ways_and_keep_the_filters(net: dict[str, Any], reader: Client) -> None:
    url = reverse("inventory:establishment_list")
    assert codes_on(reader.get(url, {"sort": "-code"})) == [
        "MAI-29-002",
        "LYC-29-001",
        "CHU-35-001",
    ]
    assert codes_on(reader.get(url, {"sort": "name"})) == [
        "CHU-35-001",
        "LYC-29-001",
        "MAI-29-002",
    ]
    body = reader.get(url, {"commune__department": "29", "sort": "code"}).content.decode()
    # The header link reverses the current sort and keeps the filter.
    assert 'href="?commune__department=29&amp;sort=-code"' in body


def test_an_unknown_sort_falls_back_with_a_notice(net: dict[str, Any], reader: Client) -> None:
    response = reader.get(reverse("inventory:establishment_list"), {"sort": "password"})
    assert response.status_code == 200
    assert codes_on(response) == ["CHU-35-001", "LYC-29-001", "MAI-29-002"]
    assert "Cannot sort by &#x27;password&#x27;" in response.content.decode()


def test_pagination_and_page_size(reader: Client) -> None:
    commune = f.CommuneFactory(insee="22278", name="Saint-Brieuc")
    for i in range(30):
        f.EstablishmentFactory(code=f"E{i:03d}", commune=commune)
    url = reverse("inventory:establishment_list")
    first = reader.get(url, {"per_page": "25"})
    assert len(codes_on(first)) == 25
    assert first.context["page"].paginator.num_pages == 2
    second = reader.get(url, {"per_page": "25", "page": "2"})
    assert codes_on(second) == [f"E{i:03d}" for i in range(25, 30)]
    assert "page=2" in first.content.decode()
    odd = reader.get(url, {"per_page": "7"})
    assert len(codes_on(odd)) == 30  # the default, 50
    assert "Page size &#x27;7&#x27; is not offered" in odd.content.decode()


def test_export_csv_returns_exactly_the_filtered_rows(net: dict[str, Any], reader: Client) -> None:
    url = reverse("inventory:establishment_list")
    page = reader.get(url, {"commune__department": "29"}).content.decode()
    assert 'href="?commune__department=29&amp;export=csv"' in page
    response = reader.get(url, {"commune__department": "29", "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="establishments.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert sorted(row["code"] for row in rows) == ["LYC-29-001", "MAI-29-002"]
    assert "Lycée de Cornouaille" in {row["name"] for row in rows}


def test_device_and_link_exports_follow_their_filters(net: dict[str, Any], reader: Client) -> None:
    links = reader.get(reverse("inventory:link_list"), {"pop": "quimper", "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(links.content.decode("utf-8"))))
    assert sorted(row["circuit_id"] for row in rows) == sorted(
        link.circuit_id for link in net["links"] if link.z_interface.device.pop.slug == "quimper"
    )
    devices = reader.get(reverse("inventory:device_list"), {"role": "pop_router", "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(devices.content.decode("utf-8"))))
    assert sorted(row["name"] for row in rows) == ["quimper-rtr1", "rennes-rtr1"]


def test_an_unknown_export_format_is_refused_with_a_notice(
    net: dict[str, Any], reader: Client
) -> None:
    response = reader.get(reverse("inventory:establishment_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Unknown export format &#x27;xlsx&#x27;" in response.content.decode()


def test_other_lists_filter_with_their_filtersets(net: dict[str, Any], reader: Client) -> None:
    def names(url_name: str, params: dict[str, str]) -> list[str]:
        response = reader.get(reverse(url_name), params)
        assert response.status_code == 200
        return [str(obj) for obj in response.context["page"].object_list]

    assert names("inventory:device_list", {"role": "pop_router"}) == [
        "quimper-rtr1",
        "rennes-rtr1",
    ]
    assert names("inventory:device_list", {"pop": "rennes"}) == ["rennes-rtr1"]
    assert names("inventory:device_list", {"commune__department": "35"}) == ["cpe-chu-35-001"]
    backup = names("inventory:link_list", {"role": "backup"})
    assert backup == [str(net["links"][3])]
    assert len(names("inventory:link_list", {"pop": "quimper"})) == 3
    assert names("inventory:link_list", {"q": "CHU-35-001", "role": "primary"}) == [
        str(net["links"][2])
    ]
    assert names("inventory:pop_list", {"commune__department": "29"}) == ["Quimper"]
    assert names("inventory:operator_list", {"q": "armor"}) == ["Armor Télécom"]
    assert names("inventory:contract_list", {"operator": "armor"}) == ["LOT-1"]
    assert names("inventory:contract_list", {"operator": "nobody"}) == []


def test_link_list_shows_committed_rates_in_mbit_s(net: dict[str, Any], reader: Client) -> None:
    body = reader.get(reverse("inventory:link_list")).content.decode()
    assert "100 Mbit/s" in body


# Detail pages ---------------------------------------------------------------------------------


def test_establishment_page_shows_identity_links_devices_and_interfaces(
    net: dict[str, Any], reader: Client
) -> None:
    chu = net["sites"][2]
    m.Contact.objects.create(establishment=chu, name="Émile Le Gall", email="it@chu.example")
    chu.address = "2 rue Henri Le Guilloux"
    chu.latitude, chu.longitude = 48.1185, -1.6936
    chu.save()
    body = reader.get(chu.get_absolute_url()).content.decode()
    for text in (
        "CHU-35-001",
        "CHU de Rennes",
        "Health",
        "Rennes",
        "Ille-et-Vilaine (35)",
        "2 rue Henri Le Guilloux",
        "48.11850, -1.69360",
        "Critical",
        "Émile Le Gall",
        "Armor Télécom",
        "Fibre (FTTO)",
        "100 Mbit/s",
        "Backup",
        "Premium fibre",
        "LOT-1",
        "cpe-chu-35-001",
        "wan1",
        "Backup WAN uplink",
        "1 Gbit/s",
        'id="links-title"',
    ):
        assert text in body, text
    # The PoP side of each link: the backup ends in Quimper, the primary in Rennes.
    assert net["pops"][0].get_absolute_url() in body
    assert net["pops"][1].get_absolute_url() in body


def test_establishment_history_lists_changes_of_the_site_and_its_parts(
    net: dict[str, Any], reader: Client
) -> None:
    site = net["sites"][0]
    editor = user_with(EDIT, name="bob")
    with change_context(user=editor, source="web"):
        site.criticality = c.Criticality.HIGH
        site.save()
        link = net["links"][0]
        link.committed_down_bps = 200_000_000
        link.save()
        iface = link.a_interface
        iface.enabled = False
        iface.save()
    entries = reader.get(site.get_absolute_url()).context["history"]
    updates = [e for e in entries if e.action == "update"]
    assert [(e.kind, e.user) for e in updates] == [
        ("interface", "bob"),
        ("link", "bob"),
        ("establishment", "bob"),
    ]
    assert [(ch.field, ch.before, ch.after) for ch in updates[1].changes] == [
        ("committed_down_bps", 100_000_000, 200_000_000)
    ]
    body = reader.get(site.get_absolute_url()).content.decode()
    assert "<code>criticality</code>: <del>normal</del> → <ins>high</ins>" in body


def test_history_keeps_a_deleted_link_of_the_site(net: dict[str, Any], reader: Client) -> None:
    chu = net["sites"][2]
    backup = net["links"][3]
    circuit = backup.circuit_id
    backup.delete()
    entries = reader.get(chu.get_absolute_url()).context["history"]
    assert any(e.action == "delete" and circuit in e.object_repr for e in entries)


def test_device_link_pop_operator_and_contract_pages_show_their_parts(
    net: dict[str, Any], reader: Client
) -> None:
    router_q = net["routers"][0]
    body = reader.get(router_q.get_absolute_url()).content.decode()
    assert "PoP router" in body
    assert str(net["links"][0]) in body

    link = net["links"][3]
    body = reader.get(link.get_absolute_url()).content.decode()
    for text in ("CHU de Rennes", "wan1", "450.00\u00a0€"):
        assert text in body, text

    child = f.PopFactory.create(
        name="Concarneau", slug="concarneau", kind=c.PopKind.SECONDARY, parent=net["pops"][0]
    )
    body = reader.get(net["pops"][0].get_absolute_url()).content.decode()
    # Its router, its child PoP and the three links that end in Quimper.
    for text in ("quimper-rtr1", "Concarneau", child.get_absolute_url(), "Lycée de Cornouaille"):
        assert text in body, text
    assert "(3)" in body

    m.Contact.objects.create(operator=net["operator"], name="NOC Armor", phone="+33 2 99 00 00 00")
    response = reader.get(net["operator"].get_absolute_url())
    assert response.context["links_by_technology"] == [("Fibre (FTTO)", 4)]
    body = response.content.decode()
    assert "LOT-1" in body
    assert "NOC Armor" in body


def test_contract_page_shows_service_classes_with_their_sla_terms(
    net: dict[str, Any], reader: Client
) -> None:
    premium = net["service_class"]
    premium.gti_minutes = 90
    premium.gti_clock = c.Schedule.BUSINESS
    premium.gtr_penalty_pct_per_started_hour = 5
    premium.save()
    response = reader.get(net["contract"].get_absolute_url())
    assert response.context["link_count"] == 4
    body = response.content.decode()
    for text in (
        "Premium fibre",
        "99.9\u00a0%",  # availability target
        "99.5\u00a0%",  # a tier
        "25\u00a0%",
        "4 h",  # GTR
        "1 h 30 min",  # GTI
        "Business hours",
        "1\u202f200\u202f000.00\u00a0€",  # total amount
        "1\u202f800.00\u00a0€",  # four links at 450 € a month
        "4 links",
    ):
        assert text in body, text


# Bounded SQL ----------------------------------------------------------------------------------


def count_queries(client: Client, url: str) -> int:
    client.get(url)  # warm the content-type cache and the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def grow_site(site: m.Establishment, links: int, lan_ports: int) -> None:
    cpe = f.DeviceFactory(establishment=site)
    for _ in range(lan_ports):
        f.InterfaceFactory(device=cpe)
    for _ in range(links):
        f.LinkFactory(
            establishment=site, operator=f.OperatorFactory(), contract=f.ContractFactory()
        )


def test_establishment_page_queries_do_not_grow_with_links_and_interfaces(reader: Client) -> None:
    small = f.EstablishmentFactory.create()
    big = f.EstablishmentFactory.create()
    grow_site(small, links=1, lan_ports=1)
    grow_site(big, links=6, lan_ports=20)
    assert count_queries(reader, small.get_absolute_url()) == count_queries(
        reader, big.get_absolute_url()
    )


def test_other_detail_pages_have_bounded_queries(reader: Client) -> None:
    small_pop, big_pop = f.PopFactory.create(), f.PopFactory.create()
    for pop, n in ((small_pop, 1), (big_pop, 8)):
        router = f.PopRouterFactory(pop=pop)
        for _ in range(n):
            f.LinkFactory(z_interface=f.InterfaceFactory(device=router))
        for _ in range(n):
            f.PopFactory(kind=c.PopKind.SECONDARY, parent=pop)
    small_router, big_router = (p.devices.get() for p in (small_pop, big_pop))
    pairs: list[tuple[Any, Any]] = [(small_pop, big_pop), (small_router, big_router)]
    small_op, big_op = f.OperatorFactory.create(), f.OperatorFactory.create()
    for op, n in ((small_op, 1), (big_op, 5)):
        for _ in range(n):
            contract = f.ContractFactory(operator=op)
            f.ServiceClassFactory(contract=contract)
            f.LinkFactory(operator=op, contract=contract)
            m.Contact.objects.create(operator=op, name="NOC")
    pairs.append((small_op, big_op))
    small_c = small_op.contracts.get()
    big_c = f.ContractFactory.create(operator=big_op)
    for _ in range(5):
        f.ServiceClassFactory(contract=big_c)
        f.LinkFactory(operator=big_op, contract=big_c)
    pairs.append((small_c, big_c))
    for small, big in pairs:
        assert count_queries(reader, small.get_absolute_url()) == count_queries(
            reader, big.get_absolute_url()
        ), type(small).__name__


def test_list_queries_do_not_grow_with_rows(reader: Client) -> None:
    f.LinkFactory()
    counts_small = {name: count_queries(reader, reverse(name)) for name in LIST_PAGES}
    for _ in range(6):
        f.LinkFactory(establishment=f.EstablishmentFactory(tenant=f.TenantFactory()))
    counts_big = {name: count_queries(reader, reverse(name)) for name in LIST_PAGES}
    assert counts_small == counts_big


def test_the_csv_download_of_a_french_page_is_for_a_french_spreadsheet(
    net: dict[str, Any], reader: Client
) -> None:
    url = reverse("inventory:establishment_list")
    english = reader.get(url, {"export": "csv"}).content
    assert english.startswith(b"code,")
    from django.utils import translation

    with translation.override("fr"):
        reader.post("/account/", {"language": "fr"})
    french = reader.get(url, {"export": "csv"}).content
    assert french.startswith(b"\xef\xbb\xbfcode;")
    rows = list(csv.DictReader(io.StringIO(french.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == len(list(csv.DictReader(io.StringIO(english.decode()))))
