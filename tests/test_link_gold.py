"""The linker against the corpus gold: the actors each article's labels list (issue #4)."""
import json

import pytest
from pipeline.evaluate import actor_detection
from pipeline.link import link_articles
from pipeline.split import split_articles


@pytest.fixture(scope="module")
def corpus_mentions(corpus_articles, gazetteer):
    return link_articles(corpus_articles, split_articles(corpus_articles), gazetteer)


def test_gold_actors_are_found_on_the_test_split(corpus_articles, corpus_mentions):
    test = corpus_articles[corpus_articles["split"] == "test"]
    assert len(test) > 0 and test["gold"].notna().all()
    scores = actor_detection(corpus_mentions[corpus_mentions["article_id"].isin(test["id"])], test, "test")
    assert scores["test_actor_recall"] >= 0.97, scores
    assert scores["test_actor_precision"] >= 0.97, scores


def test_gold_actors_are_found_on_every_split(corpus_articles, corpus_mentions):
    # not the bar of the test split, a guard against a change that breaks linking somewhere else
    scores = actor_detection(corpus_mentions, corpus_articles, "all")
    assert scores["all_actor_recall"] >= 0.97 and scores["all_actor_precision"] >= 0.97, scores


def test_actor_detection_counts_what_it_should():
    import pandas as pd

    articles = pd.DataFrame({"id": ["a", "b"], "gold": [json.dumps({"actors": [{"actor": "USA"}, {"actor": "CHN"}]}),
                                                      json.dumps({"actors": [{"actor": "RUS"}]})]})
    mentions = pd.DataFrame({"article_id": ["a", "a", "b"], "actor": ["USA", "IRN", "RUS"]})
    scores = actor_detection(mentions, articles, "x")
    assert scores == {"x_actor_precision": 2 / 3, "x_actor_recall": 2 / 3}


def test_mentions_do_not_depend_on_how_articles_are_batched(corpus_articles, corpus_mentions, gazetteer):
    # one call per article, and the articles in two batches in the other order, give the same rows
    import pandas as pd

    half = len(corpus_articles) // 2
    parts = [corpus_articles.iloc[half:], corpus_articles.iloc[:half]]
    batched = pd.concat([link_articles(p, split_articles(p), gazetteer) for p in parts])
    one_by_one = pd.concat([link_articles(corpus_articles.iloc[[i]], split_articles(corpus_articles.iloc[[i]]),
                                          gazetteer) for i in range(len(corpus_articles))])
    key = ["article_id", "start", "end", "actor"]
    expected = corpus_mentions.sort_values(key).reset_index(drop=True)
    assert batched.sort_values(key).reset_index(drop=True).equals(expected)
    assert one_by_one.sort_values(key).reset_index(drop=True).equals(expected)
