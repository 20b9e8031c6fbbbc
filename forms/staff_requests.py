"""(being built) The coordinator's page of the clients' requests to erase their data."""

from __future__ import annotations

from flask import Flask


def install(app: Flask) -> None:
    """Add the routes."""
