"""Synthetic nominals, agencies and users for a borough like Barnet.

Calibration (scale 1):
- about 6,000 people known to police with a PNC ID, the pool for offence histories and IOM;
- 940 of them hold a probation CRN: the 786 current caseload plus 154 OMIC (BRIEF.md, seed 000);
- gender and ethnicity follow seed 000's caseload tables (92% male; the eight ethnicity groups
  in the seed's proportions, split into ONS 2021 groups);
- ages run 18-75 with the young-adult peak typical of offender populations.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from saferhub.synth.world import SynthPerson, World

NOMINALS = 6000
PROBATION_CASELOAD = 786 + 154

# Barnet's 24 wards (2022 boundaries), with rough weights for where offenders live.
WARDS = {
    "Barnet Vale": 3,
    "Brunswick Park": 3,
    "Burnt Oak": 8,
    "Childs Hill": 4,
    "Colindale North": 6,
    "Colindale South": 7,
    "Cricklewood": 5,
    "East Barnet": 3,
    "East Finchley": 4,
    "Edgware": 5,
    "Edgwarebury": 3,
    "Finchley Church End": 3,
    "Friern Barnet": 3,
    "Garden Suburb": 1,
    "Golders Green": 4,
    "Hendon": 5,
    "High Barnet": 3,
    "Mill Hill": 3,
    "Totteridge & Woodside": 2,
    "Underhill": 5,
    "West Finchley": 3,
    "West Hendon": 6,
    "Whetstone": 2,
    "Woodhouse": 4,
}
POSTCODE_DISTRICT = {
    "Barnet Vale": "EN5",
    "Brunswick Park": "N11",
    "Burnt Oak": "HA8",
    "Childs Hill": "NW2",
    "Colindale North": "NW9",
    "Colindale South": "NW9",
    "Cricklewood": "NW2",
    "East Barnet": "EN4",
    "East Finchley": "N2",
    "Edgware": "HA8",
    "Edgwarebury": "HA8",
    "Finchley Church End": "N3",
    "Friern Barnet": "N11",
    "Garden Suburb": "NW11",
    "Golders Green": "NW11",
    "Hendon": "NW4",
    "High Barnet": "EN5",
    "Mill Hill": "NW7",
    "Totteridge & Woodside": "N20",
    "Underhill": "EN5",
    "West Finchley": "N3",
    "West Hendon": "NW9",
    "Whetstone": "N20",
    "Woodhouse": "N12",
}
STREETS = [
    "Station Road",
    "High Street",
    "Church Lane",
    "Park Avenue",
    "Victoria Road",
    "The Broadway",
    "Green Lane",
    "Manor Drive",
    "Mill Lane",
    "Oakleigh Road",
    "Woodside Avenue",
    "Ballards Lane",
    "Watling Avenue",
    "Colin Crescent",
    "Deansbrook Road",
    "Cool Oak Lane",
    "Hale Lane",
    "Regents Park Road",
]

# Seed 000, "Ethnicity by Community & Custody": caseload counts per probation group, spread
# over the ONS 2021 codes that map to each group.
ETHNICITY_WEIGHTS = {
    "O1": 17,
    "A1": 10,
    "A2": 5,
    "A3": 18,
    "A4": 14,
    "A5": 24,
    "B1": 110,
    "B2": 70,
    "B3": 49,
    "M1": 12,
    "M2": 12,
    "M3": 25,
    "M4": 12,
    "O2": 41,
    "W1": 250,
    "W2": 16,
    "W3": 10,
    "W4": 35,
    "W5": 85,
    "RF": 8,
    "NS": 124,
}

FIRST_NAMES = {
    "M": {
        "W": [
            "James",
            "Daniel",
            "Thomas",
            "Ryan",
            "Liam",
            "Connor",
            "Jack",
            "Lewis",
            "Kieran",
            "Darren",
            "Lee",
            "Craig",
            "Andrei",
            "Florin",
            "Marius",
            "Ionut",
            "Patrick",
            "Sean",
            "Dean",
            "Gary",
        ],
        "B": [
            "Kwame",
            "Tyrone",
            "Jermaine",
            "Marcus",
            "Andre",
            "Kofi",
            "Chidi",
            "Tunde",
            "Abdi",
            "Jamal",
            "Leon",
            "Dwayne",
            "Emmanuel",
            "Samuel",
            "Isaac",
            "Kyle",
        ],
        "A": [
            "Mohammed",
            "Imran",
            "Arjun",
            "Rahul",
            "Bilal",
            "Hamza",
            "Sanjay",
            "Wei",
            "Amir",
            "Tariq",
            "Faisal",
            "Ravi",
        ],
        "O": [
            "Omar",
            "Ali",
            "Yusuf",
            "Karim",
            "Ahmed",
            "Hassan",
            "Daniel",
            "Michael",
            "Jordan",
            "Reece",
        ],
    },
    "F": {
        "W": [
            "Sarah",
            "Emma",
            "Laura",
            "Gemma",
            "Chloe",
            "Kelly",
            "Lisa",
            "Jade",
            "Ioana",
            "Elena",
        ],
        "B": ["Shanice", "Abena", "Grace", "Chantelle", "Amara", "Precious", "Tanisha", "Blessing"],
        "A": ["Aisha", "Priya", "Fatima", "Sana", "Mei", "Nadia", "Anjali", "Zara"],
        "O": ["Leila", "Yasmin", "Maryam", "Sophie", "Jasmine", "Rachel"],
    },
}
SURNAMES = {
    "W": [
        "Smith",
        "Jones",
        "Taylor",
        "Brown",
        "Williams",
        "Wilson",
        "Evans",
        "Walker",
        "Murphy",
        "O'Brien",
        "Kelly",
        "Popescu",
        "Ionescu",
        "Nowak",
        "Kowalski",
        "Hughes",
        "Clarke",
        "Turner",
        "Price",
        "Ward",
        "Doherty",
        "Shaw",
        "Mitchell",
        "Harris",
    ],
    "B": [
        "Mensah",
        "Okafor",
        "Adeyemi",
        "Campbell",
        "Thomas",
        "Johnson",
        "Williams",
        "Osei",
        "Mohamed",
        "Brown",
        "Bailey",
        "Francis",
        "Nwosu",
        "Asante",
        "Hussein",
        "Grant",
    ],
    "A": [
        "Khan",
        "Patel",
        "Shah",
        "Ahmed",
        "Hussain",
        "Begum",
        "Singh",
        "Chen",
        "Iqbal",
        "Rahman",
        "Mistry",
        "Ali",
        "Malik",
        "Li",
    ],
    "O": [
        "Hassan",
        "Ibrahim",
        "Haddad",
        "Mansour",
        "Saleh",
        "Demir",
        "Yilmaz",
        "Rossi",
        "Silva",
        "Morris",
    ],
}
NAME_GROUP = {"W": "W", "B": "B", "A": "A", "M": "O", "O": "O", "R": "W", "N": "W"}


def _age(rng: random.Random) -> int:
    # Offender populations peak in the early twenties and thin out after forty.
    return min(75, 18 + int(rng.gammavariate(2.2, 7.5)))


def _date_of_birth(rng: random.Random, as_of: date) -> date:
    """A birthday giving exactly the drawn age on `as_of` (calendar years, so leap days count)."""
    age = _age(rng)
    latest = as_of - relativedelta(years=age)
    earliest = as_of - relativedelta(years=age + 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))


def _pnc_id(rng: random.Random, dob: date, serial: int, as_of: date) -> str:
    # PNC IDs look like 05/123456A: year first recorded, a serial, and a check letter.
    first_recorded = min(dob.year + 16 + rng.randrange(12), as_of.year)
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    return f"{first_recorded % 100:02d}/{serial:06d}{letters[serial % len(letters)]}"


def _unit(rng: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"  # the letters postcode units use
    return rng.choice(letters) + rng.choice(letters)


def generate_people(world: World) -> list[SynthPerson]:
    """Create the borough's nominals and put them on the world."""
    rng = world.rng("people")
    codes, weights = zip(*ETHNICITY_WEIGHTS.items(), strict=True)
    wards, ward_weights = zip(*WARDS.items(), strict=True)
    total = world.scaled(NOMINALS)
    on_probation = set(rng.sample(range(total), min(total, world.scaled(PROBATION_CASELOAD))))
    people = []
    for n in range(total):
        gender = "M" if rng.random() < (0.918 if n in on_probation else 0.85) else "F"
        ethnicity = rng.choices(codes, weights)[0]
        group = NAME_GROUP[ethnicity[0]]
        first = rng.choice(FIRST_NAMES[gender][group])
        last = rng.choice(SURNAMES[group])
        dob = _date_of_birth(rng, world.as_of)
        ward = rng.choices(wards, ward_weights)[0]
        district = POSTCODE_DISTRICT[ward]
        aliases = (f"{first[0]} {last}",) if rng.random() < 0.15 else ()
        people.append(
            SynthPerson(
                person_id=f"P{n + 1:06d}",
                first_name=first,
                last_name=last,
                aliases=aliases,
                date_of_birth=dob,
                gender=gender,
                ethnicity=ethnicity,
                ward=ward,
                address=f"{rng.randint(1, 240)} {rng.choice(STREETS)}, London",
                postcode=f"{district} {rng.randint(1, 9)}{_unit(rng)}",
                pnc_id=_pnc_id(rng, dob, 100000 + n * 7 + rng.randrange(7), world.as_of),
                crn=f"{rng.choice('BCDEX')}{100000 + n:06d}" if n in on_probation else None,
            )
        )
    world.people = people
    return people


