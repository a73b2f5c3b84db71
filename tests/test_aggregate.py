import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@given(st.lists(st.tuples(st.sampled_from(["a", "b"]), st.sampled_from(["CHN", "USA", "RUS"]),
                          st.sampled_from(["supportive", "reluctant", "opposed", "none"]),
                          st.floats(0.01, 0.99)), min_size=1, max_size=30))
def test_aggregate_applies_the_article_label_rule_to_every_group(rows):
    """The vectorised aggregate agrees with article_label, the rule as written, on any pairs."""
    pairs = pd.DataFrame([{"article_id": a, "actor": c, "stance": s, "p_supportive": p * (s == "supportive"),
                           "p_reluctant": p * (s == "reluctant"), "p_opposed": p * (s == "opposed"),
                           "p_none": 1 - p, "sentence": f"s{i}", "start": i, "end": i + 1}
                          for i, (a, c, s, p) in enumerate(rows)])
    out = aggregate(pairs).set_index(["article_id", "actor"])
    for (article, actor), group in pairs.groupby(["article_id", "actor"]):
        weights = group[["p_supportive", "p_reluctant", "p_opposed"]].max(axis=1).where(group["stance"] != "none", 0)
        expected = article_label(group["stance"].tolist(), weights.tolist())
        assert out.loc[(article, actor), "stance"] == expected
        if expected != "none":
            chosen = group[group["stance"] == expected]
            assert out.loc[(article, actor), "evidence"] in set(chosen["sentence"])
            assert out.loc[(article, actor), "n_sentences"] == (group["stance"] != "none").sum()
