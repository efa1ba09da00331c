"""The follow-up figures: adoption over time, exercises per entity, channel and step, review comments, gaps.

Everything is computed as of the guide's date (guide.yml `date`), never the wall clock, so the
same sources always give the same report.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from guidebuilder.model.dates import MONTHS
from guidebuilder.model.guide import Guide

STATUSES = ("open", "accepted", "rejected", "done")
RESOLVED = ("accepted", "rejected", "done")


def month_label(month: str) -> str:
    """'2026-03' as 'mar. 2026'."""
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1][:3]}. {year}"


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from start to end (0 if end is before start)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)
    return max(months, 0)


@dataclass(frozen=True)
class EntityRow:
    id: str
    name: str
    fictional: bool
    declared: dt.date
    document: str
    exercises: int
    digital: int  # exercises that used at least one digital channel
    non_digital: int  # exercises that used at least one non-digital channel
    steps: tuple  # step ids covered, in steps.yml order
    last_exercise: dt.date | None
    months_since_declaration: int


@dataclass(frozen=True)
class Feedback:
    files: int = 0
    unreadable: int = 0  # files that could not be read as a list of items
    by_status: tuple = ()  # (status, count) for STATUSES, then ("other", n) if any
    by_chapter: tuple = ()  # (chapter title, received, resolved)

    @property
    def received(self) -> int:
        return sum(n for _, n in self.by_status)

    @property
    def resolved(self) -> int:
        return sum(n for s, n in self.by_status if s in RESOLVED)


@dataclass(frozen=True)
class FollowUp:
    cutoff: dt.date
    gap_months: int
    entities: tuple  # EntityRow, by declaration date
    timeline: tuple  # (month label, new declarations, cumulative), every month up to the cut-off
    channels: tuple  # (channel id, name, kind, exercises, entities)
    steps: tuple  # (step id, number, title, exercises, entities)
    gaps: tuple  # EntityRow: declared >= gap_months ago, no exercise yet
    exercises: int
    digital: int
    non_digital: int
    later: int  # declarations or exercises dated after the cut-off (not counted)
    fictional: bool
    feedback: Feedback


def compute(guide: Guide) -> FollowUp:
    cutoff = guide.config.date
    gap_months = guide.config.formats.report.gap_months
    entities = guide.data.by_id("entities")
    channels = guide.data.by_id("channels")
    later = 0
    rows: list[EntityRow] = []
    channel_ex: Counter = Counter()
    channel_ent: dict[str, set] = {}
    step_ex: Counter = Counter()
    step_ent: dict[str, set] = {}
    total = digital = non_digital = 0
    for entry in guide.data.adoption:
        if getattr(entities.get(entry.entity), "fictional", False) and not guide.config.sample:
            continue  # example data: only a sample build counts it
        if entry.declaration.date > cutoff:
            later += 1 + len(entry.exercises)
            continue
        exercises = [e for e in entry.exercises if e.date <= cutoff]
        later += len(entry.exercises) - len(exercises)
        kinds = [{channels[c].kind for c in e.channels if c in channels} for e in exercises]
        n_dig = sum(1 for k in kinds if "digital" in k)
        n_non = sum(1 for k in kinds if "non-digital" in k)
        covered = {s for e in exercises for s in e.steps}
        for e in exercises:
            for c in dict.fromkeys(e.channels):
                channel_ex[c] += 1
                channel_ent.setdefault(c, set()).add(entry.entity)
            for s in dict.fromkeys(e.steps):
                step_ex[s] += 1
                step_ent.setdefault(s, set()).add(entry.entity)
        total, digital, non_digital = total + len(exercises), digital + n_dig, non_digital + n_non
        entity = entities.get(entry.entity)
        rows.append(EntityRow(
            id=entry.entity, name=entity.name if entity else entry.entity,
            fictional=bool(entity and entity.fictional), declared=entry.declaration.date,
            document=entry.declaration.document, exercises=len(exercises), digital=n_dig, non_digital=n_non,
            steps=tuple(s.id for s in guide.data.steps if s.id in covered),
            last_exercise=max((e.date for e in exercises), default=None),
            months_since_declaration=months_between(entry.declaration.date, cutoff)))
    rows.sort(key=lambda r: (r.declared, r.name))
    timeline: list[tuple] = []
    by_month = Counter(r.declared.strftime("%Y-%m") for r in rows)
    running = 0
    if rows:
        year, month = rows[0].declared.year, rows[0].declared.month
        while (year, month) <= (cutoff.year, cutoff.month):  # every month up to the cut-off, gaps included
            key = f"{year:04d}-{month:02d}"
            running += by_month[key]
            timeline.append((month_label(key), by_month[key], running))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    channel_rows = tuple((c.id, c.name, c.kind, channel_ex[c.id], len(channel_ent.get(c.id, ())))
                         for c in guide.data.channels)
    step_rows = tuple((s.id, s.number, s.title, step_ex[s.id], len(step_ent.get(s.id, ())))
                      for s in sorted(guide.data.steps, key=lambda s: s.number))
    gaps = tuple(r for r in rows if r.exercises == 0 and r.months_since_declaration >= gap_months)
    return FollowUp(cutoff=cutoff, gap_months=gap_months, entities=tuple(rows), timeline=tuple(timeline),
                    channels=channel_rows, steps=step_rows, gaps=gaps, exercises=total, digital=digital,
                    non_digital=non_digital, later=later, fictional=any(r.fictional for r in rows),
                    feedback=read_feedback(guide))


def read_feedback(guide: Guide) -> Feedback:
    """Count review comments in guide/feedback/*.yml (read by the loader) by status and chapter.

    The files are written by `guidebuilder feedback import`; they are read defensively: a file
    that is not a list of items (or a mapping with `items:`) is counted as unreadable, an item
    without a known status counts as 'other', and a chapter that is not one of the guide's is
    grouped under 'other'. Reviewer names and comment texts are never looked at.
    """
    statuses: Counter = Counter()
    chapters: dict[str, list[int]] = {}
    titles = {c.id: c.title for c in guide.chapters}
    titles.update({Path(c.file).name: c.title for c in guide.chapters})
    titles.update({Path(c.file).stem: c.title for c in guide.chapters})
    unreadable = 0
    for _name, value in guide.feedback:
        items = value.get("items", value.get("comments")) if isinstance(value, dict) else value
        if not isinstance(items, list):
            unreadable += 1
            continue
        for item in items:
            if not isinstance(item, dict):
                continue
            status = str(item.get("status", "")).strip().lower()
            status = status if status in STATUSES else "other"
            statuses[status] += 1
            chapter = titles.get(str(item.get("chapter", "")).strip(), "Otros o sin capítulo")
            counts = chapters.setdefault(chapter, [0, 0])
            counts[0] += 1
            counts[1] += status in RESOLVED
    order = [c.title for c in guide.chapters] + ["Otros o sin capítulo"]
    by_chapter = tuple((t, *chapters[t]) for t in order if t in chapters)
    by_status = tuple((s, statuses[s]) for s in STATUSES) + ((("other", statuses["other"]),) if statuses["other"] else ())
    return Feedback(files=len(guide.feedback), unreadable=unreadable, by_status=by_status, by_chapter=by_chapter)
