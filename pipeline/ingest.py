"""Stage 1: read articles from JSONL, CSV, .txt files or folders into one table.

Every input record ends either in the articles table or in the problems list,
with the file, the line and the reason: nothing is dropped silently.
"""
from __future__ import annotations

import csv
import glob
import io
import json
import re
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

READABLE = (".jsonl", ".csv", ".txt")
# Fields of the corpus format that travel with an article to later stages.
GOLD_FIELDS = ("relevant", "actors", "pairs")
META_FIELDS = ("title", "date", "source", "episode", "split")
ARTICLE_COLUMNS = ["id", "text", *META_FIELDS, "gold", "origin", "line"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")


@dataclass(frozen=True)
class Problem:
    """An input record (or file) that could not become an article."""

    origin: str
    line: int | None
    id: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.origin}:{self.line}" if self.line else self.origin
        who = f" (id {self.id!r})" if self.id else ""
        return f"{where}{who}: {self.reason}"


def normalize_text(text: str) -> str:
    """NFC, Unix newlines, no control or zero-width characters.

    Every later offset points into the text as returned here.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def expand_inputs(inputs: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Files named, globbed or found in folders (sorted, so runs are repeatable)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for item in inputs:
        item = str(item)
        matches = sorted(glob.glob(item)) if any(c in item for c in "*?[") else [item]
        if not matches:
            problems.append(Problem(item, None, None, "no file matches this pattern"))
        for match in matches:
            path = Path(match)
            if path.is_dir():
                for child in sorted(p for p in path.rglob("*") if p.is_file()):
                    if child.name.startswith(".") or child.name == "README.md":
                        continue
                    if child.suffix.lower() in READABLE:
                        files.append(child)
                    else:
                        problems.append(Problem(str(child), None, None,
                                                f"skipped: not a readable type (expected one of {', '.join(READABLE)})"))
            elif path.is_file():
                files.append(path)
            else:
                problems.append(Problem(str(path), None, None, "no such file or folder"))
    return files, problems


def iter_records(path: Path) -> Iterator[dict | Problem]:
    """Raw records of one file, each with `origin` and `line`, or Problems."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl" or suffix == ".json":
        yield from _iter_jsonl(path)
    elif suffix == ".csv":
        yield from _iter_csv(path)
    elif suffix == ".txt":
        yield from _iter_txt(path)
    else:
        yield Problem(str(path), None, None, f"unknown input format {suffix!r} (expected one of {', '.join(READABLE)})")


def _iter_jsonl(path: Path) -> Iterator[dict | Problem]:
    with open(path, "rb") as f:
        for number, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as e:
                yield Problem(str(path), number, None, f"undecodable bytes (not UTF-8) at byte {e.start}")
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                yield Problem(str(path), number, None, f"malformed JSON: {e.msg} at column {e.colno}")
                continue
            if not isinstance(record, dict):
                yield Problem(str(path), number, None, "a JSON line must be an object")
                continue
            yield {**record, "origin": str(path), "line": number}


def _decode_file(path: Path) -> str | Problem:
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        return Problem(str(path), None, None, "binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        return Problem(str(path), line, None, f"undecodable bytes (not UTF-8) at byte {e.start}")


def _iter_csv(path: Path) -> Iterator[dict | Problem]:
    text = _decode_file(path)
    if isinstance(text, Problem):
        yield text
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = reader.fieldnames or []
    missing = [c for c in ("id", "text") if c not in columns]
    if missing:
        yield Problem(str(path), 1, None,
                      f"CSV has no {' or '.join(repr(c) for c in missing)} column (columns: {', '.join(columns) or 'none'})")
        return
    for record in reader:
        # line_num is the physical line where the record ends (quoted fields span lines)
        yield {**record, "origin": str(path), "line": reader.line_num}


def _iter_txt(path: Path) -> Iterator[dict | Problem]:
    text = _decode_file(path)
    if isinstance(text, Problem):
        yield text
        return
    yield {"id": path.stem, "text": text, "origin": str(path), "line": None}


def to_article(record: dict) -> dict | Problem:
    """Check one raw record and shape it as an article row."""
    origin, line = record["origin"], record.get("line")
    rid = record.get("id")
    if rid is None or str(rid).strip() == "":
        return Problem(origin, line, None, "record has no id")
    rid = str(rid).strip()
    text = record.get("text")
    if not isinstance(text, str):
        return Problem(origin, line, rid, "record has no text" if text is None else "text is not a string")
    text = normalize_text(text)
    if not text.strip():
        return Problem(origin, line, rid, "text is empty")
    article = {"id": rid, "text": text, "origin": origin, "line": line}
    for field in META_FIELDS:
        value = record.get(field)
        article[field] = None if value is None else str(value)
    gold = {k: record[k] for k in GOLD_FIELDS if k in record}
    article["gold"] = json.dumps(gold, ensure_ascii=False) if "pairs" in gold else None
    return article


def read_articles(inputs: Iterable[str | Path]) -> tuple[pd.DataFrame, list[Problem]]:
    """All articles of the inputs, and the problems met (bad files, bad records, duplicate ids)."""
    files, problems = expand_inputs(inputs)
    rows: list[dict] = []
    seen: dict[str, str] = {}
    for path in files:
        for item in iter_records(path):
            article = item if isinstance(item, Problem) else to_article(item)
            if isinstance(article, Problem):
                problems.append(article)
                continue
            if article["id"] in seen:
                problems.append(Problem(article["origin"], article["line"], article["id"],
                                        f"duplicate id (first seen at {seen[article['id']]})"))
                continue
            seen[article["id"]] = f"{article['origin']}:{article['line']}"
            rows.append(article)
    return pd.DataFrame(rows, columns=ARTICLE_COLUMNS).astype({"line": "Int64"}), problems


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    return pd.DataFrame([asdict(p) for p in problems], columns=["origin", "line", "id", "reason"])
