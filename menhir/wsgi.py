"""WSGI entry point for gunicorn: `gunicorn menhir.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

from menhir.database import ensure_database_url

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "menhir.settings")
ensure_database_url()
application = get_wsgi_application()
