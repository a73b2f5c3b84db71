"""The champion gate: a run must get the acceptance articles right before it takes the alias."""
import json

import pandas as pd
import pytest

from pipeline.acceptance import acceptance_failures, choose_champion, find_cases


def _case(folder, name: str, text: str, expected: dict[str, str]) -> None:
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / f"{name}.expected.json").write_text(
        json.dumps({"actors": [{"actor": a, "label": label} for a, label in expected.items()]}), encoding="utf-8")


def test_a_wrong_or_missing_actor_is_named_and_a_right_one_is_not(model, gazetteer, tmp_path):
    text = "China vetoed the sanctions resolution on Tuesday."  # opposed, as test_model checks
    _case(tmp_path, "veto", text, {"CHN": "opposed"})
    _case(tmp_path, "veto-wrong", text, {"CHN": "supportive", "FRA": "none"})
    cases = find_cases("*.expected.json", tmp_path)
    assert [article.name for article, _ in cases] == ["veto-wrong.txt", "veto.txt"]
    failures = acceptance_failures(model, gazetteer, cases)
    assert failures == ["veto-wrong CHN: opposed, expected supportive", "veto-wrong FRA: not found, expected none"]


def test_an_expected_file_without_its_article_is_an_error(tmp_path):
    (tmp_path / "lost.expected.json").write_text('{"actors": []}', encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="lost.expected.json: no article beside it"):
        find_cases("*.expected.json", tmp_path)
    assert find_cases(None) == [] and find_cases("nothing-*.expected.json", tmp_path) == []


def test_the_best_run_that_passes_becomes_champion():
    table = pd.DataFrame({"run_id": ["a", "b", "c"], "dev_pair_macro_f1": [0.50, 0.49, 0.40],
                          "acceptance_failures": [1, 0, 0]})
    assert choose_champion(table, "dev_pair_macro_f1")["run_id"] == "b"
    assert choose_champion(table.assign(acceptance_failures=1), "dev_pair_macro_f1") is None
    # without the check (no acceptance articles found) the best by the metric wins
    assert choose_champion(table.drop(columns="acceptance_failures"), "dev_pair_macro_f1")["run_id"] == "a"
