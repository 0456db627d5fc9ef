"""The layers follow the data: which package may import which (docs/developing.md).

- `rules/`, `measures/` and `sources/` never import Django;
- `web/` and `commands/` reach figures only through the application layer: they import
  nothing from `reports/` (except `safe_cells`, the one spreadsheet writer every export
  must use) and nothing from `synth/`. Demo modules are exempt: they are being moved out
  to `saferhub.demo`, and the `synth` command exists to run the generator;
- `reports/` only renders: it never imports the application layer or a reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "saferhub"


def imports(path: Path) -> set[str]:
    """Every module `path` imports, wherever the import statement is."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def modules(*layers: str) -> list[Path]:
    return sorted(p for layer in layers for p in (PACKAGE / layer).rglob("*.py"))


def is_demo(path: Path) -> bool:
    relative = path.relative_to(PACKAGE)
    return (
        "demo" in relative.parts
        or path.stem == "demo"
        or relative.parts
        == (
            "commands",
            "synth.py",
        )
    )


@pytest.mark.parametrize("path", modules("rules", "measures", "sources"), ids=str)
def test_pure_layers_never_import_django(path):
    assert not {m for m in imports(path) if m == "django" or m.startswith("django.")}


@pytest.mark.parametrize("path", [p for p in modules("web", "commands") if not is_demo(p)], ids=str)
def test_views_and_commands_go_through_the_application_layer(path):
    wrong = {
        m
        for m in imports(path)
        if (m.startswith("saferhub.reports") and not m.startswith("saferhub.reports.safe_cells"))
        or m.startswith("saferhub.synth")
    }
    assert not wrong, f"{path.name} imports {sorted(wrong)}; call saferhub.app instead"


@pytest.mark.parametrize("path", modules("reports"), ids=str)
def test_reports_only_render(path):
    wrong = {
        m
        for m in imports(path)
        if m.startswith("saferhub.app")
        or m.startswith("saferhub.web")
        or m.startswith("django.db")
        or (m.startswith("saferhub.sources.") and ".read_" in f".{m.rsplit('.', 1)[-1]}")
    }
    assert not wrong, f"{path.name} imports {sorted(wrong)}"


def test_the_check_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "view.py"
    sample.write_text("def f():\n    from saferhub.reports.writers import render_pdf\n")
    assert "saferhub.reports.writers" in imports(sample)
