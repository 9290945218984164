"""The README's schema table and load query stay true to the code."""

from __future__ import annotations

from pathlib import Path

from newscrawl.record import FIELDS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_schema_table_lists_every_field_with_its_documentation() -> None:
    rows = {line.split("|")[1].strip().strip("`"): line for line in README.splitlines()
            if line.startswith("| `")}
    for field in FIELDS:
        assert field.name in rows, f"README schema table lacks {field.name}"
        assert field.doc in rows[field.name], f"README documents {field.name} differently"
    assert "date" in rows  # the partition column
