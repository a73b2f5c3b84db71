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
from hashlib import blake2b
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
import pandas as pd

READABLE = (".jsonl", ".csv", ".txt")
# Fields of the corpus format that travel with an article to later stages.
GOLD_FIELDS = ("relevant", "actors", "pairs")
META_FIELDS = ("title", "date", "source", "episode", "split")
ARTICLE_COLUMNS = ["id", "text", *META_FIELDS, "gold", "origin", "line"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
# Scraped pages arrive as HTML; a tag like these marks a text as markup.
_HTML_TAG = re.compile(r"<(?:p|div|br|span|a|html|body|article|section|h[1-6]|li|ul|ol|table|td|script|style)\b[^>]*>",
                       re.IGNORECASE)
_BLOCK_TAGS = {"p", "div", "br", "article", "section", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
               "table", "tr", "blockquote", "header", "footer"}
_SKIPPED_TAGS = {"script", "style", "noscript", "template"}


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


class _TextOfHtml(HTMLParser):
    """The readable text of an HTML page: block elements become paragraphs, scripts vanish."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return re.sub(r"\s*\n\s*\n\s*", "\n\n", text).strip()


def normalize_text(text: str) -> str:
    """HTML reduced to its text; NFC, Unix newlines, no control or zero-width characters.

    Every later offset points into the text as returned here.
    """
    if _HTML_TAG.search(text):
        text = html_to_text(text)
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
                                                f"not a readable type (expected one of {', '.join(READABLE)})"))
            elif path.is_file():
                files.append(path)
            else:
                problems.append(Problem(str(path), None, None, "no such file or folder"))
    return files, problems


def iter_records(path: Path, fields: dict[str, str] | None = None) -> Iterator[dict | Problem]:
    """Raw records of one file, each with `origin` and `line`, or Problems.

    `fields` renames input fields to the article's ({"text": "body"} reads the
    text from a `body` column).
    """
    suffix = path.suffix.lower()
    if suffix == ".jsonl" or suffix == ".json":
        yield from _renamed(_iter_jsonl(path), fields)
    elif suffix == ".csv":
        yield from _renamed(_iter_csv(path, fields or {}), fields)
    elif suffix == ".txt":
        yield from _iter_txt(path)
    else:
        yield Problem(str(path), None, None, f"unknown input format {suffix!r} (expected one of {', '.join(READABLE)})")


def _renamed(records: Iterator[dict | Problem], fields: dict[str, str] | None) -> Iterator[dict | Problem]:
    if not fields:
        yield from records
        return
    for record in records:
        if isinstance(record, dict):
            record = {**record, **{ours: record.get(theirs) for ours, theirs in fields.items()}}
        yield record


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


def _iter_csv(path: Path, fields: dict[str, str]) -> Iterator[dict | Problem]:
    text = _decode_file(path)
    if isinstance(text, Problem):
        yield text
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = reader.fieldnames or []
    wanted = {ours: fields.get(ours, ours) for ours in ("id", "text")}
    missing = [theirs for theirs in wanted.values() if theirs not in columns]
    for record in reader:
        # line_num is the physical line where the record ends (quoted fields span lines)
        if missing:
            # Every row is an article the user meant to give: account for each one.
            flag = "--text-column" if wanted["text"] in missing else "--id-column"
            yield Problem(str(path), reader.line_num, record.get(wanted["id"]),
                          f"CSV has no {' or '.join(repr(c) for c in missing)} column (columns: "
                          f"{', '.join(columns) or 'none'}); name the right one with {flag}")
            continue
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


class SeenIds:
    """The ids met so far, as 64-bit digests with the place of their first record.

    New ids wait in a dict; every `BUFFER` of them move into two sorted arrays,
    16 bytes an id (16 MB for a million, where a dict of them took 120 MB).
    """

    BUFFER = 1 << 16

    def __init__(self) -> None:
        self.recent: dict[int, int] = {}
        self.keys = np.empty(0, dtype=np.uint64)
        self.places = np.empty(0, dtype=np.int64)

    def first_place(self, key: int) -> int | None:
        place = self.recent.get(key)
        if place is None and len(self.keys):
            i = int(np.searchsorted(self.keys, np.uint64(key)))
            if i < len(self.keys) and int(self.keys[i]) == key:
                place = int(self.places[i])
        return place

    def add(self, key: int, place: int) -> None:
        self.recent[key] = place
        if len(self.recent) >= self.BUFFER:
            n = len(self.recent)
            keys = np.concatenate([self.keys, np.fromiter(self.recent.keys(), dtype=np.uint64, count=n)])
            places = np.concatenate([self.places, np.fromiter(self.recent.values(), dtype=np.int64, count=n)])
            order = np.argsort(keys, kind="stable")
            self.keys, self.places, self.recent = keys[order], places[order], {}


def iter_articles(inputs: Iterable[str | Path], fields: dict[str, str] | None = None) -> Iterator[dict | Problem]:
    """Articles and Problems one at a time, in input order; a repeated id is a Problem.

    Only a 64-bit digest of each id and the place of its first record are kept
    (`SeenIds`), never the texts.
    """
    files, problems = expand_inputs(inputs)
    yield from problems
    seen = SeenIds()  # digest -> file number << 32 | line
    for file_index, path in enumerate(files):
        for item in iter_records(path, fields):
            article = item if isinstance(item, Problem) else to_article(item)
            if isinstance(article, Problem):
                yield article
                continue
            key = int.from_bytes(blake2b(article["id"].encode("utf-8"), digest_size=8).digest(), "little")
            first = seen.first_place(key)
            if first is not None:
                first_file, first_line = divmod(first, 1 << 32)
                yield Problem(article["origin"], article["line"], article["id"],
                              f"duplicate id (first seen at {files[first_file]}:{first_line or '?'})")
                continue
            seen.add(key, (file_index << 32) | (article["line"] or 0))
            yield article


def read_articles(inputs: Iterable[str | Path], fields: dict[str, str] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """All articles of the inputs, and the problems met (bad files, bad records, duplicate ids)."""
    rows: list[dict] = []
    problems: list[Problem] = []
    for item in iter_articles(inputs, fields):
        (problems if isinstance(item, Problem) else rows).append(item)
    return articles_frame(rows), problems


def articles_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=ARTICLE_COLUMNS).astype({"line": "Int64"})


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    return pd.DataFrame([asdict(p) for p in problems], columns=["origin", "line", "id", "reason"])
