"""Probation caseload needs analysis (seed 000): needs, registrations and disadvantage by group.

The measures are Ibis expressions over a validated caseload (`sources.caseload`). The
caseload is read once: `caseload_profile` counts everything every table needs, per
combination of setting, gender, ethnicity, age band, sentence and tier, in a single
pass; each table is then a small aggregation of that profile. `analyse` runs them all
and returns result objects (`CrossTab`, `Comparison`) that every output renders.

Every table declares its percentage base (`rules.needs.Base`): the total of the table,
the row, or the column. Seed 000 uses different bases in different tables, and the
defaults below reproduce each of its tables exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir

from saferhub.errors import ConfigurationError
from saferhub.rules import needs as rules
from saferhub.rules.needs import Base, Item

if TYPE_CHECKING:
    from saferhub.sources.caseload import Caseload

YES, NO, PEOPLE = "Yes", "No", "People"
ASSESSED, NOT_ASSESSED = "Assessed", "Not assessed"


@dataclass(frozen=True, slots=True)
class Dimension:
    """A way of splitting the caseload into groups, as table columns."""

    column: str  # the profile column holding each person's group
    label: str  # how a report names the split: "setting", "gender" …
    groups: tuple[str, ...]  # every group, in report order
    always: tuple[str, ...]  # shown even when empty; the others only when present


DIMENSIONS: dict[str, Dimension] = {
    d.column: d
    for d in (
        Dimension(
            "setting", "setting", tuple(s.label for s in rules.SETTINGS),
            tuple(s.label for s in rules.SETTINGS),
        ),
        Dimension("setting_group", "setting", rules.SETTING_GROUPS, rules.SETTING_GROUPS),
        Dimension("gender", "gender", rules.GENDER_LABELS, rules.CORE_GENDERS),
        Dimension("ethnicity", "ethnicity", rules.ETHNIC_GROUPS, rules.ETHNIC_GROUPS),
        Dimension(
            "ethnic_group", "ethnic group", rules.BROAD_ETHNIC_GROUPS, rules.BROAD_ETHNIC_GROUPS
        ),
        Dimension(
            "age_band", "age band", tuple(b.label for b in rules.AGE_BANDS), rules.CORE_AGE_BANDS
        ),
        Dimension(
            "sentence_type", "order or sentence", tuple(s.label for s in rules.SENTENCE_TYPES), ()
        ),
        Dimension("tier", "tier", (*rules.TIERS, "Not tiered"), ()),
    )
}  # fmt: skip
# Sentence and tier are counted apart from the needs profile (sentence_profile): only
# the caseload tables split by them, and they would multiply the profile's rows.
SENTENCE_GROUPINGS: tuple[str, ...] = ("sentence_type", "tier")


# --- The measures (Ibis) --------------------------------------------------------------


def _labelled(column: ir.StringValue, labels: Mapping[str, str]) -> ir.StringValue:
    return ibis.cases(*((column == code, label) for code, label in labels.items()))


def _flag(value: ir.BooleanValue) -> ir.IntegerValue:
    """1 when true, 0 when false or not recorded."""
    return value.fill_null(False).cast("int32")


def smd_domain_flags(caseload: ir.Table) -> dict[str, ir.BooleanValue]:
    """Whether each person has each domain of severe multiple disadvantage.

    A domain is present when any of its OASys needs or nDelius registrations is yes;
    offending is present for everyone on the caseload (rules.needs.SMD_DOMAINS; source:
    the issue's definition, after Lankelly Chase, "Hard Edges", applied to the seed 000
    needs and registrations).
    """
    flags: dict[str, ir.BooleanValue] = {}
    for domain in rules.SMD_DOMAINS:
        if domain.everyone:
            flags[domain.code] = ibis.literal(True)
            continue
        parts = [caseload[rules.need_column(c)].fill_null(False) for c in domain.needs]
        parts += [caseload[rules.registration_column(c)] for c in domain.registrations]
        present = parts[0]
        for part in parts[1:]:
            present = present | part
        flags[domain.code] = present
    return flags


def age_band(age: ir.IntegerValue) -> ir.StringValue:
    """The age band of an age: 18–25, 26–49 or 50+, the bands seed 000 asks for, and under
    18 (rules.needs.AGE_BANDS)."""
    return ibis.cases(
        *(
            (
                age.between(band.lowest, band.highest)
                if band.highest is not None
                else age >= band.lowest,
                band.label,
            )
            for band in rules.AGE_BANDS
        )
    )


def with_groups(table: ir.Table) -> ir.Table:
    """Each person's (or profile row's) groups, from the codes the extract records: setting
    and setting group (Community or Custody, as seed 000 tabulates them), ethnic group
    (Black, Asian & minority ethnic or White, seed 000; null for refused or no data), and,
    where the table has them, sentence label and tier ("Not tiered" when blank)."""
    t = table
    broad = {group: g for group, g in rules.BROAD_GROUP.items() if g is not None}
    labels: dict[str, Any] = {
        "setting_group": _labelled(t.setting, rules.SETTING_GROUP),
        "setting": _labelled(t.setting, rules.SETTING_LABELS),
    }
    if "ethnicity" in t.columns:
        labels["ethnic_group"] = _labelled(t.ethnicity, broad)
    if "sentence_type" in t.columns:
        labels["sentence_type"] = _labelled(t.sentence_type, rules.SENTENCE_TYPE_LABELS)
    if "tier" in t.columns:
        labels["tier"] = t.tier.fill_null("Not tiered")
    return t.mutate(**labels)


def caseload_profile(caseload: ir.Table) -> ir.Table:
    """People counted once, by setting, gender, ethnicity and age band: how many there are,
    how many have an OASys assessment, how many of those have each need (yes and no), how
    many have each nDelius registration, and how many assessed people have each domain of
    severe multiple disadvantage and two, three or four of them (source: seed 000; severe
    multiple disadvantage after Lankelly Chase, "Hard Edges")."""
    t = caseload.mutate(age_band=age_band(caseload.age))
    assessed = t.assessment_date.notnull()
    domains = smd_domain_flags(t)
    domain_count = sum((_flag(flag & assessed) for flag in domains.values()), start=ibis.literal(0))
    metrics: dict[str, Any] = {"people": t.count(), "assessed": _flag(assessed).sum()}
    for need in rules.NEEDS:
        value = t[rules.need_column(need.code)]
        metrics[f"need_{need.code}_yes"] = _flag(value).sum()
        metrics[f"need_{need.code}_no"] = _flag(~value).sum()
    for registration in rules.REGISTRATIONS:
        metrics[f"reg_{registration.code}"] = _flag(
            t[rules.registration_column(registration.code)]
        ).sum()
    for code, flag in domains.items():
        metrics[f"smd_{code}"] = _flag(flag & assessed).sum()
    for at_least in (rules.SMD_THRESHOLD, 3, len(rules.SMD_DOMAINS)):
        metrics[f"smd_{at_least}_or_more"] = (domain_count >= at_least).cast("int32").sum()
    # One pass over the people, grouped by the codes as recorded; the labels are worked
    # out on the few hundred rows it leaves.
    counted = t.group_by(["setting", "gender", "ethnicity", "age_band"]).aggregate(**metrics)
    return with_groups(counted)


def sentence_profile(caseload: ir.Table) -> ir.Table:
    """People on the caseload by setting, order or sentence type, and tier (source: the
    caseload extract; BRIEF lists tier among the probation data)."""
    counted = caseload.group_by(["setting", "sentence_type", "tier"]).aggregate(
        people=caseload.count()
    )
    return with_groups(counted)


NEED_METRICS: tuple[str, ...] = (
    "assessed",
    *(f"need_{n.code}_{answer}" for n in rules.NEEDS for answer in ("yes", "no")),
)
REGISTRATION_METRICS: tuple[str, ...] = ("people", *(f"reg_{r.code}" for r in rules.REGISTRATIONS))
SMD_METRICS: tuple[str, ...] = (
    "assessed",
    *(f"smd_{d.code}" for d in rules.SMD_DOMAINS),
    *(f"smd_{n}_or_more" for n in (rules.SMD_THRESHOLD, 3, len(rules.SMD_DOMAINS))),
)
METRICS: tuple[str, ...] = tuple(
    dict.fromkeys((*NEED_METRICS, *REGISTRATION_METRICS, *SMD_METRICS))
)


def group_totals(profile: ir.Table, dimension: str) -> ir.Table:
    """For each group, every count the profile holds (people, assessed, needs,
    registrations, disadvantage), added up over the group's profile rows (seed 000's
    tables are selections of these)."""
    return profile.group_by(dimension).aggregate(**{m: profile[m].sum() for m in METRICS})


def needs_by(profile: ir.Table, dimension: str) -> ir.Table:
    """For each group, the people with an OASys assessment and how many of them have, and
    do not have, each of the ten criminogenic needs (source: seed 000)."""
    return group_totals(profile, dimension).select(dimension, *NEED_METRICS)


def registrations_by(profile: ir.Table, dimension: str) -> ir.Table:
    """For each group, the people on the caseload and how many have each nDelius
    registration (source: seed 000)."""
    return group_totals(profile, dimension).select(dimension, *REGISTRATION_METRICS)


def assessment_coverage(profile: ir.Table, dimension: str) -> ir.Table:
    """For each group, the people on the caseload and how many have an OASys assessment;
    the rest are shown as not assessed, never dropped (BRIEF: 835 of 947 in seed 000)."""
    return group_totals(profile, dimension).select(dimension, "people", "assessed")


def smd_by(profile: ir.Table, dimension: str) -> ir.Table:
    """For each group, the assessed people with each domain of severe multiple
    disadvantage, and with two or more (the definition), three or more, and all four
    (source: the BRIEF's needs analysis, extended by the issue's definition)."""
    return group_totals(profile, dimension).select(dimension, *SMD_METRICS)


def people_by(profile: ir.Table, rows: str, columns: str) -> ir.Table:
    """People on the caseload in each combination of two groupings, e.g. gender by
    setting (source: seed 000)."""
    return profile.group_by([rows, columns]).aggregate(people=profile.people.sum())


def caseload_totals(profile: ir.Table) -> ir.Table:
    """Every count the profile holds, for the whole caseload: one row (the totals of the
    tables of seed 000, e.g. 947 people and 835 assessed)."""
    return profile.aggregate(**{m: profile[m].sum() for m in METRICS})


def need_prevalence(profile: ir.Table) -> ir.Table:
    """Across the whole caseload, the assessed people and how many have each need, the
    share seed 001 compares between Barnet and London."""
    return caseload_totals(profile).select("assessed", *(f"need_{n.code}_yes" for n in rules.NEEDS))


def registration_prevalence(profile: ir.Table) -> ir.Table:
    """Across the whole caseload, the people and how many have each registration, to
    compare areas as seed 001 compares needs."""
    return caseload_totals(profile).select(*REGISTRATION_METRICS)


def people_not_assessed(caseload: ir.Table) -> ir.Table:
    """Everyone on the caseload without an OASys assessment, by CRN, so that they can be
    followed up: they are counted in the caseload tables but cannot be in the needs tables
    (BRIEF: "Show the missing")."""
    t = with_groups(caseload.filter(caseload.assessment_date.isnull()))
    return t.select("crn", "setting", "sentence_type", "tier").order_by(["setting", "crn"])


# --- Result objects -------------------------------------------------------------------


@dataclass(frozen=True)
class CrossTab:
    """A cross-tabulation: counts per row, column and answer, and the percentage base.

    Yes/no tables have answers ("Yes", "No") and one row per question (a need, a
    registration); count tables have the one answer "People" and one row per category.
    """

    key: str
    title: str
    row_heading: str
    rows: tuple[Item, ...]
    columns: tuple[str, ...]
    answers: tuple[str, ...]
    counts: Mapping[tuple[str, str, str], int]  # (row code, column, answer) -> people
    base: Base
    population: int  # everyone counted in the table: the total base
    population_label: str  # who they are: "assessed people", "people on the caseload"
    notes: tuple[str, ...] = ()
    hidden: frozenset[tuple[str, str, str]] = frozenset()  # suppressed for disclosure

    @property
    def is_yes_no(self) -> bool:
        return len(self.answers) > 1

    def raw_count(self, row: str, column: str, answer: str) -> int:
        return self.counts.get((row, column, answer), 0)

    def count(self, row: str, column: str, answer: str) -> int | None:
        """The count, or None when it is suppressed."""
        if (row, column, answer) in self.hidden:
            return None
        return self.raw_count(row, column, answer)

    def denominator(self, row: str, column: str, answer: str | None = None) -> int:
        """What a cell's percentage is out of, following the table's base."""
        if self.base is Base.TOTAL:
            return self.population
        if self.base is Base.ROW:
            return sum(self.raw_count(row, c, a) for c in self.columns for a in self.answers)
        if self.is_yes_no:
            return sum(self.raw_count(row, column, a) for a in self.answers)
        return sum(self.raw_count(r.code, column, answer or self.answers[0]) for r in self.rows)

    def percent(self, row: str, column: str, answer: str) -> float | None:
        """The cell as a percentage of its base, to 2 places; None when suppressed or 0/0."""
        count = self.count(row, column, answer)
        if count is None:
            return None
        return rules.percent(count, self.denominator(row, column, answer))

    def column_total(self, column: str) -> int:
        """People in one column (for yes/no tables, the people answering the first row)."""
        if self.is_yes_no:
            row = self.rows[0].code
            return sum(self.raw_count(row, column, a) for a in self.answers)
        return sum(self.raw_count(r.code, column, self.answers[0]) for r in self.rows)

    @property
    def base_description(self) -> str:
        if self.base is Base.TOTAL:
            return f"% of all {self.population:,} {self.population_label} in the table"
        if self.base is Base.ROW:
            return "% of the row: each row's figures add up to 100%"
        return f"% of the column: the {self.population_label} in each group"


@dataclass(frozen=True)
class ComparisonRow:
    code: str
    label: str
    count: int | None
    base: int
    percent: float | None
    other_count: int | None
    other_base: int
    other_percent: float | None

    @property
    def difference(self) -> float | None:
        """Percentage points (BRIEF: proportions are compared in points)."""
        if self.percent is None or self.other_percent is None:
            return None
        return round(self.percent - self.other_percent, 2)


@dataclass(frozen=True)
class Comparison:
    """One area's share of people with each need or registration against another area's."""

    key: str
    title: str
    area: str
    other_area: str
    population_label: str  # what each share is out of
    rows: tuple[ComparisonRow, ...]


@dataclass(frozen=True)
class NotAssessed:
    crn: str
    setting: str
    sentence_type: str
    tier: str


@dataclass(frozen=True)
class NeedsAnalysis:
    """Everything the needs report shows, computed once."""

    source: str
    as_of: date
    as_of_given: bool
    area: str
    people: int
    assessed: int
    tables: tuple[CrossTab, ...]
    comparisons: tuple[Comparison, ...] = ()
    not_assessed: tuple[NotAssessed, ...] = ()
    public: bool = False
    lists_people: bool = True  # False once published for anyone beyond probation

    def table(self, key: str) -> CrossTab:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)


TABLE_KINDS = ("needs", "registrations", "people", "coverage", "smd")


@dataclass(frozen=True)
class TableSpec:
    """Which table to build: what it counts, split by which dimension, on which base."""

    key: str
    kind: str  # one of TABLE_KINDS
    dimension: str
    base: Base
    title: str
    rows_dimension: str | None = None  # for "people" tables: the rows' grouping

    def __post_init__(self) -> None:
        where = f"Table '{self.key}'"
        if self.kind not in TABLE_KINDS:
            raise ConfigurationError(
                f"{where}: '{self.kind}' is not a kind of table.", f"Use {', '.join(TABLE_KINDS)}."
            )
        for grouping in (self.dimension, self.rows_dimension):
            if grouping is not None and grouping not in DIMENSIONS:
                raise ConfigurationError(
                    f"{where}: '{grouping}' is not a grouping.", f"Use {', '.join(DIMENSIONS)}."
                )
        if (self.kind == "people") != (self.rows_dimension is not None):
            raise ConfigurationError(
                f"{where}: a table of people needs rows_dimension, and only it takes one."
            )
        if not isinstance(self.base, Base):
            raise ConfigurationError(f"{where}: the base must be total, row or column.")


def default_tables() -> tuple[TableSpec, ...]:
    """The report's tables. The six seed 000 publishes (needs by setting, gender and ethnic
    group; registrations, gender and ethnicity by setting) keep the seed's own bases."""
    specs = [
        TableSpec(
            "coverage_by_setting", "coverage", "setting", Base.ROW, "OASys assessments by setting"
        ),
        TableSpec(
            "needs_by_setting", "needs", "setting_group", Base.TOTAL,
            "Criminogenic needs by community and custody",
        ),
        TableSpec(
            "needs_by_gender", "needs", "gender", Base.TOTAL, "Criminogenic needs by gender"
        ),
        TableSpec(
            "needs_by_ethnic_group", "needs", "ethnic_group", Base.TOTAL,
            "Criminogenic needs by ethnicity (grouped)",
        ),
        TableSpec(
            "needs_by_ethnicity", "needs", "ethnicity", Base.COLUMN,
            "Criminogenic needs by ethnicity",
        ),
        TableSpec(
            "needs_by_age_band", "needs", "age_band", Base.COLUMN, "Criminogenic needs by age"
        ),
        TableSpec(
            "registrations_by_setting", "registrations", "setting_group", Base.TOTAL,
            "nDelius registrations by community and custody",
        ),
        TableSpec(
            "registrations_by_gender", "registrations", "gender", Base.COLUMN,
            "nDelius registrations by gender",
        ),
        TableSpec(
            "registrations_by_ethnic_group", "registrations", "ethnic_group", Base.COLUMN,
            "nDelius registrations by ethnicity (grouped)",
        ),
        TableSpec(
            "registrations_by_ethnicity", "registrations", "ethnicity", Base.COLUMN,
            "nDelius registrations by ethnicity",
        ),
        TableSpec(
            "registrations_by_age_band", "registrations", "age_band", Base.COLUMN,
            "nDelius registrations by age",
        ),
        TableSpec(
            "gender_by_setting", "people", "setting_group", Base.ROW,
            "Gender by community and custody", rows_dimension="gender",
        ),
        TableSpec(
            "ethnicity_by_setting", "people", "setting_group", Base.ROW,
            "Ethnicity by community and custody", rows_dimension="ethnicity",
        ),
        TableSpec(
            "age_band_by_setting", "people", "setting_group", Base.ROW,
            "Age by community and custody", rows_dimension="age_band",
        ),
        TableSpec(
            "sentence_by_setting", "people", "setting", Base.COLUMN,
            "Order or sentence by setting", rows_dimension="sentence_type",
        ),
        TableSpec(
            "tier_by_setting", "people", "setting", Base.COLUMN, "Tier by setting",
            rows_dimension="tier",
        ),
        TableSpec(
            "smd_by_setting", "smd", "setting_group", Base.COLUMN,
            "Severe multiple disadvantage by community and custody",
        ),
        TableSpec("smd_by_gender", "smd", "gender", Base.COLUMN,
                  "Severe multiple disadvantage by gender"),
        TableSpec(
            "smd_by_ethnic_group", "smd", "ethnic_group", Base.COLUMN,
            "Severe multiple disadvantage by ethnicity (grouped)",
        ),
        TableSpec("smd_by_age_band", "smd", "age_band", Base.COLUMN,
                  "Severe multiple disadvantage by age"),
    ]  # fmt: skip
    return tuple(specs)


