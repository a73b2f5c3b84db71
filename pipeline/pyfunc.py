"""The whole scorer as one MLflow pyfunc: a DataFrame of articles in, stances per (article, actor) out.

The classifier alone scores pairs; this model also splits, links and
aggregates, so `mlflow models serve` answers with what `stance score` writes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import mlflow.pyfunc
import pandas as pd

PACKAGE_DIR = Path(__file__).resolve().parent
# What the served model imports; the package itself travels as code.
REQUIREMENTS = ["scikit-learn", "pandas", "pyarrow", "mlflow", "skops", "pyyaml", "pycountry", "sentencex",
                "py3langid"]
EXAMPLE = pd.DataFrame({"id": ["example-1"], "date": ["2006-10-10"],
                        "text": ["China and Russia voted against the sanctions that Japan had drafted."]})


class ArticleStanceModel(mlflow.pyfunc.PythonModel):
    """Input columns: id, text, optional date. Output: the per (article, actor) table of `stance score`."""

    def load_context(self, context) -> None:
        import mlflow.sklearn

        from pipeline.gazetteer import load_gazetteer
        from pipeline.score import screen_from_params

        artifacts = context.artifacts
        self.classifier = mlflow.sklearn.load_model(artifacts["classifier"])
        self.gaz = load_gazetteer(artifacts["aliases"], artifacts.get("leaders"))
        config = dict(context.model_config or {})
        config["vocabulary"] = artifacts.get("vocabulary")
        self.screen = screen_from_params(config, root="/")

    def predict(self, context, model_input: pd.DataFrame, params: dict[str, Any] | None = None) -> pd.DataFrame:
        from pipeline.ingest import to_article
        from pipeline.score import score_records

        records = []
        for line, row in enumerate(model_input.to_dict(orient="records"), start=1):
            row = {k: (None if pd.isna(v) else v) for k, v in row.items()}
            records.append(to_article({**row, "origin": "request", "line": line}))
        return score_records(records, self.classifier, self.gaz, self.screen, with_sentences=False)["articles"]


def signature():
    """Articles in (a date is optional: without one, leaders are not tied to countries)."""
    from mlflow.models import ModelSignature
    from mlflow.types import ColSpec, Schema

    return ModelSignature(inputs=Schema([ColSpec("string", "id"), ColSpec("string", "text"),
                                         ColSpec("string", "date", required=False)]))


def artifacts_of(classifier_dir: Path, params: dict[str, Any], root: Path) -> dict[str, str]:
    # absolute: MLflow loads the model from these paths before copying them (to check the example)
    link, score, root = params["link"], params.get("score", {}), root.resolve()
    classifier_dir = classifier_dir if classifier_dir.is_absolute() else root / classifier_dir
    artifacts = {"classifier": str(classifier_dir), "aliases": str(root / link["aliases"])}
    if link.get("leaders"):
        artifacts["leaders"] = str(root / link["leaders"])
    if score.get("vocabulary"):
        artifacts["vocabulary"] = str(root / score["vocabulary"])
    return artifacts


def model_config(params: dict[str, Any]) -> dict[str, Any]:
    score = params.get("score", {})
    return {k: score[k] for k in ("skip_without_vocabulary", "languages", "max_chars") if k in score}


def save_article_model(path: Path, classifier_dir: Path, params: dict[str, Any], root: Path = Path(".")) -> None:
    """Save the pyfunc to a folder (replaced if there)."""
    import shutil

    if path.exists():
        shutil.rmtree(path)
    mlflow.pyfunc.save_model(str(path), python_model=ArticleStanceModel(),
                             artifacts=artifacts_of(classifier_dir, params, root),
                             model_config=model_config(params), code_paths=[str(PACKAGE_DIR)],
                             pip_requirements=REQUIREMENTS, input_example=EXAMPLE, signature=signature())


def log_article_model(classifier_dir: Path, params: dict[str, Any], root: Path = Path(".")):
    """Log the pyfunc to the active MLflow run as `article_model`."""
    return mlflow.pyfunc.log_model(name="article_model", python_model=ArticleStanceModel(),
                                   artifacts=artifacts_of(classifier_dir, params, root),
                                   model_config=model_config(params), code_paths=[str(PACKAGE_DIR)],
                                   pip_requirements=REQUIREMENTS, input_example=EXAMPLE, signature=signature())
