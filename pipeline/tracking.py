"""MLflow set-up: a SQLite store at the project root unless MLFLOW_TRACKING_URI says otherwise."""
from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

DEFAULT_URI = "sqlite:///mlflow.db"


def configure_uri() -> str:
    import mlflow

    uri = os.environ.get("MLFLOW_TRACKING_URI") or DEFAULT_URI
    mlflow.set_tracking_uri(uri)
    return uri


def configure(experiment: str) -> str:
    """Point MLflow at the store and experiment; return the experiment id."""
    import mlflow

    uri = configure_uri()
    found = mlflow.get_experiment_by_name(experiment)
    if found is None:
        # Artifacts beside the store, not in whatever folder the user ran from.
        location = Path("mlartifacts").resolve().as_uri() if uri == DEFAULT_URI else None
        mlflow.create_experiment(experiment, artifact_location=location)
    return mlflow.set_experiment(experiment).experiment_id


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def files_digest(paths: list[Path]) -> str:
    """A short hash of the training data, so runs on different data can be told apart."""
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]
