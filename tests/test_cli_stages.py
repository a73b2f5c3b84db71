"""The stage subcommands on ad-hoc files, as a user runs them."""
import json

from conftest import run_stance

ARTICLE = {"id": "a1", "date": "2006-10-20", "text": "SEOUL - South Korea said it would comply.\n\nRussia's envoy objected. "
                                                       "He said the U.S. was wrong."}


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def run_stage(stage, tmp_path):
    """Run one stage on the article above; return the JSON lines it wrote."""
    src, out = tmp_path / "a.jsonl", tmp_path / f"{stage}.jsonl"
    src.write_text(json.dumps(ARTICLE) + "\n")
    result = run_stance(stage, "--input", str(src), "--output", str(out))
    assert result.returncode == 0, result.stderr
    return read_jsonl(out)


def test_split_writes_sentences_with_offsets(tmp_path):
    rows = run_stage("split", tmp_path)
    assert [r["index"] for r in rows] == [0, 1, 2]
    assert set(rows[0]) == {"article_id", "index", "start", "end", "text"}
    assert all(ARTICLE["text"][r["start"]:r["end"]] == r["text"] for r in rows)


def test_link_writes_mentions_with_offsets(tmp_path):
    rows = run_stage("link", tmp_path)
    assert set(rows[0]) == {"article_id", "sentence_index", "actor", "start", "end", "surface"}
    found = [(r["actor"], r["surface"], r["sentence_index"]) for r in rows]
    # The all-caps dateline names the place the story comes from: a mention too (its pair is `none`).
    assert found == [("KOR", "SEOUL", 0), ("KOR", "South Korea", 0), ("RUS", "Russia", 1), ("RUS", "He", 2),
                     ("USA", "U.S.", 2)]
    assert all(ARTICLE["text"][r["start"]:r["end"]] == r["surface"] for r in rows)


def test_ingest_reports_bad_records_and_keeps_good_ones(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps(ARTICLE) + "\n{bad\n")
    out, errors = tmp_path / "a.parquet", tmp_path / "e.jsonl"
    result = run_stance("ingest", "--input", str(src), "--output", str(out), "--errors", str(errors))
    assert result.returncode == 0
    assert f"{src}:2" in result.stderr and "malformed JSON" in result.stderr
    assert read_jsonl(errors)[0]["line"] == 2
