"""Article context: a second stage that reads what the actor's other sentences say.

One sentence often leaves an actor's stance open ("It also said that sanctions
should not harm trade") where the rest of the article does not. The pair model
gives each (sentence, actor) pair its probabilities; a small logistic
regression then decides each pair from its own probabilities beside the mean
of the same actor's other pairs in the article and how many there are. With
`strongest_other`, it also reads the highest probability each class reaches
among those other pairs: one clear sentence ("Moscow vetoed the draft") among
many that only name the actor is diluted in the mean but not in the maximum.

The second stage is trained on out-of-fold probabilities (folds grouped by
article), so it learns how far to trust the pair model on pairs it has not
seen; the pair model it uses afterwards is fitted on all the rows.

Both stages weigh the classes evenly (`class_weight="balanced"`), which helps
the rare stances but leaves `none` under-called: three pairs in four are
`none`. `none_weight` scales the second stage's `none` probability back up;
"auto" picks it by cross-validation on the training rows alone (folds grouped
by article, macro-F1 over the three stances).

With `naive_bayes` (an alpha), a complement naive Bayes is fitted on the pair
model's own features beside it, fold by fold, and the second stage reads its
probabilities too. The two models err differently (naive Bayes counts words
where logistic regression weighs them against each other), and the second
stage learns how far to trust each; the features are computed once for both.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold, cross_val_predict
from sklearn.naive_bayes import ComplementNB

# Which pairs belong together: the same actor in the same article.
GROUP_COLUMNS = ["article_id", "actor"]
# The weights "auto" chooses from for the `none` probability.
NONE_WEIGHTS = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0)


def _per_group(groups: pd.DataFrame, values: np.ndarray, how: str) -> np.ndarray:
    """`how` ("sum", "size", "max") of each column over the pair's group, for every pair; NaN is skipped."""
    columns = [f"p{i}" for i in range(values.shape[1])]
    keys = [groups[c].to_numpy() for c in GROUP_COLUMNS]
    return pd.DataFrame(values, columns=columns).groupby(keys, sort=False)[columns].transform(how).to_numpy()


def context_features(groups: pd.DataFrame, proba: np.ndarray) -> np.ndarray:
    """Per pair: log of its own probabilities, the mean of the group's other pairs' (0 if none), log(1 + others)."""
    if not len(proba):
        return np.zeros((0, 2 * proba.shape[1] + 1))
    total = _per_group(groups, proba, "sum")
    others = _per_group(groups, proba, "size")[:, None] - 1
    others_mean = np.where(others > 0, (total - proba) / np.maximum(others, 1), 0.0)
    return np.hstack([np.log(np.clip(proba, 1e-6, 1.0)), others_mean, np.log1p(others)])


def strongest_other(groups: pd.DataFrame, proba: np.ndarray) -> np.ndarray:
    """Per pair and class: the highest probability among the group's other pairs (0 if none)."""
    if not len(proba):
        return np.zeros_like(proba)
    top = _per_group(groups, proba, "max")
    is_top = proba == top
    tops = _per_group(groups, is_top.astype(int), "sum")
    # the best of the rest, for the one pair that holds the top alone
    second = np.nan_to_num(_per_group(groups, np.where(is_top, np.nan, proba), "max"), nan=0.0)
    return np.where(is_top & (tops == 1), second, top)


