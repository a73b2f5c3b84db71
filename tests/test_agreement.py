import pytest

from pipeline.agreement import compare, disagreements, summary

TEXT = "Japan imposed sanctions. China abstained.  Russia objected."
FIRST = [{"id": "a", "text": TEXT,
          "actors": [{"actor": "JPN", "label": "supportive"}, {"actor": "CHN", "label": "reluctant"},
                     {"actor": "RUS", "label": "opposed"}],
          "pairs": [{"sentence": "Japan imposed sanctions.", "actor": "JPN", "label": "supportive"},
                    {"sentence": "China abstained.", "actor": "CHN", "label": "reluctant"},
                    {"sentence": "Russia objected.", "actor": "RUS", "label": "opposed"}]}]


def test_identical_passes_agree_fully():
    second = [{k: v for k, v in FIRST[0].items() if k != "text"}]
    pairs, actors = compare(FIRST, second)
    result = summary(pairs, actors)
    assert result["pair_kappa"] == pytest.approx(1.0) and result["article_kappa"] == pytest.approx(1.0)
    assert disagreements(pairs, actors).empty


def test_left_out_pairs_count_as_none_and_whitespace_does_not_matter():
    second = [{"id": "a", "actors": [{"actor": "JPN", "label": "supportive"}, {"actor": "CHN", "label": "opposed"}],
               "pairs": [{"sentence": "Japan  imposed\nsanctions.", "actor": "JPN", "label": "supportive"},
                         {"sentence": "China abstained.", "actor": "CHN", "label": "opposed"}]}]
    pairs, actors = compare(FIRST, second)
    assert len(pairs) == 3  # the two spellings of the first sentence are one pair
    rus = pairs.set_index("actor").loc["RUS"]
    assert (rus["first"], rus["second"]) == ("opposed", "none")
    result = summary(pairs, actors)
    assert result["pair_agreement"] == pytest.approx(1 / 3, abs=1e-3)
    assert result["pair_kappa"] < 1
    assert set(disagreements(pairs, actors)["actor"]) == {"CHN", "RUS"}


def test_published_agreement_figures_are_current(root):
    from pipeline.agreement import load_jsonl

    folder = root / "data" / "corpus" / "agreement"
    pairs, actors = compare(load_jsonl([folder / "first-pass.jsonl"]),
                            load_jsonl(sorted(folder.glob("second-pass-*.jsonl"))))
    readme = (folder / "README.md").read_text()
    for key, value in summary(pairs, actors).items():
        assert f"| {key} | {value} |" in readme, key
