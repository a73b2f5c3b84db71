import pandas as pd
import pytest

from pipeline.aggregate import aggregate, article_label


@pytest.mark.parametrize("labels, expected", [
    (["none", "none"], "none"),
    (["supportive", "none", "supportive"], "supportive"),
    (["supportive", "reluctant"], "reluctant"),
    (["opposed", "opposed", "supportive"], "opposed"),
    (["opposed", "supportive", "supportive"], "supportive"),
    (["opposed", "reluctant", "reluctant"], "reluctant"),
])
def test_article_label_follows_the_guidelines(labels, expected):
    assert article_label(labels) == expected


def test_opposed_tie_is_broken_by_confidence():
    assert article_label(["opposed", "supportive"], [0.9, 0.5]) == "opposed"
    assert article_label(["opposed", "supportive"], [0.4, 0.8]) == "supportive"


def test_aggregate_picks_evidence_and_averages_speaking_sentences():
    pairs = pd.DataFrame([
        {"article_id": "a", "actor": "CHN", "stance": "none", "p_supportive": .1, "p_reluctant": .1, "p_opposed": .1,
         "p_none": .7, "sentence": "China is big.", "start": 0, "end": 13},
        {"article_id": "a", "actor": "CHN", "stance": "opposed", "p_supportive": .1, "p_reluctant": .1,
         "p_opposed": .7, "p_none": .1, "sentence": "China vetoed it.", "start": 14, "end": 30},
        {"article_id": "a", "actor": "USA", "stance": "none", "p_supportive": .2, "p_reluctant": .1,
         "p_opposed": .1, "p_none": .6, "sentence": "The U.S. watched.", "start": 31, "end": 48},
    ])
    out = aggregate(pairs).set_index("actor")
    assert out.loc["CHN", "stance"] == "opposed"
    assert out.loc["CHN", "evidence"] == "China vetoed it." and out.loc["CHN", "evidence_start"] == 14
    assert out.loc["CHN", "p_opposed"] == pytest.approx(0.7)
    assert out.loc["CHN", "n_sentences"] == 1
    assert out.loc["USA", "stance"] == "none" and pd.isna(out.loc["USA", "evidence"])