# --- Running the measures -------------------------------------------------------------


def _present_groups(dimension: Dimension, counts: Mapping[str, int]) -> tuple[str, ...]:
    return tuple(g for g in dimension.groups if g in dimension.always or counts.get(g, 0) > 0)


def _smd_rows() -> tuple[Item, ...]:
    rows = [Item(d.code, d.label) for d in rules.SMD_DOMAINS]
    rows += [
        Item(f"{rules.SMD_THRESHOLD}_or_more", "Severe multiple disadvantage (2 or more domains)"),
        Item("3_or_more", "3 or more domains"),
        Item(f"{len(rules.SMD_DOMAINS)}_or_more", "All 4 domains"),
    ]
    return tuple(rows)


class _Runner:
    """Runs the measures on one caseload's profiles.

    Each query has a fixed cost, so the groupings the tables need are run together: one
    query for every group_totals, one for every people_by, besides the one pass over
    the people that makes the profiles.
    """

    def __init__(self, caseload: Caseload, specs: Sequence[TableSpec] = ()) -> None:
        backend = caseload.backend
        self.backend = backend
        # The one pass over the people; everything after works on its few hundred rows.
        self.profile = ibis.memtable(backend.to_pyarrow(caseload_profile(caseload.table)))
        self.sentences = ibis.memtable(backend.to_pyarrow(sentence_profile(caseload.table)))
        self._by: dict[str, dict[str, dict[str, Any]]] = {}
        self._people: dict[tuple[str, str], list[dict[str, Any]]] = {}
        dimensions = sorted({s.dimension for s in specs if s.kind != "people"})
        if dimensions:
            parts = [
                group_totals(self.profile, d).rename(group=d).mutate(dimension=ibis.literal(d))
                for d in dimensions
            ]
            for row in self.rows(ibis.union(*parts) if len(parts) > 1 else parts[0]):
                if row["group"] is not None:
                    self._by.setdefault(row["dimension"], {})[row["group"]] = row
            for d in dimensions:
                self._by.setdefault(d, {})
        pairs = sorted({(s.rows_dimension, s.dimension) for s in specs if s.rows_dimension})
        if pairs:
            parts = [
                self._people_by(r, c)
                .rename(row=r, column=c)
                .mutate(rows=ibis.literal(r), columns=ibis.literal(c))
                for r, c in pairs
            ]
            for row in self.rows(ibis.union(*parts) if len(parts) > 1 else parts[0]):
                key = (row["rows"], row["columns"])
                self._people.setdefault(key, []).append(
                    {key[0]: row["row"], key[1]: row["column"], "people": row["people"]}
                )

    def rows(self, expr: ir.Table) -> list[dict[str, Any]]:
        return self.backend.to_pyarrow(expr).to_pylist()

    def totals(self) -> dict[str, int]:
        row = self.rows(caseload_totals(self.profile))[0]
        return {name: value or 0 for name, value in row.items()}

    def by(self, dimension: str) -> dict[str, dict[str, Any]]:
        """group_totals for a dimension, by group (needs_by, registrations_by, smd_by and
        assessment_coverage are each a selection of these columns)."""
        if dimension not in self._by:
            rows = self.rows(group_totals(self.profile, dimension))
            self._by[dimension] = {r[dimension]: r for r in rows if r[dimension] is not None}
        return self._by[dimension]

    def _people_by(self, rows: str, columns: str) -> ir.Table:
        source = self.sentences if rows in SENTENCE_GROUPINGS else self.profile
        return people_by(source, rows, columns)

    def people_by(self, rows: str, columns: str) -> list[dict[str, Any]]:
        if (rows, columns) not in self._people:
            self._people[(rows, columns)] = self.rows(self._people_by(rows, columns))
        return self._people[(rows, columns)]


