"""Combining MPS releases: for each month and borough, the newest file that has it wins.

Files from different releases overlap and later releases revise earlier months. For each
month, each borough's figures come from the newest file that has that month and has
rows for that borough (the newest is the file whose latest month is later; a tie goes to
the file given last). A borough that a newer file leaves out keeps the older file's
figures, never zero, and `CrimeCounts.notes` says which figures came from which file.

Categories: the wide files list a category for a borough only where it had crime in the
file's period, so a category missing for one borough is a zero. A category missing from
the whole newer file, though, was dropped by that release: its figures are kept from the
older file, and a note says so. Except when the newer file has a category of the same
major category that the older file lacks: that looks like a rename, and keeping both
would count the same crimes twice, so the older name is not kept (and a note says so).

Borough and ward files are merged separately: ward files leave out crimes that could not
be placed in a ward (about 4% of them), so borough figures come from borough files only.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import pyarrow as pa
import pyarrow.compute as pc

from saferhub.rules.periods import Month

if TYPE_CHECKING:
    from saferhub.sources.mps import MpsRelease

Level = Literal["borough", "ward"]
_SEPARATOR = "\x1f"  # between major and minor category in a category key

CANONICAL_SCHEMA = pa.schema(
    [
        ("area_code", pa.string()),
        ("area_name", pa.string()),
        ("area_type", pa.string()),
        ("borough", pa.string()),
        ("major_category", pa.string()),
        ("minor_category", pa.string()),
        ("month", pa.date32()),
        ("count", pa.int64()),
        ("source_release", pa.string()),
    ]
)


@dataclass(frozen=True)
class ReleaseUse:
    """Provenance: which months of a file made it into the merged counts."""

    file: str
    level: Level
    first: Month
    last: Month
    months_used: tuple[Month, ...]


@dataclass(frozen=True)
class CrimeCounts:
    """Recorded crime from every file given, merged: canonical rows plus provenance."""

    table: pa.Table
    releases: tuple[ReleaseUse, ...]
    months: dict[str, frozenset[Month]] = field(default_factory=dict)  # level -> months covered

    def covered(self, level: Level = "borough") -> frozenset[Month]:
        return self.months.get(level, frozenset())

    @functools.cached_property
    def notes(self) -> tuple[str, ...]:
        """Sentences a report must carry: figures that came from an older file than the
        rest of their month, and boroughs no file gives for some months."""
        return merge_notes(self.table, self.releases)


def _category(major: str, minor: str) -> str:
    return f"{major}{_SEPARATOR}{minor}"


def _label(category: str) -> str:
    major, _, minor = category.partition(_SEPARATOR)
    return f"{major} / {minor}"


def _release_contents(release: MpsRelease) -> tuple[frozenset[str], frozenset[str]]:
    """The boroughs and the categories a release has rows for."""
    boroughs: set[str] = set()
    categories: set[str] = set()
    for block in release.blocks:
        for _code, _name, borough, major, minor in block.keys:
            boroughs.add(borough)
            categories.add(_category(major, minor))
    return frozenset(boroughs), frozenset(categories)


def _renamed(winner: frozenset[str], older: frozenset[str], category: str) -> bool:
    """True when the winner has a new category under the same major one: a likely rename."""
    major = category.partition(_SEPARATOR)[0]
    return any(c.partition(_SEPARATOR)[0] == major and c not in older for c in winner)


@dataclass
class _Keep:
    """What one release contributes: rows of these months, boroughs and categories."""

    whole: set[Month] = field(default_factory=set)
    # (boroughs, categories or None for all) -> months
    parts: dict[tuple[frozenset[str], frozenset[str] | None], set[Month]] = field(
        default_factory=dict
    )

    def add(self, month: Month, boroughs: frozenset[str], categories: frozenset[str] | None):
        self.parts.setdefault((boroughs, categories), set()).add(month)

    @property
    def months(self) -> set[Month]:
        return self.whole.union(*self.parts.values())


def _days(months: set[Month]) -> pa.Array:
    return pa.array(sorted(m.first_day for m in months), pa.date32())


def _kept_rows(table: pa.Table, keep: _Keep) -> pa.Table:
    month = table["month"]
    mask = pc.is_in(month, value_set=_days(keep.whole)) if keep.whole else None
    if keep.parts:
        borough = pc.cast(table["borough"], pa.string())
        key = None
        for (boroughs, categories), months in keep.parts.items():
            part = pc.and_(
                pc.is_in(month, value_set=_days(months)),
                pc.is_in(borough, value_set=pa.array(sorted(boroughs), pa.string())),
            )
            if categories is not None:
                if key is None:
                    key = pc.binary_join_element_wise(
                        pc.cast(table["major_category"], pa.string()),
                        pc.cast(table["minor_category"], pa.string()),
                        _SEPARATOR,
                    )
                part = pc.and_(
                    part, pc.is_in(key, value_set=pa.array(sorted(categories), pa.string()))
                )
            mask = part if mask is None else pc.or_(mask, part)
    return table.filter(mask)


def merge_releases(releases: Sequence[MpsRelease]) -> CrimeCounts:
    """Combine files: per month and borough, the newest file that has them wins (module doc)."""
    order = [i for i, _ in sorted(enumerate(releases), key=lambda item: (item[1].last, item[0]))]
    contents = [_release_contents(r) for r in releases]
    covering: dict[tuple[str, Month], list[int]] = {}  # newest first
    for position in reversed(order):
        for month in releases[position].months:
            covering.setdefault((releases[position].level, month), []).append(position)
    keeps = [_Keep() for _ in releases]
    for (_level, month), positions in covering.items():
        newest = positions[0]
        boroughs_of = {p: contents[p][0] for p in positions}
        if len(positions) == 1:
            keeps[newest].whole.add(month)
            continue
        winner_of: dict[str, int] = {}
        for position in positions:  # newest first: the first file with a borough wins it
            for borough in boroughs_of[position]:
                winner_of.setdefault(borough, position)
        won: dict[int, set[str]] = {}
        for borough, position in winner_of.items():
            won.setdefault(position, set()).add(borough)
        for position, boroughs in won.items():
            if boroughs == boroughs_of[position]:
                keeps[position].whole.add(month)
            else:
                keeps[position].add(month, frozenset(boroughs), None)
        # Categories a winning file dropped altogether: kept from the newest older file.
        for borough, winner in winner_of.items():
            carried: set[str] = set()
            for position in positions[positions.index(winner) + 1 :]:
                if borough not in boroughs_of[position]:
                    continue
                older = contents[position][1]
                dropped = {
                    c
                    for c in older - contents[winner][1] - carried
                    if not _renamed(contents[winner][1], older, c)
                }
                if dropped:
                    keeps[position].add(month, frozenset({borough}), frozenset(dropped))
                    carried |= dropped
    parts: list[pa.Table] = []
    uses: list[ReleaseUse] = []
    for position, release in enumerate(releases):
        keep = keeps[position]
        used = tuple(m for m in release.months if m in keep.months)
        uses.append(ReleaseUse(release.file, release.level, release.first, release.last, used))
        if len(keep.whole) == len(release.months):
            parts.append(release.table)
        elif used:
            parts.append(_kept_rows(release.table, keep))
    table = pa.concat_tables(parts) if parts else CANONICAL_SCHEMA.empty_table()
    covered: dict[str, set[Month]] = {}
    for level, month in covering:
        covered.setdefault(level, set()).add(month)
    return CrimeCounts(
        table, tuple(uses), {level: frozenset(months) for level, months in covered.items()}
    )


# -- Notes ----------------------------------------------------------------------------------


def _month_spans(months: Sequence[Month]) -> str:
    """'Jan 2023 to Mar 2023, May 2023': consecutive months joined into spans."""
    ordered = sorted(set(months))
    spans: list[tuple[Month, Month]] = []
    for month in ordered:
        if spans and spans[-1][1] + 1 == month:
            spans[-1] = (spans[-1][0], month)
        else:
            spans.append((month, month))
    return ", ".join(a.label if a == b else f"{a.label} to {b.label}" for a, b in spans)


def _names(names: Sequence[str], everyone: Sequence[str]) -> str:
    """Every name, or "every borough except …" when that is the shorter way to name them all."""
    ordered = sorted(set(names))
    others = sorted(set(everyone) - set(ordered))
    if len(ordered) > 2 * len(others) + 1:
        return f"Every borough except {', '.join(others)}"
    return ", ".join(ordered)


def merge_notes(table: pa.Table, releases: Sequence[ReleaseUse]) -> tuple[str, ...]:
    """Which figures came from an older file than the rest of their month, and which
    boroughs no file gives for some of the months the files cover.

    Worked out from the merged rows themselves (each row names its file), so the notes
    are the same whether the rows come straight from the files or from the database.
    """
    if table.num_rows == 0:
        return ()
    rank = {
        use.file: n
        for n, use in enumerate(sorted(releases, key=lambda u: u.last))  # stable: given order
    }
    keys = ["area_type", "month", "borough", "source_release"]
    # Dictionary columns group without being decoded once their dictionaries are unified.
    groups = table.select(keys).unify_dictionaries().group_by(keys).aggregate([]).to_pylist()
    notes: list[str] = []
    for level in ("borough", "ward"):
        triples = [g for g in groups if g["area_type"] == level]
        if triples:
            notes.extend(_level_notes(table, triples, level, rank))
    return tuple(notes)


def _level_notes(
    table: pa.Table, triples: list[dict], level: str, rank: dict[str, int]
) -> list[str]:
    sources_of: dict[tuple[Month, str], set[str]] = {}
    for row in triples:
        key = (Month.of(row["month"]), row["borough"])
        sources_of.setdefault(key, set()).add(row["source_release"])
    months = sorted({m for m, _ in sources_of})
    boroughs = sorted({b for _, b in sources_of})
    main: dict[Month, str] = {}  # each month's newest file
    for (month, _), sources in sources_of.items():
        newest = max(sources, key=lambda s: rank.get(s, -1))
        if month not in main or rank.get(newest, -1) > rank.get(main[month], -1):
            main[month] = newest
    whole: dict[tuple[str, str, str], list[Month]] = {}  # (borough, older, newer) -> months
    mixed: set[tuple[Month, str, str]] = set()  # (month, borough, older source)
    missing: dict[str, list[Month]] = {}
    for month in months:
        for borough in boroughs:
            sources = sources_of.get((month, borough))
            if sources is None:
                missing.setdefault(borough, []).append(month)
            elif main[month] not in sources:
                older = max(sources, key=lambda s: rank.get(s, -1))
                whole.setdefault((borough, older, main[month]), []).append(month)
            else:
                mixed.update((month, borough, s) for s in sources if s != main[month])
    notes = []
    by_files: dict[tuple[str, str, tuple[Month, ...]], list[str]] = {}
    for (borough, older, newer), ms in whole.items():
        by_files.setdefault((older, newer, tuple(ms)), []).append(borough)
    for (older, newer, ms), names in sorted(by_files.items()):
        notes.append(
            f"{_names(names, boroughs)} ({level} figures), {_month_spans(ms)}: taken from {older}, "
            f"because {newer}, the newer file for those months, has no rows for "
            f"{'it' if len(names) == 1 else 'them'}."
        )
    if mixed:
        carried: dict[tuple[str, str, str], set[Month]] = {}
        wanted = pa.table(
            {
                "month": pa.array([m.first_day for m, _, _ in mixed], pa.date32()),
                "borough": [b for _, b, _ in mixed],
                "source": [s for _, _, s in mixed],
            }
        )
        rows = table.filter(pc.equal(pc.cast(table["area_type"], pa.string()), level))
        plain = pa.table(
            {
                "month": rows["month"],
                **{
                    name: pc.cast(rows[column], pa.string())
                    for name, column in (
                        ("borough", "borough"),
                        ("source", "source_release"),
                        ("major", "major_category"),
                        ("minor", "minor_category"),
                    )
                },
            }
        )
        kept = plain.join(wanted, ["month", "borough", "source"], join_type="inner")
        for row in kept.group_by(["major", "minor", "source", "month"]).aggregate([]).to_pylist():
            month = Month.of(row["month"])
            key = (f"{row['major']} / {row['minor']}", row["source"], main[month])
            carried.setdefault(key, set()).add(month)
        for (category, older, newer), ms in sorted(carried.items()):
            notes.append(
                f"{category} ({level} figures), {_month_spans(list(ms))}: taken from {older}, "
                f"because {newer}, the newer file for those months, does not have this "
                "category at all."
            )
    for borough, ms in sorted(missing.items()):
        notes.append(
            f"No file gives {borough} ({level} figures) for {_month_spans(ms)}: its figures "
            "for any period that includes those months are left blank, not counted as zero, "
            "and no London rank is given for them."
        )
    return notes
