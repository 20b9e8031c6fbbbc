"""Small-count suppression: which published counts to show as "<5", so none can be worked out.

The cells are any hashable keys with their true counts; a `Sum` is a published total and the
published cells that add up to it (a row or a column of a table with its total). `suppress`
returns the cells to hide, by this rule:

1. Primary: every count of 1 to 4 is hidden (`SMALLEST_SHOWN` is 5; 0 is shown).
2. Secondary, one cell at a time until nothing changes:
   a. A sum is exposed when exactly one of its cells (parts and total) is hidden, since the
      total minus the rest gives it; or when its total is visible and two or more hidden
      parts add up to their number, since then each can only be 1. For the first exposed
      sum, hide its smallest visible non-zero part, else its total if visible and non-zero,
      else the smallest visible non-zero cell of all.
   b. Else, when the sums taken together as linear equations in the hidden cells (solved
      exactly, in fractions, to reduced row echelon form) fix the value of a hidden cell,
      take the first such cell (in the order of `values`) and hide the cover (as in a) of
      the first sum that holds it and has one, else the smallest visible non-zero cell of
      all.
   Among equal counts the first in order wins (the sum's parts, or `values`). Only non-zero
   cells are hidden in this step, so every hidden cell is at least 1.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Generic, TypeVar

SMALLEST_SHOWN = 5

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Sum(Generic[K]):
    """Published cells that add up to a published total: what a reader can subtract."""

    total: K
    parts: tuple[K, ...]


def suppress(values: Mapping[K, int], sums: Sequence[Sum[K]]) -> frozenset[K]:
    """The cells to publish as "<5": 1 to 4, and whatever would let one work those out."""
    hidden = {key for key, value in values.items() if 0 < value < SMALLEST_SHOWN}
    while (more := _one_more(values, sums, hidden)) is not None:
        hidden.add(more)
    return frozenset(hidden)


def _one_more(values: Mapping[K, int], sums: Sequence[Sum[K]], hidden: set[K]) -> K | None:
    """The next cell to hide, or None when no hidden cell can be worked out."""
    for line in sums:
        if _is_exposed(values, line, hidden):
            found = _cover(values, line, hidden)
            return found if found is not None else _smallest(values, values.keys(), hidden)
    fixed = determined(values, sums, hidden)
    if not fixed:
        return None
    for line in sums:
        if fixed[0] in (line.total, *line.parts):
            found = _cover(values, line, hidden)
            if found is not None:
                return found
    return _smallest(values, values.keys(), hidden)


def _is_exposed(values: Mapping[K, int], line: Sum[K], hidden: set[K]) -> bool:
    """One hidden cell (total minus the rest), or hidden parts that can only all be 1."""
    shut = [key for key in (*line.parts, line.total) if key in hidden]
    if len(shut) == 1:
        return True
    return line.total not in hidden and len(shut) > 1 and sum(values[k] for k in shut) == len(shut)


def _cover(values: Mapping[K, int], line: Sum[K], hidden: set[K]) -> K | None:
    """The smallest visible non-zero part of the sum, else its total."""
    found = _smallest(values, line.parts, hidden)
    if found is None and line.total not in hidden and values[line.total] > 0:
        return line.total
    return found


def _smallest(values: Mapping[K, int], keys: Iterable[K], hidden: set[K]) -> K | None:
    candidates = [key for key in keys if key not in hidden and values[key] > 0]
    return min(candidates, key=lambda key: values[key]) if candidates else None


def determined(values: Mapping[K, int], sums: Sequence[Sum[K]], hidden: set[K]) -> list[K]:
    """The hidden cells whose value the published cells and sums fix (reduced row echelon)."""
    order = [key for key in values if key in hidden]
    index = {key: i for i, key in enumerate(order)}
    pivots: dict[int, dict[int, Fraction]] = {}
    for line in sums:
        row: dict[int, Fraction] = {}
        for key, sign in [(part, 1) for part in line.parts] + [(line.total, -1)]:
            if key in index:
                row[index[key]] = row.get(index[key], Fraction(0)) + sign
        _add_row(pivots, {c: v for c, v in row.items() if v})
    return [order[column] for column, row in sorted(pivots.items()) if len(row) == 1]


def _add_row(pivots: dict[int, dict[int, Fraction]], row: dict[int, Fraction]) -> None:
    """Reduce `row` by the pivots so far; if anything is left, it becomes a pivot row."""
    for column in [c for c in row if c in pivots]:
        factor = row[column]
        for c, v in pivots[column].items():
            row[c] = row.get(c, Fraction(0)) - factor * v
    row = {c: v for c, v in row.items() if v}
    if not row:
        return
    pivot = min(row)
    row = {c: v / row[pivot] for c, v in row.items()}
    for other in pivots.values():
        if pivot in other:
            factor = other[pivot]
            for c, v in row.items():
                other[c] = other.get(c, Fraction(0)) - factor * v
            for c in [c for c, v in other.items() if not v]:
                del other[c]
    pivots[pivot] = row
