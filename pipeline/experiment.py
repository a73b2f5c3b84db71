"""Experiments: a list (or grid) of config overrides, each fitted and compared as one MLflow run.

Runs use the pairs table of the last `dvc repro` and vary the `train` params.
Selection uses the training split (cross-validation grouped by article) and the
dev split; the test split is never read here.
"""
from __future__ import annotations

import copy
import itertools
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold

from pipeline import STANCES
from pipeline.config import flatten, set_dotted
from pipeline.model import INPUT_COLUMNS, build_model, describe, fitted_choices
from pipeline.train import TRUSTED_TYPES, data_version, training_rows


def load_definition(path: Path | str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def expand_runs(definition: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(name, overrides) for every run: the listed `runs`, then every point of the `grid`."""
    runs = [(r["name"], r.get("set") or {}) for r in definition.get("runs") or []]
    grid = definition.get("grid") or {}
    if grid:
        keys = sorted(grid)
        for values in itertools.product(*(grid[k] for k in keys)):
            overrides = dict(zip(keys, values))
            runs.append((",".join(f"{k.split('.')[-1]}={v}" for k, v in overrides.items()), overrides))
    return runs


def configure_run(params: dict[str, Any], base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    config = copy.deepcopy(params)
    for key, value in {**base, **overrides}.items():
        set_dotted(config, key, value)
    return config


def grouped_cv_macro_f1(rows: pd.DataFrame, train_params: dict[str, Any], folds: int) -> float:
    """Pair macro-F1 over the three stances, 5-fold by article on the training split."""
    predictions = pd.Series(index=rows.index, dtype=object)
    for fit_idx, held_idx in GroupKFold(n_splits=folds).split(rows, groups=rows["article_id"]):
        model = build_model(train_params).fit(rows.loc[fit_idx, INPUT_COLUMNS], rows.loc[fit_idx, "label"])
        predictions.loc[held_idx] = model.predict(rows.loc[held_idx, INPUT_COLUMNS])
    return float(f1_score(rows["label"], predictions, labels=list(STANCES), average="macro", zero_division=0))


def run_experiment(definition: dict[str, Any], params: dict[str, Any], register: bool = True) -> pd.DataFrame:
    """Fit every run, log each to MLflow, register the best by the selection metric; return the table.

    Only a run that gets the acceptance articles right (`mlflow.acceptance`, when
    any are found) can become champion."""
    import mlflow
    from mlflow.models import infer_signature

    from pipeline.acceptance import acceptance_failures, choose_champion, find_cases
    from pipeline.evaluate import evaluate_articles, evaluation_sets
    from pipeline.gazetteer import gazetteer_from_params
    from pipeline.tracking import configure, git_commit

    name = definition["name"]
    select_by = definition.get("select_by", "dev_pair_macro_f1")
    experiment_id = configure(name)
    pairs = pd.read_parquet(params["label"]["output"])
    version = data_version(training_rows(pairs))
    held_out = params["evaluate"]["split"]
    sets = {k: v for k, v in evaluation_sets(params).items() if k != held_out}
    cases = find_cases(params["mlflow"].get("acceptance"))
    gaz = gazetteer_from_params(params["link"]) if cases else None
    results = []
    for run_name, overrides in expand_runs(definition):
        config = configure_run(params, definition.get("base") or {}, overrides)
        train_params = config["train"]
        rows = training_rows(pairs, use_weak=train_params.get("use_weak", False))
        with mlflow.start_run(run_name=run_name, experiment_id=experiment_id) as run:
            mlflow.log_params(flatten({k: config[k] for k in ("link", "label", "train")}))
            mlflow.set_tags({"feature_set": _feature_set(train_params), "classifier": train_params["classifier"]["name"],
                             "data_version": version, "model": describe(train_params),
                             "mlflow.source.git.commit": git_commit() or "unknown"})
            metrics = {"cv_pair_macro_f1": grouped_cv_macro_f1(rows, train_params, definition.get("cv_folds", 5))}
            model = build_model(train_params).fit(rows[INPUT_COLUMNS], rows["label"])
            mlflow.log_params(fitted_choices(model))
            for set_name, (articles, set_pairs) in sets.items():
                scores = evaluate_articles(model, set_pairs, articles, set_name)["metrics"]
                metrics.update({k: v for k, v in scores.items() if "macro_f1" in k})
            if cases:
                failures = acceptance_failures(model, gaz, cases)
                metrics["acceptance_failures"] = len(failures)
                mlflow.set_tag("acceptance", "; ".join(failures) or "passed")
            mlflow.log_metrics(metrics)
            example = rows[INPUT_COLUMNS].head(3)
            mlflow.sklearn.log_model(model, name="model", input_example=example,
                                     signature=infer_signature(example, model.predict(example)),
                                     skops_trusted_types=TRUSTED_TYPES)
            results.append({"run": run_name, "run_id": run.info.run_id, **metrics})
    table = pd.DataFrame(results)
    best = choose_champion(table, select_by)
    if register and best is not None:
        register_champion(best["run_id"], definition.get("model_name", "sanctions-stance"), select_by)
    return table


def _feature_set(train_params: dict[str, Any]) -> str:
    """A short tag for the feature set: "marked+word+char+window+clause+roles+cues"."""
    f = train_params["features"]
    context = train_params.get("context") or {}
    aware = f["text"] == "marked"  # the target-aware views exist only on the marked text
    parts = [f["text"]]
    parts += [p for p, on in (("word", f.get("word_ngrams")), ("char", f.get("char_ngrams")),
                              ("window", aware and f.get("context_window")), ("clause", aware and f.get("clause")),
                              ("roles", aware and f.get("roles")), ("cues", aware and f.get("cues")),
                              ("context", context), ("nb", context.get("naive_bayes") is not None),
                              ("max", context.get("strongest_other"))) if on]
    return "+".join(parts)


def register_champion(run_id: str, model_name: str, select_by: str) -> str | None:
    """Register the run's model as `champion` if it beats the current champion on `select_by`.

    Returns the new version, or None when the champion stays.
    """
    import mlflow
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException

    client = MlflowClient()
    new_score = client.get_run(run_id).data.metrics.get(select_by, float("-inf"))
    try:
        current = client.get_model_version_by_alias(model_name, "champion")
        old_score = client.get_run(current.run_id).data.metrics.get(select_by, float("-inf"))
    except MlflowException:  # no model or no champion yet
        old_score = float("-inf")
    if new_score <= old_score:
        return None
    version = mlflow.register_model(f"runs:/{run_id}/model", model_name)
    client.set_registered_model_alias(model_name, "champion", version.version)
    return version.version
