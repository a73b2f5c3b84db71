"""Stage 7: stances of new articles, per (article, actor) and per (sentence, actor)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.aggregate import aggregate
from pipeline.features import pairs_from_articles
from pipeline.gazetteer import Gazetteer
from pipeline.model import predict_proba_frame

SENTENCE_OUTPUT = ["article_id", "sentence_index", "actor", "stance", "p_supportive", "p_reluctant",
                   "p_opposed", "p_none", "start", "end", "sentence"]


def load_model(spec: str | None, default: Path):
    """A local MLflow model folder, or an MLflow model URI (runs:/, models:/ ...)."""
    import mlflow.sklearn

    from pipeline.tracking import configure_uri

    uri = spec or str(default)
    if "://" not in uri and ":/" not in uri:
        path = Path(uri)
        if not (path / "MLmodel").exists():
            raise FileNotFoundError(f"no model at {path}: run `dvc repro` first or pass --model")
        return mlflow.sklearn.load_model(str(path)), str(path.resolve())
    configure_uri()
    return mlflow.sklearn.load_model(uri), uri


def score_articles(articles: pd.DataFrame, model, gaz: Gazetteer) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per article and actor, per sentence and actor) predictions."""
    _, _, pairs = pairs_from_articles(articles, gaz)
    pairs = pairs.reset_index(drop=True)
    predicted = pd.concat([pairs, predict_proba_frame(model, pairs)], axis=1)
    per_sentence = predicted[SENTENCE_OUTPUT] if len(predicted) else pd.DataFrame(columns=SENTENCE_OUTPUT)
    return aggregate(predicted), per_sentence
