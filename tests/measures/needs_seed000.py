"""Seed 000's tables, transcribed, and a person-level caseload built to match them all.

Seed 000 (`000_67c07e38347c6b69.txt`, Barnet's probation needs analysis, October 2021)
publishes only marginal tables: needs by setting, by gender and by ethnic group, and
people by gender, ethnicity and setting. `seed_caseload()` builds 947 people who
satisfy every one of those tables at once, deterministically:

1. people per setting, gender and ethnicity: the seed gives gender by setting and
   ethnicity by setting but not gender by ethnicity, so women are spread over the
   ethnic groups in proportion (largest remainder);
2. who is assessed, and then for each need who has it: in each case a count per
   setting × gender × ethnic group (Black, Asian & minority ethnic / White / not
   known) that meets the seed's three margins, found as a small transport problem
   (max flow) — the margins are consistent, so a solution exists;
3. registrations only have margins by setting, so the first people in each setting
   get them.

Each transcribed row keeps the seed's printed values and its line number.
"""

from __future__ import annotations

from collections import deque
from datetime import date, timedelta

from saferhub.rules import needs as rules
from saferhub.sources.caseload import ALL_COLUMNS

SEED = "000_67c07e38347c6b69.txt"
AS_OF = date(2021, 10, 15)  # "accurate as of 15th October 2021" (seed 000 line 18)
SETTINGS = ("Community", "Custody")

