"""From pair predictions to one stance per (article, actor), by the guidelines' article-label rules."""
from __future__ import annotations

import pandas as pd

from pipeline import STANCES

PROBA_COLUMNS = [f"p_{s}" for s in STANCES]
ARTICLE_COLUMNS = ["article_id", "actor", "stance", *PROBA_COLUMNS, "n_sentences",
                   "evidence", "evidence_start", "evidence_end"]


def article_label(labels: list[str], weights: list[float] | None = None) -> str:
    """none only -> none; one stance -> it; supportive+reluctant -> reluctant;
    opposed with another -> whichever weighs more (count, then summed weight)."""
    weights = weights or [1.0] * len(labels)
    spoken = [(label, w) for label, w in zip(labels, weights) if label != "none"]
    kinds = {label for label, _ in spoken}
    if not kinds:
        return "none"
    if len(kinds) == 1:
        return kinds.pop()
    if "opposed" not in kinds:
        return "reluctant"
    opposed = [w for label, w in spoken if label == "opposed"]
    other = [w for label, w in spoken if label != "opposed"]
    if (len(opposed), sum(opposed)) >= (len(other), sum(other)):
        return "opposed"
    return "reluctant" if "reluctant" in kinds else "supportive"


def aggregate(pairs: pd.DataFrame) -> pd.DataFrame:
    """pairs: article_id, actor, stance, p_* , sentence, start, end -> one row per (article, actor)."""
    rows = []
    for (article_id, actor), group in pairs.groupby(["article_id", "actor"], sort=False):
        confidence = group[PROBA_COLUMNS].max(axis=1).where(group["stance"] != "none", 0.0)
        stance = article_label(group["stance"].tolist(), confidence.tolist())
        spoke = group[group["stance"] != "none"]
        basis = spoke if len(spoke) else group
        probs = basis[PROBA_COLUMNS].mean()
        if stance == "none":
            evidence = None
        else:
            best = group[group["stance"] == stance][f"p_{stance}"].idxmax()
            evidence = group.loc[best]
        rows.append({
            "article_id": article_id, "actor": actor, "stance": stance,
            **{c: float(probs[c]) for c in PROBA_COLUMNS},
            "n_sentences": int(len(spoke)),
            "evidence": None if evidence is None else evidence["sentence"],
            "evidence_start": None if evidence is None else int(evidence["start"]),
            "evidence_end": None if evidence is None else int(evidence["end"]),
        })
    out = pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
    return out.astype({"evidence_start": "Int64", "evidence_end": "Int64"})
