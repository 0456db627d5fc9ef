"""Integrated Offender Management measures as Ibis expressions (DuckDB, PySpark ...).

Inputs are canonical tables (docs/formats/):

- `cohort`: one row per spell on the programme (pnc_id, join_date, leave_date,
  management, tier, gender, ethnicity, date_of_birth ...). The leave date is the last
  day on the programme; blank means still on it.
- `offences`: one row per offence (offence_id, pnc_id, offence_date, offence_group ...).
- `custody`: one row per spell in custody (pnc_id, reception_date, release_date). A
  spell covers the reception date up to the day before release (the release day is a day
  at liberty); a spell with no release date runs to the end of any window.
- `tiers`: tier history (pnc_id, tier, from_date).
- `pathways`: pathway referrals (pnc_id, pathway, referral_date, outcome ...).

Time is counted in whole days. An offender-year is 365.25 days at liberty.

The parts: `offending` (windows, time at liberty, rates and offences avoided), `costs`
(the cost of crime avoided), `cohort` (who is on the programme and its make-up),
`pathways` and `selection`.
"""

from saferhub.measures.iom.cohort import (
    AGE_BANDS,
    COMPOSITION_DIMENSIONS,
    cohort_composition,
    members_on,
    offences_by_members,
)
from saferhub.measures.iom.costs import cost_of_crime_avoided, unit_costs_table
from saferhub.measures.iom.offending import (
    BEFORE_DAYS,
    RECENT_DAYS,
    YEAR_DAYS,
    concentration,
    empty_custody,
    offences_avoided,
    offending_rates,
    spell_exposure,
    spell_offences,
    spell_windows,
)
from saferhub.measures.iom.pathways import (
    pathway_outcomes,
)
from saferhub.measures.iom.selection import (
    deselection_review,
    selection_scores,
)

__all__ = [
    "AGE_BANDS",
    "BEFORE_DAYS",
    "COMPOSITION_DIMENSIONS",
    "RECENT_DAYS",
    "YEAR_DAYS",
    "cohort_composition",
    "concentration",
    "cost_of_crime_avoided",
    "deselection_review",
    "empty_custody",
    "members_on",
    "offences_avoided",
    "offences_by_members",
    "offending_rates",
    "pathway_outcomes",
    "selection_scores",
    "spell_exposure",
    "spell_offences",
    "spell_windows",
    "unit_costs_table",
]