# Lines 31-40: need -> (community yes, %, no, %, custody yes, %, no, %); base: all 835 assessed.
NEEDS_BY_SETTING: dict[str, tuple[int, tuple]] = {
    "accommodation": (31, (117, 14.01, 474, 56.77, 98, 11.74, 146, 17.49)),
    "ete": (32, (424, 50.78, 167, 20.00, 152, 18.20, 92, 11.02)),
    "finance": (33, (200, 23.95, 391, 46.83, 136, 16.29, 108, 12.93)),
    "relationships": (34, (199, 23.83, 392, 46.95, 126, 15.09, 118, 14.13)),
    "lifestyle": (35, (281, 33.65, 310, 37.13, 178, 21.32, 66, 7.90)),
    "drug_misuse": (36, (176, 21.08, 415, 49.70, 111, 13.29, 133, 15.93)),
    "alcohol_misuse": (37, (121, 14.49, 470, 56.29, 57, 6.83, 187, 22.40)),
    "emotional_wellbeing": (38, (185, 22.16, 406, 48.62, 89, 10.66, 155, 18.56)),
    "thinking_behaviour": (39, (576, 68.98, 15, 1.80, 233, 27.90, 11, 1.32)),
    "attitudes": (40, (503, 60.24, 88, 10.54, 207, 24.79, 37, 4.43)),
}
# Lines 75-83: registration -> the same layout; base: the row (yes + no, both settings).
REGISTRATIONS_BY_SETTING: dict[str, tuple[int, tuple]] = {
    "mappa": (75, (168, 17.74, 462, 48.79, 170, 17.95, 147, 15.52)),
    "iom": (76, (27, 2.87, 602, 64.04, 15, 1.60, 296, 31.49)),
    "ppo": (77, (4, 0.43, 625, 66.49, 3, 0.32, 308, 32.77)),
    "care_leaver": (78, (9, 0.95, 621, 65.58, 3, 0.32, 314, 33.16)),
    "armed_forces": (79, (3, 0.32, 627, 66.21, 2, 0.21, 315, 33.26)),
    "mental_health": (80, (88, 9.29, 542, 57.23, 32, 3.38, 285, 30.10)),
    "self_harm": (81, (58, 6.12, 572, 60.40, 30, 3.17, 287, 30.31)),
    "street_gangs": (82, (30, 3.17, 600, 63.36, 25, 2.64, 292, 30.83)),
    "weapons": (83, (97, 10.24, 533, 56.28, 67, 7.07, 250, 26.40)),
}
# Lines 111-112: gender -> (community, %, custody, %); base: the row.
GENDER_BY_SETTING: dict[str, tuple[int, tuple]] = {
    "Male": (111, (567, 65.25, 302, 34.75)),
    "Female": (112, (63, 80.77, 15, 19.23)),
}
# Lines 121-130: need -> (male yes, %, no, %, female yes, %, no, %); base: all 835 assessed.
NEEDS_BY_GENDER: dict[str, tuple[int, tuple]] = {
    "accommodation": (121, (197, 23.59, 565, 67.66, 18, 2.16, 55, 6.59)),
    "ete": (122, (523, 62.63, 239, 28.62, 53, 6.35, 20, 2.40)),
    "finance": (123, (316, 37.84, 446, 53.41, 20, 2.40, 53, 6.35)),
    "relationships": (124, (298, 35.69, 464, 55.57, 27, 3.23, 46, 5.51)),
    "lifestyle": (125, (428, 51.26, 334, 40.00, 31, 3.71, 42, 5.03)),
    "drug_misuse": (126, (267, 31.98, 495, 59.28, 20, 2.40, 53, 6.35)),
    "alcohol_misuse": (127, (163, 19.52, 599, 71.74, 15, 1.80, 58, 6.95)),
    "emotional_wellbeing": (128, (246, 29.46, 516, 61.80, 28, 3.35, 45, 5.39)),
    "thinking_behaviour": (129, (740, 88.62, 22, 2.63, 69, 8.26, 4, 0.48)),
    "attitudes": (130, (649, 77.72, 113, 13.53, 61, 7.31, 12, 1.44)),
}
# Lines 151-158: ethnic group -> (community, %, custody, %); base: the row.
ETHNICITY_BY_SETTING: dict[str, tuple[int, tuple]] = {
    rules.ARAB: (151, (12, 70.59, 5, 29.41)),
    rules.ASIAN: (152, (48, 67.61, 23, 32.39)),
    rules.BLACK: (153, (137, 59.83, 92, 40.17)),
    rules.MIXED: (154, (34, 55.74, 27, 44.26)),
    rules.OTHER: (155, (27, 65.85, 14, 34.15)),
    rules.WHITE: (156, (273, 68.94, 123, 31.06)),
    rules.REFUSAL: (157, (7, 87.50, 1, 12.50)),
    rules.NO_DATA: (158, (92, 74.19, 32, 25.81)),
}
# Lines 176-186 (a blank line 180 in between): need -> (BAME yes, %, no, %, White yes, %,
# no, %); base: the 725 assessed people whose ethnicity is known.
NEEDS_BY_ETHNIC_GROUP: dict[str, tuple[int, tuple]] = {
    "accommodation": (176, (119, 16.41, 251, 34.62, 86, 11.86, 269, 37.10)),
    "ete": (177, (257, 35.45, 113, 15.59, 232, 32.00, 123, 16.97)),
    "finance": (178, (196, 27.03, 174, 24.00, 121, 16.69, 234, 32.28)),
    "relationships": (179, (156, 21.52, 214, 29.52, 147, 20.28, 208, 28.69)),
    "lifestyle": (181, (242, 33.38, 128, 17.66, 189, 26.07, 166, 22.90)),
    "drug_misuse": (182, (161, 22.21, 209, 28.83, 108, 14.90, 247, 34.07)),
    "alcohol_misuse": (183, (61, 8.41, 309, 42.62, 103, 14.21, 252, 34.76)),
    "emotional_wellbeing": (184, (129, 17.79, 241, 33.24, 126, 17.38, 229, 31.59)),
    "thinking_behaviour": (185, (357, 49.24, 13, 1.79, 342, 47.17, 13, 1.79)),
    "attitudes": (186, (323, 44.55, 47, 6.48, 297, 40.97, 58, 8.00)),
}

UNKNOWN = "unknown"  # ethnicity refused or not recorded
BROAD = (rules.BAME, rules.WHITE, UNKNOWN)
GENDERS = ("Male", "Female")
OMIC_CASES = 154  # line 24


