"""Stage 6: score the held-out split against gold, at pair and article level.

Pairs the linker missed count as predicted `none`, and actors it invented
count against the model: the figures are what a user of the whole pipeline
gets, not the classifier alone.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.metrics import classification_report, confusion_matrix, f1_score, precision_recall_fscore_support

from pipeline import LABELS, STANCES
from pipeline.aggregate import aggregate
from pipeline.label import GoldAlignment, align_gold
from pipeline.model import predict_proba_frame


def missed_gold_pairs(pairs: pd.DataFrame, alignment: GoldAlignment) -> pd.DataFrame:
    """Gold pairs with no linked pair of the same actor overlapping their sentence."""
    rows = []
    linked = {aid: g for aid, g in pairs.groupby("article_id")}
    for aid, spans in alignment.spans.items():
        mine = linked.get(aid)
        for start, end, actor, label in spans:
            hit = mine is not None and ((mine["actor"] == actor) & (mine["start"] < end) & (mine["end"] > start)).any()
            if not hit:
                rows.append({"article_id": aid, "actor": actor, "start": start, "end": end, "label": label})
        rows += [{"article_id": aid, "actor": p["actor"], "sentence": p["sentence"], "label": p["label"]}
                 for p in alignment.lost[aid]]
    return pd.DataFrame(rows, columns=["article_id", "actor", "start", "end", "sentence", "label"])


def stance_scores(y_true: list[str], y_pred: list[str], prefix: str) -> dict[str, float]:
    """Macro-F1 over the three stances, and per-class precision/recall/F1 (none is a class, not averaged)."""
    metrics = {f"{prefix}_macro_f1": f1_score(y_true, y_pred, labels=list(STANCES), average="macro", zero_division=0)}
    p, r, f, n = precision_recall_fscore_support(y_true, y_pred, labels=list(STANCES), zero_division=0)
    for i, label in enumerate(STANCES):
        metrics.update({f"{prefix}_{label}_precision": p[i], f"{prefix}_{label}_recall": r[i],
                        f"{prefix}_{label}_f1": f[i], f"{prefix}_{label}_support": int(n[i])})
    metrics[f"{prefix}_n"] = len(y_true)
    return {k: float(v) if not isinstance(v, int) else v for k, v in metrics.items()}


def article_table(predicted: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Gold and predicted article labels for every actor either side names."""
    rows = []
    pred_of = {(a, c): s for a, c, s in zip(predicted["article_id"], predicted["actor"], predicted["stance"])}
    for aid, gold in zip(articles["id"], articles["gold"]):
        if not isinstance(gold, str):
            continue
        gold_actors = {a["actor"]: a["label"] for a in json.loads(gold).get("actors", [])}
        mine = {c for (a, c) in pred_of if a == aid}
        for actor in sorted(set(gold_actors) | mine):
            rows.append({"article_id": aid, "actor": actor, "gold": gold_actors.get(actor, "none"),
                         "predicted": pred_of.get((aid, actor), "none")})
    return pd.DataFrame(rows, columns=["article_id", "actor", "gold", "predicted"])


def actor_detection(pairs: pd.DataFrame, articles: pd.DataFrame, prefix: str) -> dict[str, float]:
    """Article-level precision and recall of the actors the linker found against the gold actor lists."""
    found = pairs.groupby("article_id")["actor"].agg(set).to_dict() if len(pairs) else {}
    tp = fp = fn = 0
    for aid, gold in zip(articles["id"], articles["gold"]):
        if not isinstance(gold, str):
            continue
        expected = {a["actor"] for a in json.loads(gold).get("actors", [])}
        mine = found.get(aid, set())
        tp, fp, fn = tp + len(expected & mine), fp + len(mine - expected), fn + len(expected - mine)
    return {f"{prefix}_actor_precision": tp / (tp + fp) if tp + fp else 0.0,
            f"{prefix}_actor_recall": tp / (tp + fn) if tp + fn else 0.0}


def evaluate_articles(model, pairs: pd.DataFrame, articles: pd.DataFrame, prefix: str) -> dict[str, Any]:
    """Metrics and the tables behind them for annotated articles whose pairs are already built."""
    pairs = pairs.reset_index(drop=True)
    alignment = align_gold(pairs, articles)
    predicted = pd.concat([pairs, predict_proba_frame(model, pairs)], axis=1)
    predicted["label"] = alignment.labels
    missed = missed_gold_pairs(pairs, alignment)
    y_true = predicted["label"].tolist() + missed["label"].tolist()
    y_pred = predicted["stance"].tolist() + ["none"] * len(missed)
    metrics = stance_scores(y_true, y_pred, f"{prefix}_pair")
    by_article = article_table(aggregate(predicted), articles)
    metrics.update(stance_scores(by_article["gold"].tolist(), by_article["predicted"].tolist(), f"{prefix}_article"))
    metrics[f"{prefix}_pairs_missed_by_linker"] = len(missed)
    metrics.update(actor_detection(pairs, articles, prefix))
    errors = predicted[predicted["label"] != predicted["stance"]][
        ["article_id", "actor", "label", "stance", "p_supportive", "p_reluctant", "p_opposed", "p_none", "sentence"]]
    return {"metrics": metrics, "y_true": y_true, "y_pred": y_pred, "articles": by_article, "errors": errors,
            "report": classification_report(y_true, y_pred, labels=list(LABELS), zero_division=0)}


