"""WSGI entry for any server: `gunicorn vertrouwd.wsgi:app`."""

from __future__ import annotations

from vertrouwd.wiring import web_app
from workflow.settings import load_settings

app = web_app(load_settings())