def people_rows(people: list[SynthPerson]) -> list[dict]:
    return [
        {
            "person_id": p.person_id,
            "first_name": p.first_name,
            "last_name": p.last_name,
            "aliases": ";".join(p.aliases),
            "date_of_birth": p.date_of_birth.isoformat(),
            "gender": p.gender,
            "ethnicity": p.ethnicity,
            "address": p.address,
            "postcode": p.postcode,
            "ward": p.ward,
            "pnc_id": p.pnc_id or "",
            "crn": p.crn or "",
        }
        for p in people
    ]


# The demo partnership: (name, kind, programmes).
AGENCIES = [
    (
        "Metropolitan Police – North West BCU",
        "police",
        ["iom", "da_marac", "asb_marac", "adults_at_risk", "sirm"],
    ),
    ("Probation Service – Barnet", "probation", ["iom", "da_marac", "adults_at_risk"]),
    (
        "Barnet Council Community Safety",
        "community_safety",
        ["iom", "da_marac", "asb_marac", "adults_at_risk", "sirm"],
    ),
    ("Barnet Youth Justice Service", "youth_justice", ["da_marac", "adults_at_risk", "sirm"]),
    ("Barnet Homes", "housing", ["da_marac", "asb_marac"]),
    ("North Central London Integrated Care Board", "health", ["da_marac", "adults_at_risk"]),
    ("Barnet Family Services", "childrens_services", ["da_marac", "adults_at_risk", "sirm"]),
    ("Solace Advocacy and Support", "voluntary", ["da_marac"]),
    ("British Transport Police – London", "police", []),
]


