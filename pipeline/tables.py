"""Reading and writing the tables passed between stages, by file extension."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd


def write_table(df: pd.DataFrame, path: Path | str) -> None:
    """Write CSV, JSONL or Parquet, atomically: a reader never sees half a file."""
    with TableWriter(path, {column: str(dtype) for column, dtype in df.dtypes.items()}) as writer:
        writer.write(df)


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


def check_format(path: Path | str) -> str:
    """The output format a path names by its suffix; a clear error if it names none we write."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".parquet", ".csv", ".jsonl", ".json"):
        raise ValueError(f"{path}: unknown output format {suffix!r} (use .csv, .jsonl or .parquet)")
    return suffix


class TableWriter:
    """Append DataFrames to one CSV, JSONL or Parquet file that appears only when complete.

    Rows go to a temporary file beside the target; `close()` renames it into
    place, `abort()` (or an exception inside `with`) removes it, so an earlier
    file of the same name survives a failed write untouched.
    """

    def __init__(self, path: Path | str, dtypes: dict[str, str]) -> None:
        self.path = Path(path)
        # Fixed column types: chunks must agree, also when a column is empty in one of them.
        self.dtypes = dtypes
        self.columns = list(dtypes)
        self.suffix = check_format(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        os.close(fd)
        self._file = None if self.suffix == ".parquet" else open(self.tmp, "w", encoding="utf-8", newline="")
        self._parquet = None
        self._header = True
        self.rows = 0

    def write(self, df: pd.DataFrame) -> None:
        df = df.reindex(columns=self.columns).astype(self.dtypes)
        if self.suffix == ".parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(df, preserve_index=False)
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.tmp, table.schema)
            self._parquet.write_table(table)
        elif self.suffix == ".csv":
            df.to_csv(self._file, index=False, header=self._header)
        else:
            plain = df.astype(object).where(df.notna(), None)  # JSON null, not "<NA>"
            for record in plain.to_dict(orient="records"):
                self._file.write(json.dumps(record, ensure_ascii=False, default=_jsonable) + "\n")
        self._header = False
        self.rows += len(df)

    def close(self) -> None:
        if self.suffix == ".parquet" and self._parquet is None:
            self.write(pd.DataFrame(columns=self.columns))  # an empty result is still a readable file
        if self._parquet is not None:
            self._parquet.close()
        if self._file is not None:
            self._file.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        for handle in (self._parquet, self._file):
            try:
                if handle is not None:
                    handle.close()
            except Exception:  # the write already failed; the temporary file goes either way
                pass
        if os.path.exists(self.tmp):
            os.remove(self.tmp)

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()
