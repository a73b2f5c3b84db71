"""Stance of each actor over time, from scored articles: who moved, and when."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline import LABELS, STANCES

FREQUENCIES = {"year": "Y", "quarter": "Q", "month": "M"}
COLOURS = {"supportive": "#2b8cbe", "reluctant": "#fdae61", "opposed": "#d7191c", "none": "#d9d9d9"}


def stance_over_time(scored: pd.DataFrame, freq: str = "year") -> tuple[pd.DataFrame, int]:
    """One row per (actor, period): article counts per stance, shares, the dominant stance,
    and whether it changed since the actor's previous period with a stance.

    `scored` is the per (article, actor) output of `stance score`; rows without a
    usable date are left out and counted (the second value).
    """
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {', '.join(FREQUENCIES)}, not {freq!r}")
    dates = pd.to_datetime(scored["date"], errors="coerce", utc=True)
    undated = int(dates.isna().sum())
    rows = scored.assign(period=dates.dt.tz_localize(None).dt.to_period(FREQUENCIES[freq]).astype(str))[dates.notna()]
    counts = (rows.groupby(["actor", "period"])["stance"].value_counts().unstack(fill_value=0)
              .reindex(columns=list(LABELS), fill_value=0))
    table = counts.reset_index()
    table.insert(2, "articles", counts.sum(axis=1).to_numpy())
    spoke = table[list(STANCES)].sum(axis=1)
    for stance in STANCES:
        table[f"share_{stance}"] = (table[stance] / spoke.where(spoke > 0)).round(3)
    # Ties go to the stance listed first in the guidelines' order, so reruns agree.
    table["dominant"] = table[list(STANCES)].idxmax(axis=1).where(spoke > 0, "none")
    table = table.sort_values(["actor", "period"]).reset_index(drop=True)
    previous = table["dominant"].where(table["dominant"] != "none").groupby(table["actor"]).shift().ffill()
    same_actor = table["actor"].eq(table["actor"].shift())
    table["moved_from"] = previous.where(same_actor & (table["dominant"] != "none") &
                                         previous.notna() & (previous != table["dominant"]))
    return table, undated


def plot_stance_over_time(table: pd.DataFrame, path: Path | str, top: int = 9) -> list[str]:
    """Small multiples: stacked article counts per stance and period, for the `top` actors
    with the most articles that took a stance. Returns the actors drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    spoken = table.groupby("actor")[list(STANCES)].sum().sum(axis=1).sort_values(ascending=False)
    actors = [a for a in spoken.index[:top] if spoken[a] > 0]
    periods = sorted(table["period"].unique())
    cols = min(3, max(1, len(actors)))
    rows = max(1, -(-len(actors) // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 2.8 * rows), squeeze=False, sharex=True)
    for ax, actor in zip(axes.flat, actors):
        sub = table[table["actor"] == actor].set_index("period")[list(LABELS)].reindex(periods, fill_value=0)
        bottom = None
        for stance in LABELS:
            ax.bar(range(len(periods)), sub[stance], bottom=bottom, color=COLOURS[stance], label=stance)
            bottom = sub[stance] if bottom is None else bottom + sub[stance]
        ax.set_title(actor, fontsize=10)
        ax.set_xticks(range(len(periods)), periods, rotation=90, fontsize=7)
    for ax in list(axes.flat)[len(actors):]:
        ax.axis("off")
    if actors:
        axes.flat[0].legend(fontsize=7, loc="upper left")
        axes.flat[0].set_ylabel("articles")
    fig.suptitle("Stance on sanctions by actor and period (articles)")
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return actors
