"""Synthetic recorded crime for London, in exactly the London Datastore's MPS wide format.

Three extracts:

- `mps_borough_crime.csv`: one row per (MajorText, MinorText, LookUp_BoroughName) for the
  32 boroughs and the airports unit, one `YYYYMM` column per month for the six years to
  the last complete month on the world's `as_of` date: what `saferhub report crime --mps` reads;
- `borough_population.csv`: GLA-format residents and households per borough (`--population`);
- `partner_measures.csv`: the partnership borough's partner-supplied monthly series
  (knife crime, gun crime, domestic abuse VWI, ASB calls, CCTV, Prevent, ASB tools and
  powers) in the `area, period, measure, value` format (`--series`).

Calibration: London-wide yearly rates per 1,000 residents for each category and seasonal
profiles per major category are summary figures of the real London Datastore data (rates
for October 2022 to September 2023; seasonality from 2012 to 2019, before the pandemic).
Each borough gets its own level per major category, and each series a gentle trend and
over-dispersed (gamma-Poisson) noise, so month-to-month variation looks like a real
borough's. The partnership borough (Barnet) is set to its published levels (seed 004).
No real count is copied: every number is drawn.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from saferhub.rules.periods import Month, month_range
from saferhub.sources.london import london_boroughs
from saferhub.synth.world import World

PARTNERSHIP_BOROUGH = "Barnet"
YEARS = 6
AIRPORTS = "London Heathrow and London City Airports"

# Crimes per 1,000 residents a year, London, October 2022 to September 2023 (rounded).
LONDON_RATES: dict[tuple[str, str], float] = {
    ("Arson and Criminal Damage", "Arson"): 0.23,
    ("Arson and Criminal Damage", "Criminal Damage"): 6.13,
    ("Burglary", "Burglary Business and Community"): 2.05,
    ("Burglary", "Domestic Burglary"): 4.35,
    ("Drug Offences", "Drug Trafficking"): 1.23,
    ("Drug Offences", "Possession of Drugs"): 3.38,
    ("Miscellaneous Crimes Against Society", "Dangerous Driving"): 0.04,
    ("Miscellaneous Crimes Against Society", "Going Equipped for Stealing"): 0.04,
    ("Miscellaneous Crimes Against Society", "Handling Stolen Goods"): 0.07,
    ("Miscellaneous Crimes Against Society", "Obscene Publications"): 0.40,
    ("Miscellaneous Crimes Against Society", "Other Notifiable Offences"): 0.06,
    ("Miscellaneous Crimes Against Society", "Perverting Course of Justice"): 0.06,
    (
        "Miscellaneous Crimes Against Society",
        "Threat or Possession With Intent to Commit Crimina",
    ): 0.26,
    ("Possession of Weapons", "Other Firearm Offences"): 0.07,
    ("Possession of Weapons", "Possession of Article with Blade or Point"): 0.26,
    ("Possession of Weapons", "Possession of Firearms Offences"): 0.05,
    ("Possession of Weapons", "Possession of Other Weapon"): 0.30,
    ("Public Order Offences", "Other Offences Against the State, or Public Order"): 0.77,
    ("Public Order Offences", "Public Fear Alarm or Distress"): 4.67,
    ("Public Order Offences", "Racially or Religiously Aggravated Public Fear, Al"): 1.21,
    ("Robbery", "Robbery of Business Property"): 0.40,
    ("Robbery", "Robbery of Personal Property"): 3.25,
    ("Sexual Offences", "Other Sexual Offences"): 1.76,
    ("Sexual Offences", "Rape"): 1.02,
    ("Theft", "Bicycle Theft"): 1.86,
    ("Theft", "Other Theft"): 15.14,
    ("Theft", "Shoplifting"): 5.94,
    ("Theft", "Theft from Person"): 7.60,
    ("Vehicle Offences", "Aggravated Vehicle Taking"): 0.08,
    ("Vehicle Offences", "Interfering with a Motor Vehicle"): 1.21,
    ("Vehicle Offences", "Theft from a Motor Vehicle"): 6.98,
    ("Vehicle Offences", "Theft or Taking of a Motor Vehicle"): 3.77,
    ("Violence Against the Person", "Homicide"): 0.013,
    ("Violence Against the Person", "Violence with Injury"): 8.98,
    ("Violence Against the Person", "Violence without Injury"): 19.03,
}

# Each calendar month's volume relative to the year's average month, January first
# (London, 2012-2019). Burglary peaks in the dark months; violence in summer.
SEASONALITY: dict[str, tuple[float, ...]] = {
    "Arson and Criminal Damage": (
        0.98,
        0.93,
        1.01,
        1.0,
        1.06,
        1.03,
        1.06,
        1.0,
        0.95,
        1.02,
        1.0,
        0.97,
    ),
    "Burglary": (1.13, 1.01, 1.04, 0.95, 0.94, 0.92, 0.93, 0.94, 0.92, 1.03, 1.12, 1.07),
    "Drug Offences": (1.06, 0.96, 1.06, 0.96, 0.99, 0.97, 1.04, 1.08, 0.96, 1.03, 1.01, 0.89),
    "Miscellaneous Crimes Against Society": (
        0.94,
        0.96,
        1.07,
        0.95,
        1.04,
        0.96,
        1.04,
        0.99,
        1.02,
        1.09,
        1.04,
        0.92,
    ),
    "Possession of Weapons": (
        0.94,
        0.9,
        1.06,
        0.95,
        1.07,
        1.04,
        1.06,
        1.07,
        0.99,
        1.06,
        0.98,
        0.89,
    ),
    "Public Order Offences": (
        0.83,
        0.82,
        0.96,
        0.93,
        1.05,
        1.09,
        1.21,
        1.06,
        1.04,
        1.07,
        1.01,
        0.94,
    ),
    "Robbery": (0.99, 0.9, 1.01, 0.96, 0.99, 0.99, 1.04, 0.97, 0.99, 1.06, 1.08, 1.02),
    "Sexual Offences": (0.94, 0.87, 1.0, 0.91, 1.04, 1.05, 1.13, 1.0, 1.0, 1.06, 1.05, 0.95),
    "Theft": (0.94, 0.91, 1.02, 0.97, 1.03, 1.01, 1.07, 1.02, 0.97, 1.05, 1.02, 0.99),
    "Vehicle Offences": (1.0, 0.92, 1.02, 0.97, 1.01, 0.99, 0.99, 0.96, 1.01, 1.09, 1.06, 0.98),
    "Violence Against the Person": (
        0.92,
        0.87,
        0.99,
        0.94,
        1.05,
        1.05,
        1.1,
        1.01,
        1.0,
        1.04,
        1.02,
        1.01,
    ),
}

# The partnership borough's level against London's for the dashboard categories, so its
# yearly volumes land near seed 004's (residential burglary about 1,900, non-residential
# about 640, personal robbery about 770, violence with injury about 2,350).
PARTNERSHIP_LEVELS: dict[tuple[str, str], float] = {
    ("Burglary", "Domestic Burglary"): 1.14,
    ("Burglary", "Burglary Business and Community"): 0.81,
    ("Robbery", "Robbery of Personal Property"): 0.61,
    ("Violence Against the Person", "Violence with Injury"): 0.68,
}
PARTNERSHIP_POPULATION = (390_000, 151_000)

# Partner measures for the partnership borough: (series name, per month at as_of).
PARTNER_MEASURES: tuple[tuple[str, float], ...] = (
    ("Knife crime with injury", 9.0),
    ("Gun crime lethal barrelled discharged", 0.7),
    ("Domestic abuse violence with injury", 61.0),
    ("ASB calls", 1_000.0),
    ("CCTV incidents", 78.0),
    ("Prevent referrals", 5.0),
    ("ASB injunction", 0.05),
    ("Criminal Behaviour Order", 0.05),
    ("CPN written warning", 12.0),
    ("Community Protection Notice", 1.0),
    ("CPN breach", 0.1),
    ("PSPO fixed penalty", 20.0),
    ("Premises closure order", 0.25),
)

DISPERSION_SHAPE = 40.0  # gamma shape: variance = mean + mean² / 40, like real months


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 60:  # normal approximation, exact enough here and much faster
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count


def _draw(rng: random.Random, mean: float) -> int:
    """A gamma-Poisson (negative binomial) count: noisier than Poisson, as crime is."""
    if mean <= 0:
        return 0
    return _poisson(rng, rng.gammavariate(DISPERSION_SHAPE, mean / DISPERSION_SHAPE))


def last_complete_month(as_of: date) -> Month:
    """The newest month whose figures are in: as-of's own month only on its last day."""
    month = Month.of(as_of)
    return month if (as_of + timedelta(days=1)).month != as_of.month else month - 1  # type: ignore[return-value]


