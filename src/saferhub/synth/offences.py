"""Synthetic police offence histories, disposals and custody for everyone with a PNC ID.

Everyone known to police offends at their own rate (most rarely, a few prolifically: a
gamma mixture), for five and a half years up to the as-of date (from 2018 by default).
Each offence may be cautioned, convicted at court (some with a custodial sentence,
which puts the person in custody and later releases them) or go no further. Disposals
after the as-of date have not happened yet, so the newest offences are often still
unproven, as in a real extract.

IOM members (planned in `synth.iom`) follow the plan inside their before and after
windows: their custody is the planned custody, and their offences are placed on days at
liberty so that the cohort offends at seed 002's 2.91 offences per offender-year before
joining and 1.65 after. Outside those windows they offend like other prolific people.

Writes `offences.csv`, `disposals.csv` and `custody.csv` (docs/formats/).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from saferhub.rules.reoffending import (
    CAUTION,
    CONVICTION_CUSTODIAL,
    CONVICTION_NON_CUSTODIAL,
    RELEASE_FROM_CUSTODY,
)
from saferhub.sources.custody import CUSTODY_FILE, REMAND, SENTENCE
from saferhub.sources.disposals import DISPOSALS_FILE
from saferhub.sources.offences import OFFENCES_FILE, offence_catalogue
from saferhub.synth import iom
from saferhub.synth.world import World, before_quarter

# Offence histories begin this long before the as-of quarter (1 January 2018 by default).
HISTORY_YEARS, HISTORY_MONTHS = 5, 6
YEAR_DAYS = 365.25

# Offence mix (weights by offence group) for the general offending population.
POPULATION_MIX = {
    "violence_without_injury": 17,
    "violence_with_injury": 12,
    "stalking_harassment": 7,
    "shoplifting": 13,
    "drugs": 12,
    "criminal_damage": 8,
    "public_order": 6,
    "other_theft": 6,
    "burglary_residential": 4,
    "burglary_business": 2,
    "weapons": 4,
    "theft_of_vehicle": 2,
    "theft_from_vehicle": 2,
    "robbery_personal": 2,
    "theft_from_person": 1,
    "other_sexual": 1,
    "other": 1,
}
# IOM members before joining: acquisitive and violent offending (seed 002, seed 004 8.1.16).
BEFORE_MIX = {
    "violence_with_injury": 14,
    "violence_without_injury": 12,
    "stalking_harassment": 3,
    "burglary_residential": 15,
    "burglary_business": 3,
    "robbery_personal": 7,
    "theft_from_person": 5,
    "theft_of_vehicle": 5,
    "theft_from_vehicle": 6,
    "shoplifting": 11,
    "other_theft": 4,
    "criminal_damage": 4,
    "drugs": 5,
    "weapons": 5,
    "public_order": 1,
}
# On the programme, acquisitive offending falls most, so violence is a larger share.
AFTER_MIX = {
    "violence_with_injury": 18,
    "violence_without_injury": 15,
    "stalking_harassment": 3,
    "burglary_residential": 9,
    "burglary_business": 2,
    "robbery_personal": 5,
    "theft_from_person": 4,
    "theft_of_vehicle": 3,
    "theft_from_vehicle": 4,
    "shoplifting": 12,
    "other_theft": 4,
    "criminal_damage": 5,
    "drugs": 7,
    "weapons": 8,
    "public_order": 1,
}
# (outcome, weight): what happens after an offence is detected.
OUTCOMES = (
    (None, 0.3),
    (CAUTION, 0.2),
    (CONVICTION_NON_CUSTODIAL, 0.37),
    (CONVICTION_CUSTODIAL, 0.13),
)
MEMBER_OUTCOMES = ((None, 0.3), (CAUTION, 0.15), (CONVICTION_NON_CUSTODIAL, 0.55))
PROLIFIC_RATE = 1.8  # members' offending a year outside their IOM windows


@dataclass
class _Histories:
    """Everything generated so far, with the counters that give stable ids."""

    as_of: date
    codes: dict[str, list[str]]
    offences: list[dict] = field(default_factory=list)
    disposals: list[dict] = field(default_factory=list)
    custody: list[dict] = field(default_factory=list)
    spells: dict[str, list[tuple[date, date | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add_custody(
        self, pnc: str, reception: date, release: date | None, kind: str = SENTENCE
    ) -> None:
        self.spells[pnc].append((reception, release))
        self.custody.append(
            {
                "pnc_id": pnc,
                "reception_date": reception.isoformat(),
                "release_date": release.isoformat() if release else "",
                "custody_type": kind,
            }
        )
        if release is not None:
            self._disposal(pnc, release, RELEASE_FROM_CUSTODY, "")

    def in_custody(self, pnc: str, day: date) -> date | bool | None:
        """The release date if `day` is in custody (None when never released), else False."""
        for reception, release in self.spells[pnc]:
            if reception <= day and (release is None or day < release):
                return release
        return False

    def _fits(self, pnc: str, reception: date, release: date | None) -> bool:
        end = release or date.max
        return all(
            end <= other_reception or (other_release is not None and other_release <= reception)
            for other_reception, other_release in self.spells[pnc]
        )

    def _disposal(self, pnc: str, day: date, kind: str, offence_id: str) -> None:
        self.disposals.append(
            {
                "disposal_id": f"DS{len(self.disposals) + 1:07d}",
                "pnc_id": pnc,
                "disposal_date": day.isoformat(),
                "disposal_type": kind,
                "offence_id": offence_id,
            }
        )

    def add_offence(
        self,
        rng: random.Random,
        pnc: str,
        day: date,
        group: str,
        outcomes: tuple[tuple[str | None, float], ...],
        custody_until: date | None,
    ) -> None:
        """Record an offence and what followed; a custodial sentence must end by `custody_until`."""
        offence_id = f"OF{len(self.offences) + 1:07d}"
        codes = self.codes[group]
        self.offences.append(
            {
                "offence_id": offence_id,
                "pnc_id": pnc,
                "offence_date": day.isoformat(),
                "offence_code": codes[0] if rng.random() < 0.6 else rng.choice(codes),
            }
        )
        labels, weights = zip(*outcomes, strict=True)
        outcome = rng.choices(labels, weights)[0]
        if outcome is None:
            return
        if outcome == CAUTION:
            disposed = day + timedelta(days=rng.randint(1, 40))
        else:
            disposed = day + timedelta(days=20 + int(rng.gammavariate(2.0, 55.0)))
        if disposed > self.as_of:
            return  # not yet cautioned or convicted on the extract date
        if outcome == CONVICTION_CUSTODIAL:
            release = disposed + timedelta(days=rng.randint(28, 400))
            open_spell = release > self.as_of
            fits_window = custody_until is None or release <= custody_until
            if not fits_window or not self._fits(pnc, disposed, None if open_spell else release):
                outcome = CONVICTION_NON_CUSTODIAL  # e.g. a concurrent or suspended sentence
            else:
                self._disposal(pnc, disposed, outcome, offence_id)
                self.add_custody(pnc, disposed, None if open_spell else release)
                return
        self._disposal(pnc, disposed, outcome, offence_id)

    def simulate(
        self,
        rng: random.Random,
        pnc: str,
        first: date,
        last: date,
        rate: float,
        mix: dict[str, float],
        custody_until: date | None = None,
    ) -> None:
        """Offences at `rate` a year on days at liberty from `first` to `last`."""
        if rate <= 0 or last < first:
            return
        groups, weights = zip(*mix.items(), strict=True)
        day = first
        while True:
            gap = 1 + int(rng.expovariate(rate / YEAR_DAYS))
            if gap > (last - day).days:
                return
            day += timedelta(days=gap)
            release = self.in_custody(pnc, day)
            if release is None:
                return
            if release:
                day = release
                continue
            self.add_offence(
                rng, pnc, day, rng.choices(groups, weights)[0], OUTCOMES, custody_until
            )


# (share of people, gamma shape, gamma scale): offending rates a year. Most people known to
# police offend rarely and some repeatedly; the prolific are mostly the IOM members. Tuned
# so the area's proven reoffending rate comes out in the low twenties (seed 001: Barnet
# 20.2%, London 23.53%). Reoffences per reoffender come out nearer 1.5 than seed 001's 3.0:
# 6,000 nominals are a far smaller offending population than the seed's borough.
RATE_MIXTURE = ((0.97, 2.0, 0.08), (0.03, 2.0, 0.3))


def _population_rate(rng: random.Random) -> float:
    roll = rng.random()
    for share, shape, scale in RATE_MIXTURE:
        if roll < share:
            return rng.gammavariate(shape, scale)
        roll -= share
    return 0.0


def _liberty_days(first: date, last: date, spells: list[tuple[date, date | None]]) -> list[date]:
    days = []
    day = first
    while day <= last:
        if not any(r <= day and (rel is None or day < rel) for r, rel in spells):
            days.append(day)
        day += timedelta(days=1)
    return days


def _place_calibrated(
    rng: random.Random,
    histories: _Histories,
    windows: list[tuple[str, list[date]]],
    rate: float,
    mix: dict[str, float],
) -> None:
    """Place round(rate x offender-years) offences over the windows' days at liberty."""
    years = sum(len(days) for _, days in windows) / YEAR_DAYS
    total = round(rate * years)
    # Some members offend far more than others: weight days by a per-person propensity.
    weights = [len(days) * rng.gammavariate(1.5, 1.0) for _, days in windows]
    groups, group_weights = zip(*mix.items(), strict=True)
    picks = rng.choices(range(len(windows)), weights, k=total) if total and any(weights) else []
    for index in picks:
        pnc, days = windows[index]
        day = rng.choice(days)
        histories.add_offence(
            rng, pnc, day, rng.choices(groups, group_weights)[0], MEMBER_OUTCOMES, day
        )


