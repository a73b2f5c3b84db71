"""From pair predictions to one stance per (article, actor), by the guidelines' article-label rules."""
from __future__ import annotations

import numpy as np
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
    """pairs: article_id, actor, stance, p_*, sentence, start, end -> one row per (article, actor).

    The same rules as `article_label`, computed for all groups at once (batch
    scoring aggregates hundreds of thousands of pairs); a row's weight is its
    top probability.
    """
    if pairs.empty:
        return pd.DataFrame(columns=ARTICLE_COLUMNS).astype({"evidence_start": "Int64", "evidence_end": "Int64"})
    keys = ["article_id", "actor"]
    df = pairs.reset_index(drop=True)
    spoke = df["stance"] != "none"
    weight = df[PROBA_COLUMNS].max(axis=1).where(spoke, 0.0)
    parts = {}
    for s in STANCES:
        is_s = df["stance"] == s
        parts[f"n_{s}"] = is_s.astype(int)
        parts[f"w_{s}"] = weight.where(is_s, 0.0)
    for c in PROBA_COLUMNS:  # means over the sentences that spoke, or over all when none did
        parts[f"sum_spoke_{c}"] = df[c].where(spoke, 0.0)
        parts[f"sum_all_{c}"] = df[c]
    parts["n_spoke"] = spoke.astype(int)
    parts["n_all"] = 1
    sums = pd.DataFrame(parts).groupby([df["article_id"], df["actor"]], sort=False).sum()

    n = {s: sums[f"n_{s}"] for s in STANCES}
    kinds = sum((n[s] > 0).astype(int) for s in STANCES)
    other_n = n["supportive"] + n["reluctant"]
    other_w = sums["w_supportive"] + sums["w_reluctant"]
    opposed_wins = (n["opposed"] > other_n) | ((n["opposed"] == other_n) & (sums["w_opposed"] >= other_w))
    mixed_loser = np.where(n["reluctant"] > 0, "reluctant", "supportive")
    single = np.select([n[s] > 0 for s in STANCES], list(STANCES), "none")
    stance = np.where(kinds == 0, "none",
                      np.where(kinds == 1, single,
                               np.where(n["opposed"] == 0, "reluctant",
                                        np.where(opposed_wins, "opposed", mixed_loser))))
    out = pd.DataFrame({"stance": stance}, index=sums.index)
    has_spoke = sums["n_spoke"] > 0
    for c in PROBA_COLUMNS:
        out[c] = np.where(has_spoke, sums[f"sum_spoke_{c}"] / sums["n_spoke"].where(has_spoke, 1),
                          sums[f"sum_all_{c}"] / sums["n_all"])
    out["n_sentences"] = sums["n_spoke"].astype(int)
    out = out.reset_index()

    # Evidence: the sentence most confident in the article's stance.
    rows = df.merge(out[keys + ["stance"]].rename(columns={"stance": "article_stance"}), on=keys, how="left")
    rows = rows[rows["stance"] == rows["article_stance"]]
    rows = rows[rows["article_stance"] != "none"]
    if len(rows):
        column = rows["stance"].map({s: i for i, s in enumerate(STANCES)}).to_numpy()
        confidence = pd.Series(rows[PROBA_COLUMNS].to_numpy()[np.arange(len(rows)), column], index=rows.index)
        best = rows.loc[confidence.groupby([rows["article_id"], rows["actor"]], sort=False).idxmax()]
        evidence = best[keys + ["sentence", "start", "end"]].rename(
            columns={"sentence": "evidence", "start": "evidence_start", "end": "evidence_end"})
        out = out.merge(evidence, on=keys, how="left")
    else:
        out = out.assign(evidence=None, evidence_start=None, evidence_end=None)
    return out[ARTICLE_COLUMNS].astype({"evidence_start": "Int64", "evidence_end": "Int64"})
