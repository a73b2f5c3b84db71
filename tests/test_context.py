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
    """A pair model that knows two words: 'vetoed' means opposed, 'warned' leans that way, the rest is a coin toss."""

    def __init__(self):
        self.classes_ = np.array(["none", "opposed"])

    def fit(self, X, y):
        return self

    def predict_proba(self, X):
        vetoed = X["marked"].str.contains("vetoed").to_numpy()[:, None]
        warned = X["marked"].str.contains("warned").to_numpy()[:, None]
        return np.where(vetoed, [[0.1, 0.9]], np.where(warned, [[0.3, 0.7]], [[0.5, 0.5]]))

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


class NoisyScore(SentenceWord):
    """A pair model whose opposed probability is a noisy score: it cannot separate the classes cleanly."""

    def predict_proba(self, X):
        score = X["score"].to_numpy()
        return np.column_stack([1 - score, score])


def _noisy_pairs(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """One pair per article, one in ten opposed; scores overlap between the classes."""
    rng = np.random.default_rng(seed)
    y = np.where(rng.random(n) < 0.1, "opposed", "none")
    score = np.clip(np.where(y == "opposed", 0.6, 0.4) + rng.normal(0, 0.2, n), 0.01, 0.99)
    X = pd.DataFrame({"article_id": [f"a{i}" for i in range(n)], "actor": "RUS", "score": score})
    return X, y


def test_auto_none_weight_calls_fewer_false_stances_where_none_dominates():
    from sklearn.metrics import f1_score

    X, y = _noisy_pairs(2000, seed=0)
    balanced = ArticleContextClassifier(NoisyScore(), folds=4, C=1.0).fit(X, y)
    auto = ArticleContextClassifier(NoisyScore(), folds=4, C=1.0, none_weight="auto").fit(X, y)
    assert balanced.none_weight_ == 1.0 and auto.none_weight_ > 1.0

    fresh, truth = _noisy_pairs(2000, seed=1)
    said_balanced, said_auto = balanced.predict(fresh), auto.predict(fresh)
    assert (said_auto == "opposed").sum() < (said_balanced == "opposed").sum()
    f1 = lambda said: f1_score(truth, said, labels=["opposed"], average="macro")  # noqa: E731
    assert f1(said_auto) > f1(said_balanced)
    # the weight scales the odds of none and nothing else
    p_balanced, p_auto = balanced.predict_proba(fresh), auto.predict_proba(fresh)
    assert np.allclose(p_auto.sum(axis=1), 1.0)
    assert np.allclose(p_auto[:, 0] / p_auto[:, 1], auto.none_weight_ * p_balanced[:, 0] / p_balanced[:, 1])


def _word_pipeline():
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline([("features", ColumnTransformer([("word", TfidfVectorizer(), "marked")])),
                     ("classifier", LogisticRegression())])


def test_naive_bayes_beside_the_pair_model_is_read_by_the_second_stage():
    X, y = _pairs(40)
    alone = ArticleContextClassifier(_word_pipeline(), folds=4).fit(X, y)
    both = ArticleContextClassifier(_word_pipeline(), folds=4, naive_bayes=0.3).fit(X, y)
    assert alone.naive_bayes_ is None and both.naive_bayes_ is not None
    # the naive Bayes learnt the pair model's own vocabulary, and the second stage has its features too
    assert both.naive_bayes_.n_features_in_ == len(both.pair_model_[0].named_transformers_["word"].vocabulary_)
    assert both.combiner_.coef_.shape[1] == 2 * alone.combiner_.coef_.shape[1]
    proba = both.predict_proba(X)
    assert np.allclose(proba.sum(axis=1), 1.0)
    # what the naive Bayes says moves the answer
    both.naive_bayes_ = _flat_copy(both.naive_bayes_)
    assert not np.allclose(both.predict_proba(X), proba)
    # a model saved before the option existed has no naive_bayes_ attribute and still scores
    del alone.naive_bayes_
    assert np.allclose(alone.predict_proba(X).sum(axis=1), 1.0)


def _flat_copy(bayes):
    """A copy of a fitted naive Bayes that gives every class the same probability."""
    import copy

    flat = copy.deepcopy(bayes)
    flat.feature_log_prob_ = np.zeros_like(flat.feature_log_prob_)
    flat.class_log_prior_ = np.zeros_like(flat.class_log_prior_)
    return flat


def test_strongest_other_is_the_best_of_the_rest_of_the_group():
    from pipeline.context import strongest_other

    groups = pd.DataFrame({"article_id": ["a", "a", "a", "a", "b"], "actor": ["USA", "USA", "USA", "CHN", "USA"]})
    proba = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7], [0.5, 0.5]])
    strongest = strongest_other(groups, proba)
    # the pair holding a class's top sees the second best; the others see the top
    assert np.allclose(strongest[:3], [[0.6, 0.8], [0.9, 0.4], [0.9, 0.8]])
    assert np.allclose(strongest[3:], 0.0)  # alone in their group
    tied = strongest_other(groups.iloc[:2], np.array([[0.5, 0.5], [0.5, 0.5]]))
    assert np.allclose(tied, 0.5)


def test_one_clear_sentence_among_many_vague_ones_carries_with_strongest_other():
    """A veto among vague sentences, against two half-clear warnings: the same mean, not the same maximum."""
    rows, labels = [], []
    for k in range(60):
        vetoed = k % 2 == 0
        texts = ["TARGETX vetoed it", *["TARGETX spoke again"] * 6] if vetoed else \
            ["TARGETX warned", "TARGETX warned", *["TARGETX spoke again"] * 5]
        for text in texts:
            rows.append({"article_id": f"a{k}", "actor": "RUS", "marked": text, "sentence": ""})
            labels.append("opposed" if vetoed else "none")
    X, y = pd.DataFrame(rows), np.array(labels)
    two = X[X["article_id"].isin(["a0", "a1"])].reset_index(drop=True)
    vague = (two["marked"] == "TARGETX spoke again").to_numpy()
    mean_only = ArticleContextClassifier(SentenceWord(), folds=4, C=10).fit(X, y).predict(two)
    assert len(set(mean_only[vague])) == 1  # the mean cannot tell the two articles apart
    model = ArticleContextClassifier(SentenceWord(), folds=4, C=10, strongest_other=True).fit(X, y)
    predicted = pd.Series(model.predict(two), index=two["article_id"])[vague]
    assert set(predicted["a0"]) == {"opposed"} and set(predicted["a1"]) == {"none"}