class ArticleContextClassifier(ClassifierMixin, BaseEstimator):
    """A pair model (a scikit-learn Pipeline) and a second stage over the actor's pairs in the article.

    X is the pairs DataFrame: the pair model's columns plus `article_id` and `actor`.
    """

    def __init__(self, pair_model=None, folds: int = 5, C: float = 0.1, seed: int = 0, n_jobs: int | None = None,
                 none_weight: float | str = 1.0, naive_bayes: float | None = None, strongest_other: bool = False):
        self.pair_model = pair_model
        self.folds = folds
        self.C = C
        self.seed = seed
        self.n_jobs = n_jobs  # fits the fold models side by side (joblib); None is one at a time
        self.none_weight = none_weight  # a number, or "auto"
        self.naive_bayes = naive_bayes  # alpha of a complement naive Bayes beside the pair model; None: none
        self.strongest_other = strongest_other  # also read the maximum of the actor's other pairs

    def fit(self, X: pd.DataFrame, y) -> ArticleContextClassifier:
        X = X.reset_index(drop=True)
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        folds = list(GroupKFold(n_splits=min(self.folds, X["article_id"].nunique())).split(X, groups=X["article_id"]))
        # one job per fold (its held-out probabilities), and one for the pair model on all the rows
        parts = [*folds, (np.arange(len(X)), None)]
        *held_out, (self.pair_model_, self.naive_bayes_) = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_part)(self.pair_model, self.naive_bayes, X, y, fit_rows, held_rows, self.classes_)
            for fit_rows, held_rows in parts)
        out_of_fold = [np.zeros((len(X), len(self.classes_))) for _ in held_out[0]]
        for (_, held_rows), probas in zip(parts, held_out):
            for whole, proba in zip(out_of_fold, probas):
                whole[held_rows] = proba
        features = _stacked_features(X, out_of_fold, self.strongest_other)
        self.combiner_ = self._combiner().fit(features, y)
        self.none_weight_ = (self._choose_none_weight(features, y, folds) if self.none_weight == "auto"
                             else float(self.none_weight))
        return self

    def _combiner(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000, random_state=self.seed)

    def _weights(self, none_weight: float) -> np.ndarray:
        return np.where(self.classes_ == "none", none_weight, 1.0)

    def _choose_none_weight(self, features: np.ndarray, y: np.ndarray, folds: list) -> float:
        """The weight whose held-out answers score best (macro-F1 over the stances) on the training rows."""
        stances = [c for c in self.classes_ if c != "none"]
        if len(stances) == len(self.classes_):
            return 1.0
        held_out = cross_val_predict(self._combiner(), features, y, cv=folds, method="predict_proba")
        scores = [f1_score(y, self.classes_[(held_out * self._weights(w)).argmax(axis=1)], labels=stances,
                           average="macro", zero_division=0) for w in NONE_WEIGHTS]
        return NONE_WEIGHTS[int(np.argmax(scores))]  # the smallest of equal scores

    def pair_proba(self, X: pd.DataFrame) -> np.ndarray:
        """The pair model's probabilities alone, in `classes_` order."""
        return _aligned(self.pair_model_, X, self.classes_)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        X = X.reset_index(drop=True)
        # models saved before none_weight or naive_bayes existed have neither attribute
        weights = self._weights(getattr(self, "none_weight_", 1.0))
        probas = _first_stage(self.pair_model_, getattr(self, "naive_bayes_", None), X, self.classes_)
        # models saved before strongest_other existed lack it too
        proba = self.combiner_.predict_proba(_stacked_features(X, probas, getattr(self, "strongest_other", False)))
        proba = proba * weights
        return proba / proba.sum(axis=1, keepdims=True)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


def _fit_part(pair_model, alpha: float | None, X: pd.DataFrame, y: np.ndarray, fit_rows, held_rows, classes):
    """The first stage fitted on some rows: its probabilities on the held-out rows, or
    (pair model, naive Bayes or None) if no rows are held out."""
    model = clone(pair_model).fit(X.iloc[fit_rows], y[fit_rows])
    bayes = None
    if alpha is not None:
        # on the features the pair model has just learnt, so they are computed by one vectorizer
        bayes = ComplementNB(alpha=alpha).fit(model[:-1].transform(X.iloc[fit_rows]), y[fit_rows])
    if held_rows is None:
        return model, bayes
    return _first_stage(model, bayes, X.iloc[held_rows], classes)


def _first_stage(model, bayes, X: pd.DataFrame, classes: np.ndarray) -> list[np.ndarray]:
    """The probabilities of the pair model and, if there is one, the naive Bayes beside it."""
    if bayes is None:
        return [_aligned(model, X, classes)]
    features = model[:-1].transform(X)  # once for both
    return [_aligned(model[-1], features, classes), _aligned(bayes, features, classes)]


def _stacked_features(X: pd.DataFrame, probas: list[np.ndarray], strongest: bool = False) -> np.ndarray:
    parts = [context_features(X, proba) for proba in probas]
    if strongest:
        parts += [strongest_other(X, proba) for proba in probas]
    return np.hstack(parts)


def _aligned(model, X, classes: np.ndarray) -> np.ndarray:
    """predict_proba with a column for every class, 0 for a class the fold never saw."""
    proba = model.predict_proba(X)
    out = np.zeros((X.shape[0], len(classes)))
    for i, c in enumerate(model.classes_):
        out[:, np.searchsorted(classes, c)] = proba[:, i]
    return out
