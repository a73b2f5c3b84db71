from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def params():
    from pipeline.config import load_params

    params = load_params(ROOT / "configs" / "params.yaml")
    if params["train"].get("context"):
        # the article-context stage fits one pair model per fold and one on all: two folds keep tests quick
        params["train"]["context"]["folds"] = 2
    return params


@pytest.fixture(scope="session")
def gazetteer(params):
    from pipeline.gazetteer import gazetteer_from_params

    return gazetteer_from_params(params["link"], ROOT)


@pytest.fixture(scope="session")
def corpus_articles():
    from pipeline.ingest import read_articles

    articles, problems = read_articles(sorted((ROOT / "data" / "corpus").glob("*.jsonl")))
    assert not problems, problems
    return articles


@pytest.fixture(scope="session")
def labelled_pairs(corpus_articles, gazetteer, params):
    from pipeline.features import pairs_from_articles
    from pipeline.label import label_pairs, load_labelling_functions

    _, _, pairs = pairs_from_articles(corpus_articles, gazetteer)
    functions = load_labelling_functions(ROOT / params["label"]["cues"])
    labelled, _ = label_pairs(pairs, corpus_articles, functions, weak_for_unlabelled=False)
    return labelled


@pytest.fixture(scope="session")
def trained(labelled_pairs, params, tmp_path_factory):
    """A model trained through the real stage code, logged to a throwaway MLflow store."""
    from pipeline.train import run_train

    work = tmp_path_factory.mktemp("trained")
    old = os.environ.get("MLFLOW_TRACKING_URI")
    os.environ["MLFLOW_TRACKING_URI"] = f"sqlite:///{work / 'mlflow.db'}"
    here = {**params, "train": {**params["train"], "article_model": str(work / "article_model")}}
    try:
        info = run_train(labelled_pairs, here, work / "model")
    finally:
        if old is None:
            os.environ.pop("MLFLOW_TRACKING_URI", None)
        else:
            os.environ["MLFLOW_TRACKING_URI"] = old
    return {"dir": work / "model", "info": info, "db": work / "mlflow.db", "article_model": work / "article_model"}


@pytest.fixture(scope="session")
def model(trained):
    from pipeline.score import load_model

    clf, _ = load_model(str(trained["dir"]), trained["dir"])
    return clf


def run_stance(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    exe = shutil.which("stance")
    assert exe, "the stance console script is not installed (pip install -e .)"
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)
