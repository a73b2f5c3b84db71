"""Inter-annotator agreement between the corpus labels and an independent second pass."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from sklearn.metrics import cohen_kappa_score

from pipeline.label import locate


def _key(text: str, sentence: str) -> tuple[int, int] | str:
    """Where the sentence sits in the article, so both passes' copies compare equal."""
    return locate(text, sentence) or " ".join(sentence.split())


def compare(first: list[dict], second: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(pairs, article labels) side by side for the articles of the second pass.

    A pair or actor one annotator left out counts as `none` for that annotator:
    leaving it out says the sentence holds no stance of that actor.
    """
    by_id = {r["id"]: r for r in first}
    pair_rows, actor_rows = [], []
    for other in second:
        base = by_id[other["id"]]
        text = base["text"]
        labels: dict[tuple, list[str]] = {}
        for who, record in (("first", base), ("second", other)):
            for p in record["pairs"]:
                labels.setdefault((_key(text, p["sentence"]), p["actor"]), {})[who] = p["label"]
        for (span, actor), got in labels.items():
            sentence = text[span[0]:span[1]] if isinstance(span, tuple) else span
            pair_rows.append({"id": other["id"], "actor": actor, "sentence": sentence,
                              "first": got.get("first", "none"), "second": got.get("second", "none")})
        articles: dict[str, dict] = {}
        for who, record in (("first", base), ("second", other)):
            for a in record["actors"]:
                articles.setdefault(a["actor"], {})[who] = a["label"]
        for actor, got in articles.items():
            actor_rows.append({"id": other["id"], "actor": actor,
                               "first": got.get("first", "none"), "second": got.get("second", "none")})
    return pd.DataFrame(pair_rows), pd.DataFrame(actor_rows)


def kappa(table: pd.DataFrame) -> float:
    return float(cohen_kappa_score(table["first"], table["second"]))


def summary(pairs: pd.DataFrame, actors: pd.DataFrame) -> dict[str, float]:
    return {
        "articles": int(actors["id"].nunique()),
        "pairs": len(pairs),
        "pair_kappa": round(kappa(pairs), 3),
        "pair_agreement": round(float((pairs["first"] == pairs["second"]).mean()), 3),
        "article_labels": len(actors),
        "article_kappa": round(kappa(actors), 3),
        "article_agreement": round(float((actors["first"] == actors["second"]).mean()), 3),
    }


def disagreements(pairs: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """The pairs and article labels the two passes label differently, for adjudication."""
    return pd.concat([pairs[pairs["first"] != pairs["second"]].assign(level="pair"),
                      actors[actors["first"] != actors["second"]].assign(level="article")], ignore_index=True)


def load_jsonl(paths: list[Path]) -> list[dict]:
    return [json.loads(line) for p in paths for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


def apply_adjudication(records: list[dict], decisions: list[dict], codes: set[str]) -> list[str]:
    """Write adjudicated labels into the corpus records (in place); return what changed.

    A pair the first pass lacked is added when the decision is a stance; an
    article label whose pairs no longer allow it is recomputed by the rules.
    """
    from pipeline.aggregate import article_label
    from pipeline.corpus import expected_article_label

    by_id = {r["id"]: r for r in records}
    changes, touched = [], set()
    for d in decisions:
        record = by_id.get(d["id"])
        if record is None or d["decision"] == d["first"] or d["actor"] not in codes:
            continue
        actor, label = d["actor"], d["decision"]
        if d["level"] == "pair":
            span = locate(record["text"], d["sentence"])
            pair = next((p for p in record["pairs"] if p["actor"] == actor
                         and locate(record["text"], p["sentence"]) == span), None)
            if pair is not None:
                pair["label"] = label
            elif label != "none":
                record["pairs"].append({"sentence": d["sentence"], "actor": actor, "label": label})
            else:
                continue
            if all(a["actor"] != actor for a in record["actors"]):
                record["actors"].append({"actor": actor, "label": "none", "evidence": []})
        else:
            entry = next((a for a in record["actors"] if a["actor"] == actor), None)
            if entry is None:
                continue
            entry["label"] = label
        touched.add(record["id"])
        changes.append(f"{d['id']} {actor} {d['level']}: {d['first']} -> {label}")
    for rid in sorted(touched):
        record = by_id[rid]
        for entry in record["actors"]:
            labels = [p["label"] for p in record["pairs"] if p["actor"] == entry["actor"]]
            if labels and entry["label"] not in expected_article_label(labels):
                new = article_label(labels)
                changes.append(f"{rid} {entry['actor']} article: {entry['label']} -> {new} (recomputed from its pairs)")
                entry["label"] = new
                if "opposed" in labels and len(set(labels) - {"none"}) > 1:
                    entry["note"] = (entry.get("note") or "") + " Recomputed after adjudication: opposed weighed by count."
    return changes
