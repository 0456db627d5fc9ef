"""Load the synthetic partnership's crime extracts for the demo's crime dashboard.

`saferhub demo` calls `load(extract_dir, people)`. The files are the ones
`saferhub.synth.crime_counts` writes, in the real MPS, GLA and measure-series formats,
and they go through the same validating readers as any user's files. With
`saferhub demo --crime-data`, real MPS files take their place, one or more
(`mps_borough_crime-1.csv`, `-2` …: the London Datastore splits its history in two).
The partner breakdowns (CCTV, Prevent, hate crime, tools and powers) are stored with them.
"""

from __future__ import annotations

from pathlib import Path

from saferhub.app.crime import load_crime_data
from saferhub.app.partner import load_breakdowns
from saferhub.measures.catalogue import default_catalogue
from saferhub.web.insights.breakdowns import store_breakdowns
from saferhub.web.insights.data import store

CRIME = "mps_borough_crime.csv"
POPULATION = "borough_population.csv"
SERIES = "partner_measures.csv"
BREAKDOWNS = "partner_breakdowns.csv"


def load(extract_dir: Path, people: dict[str, int] | None = None) -> dict[str, int]:
    """Validate and store the crime extracts; nothing is stored if they are absent."""
    crime = sorted(extract_dir.glob(CRIME.replace(".csv", "*.csv")))
    if not crime or not (extract_dir / POPULATION).exists():
        return {}
    series = [extract_dir / SERIES] if (extract_dir / SERIES).exists() else []
    data = load_crime_data(crime, extract_dir / POPULATION, series, catalogue=default_catalogue())
    stored = store(data.counts, data.population_source, data.series_source)
    if (extract_dir / BREAKDOWNS).exists():
        breakdowns = load_breakdowns([extract_dir / BREAKDOWNS])
        stored["partner breakdown figures"] = store_breakdowns(breakdowns)
    return stored