def agency_rows() -> list[dict]:
    return [{"name": n, "kind": k, "programmes": ";".join(p)} for n, k, p in AGENCIES]


# The demo's users: (username, first name, last name, agency, role). No passwords: the demo
# sets a random one per data directory.
USERS = [
    ("probation.practitioner", "Priya", "Sharma", "Probation Service – Barnet", "practitioner"),
    ("probation.coordinator", "Tom", "Whitfield", "Probation Service – Barnet", "coordinator"),
    ("police.officer", "Dan", "Okafor", "Metropolitan Police – North West BCU", "practitioner"),
    ("police.viewer", "Helen", "Marsh", "Metropolitan Police – North West BCU", "viewer"),
    ("marac.coordinator", "Ruth", "Adeyemi", "Barnet Council Community Safety", "coordinator"),
    ("council.analyst", "Sam", "Patel", "Barnet Council Community Safety", "analyst"),
    ("housing.officer", "Gary", "Doherty", "Barnet Homes", "practitioner"),
    ("idva", "Leila", "Haddad", "Solace Advocacy and Support", "practitioner"),
    ("btp.officer", "Mark", "Ellis", "British Transport Police – London", "practitioner"),
    ("admin", "Alex", "Morgan", "Barnet Council Community Safety", "administrator"),
]


def user_rows() -> list[dict]:
    return [
        {"username": u, "first_name": f, "last_name": last, "agency": a, "role": r}
        for u, f, last, a, r in USERS
    ]
