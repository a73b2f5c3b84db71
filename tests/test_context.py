"""The article-context stage: the actor's other pairs in the article move a pair's answer."""
import numpy as np
import pandas as pd
import pytest

from pipeline.context import ArticleContextClassifier, context_features


def test_context_features_see_only_the_same_actor_in_the_same_article():
    groups = pd.DataFrame({"article_id": ["a", "a", "a", "b"], "actor": ["USA", "USA", "CHN", "USA"]})
    proba = np.array([[0.9, 0.1], [0.5, 0.5], [0.2, 0.8], [0.3, 0.7]])
    features = context_features(groups, proba)
    others_mean, others = features[:, 2:4], features[:, 4]
    assert np.allclose(others_mean[0], [0.5, 0.5]) and np.allclose(others_mean[1], [0.9, 0.1])
    assert np.allclose(others_mean[2:], 0.0)  # alone in their group
    assert np.allclose(others, np.log1p([1, 1, 0, 0]))
    assert context_features(groups.iloc[:0], proba[:0]).shape == (0, 5)


class SentenceWord:
    """A pair model that knows one word: 'vetoed' means opposed, anything else is a coin toss."""

    def __init__(self):
        self.classes_ = np.array(["none", "opposed"])

    def fit(self, X, y):
        return self

    def predict_proba(self, X):
        vetoed = X["marked"].str.contains("vetoed").to_numpy()
        return np.where(vetoed[:, None], [[0.1, 0.9]], [[0.5, 0.5]])

    def get_params(self, deep=True):
        return {}

    def set_params(self, **params):
        return self


def _pairs(n_articles: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Articles where an actor that vetoed in one sentence is opposed in its vague sentence too."""
    rows, labels = [], []
    for k in range(n_articles):
        opposed = k % 2 == 0
        rows.append({"article_id": f"a{k}", "actor": "RUS", "marked": "TARGETX vetoed it" if opposed else "TARGETX met",
                     "sentence": ""})
        labels.append("opposed" if opposed else "none")
        rows.append({"article_id": f"a{k}", "actor": "RUS", "marked": "TARGETX spoke again", "sentence": ""})
        labels.append("opposed" if opposed else "none")
    return pd.DataFrame(rows), np.array(labels)


def test_a_vague_sentence_takes_the_stance_the_article_gives_the_actor():
    X, y = _pairs(40)
    model = ArticleContextClassifier(SentenceWord(), folds=4, C=10).fit(X, y)
    vague = pd.DataFrame([
        {"article_id": "x", "actor": "RUS", "marked": "TARGETX vetoed it", "sentence": ""},
        {"article_id": "x", "actor": "RUS", "marked": "TARGETX spoke again", "sentence": ""},
        {"article_id": "y", "actor": "RUS", "marked": "TARGETX spoke again", "sentence": ""},
    ])
    # the pair model alone cannot tell the two vague sentences apart ...
    assert np.allclose(model.pair_proba(vague)[1], model.pair_proba(vague)[2])
    # ... the article can
    assert list(model.predict(vague)) == ["opposed", "opposed", "none"]


def test_fitting_twice_in_one_process_or_two_gives_the_same_probabilities():
    X, y = _pairs(20)
    first = ArticleContextClassifier(SentenceWord(), folds=4).fit(X, y).predict_proba(X)
    second = ArticleContextClassifier(SentenceWord(), folds=4, n_jobs=2).fit(X, y).predict_proba(X)
    assert (first == second).all()
