"""What synthetic IOM members do on the programme: pathway referrals with their outcomes,
and the contacts their tiers ask for in the weeks before the as-of date.

Called by `synth.iom.generate` with the spells `synth.iom.plan` made.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from saferhub.rules.iom_pathways import (
    ACHIEVED,
    NOT_ACHIEVED,
    PARTIALLY_ACHIEVED,
    PATHWAYS,
    WITHDRAWN,
)
from saferhub.rules.iom_tiers import Tier
from saferhub.synth.world import World

if TYPE_CHECKING:
    from saferhub.synth.iom import Membership

# Positive outcome shares by pathway, after seed 004, 8.1.15 and 8.1.18.
PATHWAY_SUCCESS = {
    "accommodation": 0.87,
    "ete": 0.78,
    "finance": 0.75,
    "drugs_alcohol": 0.52,
    "mental_health": 0.7,
    "thinking_behaviour": 0.8,
    "relationships_family": 0.65,
    "lifestyle_associates": 0.9,
}
PROVIDERS = {
    "accommodation": "Housing options team",
    "ete": "Jobcentre Plus",
    "finance": "Debt advice service",
    "drugs_alcohol": "Drug and alcohol service",
    "mental_health": "Forensic mental health practitioner",
    "thinking_behaviour": "Probation accredited programmes",
    "relationships_family": "Family support service",
    "lifestyle_associates": "Ex-offender mentoring academy",
}


def pick(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    labels, weights = zip(*options, strict=True)
    return rng.choices(labels, weights)[0]


def day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def pathway_rows(world: World, spells: list[Membership]) -> list[dict]:
    rng = world.rng("iom-pathways")
    rows = []
    for member in spells:
        last = member.last_day(world.as_of)
        for pathway in rng.sample(list(PATHWAYS), rng.randint(1, 4)):
            referred = day_between(rng, member.join, min(last, member.join + timedelta(days=365)))
            ends = referred + timedelta(days=rng.randint(21, 200))
            outcome = None
            if ends <= world.as_of:
                success = PATHWAY_SUCCESS[pathway]
                roll = rng.random()
                if roll < success * 0.8:
                    outcome = ACHIEVED
                elif roll < success:
                    outcome = PARTIALLY_ACHIEVED
                elif roll < success + (1 - success) * 0.6:
                    outcome = NOT_ACHIEVED
                else:
                    outcome = WITHDRAWN
            rows.append(
                {
                    "pnc_id": member.pnc_id,
                    "pathway": PATHWAYS[pathway],
                    "provider": PROVIDERS[pathway],
                    "referral_date": referred.isoformat(),
                    "outcome": outcome or "",
                    "outcome_date": ends.isoformat() if outcome else "",
                }
            )
    return rows


CONTACT_WEEKS = 8
# Chance of a contact on a given day, by tier: daily for Red and Amber (most days), about
# 2.5 a week for Green (seed 004, 8.1.20); none in the community for Blue.
CONTACT_CHANCE = {Tier.RED: 0.93, Tier.AMBER: 0.9, Tier.GREEN: 2.5 / 7, Tier.BLUE: 0.0}
CONTACT_OUTCOME_WEIGHTS = (("attended", 0.85), ("missed", 0.1), ("cancelled", 0.05))
CONTACT_METHOD_WEIGHTS = (
    ("face to face", 0.6),
    ("home visit", 0.15),
    ("phone", 0.2),
    ("video", 0.05),
)


def contact_rows(world: World, spells: list[Membership]) -> list[dict]:
    """Contacts for current members in the weeks before the as-of date, as their tiers ask."""
    rng = world.rng("iom-contacts")
    rows = []
    first = world.as_of - timedelta(days=7 * CONTACT_WEEKS - 1)
    for member in spells:
        if member.leave is not None:
            continue
        day = max(first, member.join)
        while day <= world.as_of:
            tier = None
            for change_tier, from_date, _ in member.tiers:
                if from_date <= day:
                    tier = change_tier
            if tier is not None and rng.random() < CONTACT_CHANCE[tier]:
                rows.append(
                    {
                        "pnc_id": member.pnc_id,
                        "contact_date": day.isoformat(),
                        "outcome": pick(rng, CONTACT_OUTCOME_WEIGHTS),
                        "method": pick(rng, CONTACT_METHOD_WEIGHTS),
                    }
                )
            day += timedelta(days=1)
    return rows
