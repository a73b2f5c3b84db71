import json

import pandas as pd

from pipeline.features import OTHER_TOKEN, TARGET_TOKEN, build_pairs, mark_sentence
from pipeline.label import align_gold, load_labelling_functions, locate, weak_label


def test_marking_distinguishes_target_from_other_actors():
    sentence = "China and Russia vetoed the draft the U.S. wrote."
    # the sentence starts at offset 100 of its article
    us = 100 + sentence.index("U.S.")
    mentions = [(100, 105, "CHN"), (110, 116, "RUS"), (us, us + 4, "USA")]
    assert mark_sentence(sentence, 100, mentions, "CHN") == f"{TARGET_TOKEN} and {OTHER_TOKEN} vetoed the draft the {OTHER_TOKEN} wrote."
    assert mark_sentence(sentence, 100, mentions, "USA") == f"{OTHER_TOKEN} and {OTHER_TOKEN} vetoed the draft the {TARGET_TOKEN} wrote."


def test_build_pairs_one_row_per_sentence_and_actor():
    sentences = pd.DataFrame([{"article_id": "a", "index": 0, "start": 0, "end": 33, "text": "Iran and Iran's allies objected."}])
    mentions = pd.DataFrame([
        {"article_id": "a", "sentence_index": 0, "actor": "IRN", "start": 0, "end": 4, "surface": "Iran"},
        {"article_id": "a", "sentence_index": 0, "actor": "IRN", "start": 9, "end": 13, "surface": "Iran"},
    ])
    pairs = build_pairs(sentences, mentions)
    assert len(pairs) == 1
    assert pairs.loc[0, "marked"] == f"{TARGET_TOKEN} and {TARGET_TOKEN}'s allies objected."


def test_locate_collapses_whitespace_like_the_guidelines():
    text = "First one.\n\nThe  U.S.\nsaid no.  Last."
    start, end = locate(text, "The U.S. said no.")
    assert text[start:end] == "The  U.S.\nsaid no."
    assert locate(text, "Not there.") is None


def test_gold_alignment_and_implicit_none():
    text = "Japan imposed sanctions. Vietnam hosted a forum with Japan."
    gold = {"pairs": [{"sentence": "Japan imposed sanctions.", "actor": "JPN", "label": "supportive"},
                      {"sentence": "Vietnam hosted a forum with Japan.", "actor": "VNM", "label": "none"},
                      {"sentence": "Japan imposed sanctions.", "actor": "USA", "label": "supportive"}]}
    articles = pd.DataFrame([{"id": "a", "text": text, "gold": json.dumps(gold), "split": "train"}])
    pairs = pd.DataFrame([
        {"article_id": "a", "start": 0, "end": 24, "actor": "JPN"},
        {"article_id": "a", "start": 25, "end": 59, "actor": "VNM"},
        {"article_id": "a", "start": 25, "end": 59, "actor": "JPN"},
    ])
    result = align_gold(pairs, articles)
    assert result.labels == ["supportive", "none", "none"]
    assert result.sources == ["gold", "gold", "gold-implicit"]
    assert result.stats["gold_pairs_missed_by_linker"] == 1  # the USA pair: no linked mention


def test_labelling_functions_vote_for_the_right_actor(root):
    functions = load_labelling_functions(root / "seeds" / "cue_lexicon.yaml")
    assert weak_label(f"{TARGET_TOKEN} vetoed the draft that {OTHER_TOKEN} had written.", functions)[0] == "opposed"
    assert weak_label(f"{OTHER_TOKEN} vetoed the draft that {TARGET_TOKEN} had written.", functions)[0] is None
    assert weak_label(f"{TARGET_TOKEN} abstained in the vote.", functions)[0] == "reluctant"
    assert weak_label(f"{OTHER_TOKEN} urged {TARGET_TOKEN} to enforce the measures.", functions)[0] == "reluctant"
    label, source = weak_label(f"{TARGET_TOKEN} imposed new sanctions.", functions)
    assert label == "supportive" and source.startswith("weak:")


def test_labelling_function_report_counts_coverage_conflict_and_accuracy(root):
    from pipeline.label import labelling_function_report

    functions = load_labelling_functions(root / "seeds" / "cue_lexicon.yaml")
    pairs = pd.DataFrame({
        "marked": [f"{TARGET_TOKEN} vetoed the draft.", f"{TARGET_TOKEN} abstained.", f"{TARGET_TOKEN} met.",
                   f"{TARGET_TOKEN} imposed sanctions but later vetoed more."],
        "label": ["opposed", "supportive", "none", "supportive"],
        "label_source": ["gold"] * 4,
    })
    report = labelling_function_report(pairs, functions).set_index("function")
    assert report.loc["veto_or_vote_against", "coverage"] == 0.5
    assert report.loc["veto_or_vote_against", "accuracy"] == 0.5
    assert report.loc["abstain", "accuracy"] == 0.0
    assert report.loc["impose", "conflict"] == 0.25  # fires with the veto function on the last pair
    assert report.loc["majority vote (label model)", "coverage"] == 0.5  # the tie abstains
