"""Corpus statistics for the datasheet, computed from the corpus files (never typed in)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from pipeline import LABELS, STANCES

START, END = "<!-- stats:start -->", "<!-- stats:end -->"


def read_corpus(paths: list[Path]) -> list[dict]:
    return [json.loads(line) for p in paths for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


def corpus_table(records: list[dict]) -> pd.DataFrame:
    """One row per split plus a total: articles, episodes, words, pairs by label, actors."""
    rows = []
    for split in ("train", "dev", "test", "all"):
        chosen = [r for r in records if split == "all" or r["split"] == split]
        pairs = [p for r in chosen for p in r["pairs"]]
        counts = {label: sum(p["label"] == label for p in pairs) for label in LABELS}
        stance_total = sum(counts[s] for s in STANCES) or 1
        rows.append({
            "split": split,
            "articles": len(chosen),
            "episodes": len({r["episode"] for r in chosen}),
            "words (mean)": round(sum(len(r["text"].split()) for r in chosen) / max(len(chosen), 1)),
            "relevant": sum(bool(r["relevant"]) for r in chosen),
            "pairs": len(pairs),
            **counts,
            **{f"{s} % of stance": round(100 * counts[s] / stance_total, 1) for s in STANCES},
            "none % of pairs": round(100 * counts["none"] / max(len(pairs), 1), 1),
            "actors": len({a["actor"] for r in chosen for a in r["actors"]}),
            "article labels": sum(len(r["actors"]) for r in chosen),
        })
    return pd.DataFrame(rows)


def episode_table(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame([{"episode": r["episode"], "split": r["split"], "year": r["date"][:4],
                           "pairs": len(r["pairs"])} for r in records])
    return (frame.groupby(["episode", "split"])
            .agg(articles=("pairs", "size"), pairs=("pairs", "sum"), years=("year", lambda y: f"{min(y)}-{max(y)}"))
            .reset_index().sort_values(["split", "episode"]))


def markdown(records: list[dict]) -> str:
    return "\n\n".join([
        corpus_table(records).set_index("split").T.to_markdown(),
        episode_table(records).to_markdown(index=False),
    ])


def write_into(readme: Path, block: str, marker: str = "stats") -> None:
    """Replace what stands between the `<!-- marker:start -->` and `<!-- marker:end -->` lines."""
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    text = readme.read_text(encoding="utf-8")
    if start not in text or end not in text:
        raise ValueError(f"{readme}: no {start} ... {end} block to fill")
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.DOTALL)
    readme.write_text(pattern.sub(lambda _: f"{start}\n{block}\n{end}", text), encoding="utf-8")
