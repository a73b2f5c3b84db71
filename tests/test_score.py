import json

import pandas as pd
import pytest

from conftest import SHARED, run_stance

SEED = SHARED / "seeds" / "tokyo-seeks-talks-2006.txt"


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seeds is not beside the project")
def test_seed_article_lists_exactly_the_expected_actors(trained, tmp_path):
    out = tmp_path / "o.csv"
    result = run_stance("score", str(SEED), "--output", str(out), "--model", str(trained["dir"]))
    assert result.returncode == 0, result.stderr
    scored = pd.read_csv(out)
    expected = json.loads(SEED.with_name("tokyo-seeks-talks-2006.expected.json").read_text())
    assert sorted(scored["actor"]) == sorted(a["actor"] for a in expected["actors"])
    assert set(scored["stance"]) <= {"supportive", "reluctant", "opposed", "none"}
    assert scored[["p_supportive", "p_reluctant", "p_opposed"]].ge(0).all().all()


def test_score_writes_every_format_and_accounts_for_every_record(trained, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([
        json.dumps({"id": "a", "text": "Russia vetoed the sanctions resolution. The United States had drafted it."}),
        "{broken",
        json.dumps({"id": "b", "text": "Nothing about any country here."}),
        json.dumps({"id": "c", "text": ""}),
    ]) + "\n")
    for ext in ("csv", "jsonl", "parquet"):
        out = tmp_path / f"o.{ext}"
        sentences = tmp_path / f"s.{ext}"
        result = run_stance("score", str(src), "--output", str(out), "--sentences", str(sentences),
                            "--model", str(trained["dir"]))
        assert result.returncode == 0, result.stderr
        from pipeline.tables import read_table

        by_article = read_table(out)
        assert set(by_article["actor"]) == {"RUS", "USA"} and set(by_article["article_id"]) == {"a"}
        assert {"evidence", "p_supportive", "p_reluctant", "p_opposed", "stance"} <= set(by_article.columns)
        assert len(read_table(sentences)) == 2
    errors = [json.loads(line) for line in (tmp_path / "o.parquet.errors.jsonl").read_text().splitlines()]
    assert sorted((e["line"], e["reason"]) for e in errors) == [(2, errors[0]["reason"]), (4, "text is empty")]
    assert "4 records in, 1 scored, 1 skipped" in result.stderr and "2 failed" in result.stderr


def test_missing_model_fails_cleanly_without_touching_output(tmp_path):
    out = tmp_path / "o.csv"
    out.write_text("earlier output\n")
    src = tmp_path / "a.txt"
    src.write_text("Japan imposed sanctions.")
    result = run_stance("score", str(src), "--output", str(out), "--model", str(tmp_path / "no-model"))
    assert result.returncode == 2 and "cannot load model" in result.stderr
    assert out.read_text() == "earlier output\n"


def test_model_uri_from_mlflow_is_accepted(trained, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Japan imposed sanctions on North Korea.")
    out = tmp_path / "o.jsonl"
    result = run_stance("score", str(src), "--output", str(out), "--model", trained["info"]["model_uri"],
                        env={"MLFLOW_TRACKING_URI": f"sqlite:///{trained['db']}"})
    assert result.returncode == 0, result.stderr
    assert {"JPN", "PRK"} == {json.loads(line)["actor"] for line in out.read_text().splitlines()}


def test_evaluate_on_an_ad_hoc_gold_file(trained, tmp_path, root):
    src = sorted((root / "data" / "corpus").glob("*.jsonl"))[0]
    out = tmp_path / "m.json"
    result = run_stance("evaluate", "--input", str(src), "--output", str(out), "--model", str(trained["dir"]))
    assert result.returncode == 0, result.stderr[-2000:]
    metrics = json.loads(out.read_text())
    assert 0 <= metrics[f"{src.stem}_pair_macro_f1"] <= 1 and f"{src.stem}_article_opposed_recall" in metrics
