"""Load the synthetic partnership's caseload extract for the demo's needs analysis.

`saferhub demo` calls `load(extract_dir, people)`. The file is the one
`saferhub.synth.caseload` writes, in the real extract format, and it goes through the
same validating reader as any user's file.
"""

from __future__ import annotations

from pathlib import Path

from saferhub.sources.caseload import read_caseload
from saferhub.synth.caseload import FILE_NAME
from saferhub.web.needs.data import store

AREA = "Barnet"


def load(extract_dir: Path, people: dict[str, int] | None = None) -> dict[str, int]:
    """Validate and store the caseload extract; nothing is stored if it is absent."""
    path = extract_dir / FILE_NAME
    if not path.exists():
        return {}
    caseload = read_caseload(path)
    store(caseload, area=AREA, loaded_by="system: saferhub demo")
    return {"caseload entries": caseload.people}
