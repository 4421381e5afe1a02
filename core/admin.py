from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.models import ObjectChange, Tag, Token

# The admin's own header, in the reader's language (Django's default names Django).
admin.site.site_header = _("Menhir administration")
admin.site.site_title = _("Menhir administration")
admin.site.index_title = _("Inventory, accounts and decisions")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin[Tag]):
    list_display = ("name", "slug", "color")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin[ObjectChange]):
    list_display = ("time", "user_name", "source", "action", "changed_object_type", "object_repr")
    list_filter = ("action", "source", "changed_object_type")
    search_fields = ("object_repr", "user_name", "message")
    readonly_fields = [f.name for f in ObjectChange._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Token)
class TokenAdmin(admin.ModelAdmin[Token]):
    # The key itself is never stored; only its prefix is shown.
    list_display = ("prefix", "user", "description", "created", "expires", "last_used")
    readonly_fields = ("prefix", "created", "last_used")
    fields = ("user", "prefix", "description", "expires", "created", "last_used")

    def has_add_permission(self, request: object) -> bool:
        return (
            False  # tokens are issued by `menhir token create` or the API, which show the key once
        )
