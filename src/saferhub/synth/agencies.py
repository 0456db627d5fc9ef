"""The synthetic partnership's agencies and its demo users, one per role that matters."""

from __future__ import annotations

AGENCIES = [
    (
        "Metropolitan Police – North West BCU",
        "police",
        ["iom", "da_marac", "asb_marac", "adults_at_risk", "asb", "sirm"],
    ),
    ("Probation Service – Barnet", "probation", ["iom", "da_marac", "adults_at_risk"]),
    (
        "Barnet Council Community Safety",
        "community_safety",
        ["iom", "da_marac", "asb_marac", "adults_at_risk", "asb", "sirm"],
    ),
    ("Barnet Youth Justice Service", "youth_justice", ["da_marac", "adults_at_risk", "sirm"]),
    ("Barnet Homes", "housing", ["da_marac", "asb_marac", "asb"]),
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
    ("asb.officer", "Nadia", "Hussain", "Barnet Council Community Safety", "practitioner"),
    ("idva", "Leila", "Haddad", "Solace Advocacy and Support", "practitioner"),
    ("btp.officer", "Mark", "Ellis", "British Transport Police – London", "practitioner"),
    ("admin", "Alex", "Morgan", "Barnet Council Community Safety", "administrator"),
]


def user_rows() -> list[dict]:
    return [
        {"username": u, "first_name": f, "last_name": last, "agency": a, "role": r}
        for u, f, last, a, r in USERS
    ]
