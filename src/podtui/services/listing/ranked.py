"""Sorts by a rank no index holds: status in workflow order, vendor by name, due time.

The list is cut into segments, each an ordinary indexed window sorted by creation time: one per
status (in `WORKFLOW_ORDER`), one per vendor (by name, items without one last), and for the due
time one per store with a promised turnaround, whose windows are merged by creation time plus
that turnaround, then the stores without one. Segments of one rank are merged; ranks follow one
another. A row's key is (rank, its time in the sort, its id), so keyset paging goes on across
segments as it does within one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from podtui.domain.status import WORKFLOW_ORDER
from podtui.services.listing.query import (
    Dialect,
    FetchKind,
    ListRow,
    Lookups,
    Resolved,
    WindowRequest,
    parse_ts,
)

MERGE_READ_ROWS = 5000  # an offset up to this is read from each merged segment, past it sorted
Fetch = Callable[[Resolved, WindowRequest], tuple[list[ListRow], bool]]
Count = Callable[[Resolved], int]
# Rows `offset` on of segments merged by due time, sorted by SQL (a jump: query.due_offset_sql).
MergedOffset = Callable[[list["Segment"], int, int], list[ListRow]]


@dataclass(frozen=True)
class Segment:
    """Part of a ranked list: its items (sorted by creation time) and their rank."""

    rank: int
    resolved: Resolved
    shift: timedelta = timedelta(0)  # added to the creation time: the due time


def segment_groups(
    r: Resolved, lookups: Lookups, turnaround_days: Mapping[str, float]
) -> list[list[Segment]]:
    """The segments of a ranked sort, grouped by rank, in the list's order."""
    inner = replace(r, sort="created")
    groups: list[list[Segment]] = []
    if r.sort == "status":
        for rank, status in enumerate(WORKFLOW_ORDER):
            if r.statuses is None or status.value in r.statuses:
                groups.append([Segment(rank, replace(inner, statuses=(status.value,)))])
    elif r.sort == "vendor":
        by_name = sorted(lookups.vendors.items(), key=lambda kv: (kv[1][0].lower(), kv[0]))
        for rank, (vendor_id, _) in enumerate(by_name):
            if r.vendor_ids is None or vendor_id in r.vendor_ids:
                groups.append([Segment(rank, replace(inner, vendor_ids=(vendor_id,)))])
        if r.vendor_ids is None:
            groups.append([Segment(len(by_name), replace(inner, no_vendor=True))])
    elif r.sort == "due":
        promised: list[Segment] = []
        other: list[int] = []
        for store_id, name in sorted(lookups.stores.items()):
            if r.store_ids is not None and store_id not in r.store_ids:
                continue
            days = turnaround_days.get(name)
            if days is None:
                other.append(store_id)
            else:
                narrowed = replace(inner, store_ids=(store_id,))
                promised.append(Segment(0, narrowed, timedelta(days=days)))
        if promised:
            groups.append(promised)
        if other or not promised:
            rest = replace(inner, store_ids=tuple(other)) if promised else inner
            groups.append([Segment(1, rest)])
    else:
        raise ValueError(f"not a ranked sort: {r.sort}")
    return groups[::-1] if r.descending else groups


def _outer_key(d: Dialect, seg: Segment, row: ListRow) -> tuple[Any, ...]:
    if not seg.shift:
        return (seg.rank, row.key[0], row.key[1])
    return (seg.rank, d.ts(parse_ts(row.key[0]) + seg.shift), row.key[1])


def _inner_key(d: Dialect, seg: Segment, key: Sequence[Any]) -> tuple[Any, ...]:
    if not seg.shift:
        return (key[1], key[2])
    return (d.ts(parse_ts(key[1]) - seg.shift), key[2])


def _merge(
    d: Dialect, group: list[Segment], parts: list[list[ListRow]], descending: bool
) -> list[ListRow]:
    """The rows of one rank in list order, each keyed for paging across segments."""
    if len(group) == 1:
        return [replace(row, key=_outer_key(d, group[0], row)) for row in parts[0]]
    pairs = [(seg, row) for seg, rows in zip(group, parts, strict=True) for row in rows]
    pairs.sort(key=lambda p: (p[1].created_at + p[0].shift, p[1].key[1]), reverse=descending)
    return [replace(row, key=_outer_key(d, seg, row)) for seg, row in pairs]


def ranked_window(
    d: Dialect,
    groups: list[list[Segment]],
    req: WindowRequest,
    descending: bool,
    fetch: Fetch,
    count: Count,
    merged_offset: MergedOffset | None = None,
) -> tuple[list[ListRow], bool]:
    """One window of a ranked list, in list order; True when it reached the list's end."""
    ranks = [group[0].rank for group in groups]

    def at_or_past(rank: int, key_rank: int) -> bool:
        return rank <= key_rank if descending else rank >= key_rank

    def read(
        group: list[Segment], kind: FetchKind, limit: int, key: Any = None, offset: int = 0
    ) -> list[ListRow]:
        parts = []
        for seg in group:
            inner = _inner_key(d, seg, key) if key is not None else None
            rows, _ = fetch(seg.resolved, WindowRequest(kind, limit, inner, offset))
            parts.append(rows)
        return _merge(d, group, parts, descending)

    if req.kind in ("before", "last"):
        rows: list[ListRow] = []
        end = len(groups) - 1
        first_kind: FetchKind = "last"
        if req.kind == "before":
            assert req.key is not None
            key_rank = req.key[0]
            past = [i for i, rank in enumerate(ranks) if not at_or_past(rank, key_rank)]
            same = [i for i, rank in enumerate(ranks) if rank == key_rank]
            end = same[0] if same else (past[-1] if past else -1)
            first_kind = "before" if same else "last"
        for i in range(end, -1, -1):
            need = req.limit - len(rows)
            if need <= 0:
                break
            key = req.key if (i == end and first_kind == "before") else None
            got = read(groups[i], first_kind if i == end else "last", need, key)
            rows = got[-need:] + rows
        return rows, len(rows) < req.limit
    start, key, offset = 0, None, 0
    kind: FetchKind = "first"
    if req.kind in ("after", "at"):
        assert req.key is not None
        key_rank = req.key[0]
        start = next((i for i, r in enumerate(ranks) if at_or_past(r, key_rank)), len(ranks))
        if start < len(ranks) and ranks[start] == req.key[0]:
            kind, key = req.kind, req.key
    elif req.kind == "offset":
        offset = req.offset
        start = len(groups)
        for i, group in enumerate(groups):
            size = sum(count(seg.resolved) for seg in group)
            if offset < size:
                start = i
                break
            offset -= size
        kind = "offset" if offset else "first"
    rows = []
    for i in range(start, len(groups)):
        need = req.limit - len(rows)
        if need <= 0:
            break
        group = groups[i]
        merged = i == start and kind == "offset" and len(group) > 1
        if merged and merged_offset is not None and offset > MERGE_READ_ROWS:
            # Deep into segments merged by due time: SQL sorts them all (rare: a far jump).
            by_store = {seg.resolved.store_ids[0]: seg for seg in group if seg.resolved.store_ids}
            got = [
                replace(row, key=_outer_key(d, by_store[row.store_id or 0], row))
                for row in merged_offset(group, offset, need)
            ]
        elif merged:
            # Near the start of merged segments: read up to the offset from each, merged.
            got = read(group, "first", offset + need)[offset:]
        elif i == start:
            got = read(group, kind, need, key, offset)
        else:
            got = read(group, "first", need)
        rows.extend(got[:need])
    return rows, len(rows) < req.limit
