"""Report formats benchmark: the crime dashboard report in every document format.

Run from the repository root:

    .venv/bin/python benchmarks/report_formats.py [--mps-dir DIR] [--runs 3]

Builds Barnet's crime dashboard report (to September 2023) from the real London Datastore
files in ../shared/data/mps (or `--mps-dir`) and prints, for each format (html, xlsx, pdf,
docx), the median and fastest wall seconds and the median CPU seconds of rendering it, with
the PDF target (3 s for the crime dashboard section on a 2-core machine). Skips with a
message when the files are not there.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MPS = REPO.parent / "shared" / "data" / "mps"
PDF_TARGET = 3.0
sys.path.insert(0, str(Path(__file__).parent))  # run as a script or imported

from crime_dashboard import timed  # noqa: E402  (median wall, fastest wall, median CPU, result)


def build_report(mps: Path):
    from saferhub.app.crime import dashboard, load_crime_data, report
    from saferhub.rules.disclosure import Audience
    from saferhub.rules.periods import Month

    data = load_crime_data(
        [mps / "borough_10_21.csv", mps / "borough_21_23.csv"],
        mps / "borough_population_gla2017.csv",
    )
    published = dashboard(data, "Barnet", Month(2023, 9), Audience.PARTNERSHIP)
    return report(published)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mps-dir", type=Path, default=MPS)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not (args.mps_dir / "borough_21_23.csv").exists():
        print(f"Skipped: the MPS files are not in {args.mps_dir} (give --mps-dir).")
        return 0

    from saferhub.app.render import DOCUMENT_FORMATS, render_document

    print(f"Load average at start: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    start = time.perf_counter()
    document = build_report(args.mps_dir)
    print(f"Building the report (data, measures, charts): {time.perf_counter() - start:.2f} s")
    # The first PDF also loads Pango and the fonts; time it on its own.
    start = time.perf_counter()
    render_document(document, "pdf")
    print(f"First PDF in this process (loads the PDF engine): {time.perf_counter() - start:.2f} s")
    print(f"{'format':<6} {'median s':>9} {'fastest s':>10} {'CPU s':>7} {'size kB':>8}")
    for fmt in DOCUMENT_FORMATS:
        median, fastest, cpu, body = timed(lambda f=fmt: render_document(document, f), args.runs)
        target = (
            f"  target {PDF_TARGET:.0f} s, ratio {median / PDF_TARGET:.2f}" if fmt == "pdf" else ""
        )
        print(
            f"{fmt:<6} {median:>9.2f} {fastest:>10.2f} {cpu:>7.2f} {len(body) / 1024:>8.0f}{target}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
