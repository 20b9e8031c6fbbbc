"""(being built) The `reports` command."""

from __future__ import annotations

import click


def register(main: click.Group) -> None:
    """Add the command to `vertrouwd`."""
