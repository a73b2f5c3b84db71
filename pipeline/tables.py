"""Reading and writing the tables passed between stages, by file extension."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd


def write_table(df: pd.DataFrame, path: Path | str) -> None:
    """Write CSV, JSONL or Parquet, atomically: a reader never sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            df.to_parquet(tmp, index=False)
        elif suffix == ".csv":
            df.to_csv(tmp, index=False)
        elif suffix in (".jsonl", ".json"):
            with open(tmp, "w", encoding="utf-8") as f:
                for record in df.to_dict(orient="records"):
                    f.write(json.dumps(record, ensure_ascii=False, default=_jsonable) + "\n")
        else:
            raise ValueError(f"{path}: unknown output format {suffix!r} (use .csv, .jsonl or .parquet)")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def read_table(path: Path | str) -> pd.DataFrame:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return pd.read_parquet(path)
    if suffix == ".csv":
        return pd.read_csv(path, keep_default_na=False)
    if suffix in (".jsonl", ".json"):
        return pd.read_json(path, lines=True, dtype=False)
    raise ValueError(f"{path}: unknown table format {suffix!r}")


def _jsonable(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)
