"""The README's results table, read back from MLflow (never typed in)."""
from __future__ import annotations

import pandas as pd

SETS = (("test", "corpus test"), ("dev", "corpus dev"), ("realnews_dev", "real-news dev"))


def _latest_run(experiment: str) -> pd.Series | None:
    import mlflow

    runs = mlflow.search_runs(experiment_names=[experiment], order_by=["attributes.start_time DESC"],
                              filter_string="metrics.test_pair_macro_f1 >= 0")
    return None if runs.empty else runs.iloc[0]


def pipeline_table(experiment: str) -> pd.DataFrame:
    """The model `dvc repro` last trained beside the baselines, on every evaluated set."""
    run = _latest_run(experiment)
    if run is None:
        raise LookupError(f"no evaluated run in MLflow experiment {experiment!r}: run `dvc repro` first")
    rows = []
    models = [("majority class", "baseline_majority_"), ("labelling functions alone", "baseline_labelling_functions_"),
              ("target-blind TF-IDF SVM", "baseline_target_blind_svm_"), (f"model: {run['tags.mlflow.runName']}", "")]
    for label, prefix in models:
        row = {"model": label}
        for key, name in SETS:
            for level in ("pair", "article"):
                column = f"metrics.{prefix}{key}_{level}_macro_f1"
                row[f"{name} {level}"] = run.get(column)
        rows.append(row)
    return pd.DataFrame(rows)


def experiment_table(experiment: str) -> pd.DataFrame:
    """Every run of an experiment (dev-side metrics only: sweeps never see the test split)."""
    import mlflow

    runs = mlflow.search_runs(experiment_names=[experiment], order_by=["attributes.start_time DESC"])
    if runs.empty:
        raise LookupError(f"no runs in MLflow experiment {experiment!r}: run `stance experiment` first")
    runs = runs.drop_duplicates("tags.mlflow.runName")  # the latest run of each name
    columns = {"tags.mlflow.runName": "run", "tags.feature_set": "features",
               "metrics.cv_pair_macro_f1": "train CV pair", "metrics.dev_pair_macro_f1": "corpus dev pair",
               "metrics.dev_article_macro_f1": "corpus dev article",
               "metrics.realnews_dev_pair_macro_f1": "real-news dev pair",
               "metrics.realnews_dev_article_macro_f1": "real-news dev article"}
    present = [c for c in columns if c in runs]
    return runs[present].rename(columns=columns).sort_values("corpus dev pair", ascending=False)


def markdown(tables: dict[str, pd.DataFrame]) -> str:
    parts = []
    for title, table in tables.items():
        parts.append(f"**{title}**\n\n" + table.to_markdown(index=False, floatfmt=".3f"))
    return "\n\n".join(parts)
