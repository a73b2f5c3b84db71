"""The corpus format and its validator.

A corpus file is JSONL, one annotated article per line: id, title, date,
source, episode, split, text, and the gold fields of the annotation
guidelines (relevant, actors, pairs).
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pipeline import LABELS
from pipeline.gazetteer import valid_codes
from pipeline.label import locate

REQUIRED = {"id": str, "title": str, "date": str, "source": str, "episode": str, "split": str,
            "text": str, "relevant": bool, "actors": list, "pairs": list}
SPLITS = ("train", "dev", "test")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def expected_article_label(labels: list[str]) -> set[str]:
    """Article labels the guidelines allow for these pair labels."""
    kinds = {label for label in labels if label != "none"}
    if not kinds:
        return {"none"}
    if len(kinds) == 1:
        return kinds
    if "opposed" not in kinds:
        return {"reluctant"}
    # opposed with another stance: the one with more weight, judged by a reader
    return kinds | ({"reluctant"} if kinds == {"opposed", "supportive", "reluctant"} else set())


def unlisted_actors(record: dict, gaz) -> list[str]:
    """Actors the text names without doubt (no ambiguous alias or short form) that `actors` leaves out."""
    from pipeline.link import find_mentions

    listed = {a.get("actor") for a in record["actors"]}
    missing: dict[str, str] = {}
    for m in find_mentions(record["text"], gaz):
        if m.actor not in listed and m.surface not in gaz.ambiguous and m.surface not in gaz.descriptors:
            missing.setdefault(m.actor, m.surface)
    return [f"the text refers to {code} ({surface!r}) but {code} is not in actors" for code, surface in missing.items()]


def check_article(record: dict, codes: set[str], gaz=None) -> list[str]:
    """Problems with one corpus record, as messages; with a gazetteer, also actors left out."""
    problems = []
    for key, kind in REQUIRED.items():
        if key not in record:
            problems.append(f"missing field {key!r}")
        elif not isinstance(record[key], kind):
            problems.append(f"field {key!r} must be {kind.__name__}")
    if problems:
        return problems
    if record["split"] not in SPLITS:
        problems.append(f"split {record['split']!r} is not one of {', '.join(SPLITS)}")
    if not _DATE.match(record["date"]):
        problems.append(f"date {record['date']!r} is not YYYY-MM-DD")
    if not record["text"].strip():
        problems.append("text is empty")
    text = record["text"]
    pair_labels: dict[str, list[str]] = defaultdict(list)
    seen_pairs = set()
    for i, pair in enumerate(record["pairs"]):
        where = f"pairs[{i}]"
        if not {"sentence", "actor", "label"} <= set(pair):
            problems.append(f"{where}: needs sentence, actor and label")
            continue
        if pair["actor"] not in codes:
            problems.append(f"{where}: {pair['actor']!r} is not an ISO alpha-3 code, EUU or XKX")
        if pair["label"] not in LABELS:
            problems.append(f"{where}: label {pair['label']!r} is not one of {', '.join(LABELS)}")
        if locate(text, pair["sentence"]) is None:
            problems.append(f"{where}: sentence not found verbatim in text: {pair['sentence'][:60]!r}")
        key = (" ".join(pair["sentence"].split()), pair["actor"])
        if key in seen_pairs:
            problems.append(f"{where}: duplicate pair for {pair['actor']}")
        seen_pairs.add(key)
        pair_labels[pair["actor"]].append(pair["label"])
    actor_labels = {}
    for i, actor in enumerate(record["actors"]):
        where = f"actors[{i}]"
        if not {"actor", "label"} <= set(actor):
            problems.append(f"{where}: needs actor and label")
            continue
        code, label = actor["actor"], actor["label"]
        if code in actor_labels:
            problems.append(f"{where}: {code} listed twice")
        actor_labels[code] = label
        if code not in codes:
            problems.append(f"{where}: {code!r} is not an ISO alpha-3 code, EUU or XKX")
        if label not in LABELS:
            problems.append(f"{where}: label {label!r} is not one of {', '.join(LABELS)}")
        for sentence in actor.get("evidence") or []:
            if locate(text, sentence) is None:
                problems.append(f"{where}: evidence not found verbatim in text: {sentence[:60]!r}")
        if code in pair_labels and label not in expected_article_label(pair_labels[code]):
            problems.append(f"{where}: article label {label!r} for {code} disagrees with its pairs "
                            f"({', '.join(sorted(set(pair_labels[code])))})")
        kinds = {x for x in pair_labels.get(code, []) if x != "none"}
        if "opposed" in kinds and len(kinds) > 1 and not actor.get("note"):
            problems.append(f"{where}: {code} mixes opposed with another stance; the guidelines ask for a note")
    for code in sorted(set(pair_labels) - set(actor_labels)):
        problems.append(f"{code} has pairs but is not in actors")
    if gaz is not None:
        problems += unlisted_actors(record, gaz)
    return problems


def validate_files(paths: list[Path], gaz=None) -> tuple[list[Finding], dict[str, int]]:
    """Findings over all files, including ids repeated across files and episodes split across splits."""
    codes = set(valid_codes())
    findings: list[Finding] = []
    ids: dict[str, str] = {}
    episode_splits: dict[str, set[str]] = defaultdict(set)
    counts = {"files": 0, "articles": 0, "pairs": 0}
    for path in _corpus_files(paths, findings):
        counts["files"] += 1
        with open(path, "rb") as f:
            for number, raw in enumerate(f, start=1):
                if not raw.strip():
                    continue
                try:
                    record = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as e:
                    findings.append(Finding(str(path), number, f"not a JSON line: {e}"))
                    continue
                if not isinstance(record, dict):
                    findings.append(Finding(str(path), number, "a line must be a JSON object"))
                    continue
                findings += [Finding(str(path), number, m) for m in check_article(record, codes, gaz)]
                rid = record.get("id")
                if rid in ids:
                    findings.append(Finding(str(path), number, f"id {rid!r} already used at {ids[rid]}"))
                ids[rid] = f"{path}:{number}"
                if isinstance(record.get("episode"), str):
                    episode_splits[record["episode"]].add(record.get("split"))
                counts["articles"] += 1
                counts["pairs"] += len(record.get("pairs") or [])
    for episode, splits in sorted(episode_splits.items()):
        if len(splits) > 1:
            findings.append(Finding("(corpus)", 0, f"episode {episode!r} is in more than one split: {sorted(map(str, splits))}"))
    return findings, counts


def _corpus_files(paths: list[Path], findings: list[Finding]) -> list[Path]:
    """The files named, with a folder standing for the .jsonl files in it; a missing path is a finding."""
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(path.glob("*.jsonl"))
        elif path.is_file():
            files.append(path)
        else:
            findings.append(Finding(str(path), 0, "no such file or folder"))
    return files