def _months(world: World) -> list[Month]:
    last = last_complete_month(world.as_of)
    return month_range(last - (12 * YEARS - 1), last)  # type: ignore[arg-type]


def _populations(rng: random.Random) -> dict[str, tuple[int, int]]:
    sizes: dict[str, tuple[int, int]] = {}
    for borough in london_boroughs():
        if borough.name == PARTNERSHIP_BOROUGH:
            sizes[borough.name] = PARTNERSHIP_POPULATION
            continue
        residents = round(rng.uniform(160_000, 390_000), -2)
        sizes[borough.name] = (int(residents), round(residents / rng.uniform(2.2, 2.9)))
    return sizes


def generate(world: World) -> dict[str, list[dict]]:
    """The three extracts, keyed by file name (see the module docstring)."""
    rng = world.rng("crime_counts")
    months = _months(world)
    last = months[-1]
    populations = _populations(rng)
    areas = [(b.name, populations[b.name][0]) for b in london_boroughs()]
    areas.append((AIRPORTS, 8_000))  # the airports unit: a small, separate population
    majors = sorted({major for major, _ in LONDON_RATES})
    crime_rows: list[dict] = []
    for name, residents in areas:
        level = {major: math.exp(rng.gauss(0, 0.3)) for major in majors}
        for (major, minor), rate in LONDON_RATES.items():
            if name == PARTNERSHIP_BOROUGH and (major, minor) in PARTNERSHIP_LEVELS:
                scale = PARTNERSHIP_LEVELS[(major, minor)]
            else:
                scale = level[major] * math.exp(rng.gauss(0, 0.1))
            trend = rng.gauss(0, 0.04)  # yearly growth, as a rate
            monthly = rate * residents / 1000 / 12 * scale
            row: dict = {"MajorText": major, "MinorText": minor, "LookUp_BoroughName": name}
            for month in months:
                years_back = (last - month) / 12  # type: ignore[operator]
                mean = monthly * SEASONALITY[major][month.month - 1] * math.exp(-trend * years_back)
                row[f"{month.year}{month.month:02d}"] = _draw(rng, mean)
            crime_rows.append(row)
    population_rows = [
        {
            "Code": "E09000001",
            "Area_name": "City of London",
            "GLA_Population_Estimate_2017": 8800.0,
            "GLA_Household_Estimate_2017": 5300.0,
        }
    ]
    population_rows += [
        {
            "Code": b.code,
            "Area_name": b.name,
            "GLA_Population_Estimate_2017": float(populations[b.name][0]),
            "GLA_Household_Estimate_2017": float(populations[b.name][1]),
        }
        for b in london_boroughs()
    ]
    return {
        "mps_borough_crime.csv": crime_rows,
        "borough_population.csv": population_rows,
        "partner_measures.csv": _partner_rows(rng, months),
    }


def _partner_rows(rng: random.Random, months: list[Month]) -> list[dict]:
    rows: list[dict] = []
    last = months[-1]
    # Public Space Protection Order fines started ten months before the last month
    # (December 2022 by default, as in seed 004).
    pspo_start = last - 9
    for name, per_month in PARTNER_MEASURES:
        trend = rng.gauss(0, 0.05)
        for month in months:
            if name == "PSPO fixed penalty" and month < pspo_start:
                continue
            years_back = (last - month) / 12  # type: ignore[operator]
            season = SEASONALITY["Violence Against the Person"][month.month - 1]
            mean = per_month * season * math.exp(-trend * years_back)
            rows.append(
                {
                    "area": PARTNERSHIP_BOROUGH,
                    "period": month.key,
                    "measure": name,
                    "value": _draw(rng, mean),
                }
            )
    return rows
