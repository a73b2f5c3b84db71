"""The whole DVC pipeline in a temporary copy of the project."""
import json
import os
import shutil
import subprocess
import sqlite3

import pytest

from conftest import ROOT


def sh(*cmd, cwd, env=None):
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=900,
                            env={**os.environ, **(env or {})})
    assert result.returncode == 0, f"{' '.join(cmd)}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    dest = tmp_path_factory.mktemp("project") / "sanctions-stance"
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split("\n")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    # the article-context stage fits one pair model per fold and one on all: two folds keep the test quick
    params_file = dest / "configs" / "params.yaml"
    params_file.write_text(params_file.read_text().replace("    folds: 5\n", "    folds: 2\n", 1))
    env = {"MLFLOW_TRACKING_URI": "", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    os.environ.pop("MLFLOW_TRACKING_URI", None)
    sh("git", "init", "-q", cwd=dest)
    sh("git", "add", "-A", cwd=dest)
    sh("git", "commit", "-qm", "copy", cwd=dest, env=env)
    sh("dvc", "repro", cwd=dest, env=env)
    return dest


@pytest.mark.slow
def test_repro_makes_metrics_plots_model_and_a_run(project):
    metrics = json.loads((project / "reports" / "metrics.json").read_text())
    assert 0.0 <= metrics["test_pair_macro_f1"] <= 1.0
    assert "test_article_macro_f1" in metrics and "test_pair_opposed_recall" in metrics
    assert (project / "reports" / "plots" / "test_confusion.png").stat().st_size > 1000
    assert (project / "models" / "model" / "MLmodel").exists()
    run = json.loads((project / "models" / "model" / "run.json").read_text())

    # The metrics DVC tracks are the metrics MLflow shows, in the default SQLite store.
    db = sqlite3.connect(project / "mlflow.db")
    logged = dict(db.execute("SELECT key, value FROM latest_metrics WHERE run_uuid = ?", (run["run_id"],)))
    assert metrics.keys() <= logged.keys()  # train adds the labelling-function figures
    for key, value in metrics.items():
        assert logged[key] == pytest.approx(value), key
    params = dict(db.execute("SELECT key, value FROM params WHERE run_uuid = ?", (run["run_id"],)))
    assert params["train.classifier.name"] == "logreg"
    tags = dict(db.execute("SELECT key, value FROM tags WHERE run_uuid = ?", (run["run_id"],)))
    assert len(tags["mlflow.source.git.commit"]) == 40
    assert tags["mlflow.runName"] == run["run_name"]
    artifacts = {p.name for p in (project / "mlartifacts").rglob("*") if p.is_file()}
    assert {"test_confusion.png", "test_classification_report.txt", "test_misclassified.csv", "MLmodel"} <= artifacts


@pytest.mark.slow
def test_repro_again_does_nothing_and_a_variant_runs(project):
    again = sh("dvc", "repro", cwd=project)
    assert "didn't change" in again.stdout or "up to date" in again.stdout
    sh("dvc", "exp", "run", "-S", "configs/params.yaml:train.classifier.C=0.5", cwd=project)
    shown = json.loads(sh("dvc", "exp", "show", "--json", cwd=project).stdout)
    assert "0.5" in json.dumps(shown)
