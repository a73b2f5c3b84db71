"""A sweep against a real `mlflow server` (SQLite store) on 127.0.0.1, read back over its REST API."""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from pipeline.context import NONE_WEIGHTS

from conftest import run_stance

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rest(base: str, path: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work = tmp_path_factory.mktemp("mlflow-server")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(port),
         "--backend-store-uri", f"sqlite:///{work / 'mlflow.db'}", "--default-artifact-root", (work / "art").as_uri(),
         "--workers", "1"],
        stdout=open(work / "server.log", "w"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):  # bounded wait for the server to come up
            try:
                urllib.request.urlopen(base + "/health", timeout=2)
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail((work / "server.log").read_text()[-3000:])
                time.sleep(0.5)
        else:
            pytest.fail("mlflow server did not start in 60 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def sweep(server, corpus_articles, labelled_pairs, params, tmp_path_factory):
    """Two runs of a small experiment definition, logged to the server by the real CLI."""
    work = tmp_path_factory.mktemp("sweep")
    corpus_articles.to_parquet(work / "articles.parquet")
    labelled_pairs.to_parquet(work / "pairs.parquet")
    config = json.loads(json.dumps(params))
    config["ingest"]["output"] = str(work / "articles.parquet")
    config["label"]["output"] = str(work / "pairs.parquet")
    config["evaluate"]["realnews_dev"] = None
    config["mlflow"]["acceptance"] = None  # the champion gate has its own tests (test_acceptance.py)
    import yaml

    (work / "params.yaml").write_text(yaml.safe_dump(config))
    (work / "sweep.yaml").write_text(yaml.safe_dump({
        "name": "server-sweep", "model_name": "stance-under-test", "select_by": "dev_pair_macro_f1", "cv_folds": 2,
        "runs": [{"name": "marked", "set": {"train.context.none_weight": "auto"}},
                 {"name": "target-blind", "set": {"train.features.text": "raw"}}]}))
    result = run_stance("experiment", str(work / "sweep.yaml"), "--params", str(work / "params.yaml"),
                        env={"MLFLOW_TRACKING_URI": server})
    assert result.returncode == 0, result.stderr[-3000:]
    return work


def test_runs_are_read_back_over_rest(server, sweep):
    experiment = rest(server, "/api/2.0/mlflow/experiments/get-by-name?experiment_name=server-sweep")["experiment"]
    runs = rest(server, "/api/2.0/mlflow/runs/search", {"experiment_ids": [experiment["experiment_id"]]})["runs"]
    assert sorted(r["info"]["run_name"] for r in runs) == ["marked", "target-blind"]
    for run in runs:
        metrics = {m["key"]: m["value"] for m in run["data"]["metrics"]}
        params = {p["key"]: p["value"] for p in run["data"]["params"]}
        tags = {t["key"]: t["value"] for t in run["data"]["tags"]}
        assert 0 <= metrics["dev_pair_macro_f1"] <= 1 and "cv_pair_macro_f1" in metrics
        assert "test_pair_macro_f1" not in metrics  # the test split is not touched by a sweep
        assert params["train.features.text"] == ("raw" if run["info"]["run_name"] == "target-blind" else "marked")
        assert {"feature_set", "classifier", "data_version"} <= tags.keys()
        if run["info"]["run_name"] == "marked":  # what "auto" chose is logged beside what it was told
            assert params["train.context.none_weight"] == "auto"
            assert float(params["train.context.none_weight_chosen"]) in NONE_WEIGHTS
    best = max(runs, key=lambda r: {m["key"]: m["value"] for m in r["data"]["metrics"]}["dev_pair_macro_f1"])
    alias = rest(server, "/api/2.0/mlflow/registered-models/alias?name=stance-under-test&alias=champion")
    assert alias["model_version"]["run_id"] == best["info"]["run_id"]


def test_score_with_the_champion_from_the_server(server, sweep, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Russia vetoed the draft. Japan imposed sanctions on North Korea.")
    out = tmp_path / "o.csv"
    result = run_stance("score", str(src), "--output", str(out), "--model", "models:/stance-under-test@champion",
                        env={"MLFLOW_TRACKING_URI": server})
    assert result.returncode == 0, result.stderr[-2000:]
    assert set(pd.read_csv(out)["actor"]) == {"RUS", "JPN", "PRK"}
    assert "models:/stance-under-test@champion" in result.stderr


def chromium(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={Path(os.environ.get('TMPDIR', '/tmp')) / f'chromium-{os.getpid()}'}",
             "--virtual-time-budget=15000"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=timeout)


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_the_ui_lists_the_runs_and_compares_them(server, sweep, tmp_path):
    experiment = rest(server, "/api/2.0/mlflow/experiments/get-by-name?experiment_name=server-sweep")["experiment"]
    eid = experiment["experiment_id"]
    dom = chromium("--dump-dom", f"{server}/#/experiments/{eid}/runs").stdout
    assert "marked" in dom and "target-blind" in dom, dom[-2000:]
    runs = rest(server, "/api/2.0/mlflow/runs/search", {"experiment_ids": [eid]})["runs"]
    ids = json.dumps([r["info"]["run_id"] for r in runs])
    shot = tmp_path / "compare.png"
    chromium("--window-size=1400,1000", f"--screenshot={shot}",
             f"{server}/#/compare-runs?runs={urllib.request.quote(ids)}&experiments={urllib.request.quote(json.dumps([eid]))}")
    assert shot.exists() and shot.stat().st_size > 20_000  # a rendered page, not a blank one


def test_a_weaker_sweep_does_not_dethrone_the_champion(server, sweep):
    """Champion moves only to a run that beats it on the selection metric."""
    import mlflow
    from mlflow import MlflowClient

    from pipeline.experiment import register_champion

    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(server)
    try:
        client = MlflowClient(server)
        champion = client.get_model_version_by_alias("stance-under-test", "champion")
        experiment = client.get_experiment_by_name("server-sweep")
        runs = client.search_runs([experiment.experiment_id], order_by=["metrics.dev_pair_macro_f1 ASC"])
        worst = runs[0]
        if worst.info.run_id != champion.run_id:
            assert register_champion(worst.info.run_id, "stance-under-test", "dev_pair_macro_f1") is None
        assert client.get_model_version_by_alias("stance-under-test", "champion").version == champion.version
    finally:
        mlflow.set_tracking_uri(previous)
