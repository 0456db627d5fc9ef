"""The measure catalogue: which measures a dashboard shows and how each is defined.

The defaults are data, in `crime_catalogue.toml` next to this module; a partnership can
pass its own file. A catalogue is validated as it is built: any mistake raises
ConfigurationError naming the measure and the field.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from saferhub.errors import ConfigurationError
from saferhub.rules.rag import Polarity

Source = Literal["mps", "series"]
RatePer = Literal["population", "households"]

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_FIELDS = {
    "key",
    "label",
    "sentence_name",
    "sentence_name_one",
    "source",
    "categories",
    "series",
    "rate_per",
    "polarity",
    "definition",
    "origin",
}


@dataclass(frozen=True)
class CategorySelector:
    """An MPS category: a major category, and optionally one of its minor categories."""

    major: str
    minor: str | None = None


@dataclass(frozen=True)
class MeasureDefinition:
    key: str
    label: str
    source: Source
    polarity: Polarity
    definition: str
    origin: str
    categories: tuple[CategorySelector, ...] = ()
    series: tuple[str, ...] = ()
    rate_per: RatePer | None = None
    sentence_name: str = ""  # plural phrase for sentences; default "cases of <label>"
    sentence_name_one: str = ""  # the same for a count of one; default "case of <label>"

    def noun(self, count: float | None = None) -> str:
        """What the sentences call it: "cases of Residential Burglary", "1 case of …"."""
        if count == 1:
            return self.sentence_name_one or self.sentence_name or f"case of {self.label}"
        return self.sentence_name or f"cases of {self.label}"

    @property
    def rate_label(self) -> str | None:
        if self.rate_per is None:
            return None
        return "per 1,000 households" if self.rate_per == "households" else "per 1,000 residents"


@dataclass(frozen=True)
class Catalogue:
    measures: tuple[MeasureDefinition, ...]
    origin: str = "default catalogue"

    def __post_init__(self) -> None:
        if not self.measures:
            raise ConfigurationError(f"The measure catalogue ({self.origin}) has no measures.")
        seen: set[str] = set()
        for measure in self.measures:
            if measure.key in seen:
                raise ConfigurationError(
                    f"The measure catalogue ({self.origin}) has two measures with key "
                    f"'{measure.key}'; keys must be unique."
                )
            seen.add(measure.key)

    def get(self, key: str) -> MeasureDefinition:
        for measure in self.measures:
            if measure.key == key:
                return measure
        raise KeyError(key)

    @property
    def series_names(self) -> tuple[str, ...]:
        """Every measure name the series files may use."""
        return tuple(dict.fromkeys(name for m in self.measures for name in m.series))


def default_catalogue() -> Catalogue:
    text = files("saferhub.measures").joinpath("crime_catalogue.toml").read_text(encoding="utf-8")
    return parse_catalogue(tomllib.loads(text), "default catalogue")


def load_catalogue(path: str | Path) -> Catalogue:
    """Read a catalogue TOML file (same shape as the default one)."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigurationError(f"There is no catalogue file at '{path}'.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"The catalogue {path.name} is not valid TOML: {exc}.") from None
    return parse_catalogue(data, path.name)


def parse_catalogue(data: dict[str, Any], origin: str) -> Catalogue:
    entries = data.get("measure")
    if not isinstance(entries, list):
        raise ConfigurationError(
            f"The catalogue {origin} has no [[measure]] entries.",
            "Start from the default catalogue described in docs/measures/crime.md.",
        )
    return Catalogue(
        tuple(_measure(entry, origin, n) for n, entry in enumerate(entries, 1)), origin
    )


def _measure(entry: Any, origin: str, number: int) -> MeasureDefinition:
    where = f"Catalogue {origin}, measure {number}"
    if not isinstance(entry, dict):
        raise ConfigurationError(f"{where} is not a table of fields.")
    key = entry.get("key")
    if isinstance(key, str):
        where = f"Catalogue {origin}, measure '{key}'"
    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        raise ConfigurationError(
            f"{where}: unknown field '{unknown[0]}'.", f"Fields are: {', '.join(sorted(_FIELDS))}."
        )

    def text(name: str, required: bool = True) -> str:
        value = entry.get(name, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise ConfigurationError(f"{where}: '{name}' must be non-empty text.")
        return value.strip()

    if not isinstance(key, str) or not _KEY.match(key):
        raise ConfigurationError(
            f"{where}: 'key' must be lower-case letters, digits and underscores, e.g. 'robbery'."
        )
    source = text("source")
    if source not in ("mps", "series"):
        raise ConfigurationError(f"{where}: 'source' is '{source}'; use 'mps' or 'series'.")
    try:
        polarity = Polarity(text("polarity"))
    except ValueError:
        raise ConfigurationError(
            f"{where}: 'polarity' must be one of {', '.join(p.value for p in Polarity)}."
        ) from None
    rate_per = entry.get("rate_per")
    if rate_per not in (None, "population", "households"):
        raise ConfigurationError(
            f"{where}: 'rate_per' is '{rate_per}'; use 'population', 'households' or leave it out."
        )
    categories: tuple[CategorySelector, ...] = ()
    series: tuple[str, ...] = ()
    if source == "mps":
        if "series" in entry:
            raise ConfigurationError(f"{where}: an 'mps' measure takes 'categories', not 'series'.")
        raw = entry.get("categories")
        if not isinstance(raw, list) or not raw:
            raise ConfigurationError(f"{where}: 'categories' must list at least one category.")
        categories = tuple(_category(item, where, i) for i, item in enumerate(raw, 1))
    else:
        if "categories" in entry:
            raise ConfigurationError(
                f"{where}: a 'series' measure takes 'series', not 'categories'."
            )
        raw = entry.get("series")
        if (
            not isinstance(raw, list)
            or not raw
            or not all(isinstance(s, str) and s.strip() for s in raw)
        ):
            raise ConfigurationError(f"{where}: 'series' must list at least one measure name.")
        series = tuple(s.strip() for s in raw)
    return MeasureDefinition(
        key=key,
        label=text("label"),
        source=source,  # type: ignore[arg-type]
        polarity=polarity,
        definition=text("definition"),
        origin=text("origin"),
        categories=categories,
        series=series,
        rate_per=rate_per,
        sentence_name=text("sentence_name", required=False),
        sentence_name_one=text("sentence_name_one", required=False),
    )


def _category(item: Any, where: str, number: int) -> CategorySelector:
    if not isinstance(item, dict) or not isinstance(item.get("major"), str):
        raise ConfigurationError(
            f"{where}: category {number} needs a 'major' name, e.g. {{ major = \"Burglary\" }}."
        )
    minor = item.get("minor")
    if minor is not None and (not isinstance(minor, str) or not minor.strip()):
        raise ConfigurationError(f"{where}: category {number} has an empty 'minor' name.")
    extra = set(item) - {"major", "minor"}
    if extra:
        raise ConfigurationError(
            f"{where}: category {number} has unknown field '{sorted(extra)[0]}'."
        )
    return CategorySelector(item["major"].strip(), minor.strip() if minor else None)
