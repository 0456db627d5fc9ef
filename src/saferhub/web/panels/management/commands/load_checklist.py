"""Load the partnership's licensed risk checklist, which every new referral then asks."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saferhub.errors import ConfigurationError
from saferhub.rules.checklist import DEFAULT_THRESHOLD
from saferhub.web.panels.checklists import install, read_checklist


class Command(BaseCommand):
    help = (
        "Check a risk checklist definition (JSON, or CSV with --name and "
        "--checklist-version) and make it the one the referral form asks. The file format "
        "is described in the documentation, under 'Risk checklist definition'."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The checklist definition, .json or .csv.")
        parser.add_argument("--name", default="", help="CSV only: the checklist's name.")
        parser.add_argument("--checklist-version", dest="set_version", default="", help="CSV only.")
        parser.add_argument(
            "--threshold", type=int, default=DEFAULT_THRESHOLD, help="CSV only (default 14)."
        )

    def handle(self, *args, file: Path, name: str, set_version: str, threshold: int, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        try:
            checklist = read_checklist(file, name=name, version=set_version, threshold=threshold)
        except ConfigurationError as exc:
            raise CommandError(str(exc)) from None
        except UnicodeDecodeError:
            raise CommandError(f"{file.name}: not UTF-8 text.") from None
        install(checklist)
        self.stdout.write(
            f"Loaded '{checklist.name}' version {checklist.version}: "
            f"{len(checklist.questions)} questions, visible high risk at "
            f"{checklist.threshold} 'yes' answers. New referrals ask these questions."
        )
