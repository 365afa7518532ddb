"""Reconcile submissions a crash left in Sending: ask the vendor before anything is sent again.

A submission is in `sending` from its claim until its outcome is committed; one still there after
`older_than` seconds belongs to a process that died (or hung). Recovery takes it over with a
compare-and-set on its `updated_at` (so two recovering processes never both take it), asks the
vendor for its external id, and:

- the vendor has it: Sent, with the vendor's order id (a half-done order is finished first);
- the vendor has no such order: the same request, with the same key, is sent now;
- the vendor cannot be asked (down, no adapter): it stays in Sending, and the report says why.

One submission that cannot be settled (its vendor breaks on it, or an adapter has a bug) stays in
Sending with its reason in the report; recovery goes on with every other one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import col, select

from podtui.adapters.http import ApiError
from podtui.adapters.vendors.base import ManyFinder, VendorAdapter, VendorOrder
from podtui.db import Database
from podtui.domain.models import Submission, SubmissionItem, Vendor, utcnow
from podtui.domain.status import ItemStatus
from podtui.domain.wording import count
from podtui.services.connections.vendors import Connect, connector, sharing
from podtui.services.items.bulk_run import BulkOutcome
from podtui.services.render.on_demand import missing_print_files, render_missing
from podtui.services.sending import submissions
from podtui.services.sending.delivery import resume
from podtui.services.sending.fulfil import SendOptions, _base_url, run_async, send_claimed
from podtui.services.sending.submissions import SENDING, Claim

DEFAULT_OLDER_THAN = 300.0  # seconds; longer than any live send spends on one vendor order


@dataclass
class RecoveryReport:
    """What recovery did with each submission it found in Sending."""

    found: list[int] = field(default_factory=list)  # the vendor had it: now Sent
    resent: list[int] = field(default_factory=list)  # the vendor never got it: sent now
    failed: dict[int, str] = field(default_factory=dict)  # resent and refused: now Failed
    left: dict[int, str] = field(default_factory=dict)  # could not ask: still Sending

    def settled(self, submission_id: int) -> bool:
        """Whether this report already says what became of the submission."""
        return (
            submission_id in self.found
            or submission_id in self.resent
            or submission_id in self.failed
            or submission_id in self.left
        )

    @property
    def total(self) -> int:
        return len(self.found) + len(self.resent) + len(self.failed) + len(self.left)

    def summary(self) -> str:
        return (
            f"Recovered {count(self.total, 'submission')} left in Sending: "
            f"{len(self.found)} found at "
            f"the vendor, {len(self.resent)} sent now, {len(self.failed)} failed, "
            f"{len(self.left)} left in Sending"
        )

    def lines(self) -> list[str]:
        out = [self.summary()]
        out += [f"submission {sid} failed: {why}" for sid, why in self.failed.items()]
        out += [f"submission {sid} left in Sending: {why}" for sid, why in self.left.items()]
        return out


def stuck_submissions(db: Database, older_than: float) -> list[Submission]:
    """Submissions in Sending whose last sign of life is older than `older_than` seconds."""
    cutoff = utcnow() - timedelta(seconds=older_than)
    with db.read() as session:
        rows = session.exec(
            select(Submission).where(col(Submission.state) == SENDING).order_by(col(Submission.id))
        ).all()
    return [s for s in rows if older_than <= 0 or _aware(s.updated_at) <= cutoff]


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def take_over(db: Database, sub: Submission) -> bool:
    """Claim a stuck submission for this process (compare-and-set on its `updated_at`)."""
    with db.write() as session:
        result = session.execute(
            update(Submission)
            .where(
                col(Submission.id) == sub.id,
                col(Submission.state) == SENDING,
                col(Submission.updated_at) == sub.updated_at,
            )
            .values(updated_at=utcnow(), attempts=Submission.attempts + 1)
        )
        return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]


def recover(
    db: Database,
    *,
    older_than: float = DEFAULT_OLDER_THAN,
    connect: Connect | None = None,
    options: SendOptions | None = None,
    vendor_kinds: Sequence[str] | None = None,
) -> RecoveryReport:
    """Reconcile every submission left in Sending for longer than `older_than` seconds."""
    report = RecoveryReport()
    stuck = stuck_submissions(db, older_than)
    if not stuck:
        return report
    with db.read() as session:
        vendors = {v.id: v for v in session.exec(select(Vendor)).all()}
    by_vendor: dict[int, list[Submission]] = {}
    for sub in stuck:
        vendor = vendors.get(sub.vendor_id)
        if vendor is None or (vendor_kinds is not None and vendor.kind not in vendor_kinds):
            continue
        by_vendor.setdefault(sub.vendor_id, []).append(sub)
    opts = options or SendOptions()
    link = sharing(connect or connector(), db)

    async def run() -> None:
        base_url = _base_url(opts)
        await asyncio.gather(
            *(
                _vendor(db, vendors[vid], subs, link, opts, base_url, report)
                for vid, subs in by_vendor.items()
            )
        )

    run_async(run)
    return report


async def _vendor(
    db: Database,
    vendor: Vendor,
    subs: list[Submission],
    link: Connect,
    options: SendOptions,
    base_url: str,
    report: RecoveryReport,
) -> None:
    try:
        adapter = link(vendor)
    except Exception as exc:  # no adapter, no token, no module: this vendor only
        for sub in subs:
            assert sub.id is not None
            report.left[sub.id] = f"cannot reach {vendor.name}: {exc}"
        return
    mine: list[Submission] = []
    try:
        mine = [s for s in subs if await asyncio.to_thread(take_over, db, s)]
        since = min((s.created_at for s in mine), default=None)
        found, unasked = await _find_all(adapter, [s.idempotency_key for s in mine], since)
        sem = asyncio.Semaphore(max(1, adapter.max_concurrency))

        async def one(sub: Submission) -> None:
            assert sub.id is not None
            if sub.idempotency_key in unasked:
                report.left[sub.id] = f"could not ask {vendor.name}: {unasked[sub.idempotency_key]}"
                return
            async with sem:
                try:
                    await _reconcile(db, adapter, sub, found.get(sub.idempotency_key), options,
                                     base_url, report)  # fmt: skip
                except Exception as exc:  # one submission's trouble never stops the others
                    report.left[sub.id] = f"could not settle it: {_plain(exc)}"

        await asyncio.gather(*(one(s) for s in mine))
    except Exception as exc:  # whatever broke, the other vendors go on; this one is reported
        for sub in mine:
            assert sub.id is not None
            if not report.settled(sub.id):
                report.left[sub.id] = f"could not ask {vendor.name}: {_plain(exc)}"
    finally:
        await adapter.aclose()


def _plain(exc: Exception) -> str:
    """An error as the report shows it: an ApiError says it all, anything else is unexpected."""
    if isinstance(exc, ApiError):
        return str(exc)
    return f"an unexpected error: {exc} ({type(exc).__name__})"


async def _find_all(
    adapter: VendorAdapter, keys: list[str], since: datetime | None = None
) -> tuple[dict[str, VendorOrder], dict[str, str]]:
    """The vendor's orders for these keys, and the keys it could not be asked about (why).

    A vendor that can only list (Printify) lists back to `since`, the oldest claim, so an order
    created long ago is still found, never sent again; when that list breaks, no key was asked.
    Others are asked key by key, so one that breaks leaves only its own submission in Sending.
    """
    if isinstance(adapter, ManyFinder) and keys:
        try:
            found = await adapter.find_many(keys, since=since)
        except Exception as exc:
            return {}, dict.fromkeys(keys, _plain(exc))
        return found, {}
    out: dict[str, VendorOrder] = {}
    unasked: dict[str, str] = {}
    for key in keys:
        try:
            order = await adapter.find(key)
        except Exception as exc:
            unasked[key] = _plain(exc)
            continue
        if order is not None:
            out[key] = order
    return out, unasked


async def _reconcile(
    db: Database,
    adapter: VendorAdapter,
    sub: Submission,
    found: VendorOrder | None,
    options: SendOptions,
    base_url: str,
    report: RecoveryReport,
) -> None:
    assert sub.id is not None
    if found is not None:
        how = "recovered"
        try:
            order = await resume(adapter, found)
        except ApiError as exc:
            # The vendor has the order; only its last step broke. Never send it again: it is
            # Sent, with the vendor's status saying where it stopped.
            order = found
            how = f"recovered; finishing it failed: {exc}"
        if await asyncio.to_thread(submissions.record_sent, db, sub.id, order, how=how):
            report.found.append(sub.id)
        return
    with db.read() as session:
        items = list(
            session.exec(
                select(SubmissionItem.item_id).where(SubmissionItem.submission_id == sub.id)
            ).all()
        )
    if options.render_missing:
        # Resending needs the print files; a history imported from elsewhere may lack them.
        missing = await asyncio.to_thread(
            missing_print_files, db, items, statuses=(ItemStatus.SENDING,)
        )
        if missing:
            await asyncio.to_thread(render_missing, db, missing)
    claim = Claim(sub.id, sub.idempotency_key, sub.vendor_id, items, retry=False)
    outcome = BulkOutcome()
    # We asked a moment ago and the vendor had nothing: send, with the same key.
    await send_claimed(db, adapter, claim, options, base_url, outcome, ask_first=False)
    if outcome.failed:
        report.failed[sub.id] = next(iter(outcome.failed.values()))
    else:
        report.resent.append(sub.id)
