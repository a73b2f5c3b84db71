"""Behavioural tests of the trained model, after Made-With-ML: invariance and directional expectations."""
from pathlib import Path

import pandas as pd
import pytest

from pipeline.features import pairs_from_articles
from pipeline.model import predict_proba_frame


def stances(model, gazetteer, text):
    articles = pd.DataFrame([{"id": "t", "text": text}])
    _, _, pairs = pairs_from_articles(articles, gazetteer)
    pairs = pairs.reset_index(drop=True)
    predicted = pd.concat([pairs, predict_proba_frame(model, pairs)], axis=1)
    return dict(zip(predicted["actor"], predicted["stance"])), predicted


def test_probabilities_are_a_distribution(model, gazetteer):
    _, predicted = stances(model, gazetteer, "Japan imposed new sanctions on North Korea on Friday.")
    total = predicted[["p_supportive", "p_reluctant", "p_opposed", "p_none"]].sum(axis=1)
    assert total.round(6).eq(1).all()


@pytest.mark.parametrize("template", [
    "{a} vetoed the draft resolution on Tuesday, calling the proposed sanctions illegal.",
    "{a} announced sweeping new sanctions, freezing the assets of senior officials.",
    "{a} abstained in the vote and said further sanctions would only hurt ordinary people.",
])
def test_swapping_the_country_keeps_the_stance(model, gazetteer, template):
    """Invariance: which country acts must not change what the act means."""
    seen = set()
    for country, code in [("Russia", "RUS"), ("France", "FRA"), ("Brazil", "BRA"), ("Japan", "JPN")]:
        found, _ = stances(model, gazetteer, template.format(a=country))
        seen.add(found[code])
    assert len(seen) == 1, seen


def test_vetoed_moves_the_pair_to_opposed(model, gazetteer):
    """Directional: replacing the verb with 'vetoed' makes the actor opposed."""
    _, before = stances(model, gazetteer, "China discussed the sanctions resolution on Tuesday.")
    _, after = stances(model, gazetteer, "China vetoed the sanctions resolution on Tuesday.")
    assert after.loc[0, "stance"] == "opposed"
    assert after.loc[0, "p_opposed"] > before.loc[0, "p_opposed"]


def test_one_sentence_different_actors_different_stances(model, gazetteer):
    """Target-aware marking lets the same words give different answers per actor."""
    found, _ = stances(model, gazetteer,
                       "Russia vetoed the resolution that the United States had drafted to tighten sanctions.")
    assert found["RUS"] == "opposed"
    assert found["USA"] != "opposed"


def test_same_data_and_config_give_the_same_model_twice(labelled_pairs, params):
    """Reproducibility: seeds are fixed, so two fits agree to the last digit."""
    from pipeline.train import fit

    subset = labelled_pairs[labelled_pairs["article_id"].isin(labelled_pairs["article_id"].unique()[::4])]
    (first, _), (second, _) = fit(subset, params["train"]), fit(subset, params["train"])
    sample = labelled_pairs.head(300)
    assert (predict_proba_frame(first, sample).values == predict_proba_frame(second, sample).values).all()


def test_the_saved_model_predicts_what_the_fitted_one_did(labelled_pairs, params, tmp_path):
    """The compact vocabulary (pipeline.model.CompactTfidfVectorizer) survives MLflow's skops format."""
    import mlflow.sklearn

    from pipeline.train import TRUSTED_TYPES, fit

    subset = labelled_pairs[labelled_pairs["article_id"].isin(labelled_pairs["article_id"].unique()[::8])]
    fitted, _ = fit(subset, params["train"])
    mlflow.sklearn.save_model(fitted, str(tmp_path / "m"), skops_trusted_types=TRUSTED_TYPES)
    loaded = mlflow.sklearn.load_model(str(tmp_path / "m"))
    word = pair_model(loaded).named_steps["features"].named_transformers_["word"]
    assert word.vocabulary_ == pair_model(fitted).named_steps["features"].named_transformers_["word"].vocabulary_
    sample = labelled_pairs.head(300)
    assert (predict_proba_frame(loaded, sample).values == predict_proba_frame(fitted, sample).values).all()


