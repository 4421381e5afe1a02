"""Routes of the composed pages' data: live status, throughput and quality chart series (the
pages themselves take over the inventory's and topology's addresses in menhir/urls.py)."""

from django.urls import path

from dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("status/", views.status_json, name="status"),
    *(
        path(f"{plural}/<int:pk>/series/", views.series_json, {"kind": kind}, name=f"{kind}-series")
        for kind, plural in (
            ("establishment", "establishments"),
            ("link", "links"),
            ("pop", "pops"),
            ("operator", "operators"),
        )
    ),
    *(
        path(
            f"{plural}/<int:pk>/quality/",
            views.quality_json,
            {"kind": kind},
            name=f"{kind}-quality",
        )
        for kind, plural in (("establishment", "establishments"), ("link", "links"))
    ),
]
