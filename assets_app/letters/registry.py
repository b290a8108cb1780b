"""How the letters pages link back to what a letter is about, without importing that domain.

A domain registers, for its `subject_type`, a function taking subject ids and returning
{id: (label, url)} in one query: `register_subject("ticket", links_for_tickets)`.
"""

from __future__ import annotations

from collections.abc import Callable

SUBJECT_LINKS: dict[str, Callable[[list[int]], dict[int, tuple[str, str]]]] = {}


def register_subject(subject_type: str, resolver) -> None:
    SUBJECT_LINKS[subject_type] = resolver


def subject_links(letters) -> dict[tuple[str, int], tuple[str, str]]:
    """{(subject_type, subject_id): (label, url)} for the letters given, one query per type."""
    wanted: dict[str, set[int]] = {}
    for lt in letters:
        if lt.subject_type and lt.subject_id is not None:
            wanted.setdefault(lt.subject_type, set()).add(lt.subject_id)
    out: dict[tuple[str, int], tuple[str, str]] = {}
    for kind, ids in wanted.items():
        resolver = SUBJECT_LINKS.get(kind)
        if resolver is None:
            continue
        for sid, link in resolver(sorted(ids)).items():
            out[(kind, sid)] = link
    return out