def _cross_tab(spec: TableSpec, run: _Runner, totals: Mapping[str, int]) -> CrossTab:
    dimension = DIMENSIONS[spec.dimension]
    counts: dict[tuple[str, str, str], int] = {}
    notes: list[str] = []
    if spec.kind == "people" or spec.kind == "coverage":
        rows_dimension = DIMENSIONS[spec.rows_dimension or spec.dimension]
        if spec.kind == "coverage":
            per_row = run.by(spec.dimension)
            row_labels = _present_groups(dimension, {k: v["people"] for k, v in per_row.items()})
            columns: tuple[str, ...] = (ASSESSED, NOT_ASSESSED)
            for label in row_labels:
                row = per_row.get(label, {"people": 0, "assessed": 0})
                counts[(label, ASSESSED, PEOPLE)] = row["assessed"]
                counts[(label, NOT_ASSESSED, PEOPLE)] = row["people"] - row["assessed"]
            population = sum(r["people"] for r in per_row.values())
        else:
            data = run.people_by(rows_dimension.column, spec.dimension)
            by_row: dict[str, int] = {}
            by_column: dict[str, int] = {}
            for r in data:
                row_label, column = r[rows_dimension.column], r[spec.dimension]
                counts[(row_label, column, PEOPLE)] = r["people"]
                by_row[row_label] = by_row.get(row_label, 0) + r["people"]
                by_column[column] = by_column.get(column, 0) + r["people"]
            row_labels = _present_groups(rows_dimension, by_row)
            columns = _present_groups(dimension, by_column)
            population = sum(by_row.values())
        return CrossTab(
            key=spec.key,
            title=spec.title,
            row_heading=rows_dimension.label.capitalize()
            if spec.kind == "people"
            else dimension.label.capitalize(),
            rows=tuple(Item(label, label) for label in row_labels),
            columns=columns,
            answers=(PEOPLE,),
            counts=counts,
            base=spec.base,
            population=population,
            population_label="people on the caseload",
            notes=tuple(notes),
        )

    if spec.kind == "needs":
        items = rules.NEEDS
        row_heading, population_label = "Criminogenic need", "assessed people"
        group_size = "assessed"
    elif spec.kind == "registrations":
        items = rules.REGISTRATIONS
        row_heading, population_label = "Registration", "people on the caseload"
        group_size = "people"
    else:
        items = _smd_rows()
        row_heading, population_label = "Domain", "assessed people"
        group_size = "assessed"
    per_group = run.by(spec.dimension)
    columns = _present_groups(dimension, {g: r[group_size] for g, r in per_group.items()})
    for group in columns:
        r = per_group.get(group)
        for item in items:
            if r is None:
                yes = no = 0
            elif spec.kind == "needs":
                yes, no = r[f"need_{item.code}_yes"], r[f"need_{item.code}_no"]
            elif spec.kind == "registrations":
                yes = r[f"reg_{item.code}"]
                no = r["people"] - yes
            else:
                yes = r[f"smd_{item.code}"]
                no = r["assessed"] - yes
            counts[(item.code, group, YES)] = yes
            counts[(item.code, group, NO)] = no
    population = sum(per_group[g][group_size] for g in columns if g in per_group)
    left_out = totals[group_size] - population
    if left_out:
        who = "people" if group_size == "people" else "assessed people"
        why = {
            "ethnic_group": "their ethnicity was refused or not recorded",
        }.get(spec.dimension, f"their {dimension.label} is not one of these groups")
        notes.append(f"{left_out:,} {who} are not in this table because {why}.")
    if group_size == "assessed" and totals["people"] > totals["assessed"]:
        missing = totals["people"] - totals["assessed"]
        notes.append(
            f"{missing:,} people on the caseload have no OASys assessment and are not in this "
            "table; see 'OASys assessments by setting'."
        )
    return CrossTab(
        key=spec.key,
        title=spec.title,
        row_heading=row_heading,
        rows=tuple(items),
        columns=columns,
        answers=(YES, NO),
        counts=counts,
        base=spec.base,
        population=population,
        population_label=population_label,
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class _Prevalence:
    needs: dict[str, int]
    assessed: int
    registrations: dict[str, int]
    people: int


def _prevalence(totals: Mapping[str, int]) -> _Prevalence:
    return _Prevalence(
        needs={n.code: totals[f"need_{n.code}_yes"] for n in rules.NEEDS},
        assessed=totals["assessed"],
        registrations={r.code: totals[f"reg_{r.code}"] for r in rules.REGISTRATIONS},
        people=totals["people"],
    )


def _comparisons(
    this: _Prevalence, other: _Prevalence, area: str, other_area: str
) -> tuple[Comparison, ...]:
    def rows(
        items: tuple[Item, ...],
        mine: dict[str, int],
        base: int,
        theirs: dict[str, int],
        other_base: int,
    ) -> tuple[ComparisonRow, ...]:
        return tuple(
            ComparisonRow(
                item.code, item.label, mine[item.code], base, rules.percent(mine[item.code], base),
                theirs[item.code], other_base, rules.percent(theirs[item.code], other_base),
            )
            for item in items
        )  # fmt: skip

    return (
        Comparison(
            "needs_comparison",
            f"Criminogenic needs: {area} and {other_area}",
            area,
            other_area,
            "assessed people",
            rows(rules.NEEDS, this.needs, this.assessed, other.needs, other.assessed),
        ),
        Comparison(
            "registrations_comparison",
            f"nDelius registrations: {area} and {other_area}",
            area,
            other_area,
            "people on the caseload",
            rows(
                rules.REGISTRATIONS,
                this.registrations,
                this.people,
                other.registrations,
                other.people,
            ),
        ),
    )


def analyse(
    caseload: Caseload,
    *,
    area: str = "This area",
    comparison: Caseload | None = None,
    comparison_area: str = "Comparison area",
    tables: Sequence[TableSpec] | None = None,
) -> NeedsAnalysis:
    """Run every table on a validated caseload (and a comparison area's, if given)."""
    specs = tuple(tables or default_tables())
    run = _Runner(caseload, specs)
    totals = run.totals()
    prevalence = _prevalence(totals)
    crosstabs = tuple(_cross_tab(spec, run, totals) for spec in specs)
    comparisons: tuple[Comparison, ...] = ()
    if comparison is not None:
        other = _prevalence(_Runner(comparison).totals())
        comparisons = _comparisons(prevalence, other, area, comparison_area)
    # Column by column: a national caseload has a hundred thousand people to list.
    listed = caseload.backend.to_pyarrow(people_not_assessed(caseload.table))
    not_assessed = tuple(
        map(
            NotAssessed,
            *(listed[c].to_pylist() for c in ("crn", "setting", "sentence_type", "tier")),
        )
    )
    return NeedsAnalysis(
        source=caseload.source,
        as_of=caseload.as_of,
        as_of_given=caseload.as_of_given,
        area=area,
        people=prevalence.people,
        assessed=prevalence.assessed,
        tables=crosstabs,
        comparisons=comparisons,
        not_assessed=not_assessed,
    )


def with_base(table: CrossTab, base: Base) -> CrossTab:
    """The same table on another percentage base."""
    return replace(table, base=base)


__all__ = [
    "DIMENSIONS",
    "Comparison",
    "ComparisonRow",
    "CrossTab",
    "NeedsAnalysis",
    "TableSpec",
    "age_band",
    "analyse",
    "assessment_coverage",
    "caseload_profile",
    "caseload_totals",
    "default_tables",
    "group_totals",
    "need_prevalence",
    "needs_by",
    "people_by",
    "people_not_assessed",
    "registration_prevalence",
    "registrations_by",
    "sentence_profile",
    "smd_by",
    "smd_domain_flags",
    "with_base",
    "with_groups",
]