def _broad(ethnicity: str) -> str:
    return rules.BROAD_GROUP[ethnicity] or UNKNOWN


def _max_flow_transport(
    supply: dict, demand: dict, capacity: dict[tuple, int]
) -> dict[tuple, int] | None:
    """Flows from supplies to demands within capacities that meet every total, or None."""
    source, sink = ("source",), ("sink",)
    residual: dict[tuple, dict[tuple, int]] = {}

    def edge(u: tuple, v: tuple, amount: int) -> None:
        residual.setdefault(u, {})[v] = residual.get(u, {}).get(v, 0) + amount
        residual.setdefault(v, {}).setdefault(u, 0)

    for key, amount in supply.items():
        edge(source, ("s", key), amount)
    for key, amount in demand.items():
        edge(("d", key), sink, amount)
    for (s, d), amount in capacity.items():
        edge(("s", s), ("d", d), amount)
    total = 0
    while True:
        previous: dict[tuple, tuple | None] = {source: None}
        queue = deque([source])
        while queue and sink not in previous:
            u = queue.popleft()
            for v, room in residual[u].items():
                if room > 0 and v not in previous:
                    previous[v] = u
                    queue.append(v)
        if sink not in previous:
            break
        path, v = [], sink
        while previous[v] is not None:
            path.append((previous[v], v))
            v = previous[v]
        pushed = min(residual[u][v] for u, v in path)
        for u, v in path:
            residual[u][v] -= pushed
            residual[v][u] += pushed
        total += pushed
    if total != sum(supply.values()) or total != sum(demand.values()):
        return None
    return {(s, d): amount - residual[("s", s)][("d", d)] for (s, d), amount in capacity.items()}


def allocate(
    capacity: dict[tuple[str, str, str], int],
    by_setting: dict[str, int],
    by_gender: dict[str, int],
    by_broad: dict[str, int],
) -> dict[tuple[str, str, str], int]:
    """Counts per (setting, gender, broad ethnic group), within `capacity`, meeting all three
    margins. The setting × gender split has one free count (women in the community); each
    choice leaves a transport problem from setting × gender to ethnic group."""
    for women_in_community in range(by_gender["Female"] + 1):
        pairs = {
            ("Community", "Female"): women_in_community,
            ("Community", "Male"): by_setting["Community"] - women_in_community,
            ("Custody", "Female"): by_gender["Female"] - women_in_community,
            ("Custody", "Male"): by_setting["Custody"] - by_gender["Female"] + women_in_community,
        }
        if min(pairs.values()) < 0:
            continue
        flows = _max_flow_transport(
            pairs, by_broad, {((s, g), b): n for (s, g, b), n in capacity.items()}
        )
        if flows is not None:
            return {(s, g, b): n for ((s, g), b), n in flows.items()}
    raise ValueError("the margins cannot all be met")


def _women_by_ethnicity(setting_index: int) -> dict[str, int]:
    women = GENDER_BY_SETTING["Female"][1][2 * setting_index]
    sizes = {e: row[2 * setting_index] for e, (_, row) in ETHNICITY_BY_SETTING.items()}
    total = sum(sizes.values())
    exact = {e: women * n / total for e, n in sizes.items()}
    shares = {e: int(x) for e, x in exact.items()}
    for e in sorted(exact, key=lambda e: exact[e] - shares[e], reverse=True)[
        : women - sum(shares.values())
    ]:
        shares[e] += 1
    return shares


def _derived_unknown(row: tuple, setting_row: tuple) -> int:
    """Yes count among assessed people of unknown ethnicity: total yes minus the two groups."""
    return setting_row[0] + setting_row[4] - row[0] - row[4]


