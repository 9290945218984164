"""The dataset card written beside the data: schema version, columns, layout, how to read.

Two files, both `_`-prefixed so that pyarrow.dataset and pandas skip them when reading the
directory: `_dataset_card.json` (machine-readable) and `_dataset_card.md` (for people).
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from newscrawl.record import FIELDS, PARTITION_COLUMNS, SCHEMA_VERSION

CARD_JSON = "_dataset_card.json"
CARD_MD = "_dataset_card.md"


def card_dict() -> dict[str, object]:
    return {
        "name": "newscrawl entertainment news articles",
        "schema_version": SCHEMA_VERSION,
        "format": "parquet (zstd), one directory per site and date",
        "layout": "<site>/<YYYY-MM-DD>/part-<run_id>-<worker>-<seq>.parquet",
        # Stored in every file; the directories repeat them (no Hive `name=` marker).
        "partition_columns": {name: FIELD_DOCS[name] for name in PARTITION_COLUMNS},
        "columns": [{"name": f.name, "type": str(f.type), "nullable": f.nullable, "doc": f.doc}
                    for f in FIELDS],
        "read_with": READ_WITH,
    }


FIELD_DOCS = {f.name: f.doc for f in FIELDS}

# Every reader gives the same columns with the same types (site: string, date: date).
READ_WITH = {
    "newscrawl": "newscrawl.load('DIR')  # newest version per article, no near-duplicates",
    "pandas": "pandas.read_parquet('DIR')",
    "polars": "polars.read_parquet('DIR/**/*.parquet')",
    "duckdb": "SELECT * FROM read_parquet('DIR/**/*.parquet')",
    "pyarrow": "pyarrow.dataset.dataset('DIR', format='parquet').to_table()",
    "datasets": "datasets.load_dataset('parquet', data_files='DIR/**/*.parquet', "
                "split='train')",
}


def card_markdown() -> str:
    card = card_dict()
    lines = [f"# {card['name']}", "", f"Schema version {SCHEMA_VERSION}. Layout: "
             f"`{card['layout']}`.", "", "| column | type | null | meaning |",
             "|---|---|---|---|"]
    for f in FIELDS:
        lines.append(f"| `{f.name}` | {f.type} | {'yes' if f.nullable else 'no'} | {f.doc} |")
    lines += ["", "## Reading", ""]
    read_with: dict[str, str] = card["read_with"]  # type: ignore[assignment]
    for tool, snippet in read_with.items():
        lines.append(f"- {tool}: `{snippet}`")
    return "\n".join(lines) + "\n"


def write_card(root: Path) -> None:
    """Write (or refresh) both card files atomically.

    Distributed workers share the directory and each refreshes the card as it starts: every
    writer uses a temporary file of its own, so their renames cannot take each other's file.
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    for name, text in ((CARD_JSON, json.dumps(card_dict(), indent=2) + "\n"),
                       (CARD_MD, card_markdown())):
        # A name of its own (not mkstemp: its 0600 mode would make the card private).
        tmp = root / f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, root / name)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