def pair_model(model):
    """The pair Pipeline, inside the article-context stage or not."""
    return getattr(model, "pair_model_", model)


TEXTS = ["TARGETX vetoed the draft,  while OTHERX\tabstained.", "A", "", "Ünïcode  naïve café — TARGETX",
         "the same words, the same words again", "TARGETX\n\nsaid   x y z", "İstanbul ſanctions K"]


@pytest.mark.parametrize("options", [dict(analyzer="char_wb", ngram_range=(2, 5)), dict(ngram_range=(1, 3)),
                                     dict(token_pattern=r"\S+", ngram_range=(1, 2))])
def test_counts_match_scikit_learn(options):
    """The hashed vocabulary and the per-word cache give scikit-learn's matrix, entry for entry."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from pipeline.model import CompactTfidfVectorizer, HashedVocabulary

    fitted = CompactTfidfVectorizer(sublinear_tf=True, **options).fit(TEXTS[:4])
    reference = TfidfVectorizer(sublinear_tf=True, **options).fit(TEXTS[:4])
    assert isinstance(fitted.vocabulary_, HashedVocabulary)
    assert fitted.vocabulary_ == reference.vocabulary_
    for _ in range(2):  # the second pass reads the per-word cache
        mine, theirs = fitted.transform(TEXTS), reference.transform(TEXTS)
        assert (mine != theirs).nnz == 0
        assert (mine.indices == theirs.indices).all() and (mine.indptr == theirs.indptr).all()


def test_hashed_vocabulary_is_a_mapping_that_survives_pickling():
    import pickle

    from pipeline.model import HashedVocabulary

    plain = {"sanctions": 3, "vetoed": 0, "naïve café": 2, "": 1}
    hashed = HashedVocabulary.from_dict(plain)
    assert dict(hashed.items()) == plain and len(hashed) == 4
    assert hashed["vetoed"] == 0 and "sanction" not in hashed and hashed.get("x", -1) == -1
    assert list(hashed.columns(["vetoed", "nothing", "naïve café"])) == [0, -1, 2]
    assert dict(pickle.loads(pickle.dumps(hashed)).items()) == plain


def test_a_hash_collision_keeps_the_plain_dict(monkeypatch):
    import pickle

    import pipeline.model as model

    monkeypatch.setattr(model, "hash", lambda term: 7, raising=False)  # every term the same hash
    with pytest.raises(model.HashCollision):
        model.HashedVocabulary.from_dict({"a": 0, "b": 1})
    fitted = model.CompactTfidfVectorizer().fit(TEXTS[:4])
    assert type(fitted.vocabulary_) is dict
    from sklearn.feature_extraction.text import TfidfVectorizer

    reference = TfidfVectorizer().fit(TEXTS[:4])
    assert (fitted.transform(TEXTS) != reference.transform(TEXTS)).nnz == 0
    monkeypatch.undo()
    restored = pickle.loads(pickle.dumps(fitted))  # saved as arrays, loaded hashed again
    assert dict(restored.vocabulary_.items()) == reference.vocabulary_


def test_cue_votes_prefilter_changes_no_vote():
    from pipeline.label import load_labelling_functions
    from pipeline.model import cue_specs, cue_votes

    texts = [*TEXTS, "TARGETX VETOED it", "“TARGETX vetoed it,” he said", "OTHERX urged TARGETX to enforce the sanctions",
             "TARGETX reJECTED the měasures"]
    lexicon = Path(__file__).resolve().parents[1] / "seeds" / "cue_lexicon.yaml"
    functions = load_labelling_functions(lexicon)
    expected = [" ".join(f"lf_{f.name}" for f in functions if f.vote(t)) for t in texts]
    assert cue_votes(texts, cue_specs(lexicon)) == expected
    assert any(expected)


def test_view_weights_name_existing_views(params):
    import copy

    from pipeline.model import build_pair_model

    train = copy.deepcopy(params["train"])
    train["features"]["weights"] = {"window": 2}
    assert build_pair_model(train).named_steps["features"].transformer_weights == {"window": 2.0}
    train["features"]["weights"] = {"sentence": 2}
    with pytest.raises(ValueError, match="no such view"):
        build_pair_model(train)
