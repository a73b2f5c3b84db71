"""Baselines every evaluation reports: a model is only interesting by its margin over these.

- majority: always the most frequent training label;
- labelling functions: the cue-lexicon vote alone (`none` where they abstain);
- target-blind: TF-IDF word and character n-grams of the sentence as written,
  linear SVM (the classic stance baseline), blind to which actor is asked about.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.dummy import DummyClassifier
from sklearn.pipeline import Pipeline

from pipeline import LABELS
from pipeline.label import LabellingFunction, weak_label
from pipeline.model import INPUT_COLUMNS, build_pair_model


class LabellingFunctionClassifier(ClassifierMixin, BaseEstimator):
    """The weak labelling functions as a classifier (no training)."""

    def __init__(self, functions: list[LabellingFunction] | None = None):
        self.functions = functions

    def fit(self, X, y=None):
        self.classes_ = np.array(LABELS)
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        index = {label: i for i, label in enumerate(self.classes_)}
        proba = np.zeros((len(X), len(self.classes_)))
        for row, marked in enumerate(X["marked"]):
            label = weak_label(marked, self.functions or [])[0] or "none"
            proba[row, index[label]] = 1.0
        return proba

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


class Decisions(ClassifierMixin, BaseEstimator):
    """A fitted classifier's own decisions as one-hot probabilities.

    The target-blind SVM is judged by its decision function, as in the stance
    literature, not by a calibration fitted on top of it.
    """

    def __init__(self, model=None):
        self.model = model

    def fit(self, X, y):
        self.model.fit(X, y)
        self.classes_ = self.model.classes_
        return self

    def predict_proba(self, X) -> np.ndarray:
        predicted = self.model.predict(X)
        return (predicted[:, None] == self.classes_[None, :]).astype(float)

    def predict(self, X) -> np.ndarray:
        return self.model.predict(X)


TARGET_BLIND = {
    "features": {"text": "raw", "word_ngrams": [1, 2], "char_ngrams": [2, 5], "sublinear_tf": True, "min_df": 1},
    "classifier": {"name": "linear_svm", "C": 0.5, "class_weight": "balanced"},
}


def target_blind_svm(seed: int) -> Pipeline:
    """TF-IDF word and character n-grams of the raw sentence into an uncalibrated LinearSVC."""
    from sklearn.svm import LinearSVC

    pipeline = build_pair_model({**TARGET_BLIND, "seed": seed})
    pipeline.steps[-1] = ("classifier", LinearSVC(C=TARGET_BLIND["classifier"]["C"], class_weight="balanced",
                                                  random_state=seed))
    return pipeline


def fit_baselines(train_rows: pd.DataFrame, functions: list[LabellingFunction], seed: int) -> dict[str, Any]:
    X, y = train_rows[INPUT_COLUMNS], train_rows["label"]
    majority = Pipeline([("classifier", DummyClassifier(strategy="most_frequent"))]).fit(X, y)
    blind = Decisions(target_blind_svm(seed)).fit(X, y)
    return {"majority": majority, "labelling_functions": LabellingFunctionClassifier(functions).fit(X),
            "target_blind_svm": blind}