def generate(world: World) -> dict[str, list[dict]]:
    """Offence histories, disposals and custody spells for everyone with a PNC ID."""
    rng = world.rng("offences")
    as_of = world.as_of
    catalogue = offence_catalogue()
    codes: dict[str, list[str]] = defaultdict(list)
    for code, (_, group) in catalogue.codes.items():
        codes[group].append(code)
    histories = _Histories(as_of, dict(codes))
    history_start = before_quarter(as_of, HISTORY_YEARS, HISTORY_MONTHS)
    spells = {m.pnc_id: m for m in iom.plan(world)}

    before_windows: list[tuple[str, list[date]]] = []
    after_windows: list[tuple[str, list[date]]] = []
    for member in spells.values():
        pnc = member.pnc_id
        for reception, release in member.custody:
            kind = REMAND if release is None and rng.random() < 0.3 else SENTENCE
            histories.add_custody(pnc, reception, release, kind)
        before_first = member.join - timedelta(days=365)
        last = member.last_day(as_of)
        before_windows.append(
            (pnc, _liberty_days(before_first, member.join - timedelta(days=1), member.custody))
        )
        after_windows.append((pnc, _liberty_days(member.join, last, member.custody)))

    people = sorted((p for p in world.people if p.pnc_id), key=lambda p: p.person_id)
    for person in people:
        pnc = person.pnc_id or ""
        member = spells.get(pnc)
        if member is None:
            rate = _population_rate(rng)
            histories.simulate(rng, pnc, history_start, as_of, rate, POPULATION_MIX)
            continue
        planned = sorted(member.custody)
        before_first = member.join - timedelta(days=365)
        history_end = min([before_first, *(r for r, _ in planned)]) - timedelta(days=1)
        histories.simulate(
            rng,
            pnc,
            history_start,
            history_end,
            PROLIFIC_RATE,
            BEFORE_MIX,
            custody_until=history_end,
        )
        if member.leave is not None:
            restart = member.leave + timedelta(days=1)
            for reception, release in planned:
                if release is None and reception <= member.leave:
                    restart = date.max
                elif release is not None and reception <= member.leave < release:
                    restart = max(restart, release)
            if restart <= as_of:
                histories.simulate(rng, pnc, restart, as_of, PROLIFIC_RATE * 0.6, POPULATION_MIX)

    _place_calibrated(rng, histories, before_windows, iom.RATE_BEFORE, BEFORE_MIX)
    _place_calibrated(rng, histories, after_windows, iom.RATE_AFTER, AFTER_MIX)

    offences = sorted(histories.offences, key=lambda o: (o["offence_date"], o["offence_id"]))
    disposals = sorted(histories.disposals, key=lambda d: (d["disposal_date"], d["disposal_id"]))
    custody = sorted(histories.custody, key=lambda c: (c["pnc_id"], c["reception_date"]))
    return {OFFENCES_FILE: offences, DISPOSALS_FILE: disposals, CUSTODY_FILE: custody}
