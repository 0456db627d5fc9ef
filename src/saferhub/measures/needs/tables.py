"""Which tables the needs analysis builds: each one's kind, grouping and percentage base.

Every table declares its base (`rules.needs.Base`): the total of the table, the row, or
the column. Seed 000 uses different bases in different tables, and the defaults below
reproduce each of its tables exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from saferhub.errors import ConfigurationError
from saferhub.measures.needs.dimensions import DIMENSIONS
from saferhub.rules.needs import Base

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
