"""Acceptance articles: articles with expected labels that a model must get right to become champion.

Each case is a `<name>.expected.json` ({"actors": [{"actor", "label"}, ...]})
beside the article it describes (`<name>.txt`, or any file `ingest` reads with
that stem). A sweep's best run by the selection metric only takes the
`champion` alias if it gets every expected actor's article label right, so a
gain on dev cannot quietly break the article the project was specified from.
"""
from __future__ import annotations

import glob
import json
from pathlib import Path

import pandas as pd

from pipeline.gazetteer import Gazetteer
from pipeline.ingest import READABLE, Problem, iter_articles
from pipeline.score import Screen, score_records


def find_cases(pattern: str | None, root: Path | str = ".") -> list[tuple[Path, dict[str, str]]]:
    """(article file, {actor: expected label}) for every expected file the pattern matches; [] if none."""
    if not pattern:
        return []
    cases = []
    for expected_path in sorted(glob.glob(str(Path(root) / pattern))):
        stem = Path(expected_path).name[: -len(".expected.json")]
        article = next((p for p in (Path(expected_path).with_name(stem + s) for s in READABLE) if p.exists()), None)
        if article is None:
            raise FileNotFoundError(f"{expected_path}: no article beside it ({stem} with one of {READABLE})")
        expected = json.loads(Path(expected_path).read_text(encoding="utf-8"))
        cases.append((article, {a["actor"]: a["label"] for a in expected["actors"]}))
    return cases


def acceptance_failures(model, gaz: Gazetteer, cases: list[tuple[Path, dict[str, str]]]) -> list[str]:
    """One line per expected actor the model gets wrong or does not find; [] when all are right."""
    failures = []
    for article, expected in cases:
        records = list(iter_articles([article]))
        problems = [r for r in records if isinstance(r, Problem)]
        if problems:
            raise ValueError(f"{article}: cannot be read: {problems[0].reason}")
        # every article is scored: the vocabulary and language screens would hide what the model says
        scored = score_records(records, model, gaz, Screen(languages=()), with_sentences=False)["articles"]
        said = dict(zip(scored["actor"], scored["stance"]))
        failures += [f"{article.stem} {actor}: {said.get(actor, 'not found')}, expected {label}"
                     for actor, label in expected.items() if said.get(actor) != label]
    return failures


def choose_champion(table: pd.DataFrame, select_by: str) -> pd.Series | None:
    """The run with the best `select_by` among those that pass acceptance (all, if none was checked)."""
    if select_by not in table or table.empty:
        return None
    passing = table if "acceptance_failures" not in table else table[table["acceptance_failures"] == 0]
    if passing.empty:
        return None
    return passing.loc[passing[select_by].idxmax()]
