"""What the ASB pages do to the database: open and work cases, check and run case reviews,
record tools and powers.

Each write is a function with keyword arguments, in one transaction, that records its own
audit event; views, the demo loader and tests call the same functions.

The parts: `cases` (opening and working cases), `reviews` (case reviews), `tools` (tools
and powers) and `errors`.
"""

from saferhub.web.asb.services.cases import (
    REFERENCE_PREFIX,
    add_action,
    add_agency,
    add_complainant,
    add_respondent,
    close_case,
    complete_action,
    log_incident,
    member_agencies,
    open_case,
    reference_for,
)
from saferhub.web.asb.services.errors import (
    AsbError,
)
from saferhub.web.asb.services.reviews import (
    DEFAULT_LETTER,
    LETTER_FIELDS,
    add_recommendation,
    assess,
    complaints_of,
    complete_review,
    letter_for,
    request_review,
    result_of,
    review_settings,
    save_settings,
    stored_config,
    threshold_config,
)
from saferhub.web.asb.services.tools import (
    record_tool_use,
)

__all__ = [
    "DEFAULT_LETTER",
    "LETTER_FIELDS",
    "REFERENCE_PREFIX",
    "AsbError",
    "add_action",
    "add_agency",
    "add_complainant",
    "add_recommendation",
    "add_respondent",
    "assess",
    "close_case",
    "complaints_of",
    "complete_action",
    "complete_review",
    "letter_for",
    "log_incident",
    "member_agencies",
    "open_case",
    "record_tool_use",
    "reference_for",
    "request_review",
    "result_of",
    "review_settings",
    "save_settings",
    "stored_config",
    "threshold_config",
]
