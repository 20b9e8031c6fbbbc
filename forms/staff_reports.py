"""(being built) The coordinator's page of anonymised reports."""

from __future__ import annotations

from flask import Flask


def install(app: Flask) -> None:
    """Add the routes."""
