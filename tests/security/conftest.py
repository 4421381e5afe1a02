from tests.common.api.clients import admin, client_for, editor, reader  # noqa: F401