def seed_caseload() -> list[dict[str, str]]:
    """947 rows of the canonical caseload extract matching every table of seed 000."""
    people: list[dict[str, str]] = []
    for s_index, setting in enumerate(SETTINGS):
        women = _women_by_ethnicity(s_index)
        for ethnicity, (_, row) in ETHNICITY_BY_SETTING.items():
            size = row[2 * s_index]
            for position in range(size):
                gender = "Female" if position < women[ethnicity] else "Male"
                people.append({"setting": setting, "gender": gender, "ethnicity": ethnicity})
    cells: dict[tuple[str, str, str], list[int]] = {}
    for index, person in enumerate(people):
        key = (person["setting"], person["gender"], _broad(person["ethnicity"]))
        cells.setdefault(key, []).append(index)
    capacity = {key: len(members) for key, members in cells.items()}

    ate = NEEDS_BY_SETTING["accommodation"][1]
    gen = NEEDS_BY_GENDER["accommodation"][1]
    eth = NEEDS_BY_ETHNIC_GROUP["accommodation"][1]
    assessed_counts = allocate(
        capacity,
        {"Community": ate[0] + ate[2], "Custody": ate[4] + ate[6]},
        {"Male": gen[0] + gen[2], "Female": gen[4] + gen[6]},
        {
            rules.BAME: eth[0] + eth[2],
            rules.WHITE: eth[4] + eth[6],
            UNKNOWN: sum(ate[0:8:2]) - sum(eth[0:8:2]),
        },
    )
    assessed = {key: cells[key][: assessed_counts[key]] for key in cells}

    needs: dict[int, dict[str, bool]] = {i: {} for members in assessed.values() for i in members}
    for offset, need in enumerate(rules.NEEDS):
        by_setting, by_gender = NEEDS_BY_SETTING[need.code][1], NEEDS_BY_GENDER[need.code][1]
        by_broad = NEEDS_BY_ETHNIC_GROUP[need.code][1]
        yes = allocate(
            {key: len(members) for key, members in assessed.items()},
            {"Community": by_setting[0], "Custody": by_setting[4]},
            {"Male": by_gender[0], "Female": by_gender[4]},
            {
                rules.BAME: by_broad[0],
                rules.WHITE: by_broad[4],
                UNKNOWN: _derived_unknown(by_broad, by_setting),
            },
        )
        for key, members in assessed.items():
            # Rotate the start so the needs do not all fall on the same people.
            start = (offset * 7) % len(members) if members else 0
            rotated = members[start:] + members[:start]
            for position, index in enumerate(rotated):
                needs[index][need.code] = position < yes[key]

    rows = []
    settings_seen = {"Community": 0, "Custody": 0}
    for index, person in enumerate(people):
        setting = person["setting"]
        place = settings_seen[setting]
        settings_seen[setting] += 1
        column = SETTINGS.index(setting)
        row = dict.fromkeys(ALL_COLUMNS, "")
        del row["age"]
        # The last 154 people in custody are the OMIC (long-term) cases.
        omic = setting == "Custody" and place >= 317 - OMIC_CASES
        code = rules.COMMUNITY if setting == "Community" else rules.OMIC if omic else rules.CUSTODY
        row.update(
            crn=f"X{index:06d}",
            setting=code,
            sentence_type="community_order" if setting == "Community" else "determinate_custody",
            gender=person["gender"],
            ethnicity=person["ethnicity"],
            date_of_birth=(AS_OF - timedelta(days=365 * (18 + index % 50) + 100)).isoformat(),
            tier="B2",
        )
        if index in needs:
            row["assessment_date"] = (AS_OF - timedelta(days=index % 300)).isoformat()
            for need in rules.NEEDS:
                row[rules.need_column(need.code)] = "yes" if needs[index][need.code] else "no"
        else:
            for need in rules.NEEDS:
                row[rules.need_column(need.code)] = "not assessed"
        for registration in rules.REGISTRATIONS:
            yes = REGISTRATIONS_BY_SETTING[registration.code][1][4 * column]
            row[rules.registration_column(registration.code)] = "yes" if place < yes else "no"
        rows.append(row)
    return rows
