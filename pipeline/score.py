"""Stage 7: stances of new articles, per (article, actor) and per (sentence, actor).

`score_records` scores one chunk of ingested records and accounts for each of
them (scored, skipped or failed). It is a plain function of data, so the same
code runs inline, in a process pool or on Dask workers (pipeline.batch).
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from pipeline.aggregate import aggregate
from pipeline.features import pairs_from_articles
from pipeline.gazetteer import Gazetteer
from pipeline.ingest import Problem, articles_frame
from pipeline.model import predict_proba_frame

_TEXT, _FLOAT, _INT = "string", "float64", "Int64"
# The three tables a chunk gives, column by column, with fixed types so that
# chunks written apart (and empty ones) agree.
OUTPUT_DTYPES: dict[str, dict[str, str]] = {
    "articles": {"article_id": _TEXT, "date": _TEXT, "actor": _TEXT, "stance": _TEXT, "p_supportive": _FLOAT,
                 "p_reluctant": _FLOAT, "p_opposed": _FLOAT, "n_sentences": _INT, "evidence": _TEXT,
                 "evidence_start": _INT, "evidence_end": _INT},
    "sentences": {"article_id": _TEXT, "sentence_index": _INT, "actor": _TEXT, "stance": _TEXT,
                  "p_supportive": _FLOAT, "p_reluctant": _FLOAT, "p_opposed": _FLOAT, "p_none": _FLOAT,
                  "start": _INT, "end": _INT, "sentence": _TEXT},
    "outcomes": {"id": _TEXT, "origin": _TEXT, "line": _INT, "status": _TEXT, "reason": _TEXT,
                 "n_actors": _INT, "n_chars": _INT},
}
ARTICLE_OUTPUT = list(OUTPUT_DTYPES["articles"])  # aggregate's ARTICLE_COLUMNS with the date
SENTENCE_OUTPUT = list(OUTPUT_DTYPES["sentences"])
OUTCOME_COLUMNS = list(OUTPUT_DTYPES["outcomes"])
# Only the opening is needed to tell the language, and language ID costs time per character.
LANGUAGE_SAMPLE = 1000


@dataclass(frozen=True)
class Screen:
    """What an article must have before the classifier is worth running on it."""

    vocabulary: re.Pattern | None = None   # None: every article goes to the classifier
    max_chars: int = 1_000_000
    languages: tuple[str, ...] = ("en",)  # empty: no language check


def screen_from_params(score: dict[str, Any], root: Path | str = ".") -> Screen:
    vocabulary = None
    if score.get("skip_without_vocabulary", True) and score.get("vocabulary"):
        terms = yaml.safe_load((Path(root) / score["vocabulary"]).read_text(encoding="utf-8"))["terms"]
        vocabulary = re.compile(r"\b(?:" + "|".join(f"(?:{t})" for t in terms) + r")\b", re.IGNORECASE)
    return Screen(vocabulary, int(score.get("max_chars", 1_000_000)), tuple(score.get("languages") or ()))


def prepare_screen(screen: Screen) -> None:
    """Load the language model now (py3langid loads it on first use, about 75 MB).

    Called before forking workers, so that they share one copy instead of each
    loading its own."""
    if screen.languages:
        import py3langid

        py3langid.classify("")


def screen_article(text: str, screen: Screen) -> tuple[str, str] | None:
    """(status, reason) for an article the classifier need not or cannot see; None to score it."""
    if len(text) > screen.max_chars:
        return "failed", (f"text too long: {len(text):,} characters, over the limit of {screen.max_chars:,} "
                          "(score.max_chars)")
    if screen.vocabulary is not None and not screen.vocabulary.search(text):
        return "skipped", "no sanctions vocabulary"
    if screen.languages:
        import py3langid

        language, _ = py3langid.classify(text[:LANGUAGE_SAMPLE])
        if language not in screen.languages:
            return "skipped", f"not English (detected: {language})"
    return None


def _outcome(item: dict | Problem, status: str, reason: str = "", n_actors: int = 0) -> dict:
    if isinstance(item, Problem):
        return {"id": item.id, "origin": item.origin, "line": item.line, "status": status, "reason": reason,
                "n_actors": 0, "n_chars": 0}
    return {"id": item["id"], "origin": item["origin"], "line": item["line"], "status": status, "reason": reason,
            "n_actors": n_actors, "n_chars": len(item["text"])}


def score_records(records: list[dict | Problem], model, gaz: Gazetteer, screen: Screen = Screen(),
                  with_sentences: bool = True) -> dict[str, pd.DataFrame]:
    """Score a chunk of ingested records.

    Returns {"articles": per (article, actor), "sentences": per (sentence, actor),
    "outcomes": one row per record, in record order}: every record is there,
    scored, skipped (nothing to score) or failed (with the reason). An article
    that breaks the scorer fails alone, with the error, and the batch goes on.
    """
    try:
        return _score_chunk(records, model, gaz, screen, with_sentences)
    except Exception as error:
        if len(records) == 1:
            reason = f"scoring error: {type(error).__name__}: {error}"
            return {"articles": pd.DataFrame(columns=ARTICLE_OUTPUT), "sentences": pd.DataFrame(columns=SENTENCE_OUTPUT),
                    "outcomes": pd.DataFrame([_outcome(records[0], "failed", reason)], columns=OUTCOME_COLUMNS)}
    # One record at a time, to find the one that fails and keep the others.
    parts = [score_records([record], model, gaz, screen, with_sentences) for record in records]
    return {name: pd.concat([p[name] for p in parts], ignore_index=True) for name in parts[0]}


def _score_chunk(records: list[dict | Problem], model, gaz: Gazetteer, screen: Screen,
                 with_sentences: bool) -> dict[str, pd.DataFrame]:
    verdicts: list[tuple[str, str] | None] = []
    to_score = []
    for item in records:
        if isinstance(item, Problem):
            verdicts.append(("failed", item.reason))
            continue
        verdict = screen_article(item["text"], screen)
        verdicts.append(verdict)
        if verdict is None:
            to_score.append(item)

    by_sentence = pd.DataFrame(columns=SENTENCE_OUTPUT)
    by_article = pd.DataFrame(columns=ARTICLE_OUTPUT)
    actors: dict[str, int] = {}
    if to_score:
        articles = articles_frame(to_score)
        _, _, pairs = pairs_from_articles(articles, gaz)
        if len(pairs):
            pairs = pairs.reset_index(drop=True)
            predicted = pd.concat([pairs, predict_proba_frame(model, pairs)], axis=1)
            by_sentence = predicted[SENTENCE_OUTPUT]
            by_article = aggregate(predicted)
            dates = dict(zip(articles["id"], articles["date"]))
            by_article.insert(1, "date", by_article["article_id"].map(dates))
            actors = by_article.groupby("article_id", sort=False).size().to_dict()

    outcomes = []
    for item, verdict in zip(records, verdicts):
        if verdict is not None:
            outcomes.append(_outcome(item, *verdict))
        elif actors.get(item["id"]):
            outcomes.append(_outcome(item, "scored", "", actors[item["id"]]))
        else:
            outcomes.append(_outcome(item, "skipped", "no actor named"))
    return {"articles": by_article[ARTICLE_OUTPUT].reset_index(drop=True),
            "sentences": by_sentence.reset_index(drop=True) if with_sentences else by_sentence.iloc[0:0],
            "outcomes": pd.DataFrame(outcomes, columns=OUTCOME_COLUMNS)}


def load_model(spec: str | None, default: Path):
    """A local MLflow model folder, or an MLflow model URI (runs:/, models:/ ...): (model, uri)."""
    import mlflow.sklearn

    from pipeline.tracking import configure_uri

    uri = spec or str(default)
    if "://" not in uri and ":/" not in uri:
        path = Path(uri)
        if not (path / "MLmodel").exists():
            raise FileNotFoundError(f"no model at {path}: run `dvc repro` first or pass --model")
        return mlflow.sklearn.load_model(str(path)), str(path.resolve())
    # An unreachable tracking server should fail in seconds, not after minutes of retries.
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "15")
    configure_uri()
    return mlflow.sklearn.load_model(uri), uri


def model_version(uri: str) -> str | None:
    """What identifies the model behind a URI: the registry version or the training run."""
    if uri.startswith("models:/"):
        from mlflow import MlflowClient

        name, _, ref = uri[len("models:/"):].partition("@")
        if ref:
            return f"version {MlflowClient().get_model_version_by_alias(name, ref).version}"
        return uri.rsplit("/", 1)[-1]
    if uri.startswith("runs:/"):
        return "run " + uri[len("runs:/"):].split("/", 1)[0]
    run_file = Path(uri) / "run.json"
    if run_file.exists():
        return "run " + json.loads(run_file.read_text()).get("run_id", "?")
    return None