def confusion_figure(y_true: list[str], y_pred: list[str], title: str):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    matrix = confusion_matrix(y_true, y_pred, labels=list(LABELS))
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    ConfusionMatrixDisplay(matrix, display_labels=list(LABELS)).plot(ax=ax, colorbar=False, cmap="Blues")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def write_reports(result: dict[str, Any], prefix: str, plots_dir: Path) -> dict[str, Path]:
    """DVC plot data and the confusion image for one evaluated set."""
    plots_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "confusion_csv": plots_dir / f"{prefix}_confusion.csv",
        "confusion_png": plots_dir / f"{prefix}_confusion.png",
        "report": plots_dir / f"{prefix}_classification_report.txt",
        "errors": plots_dir / f"{prefix}_misclassified.csv",
    }
    pd.DataFrame({"actual": result["y_true"], "predicted": result["y_pred"]}).to_csv(paths["confusion_csv"], index=False)
    fig = confusion_figure(result["y_true"], result["y_pred"], f"{prefix}: pairs")
    fig.savefig(paths["confusion_png"], dpi=110)
    paths["report"].write_text(result["report"])
    result["errors"].to_csv(paths["errors"], index=False)
    return paths


def evaluation_sets(params: dict[str, Any]) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """(articles, pairs) of each set to report: the held-out split, dev, and real news when present."""
    from pipeline.features import pairs_from_articles
    from pipeline.gazetteer import gazetteer_from_params
    from pipeline.ingest import read_articles

    cfg = params["evaluate"]
    articles = pd.read_parquet(params["ingest"]["output"])
    pairs = pd.read_parquet(params["label"]["output"])
    sets = {}
    for name in dict.fromkeys([cfg["split"], "dev"]):
        chosen = articles[articles["split"] == name]
        if not chosen.empty:
            sets[name] = (chosen, pairs[pairs["article_id"].isin(chosen["id"])])
    realnews = cfg.get("realnews_dev")
    if realnews and Path(realnews).exists():
        dev_articles, _ = read_articles([realnews])
        _, _, dev_pairs = pairs_from_articles(dev_articles, gazetteer_from_params(params["link"]))
        sets["realnews_dev"] = (dev_articles, dev_pairs)
    return sets


def run_evaluate(params: dict[str, Any], model_dir: Path) -> tuple[dict[str, float], dict[str, Path]]:
    """Evaluate the trained model and the baselines; write reports; log all to the training run."""
    import mlflow

    from pipeline.baselines import fit_baselines
    from pipeline.label import load_labelling_functions
    from pipeline.score import load_model
    from pipeline.tracking import configure
    from pipeline.train import RUN_FILE, training_rows

    cfg = params["evaluate"]
    model, _ = load_model(str(model_dir), model_dir)
    sets = evaluation_sets(params)
    baselines = fit_baselines(training_rows(pd.read_parquet(params["label"]["output"])),
                              load_labelling_functions(params["label"]["cues"]), params["train"]["seed"])
    metrics: dict[str, float] = {}
    written: dict[str, Path] = {}
    for name, (articles, pairs) in sets.items():
        result = evaluate_articles(model, pairs, articles, name)
        metrics.update(result["metrics"])
        for kind, path in write_reports(result, name, Path(cfg["plots"])).items():
            written[f"{name}/{kind}"] = path
        for baseline, estimator in baselines.items():
            scores = evaluate_articles(estimator, pairs, articles, name)["metrics"]
            for level in ("pair", "article"):
                key = f"{name}_{level}_macro_f1"
                metrics[f"baseline_{baseline}_{key}"] = scores[key]
    out = Path(cfg["metrics"])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n")
    run = json.loads((model_dir / RUN_FILE).read_text())
    configure(params["mlflow"]["experiment"])
    with mlflow.start_run(run_id=run["run_id"]):
        mlflow.log_metrics(metrics)
        for key, path in written.items():
            mlflow.log_artifact(str(path), artifact_path=f"evaluation/{key.split('/')[0]}")
    return metrics, written
