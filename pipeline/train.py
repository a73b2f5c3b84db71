"""Stage 5: fit the classifier on the training split and log the run to MLflow."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.config import flatten
from pipeline.model import INPUT_COLUMNS, build_model, describe, fitted_choices
from pipeline.tracking import configure, git_commit

RUN_FILE = "run.json"
# MLflow saves scikit-learn models with skops, which loads only types it is told to trust:
# the project's own feature functions.
TRUSTED_TYPES = ["pipeline.model.CompactTfidfVectorizer", "pipeline.model.target_window",
                 "pipeline.model.target_clause", "pipeline.model.target_roles", "pipeline.model.cue_votes",
                 "pipeline.context.ArticleContextClassifier"]


def training_rows(pairs: pd.DataFrame, split: str = "train", use_weak: bool = False) -> pd.DataFrame:
    """Labelled pairs of one split; unlabelled pairs never train, weak labels only when asked."""
    keep = (pairs["split"] == split) & pairs["label"].notna()
    if not use_weak:
        keep &= ~pairs["label_source"].fillna("").str.startswith("weak:")
    return pairs[keep].reset_index(drop=True)


def data_version(rows: pd.DataFrame) -> str:
    digest = pd.util.hash_pandas_object(rows[["article_id", "actor", "marked", "label"]], index=False)
    return format(int(digest.sum()) & 0xFFFFFFFFFFFF, "012x")


def fit(pairs: pd.DataFrame, train_params: dict[str, Any]):
    rows = training_rows(pairs, use_weak=train_params.get("use_weak", False))
    if rows.empty:
        raise ValueError("no labelled pairs in the train split: check the corpus `split` fields and the label stage")
    model = build_model(train_params)
    model.fit(rows[INPUT_COLUMNS], rows["label"])
    return model, rows


def run_train(pairs: pd.DataFrame, params: dict[str, Any], output: Path) -> dict[str, str]:
    """Fit, log params/tags/model to a new MLflow run, save the model to `output`; return run info."""
    import mlflow
    from mlflow.models import infer_signature

    train_params = params["train"]
    experiment_id = configure(params["mlflow"]["experiment"])
    model, rows = fit(pairs, train_params)
    example = rows[INPUT_COLUMNS].head(3)
    signature = infer_signature(example, model.predict(example))
    version = data_version(rows)
    with mlflow.start_run(run_name=describe(train_params), experiment_id=experiment_id) as run:
        mlflow.log_params(flatten({k: params[k] for k in ("link", "label", "train") if k in params}))
        mlflow.log_params({"data.train_pairs": len(rows), "data.train_articles": rows["article_id"].nunique()})
        mlflow.log_params(fitted_choices(model))
        tags = {"feature_set": train_params["features"]["text"],
                "classifier": train_params["classifier"]["name"],
                "data_version": version}
        commit = git_commit()
        if commit:
            tags["mlflow.source.git.commit"] = commit
        mlflow.set_tags(tags)
        mlflow.log_dict(rows["label"].value_counts().to_dict(), "train_label_counts.json")
        functions_report = Path(params["label"].get("functions_report", ""))
        if functions_report.is_file():
            log_functions_report(functions_report)
        logged = mlflow.sklearn.log_model(model, name="model", signature=signature, input_example=example,
                                          skops_trusted_types=TRUSTED_TYPES)
    if output.exists():
        shutil.rmtree(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    mlflow.sklearn.save_model(model, str(output), signature=signature, input_example=example,
                              skops_trusted_types=TRUSTED_TYPES)
    # The whole scorer (split, link, classify, aggregate) as a pyfunc for `mlflow models serve`.
    article_model = train_params.get("article_model")
    if article_model:
        from pipeline.pyfunc import log_article_model, save_article_model

        save_article_model(Path(article_model), output, params)
        with mlflow.start_run(run_id=run.info.run_id):
            log_article_model(output, params)
    info = {"run_id": run.info.run_id, "experiment_id": experiment_id, "model_uri": logged.model_uri,
            "run_name": describe(train_params), "data_version": version}
    (output / RUN_FILE).write_text(json.dumps(info, indent=2) + "\n")
    return info


def log_functions_report(path: Path) -> None:
    """The labelling-function report as an artifact, and the label model's figures as metrics."""
    import mlflow

    report = pd.read_csv(path)
    mlflow.log_artifact(str(path))
    vote = report[report["function"].str.startswith("majority")].iloc[0]
    mlflow.log_metrics({"label_model_coverage": float(vote["coverage"]), "label_model_accuracy": float(vote["accuracy"])})
    for row in report.itertuples():
        if not row.function.startswith("majority") and row.votes:
            mlflow.log_metrics({f"lf_{row.function}_coverage": float(row.coverage),
                                f"lf_{row.function}_accuracy": float(row.accuracy)})
