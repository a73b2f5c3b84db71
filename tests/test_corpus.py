"""The validator, and data checks on the bundled corpus."""
import json
from collections import Counter, defaultdict

import pytest
from conftest import SHARED

from pipeline.corpus import validate_files

GOOD = {
    "id": "t-01", "title": "T", "date": "2006-10-14", "source": "wire", "episode": "ep", "split": "train",
    "text": "Japan imposed sanctions. China voted for the resolution but warned against excess.",
    "relevant": True,
    "actors": [{"actor": "JPN", "label": "supportive", "evidence": ["Japan imposed sanctions."]},
               {"actor": "CHN", "label": "reluctant", "evidence": []}],
    "pairs": [{"sentence": "Japan imposed sanctions.", "actor": "JPN", "label": "supportive"},
              {"sentence": "China voted for the resolution but warned against excess.", "actor": "CHN",
               "label": "reluctant"}],
}


def write_lines(path, records):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records))
    return path


def test_a_good_file_passes(tmp_path):
    findings, counts = validate_files([write_lines(tmp_path / "c.jsonl", [GOOD])])
    assert findings == [] and counts["articles"] == 1 and counts["pairs"] == 2


@pytest.mark.parametrize("change, expected", [
    (lambda r: r["pairs"][0].update(actor="XXX"), "'XXX' is not an ISO alpha-3 code"),
    (lambda r: r["pairs"][0].update(label="positive"), "label 'positive' is not one of"),
    (lambda r: r["pairs"][0].update(sentence="Japan imposed tariffs."), "sentence not found verbatim"),
    (lambda r: r["actors"].pop(), "CHN has pairs but is not in actors"),
    (lambda r: r["actors"][0].update(label="opposed"), "disagrees with its pairs"),
    (lambda r: r.update(split="validation"), "split 'validation' is not one of"),
    (lambda r: r.pop("episode"), "missing field 'episode'"),
    (lambda r: r.update(date="14/10/2006"), "is not YYYY-MM-DD"),
])
def test_a_bad_record_is_rejected_with_its_line(tmp_path, change, expected):
    bad = json.loads(json.dumps(GOOD))
    bad["id"] = "t-02"
    change(bad)
    path = write_lines(tmp_path / "c.jsonl", [GOOD, bad])
    findings, _ = validate_files([path])
    assert findings, "the validator accepted a bad record"
    assert all(f.line == 2 and f.path == str(path) for f in findings if f.path != "(corpus)")
    assert any(expected in f.message for f in findings), [f.message for f in findings]


def test_an_actor_named_in_the_text_must_be_listed(tmp_path, gazetteer):
    record = json.loads(json.dumps(GOOD))
    record["text"] += " Officials in Berlin said little."
    findings, _ = validate_files([write_lines(tmp_path / "c.jsonl", [record])], gazetteer)
    assert [f.message for f in findings] == ["the text refers to DEU ('Berlin') but DEU is not in actors"]


def test_malformed_line_and_episode_in_two_splits(tmp_path):
    other = dict(GOOD, id="t-03", split="test")
    findings, _ = validate_files([write_lines(tmp_path / "c.jsonl", [GOOD, "{oops", other])])
    messages = [str(f) for f in findings]
    assert any(":2: not a JSON line" in m for m in messages)
    assert any("episode 'ep' is in more than one split" in m for m in messages)


def test_a_folder_stands_for_its_jsonl_files_and_a_missing_path_is_a_finding(tmp_path):
    write_lines(tmp_path / "a.jsonl", [GOOD])
    write_lines(tmp_path / "b.jsonl", [dict(GOOD, id="t-02")])
    (tmp_path / "README.md").write_text("not a corpus file")
    findings, counts = validate_files([tmp_path, tmp_path / "gone.jsonl"])
    assert counts["files"] == 2 and counts["articles"] == 2
    assert [str(f) for f in findings] == [f"{tmp_path / 'gone.jsonl'}:0: no such file or folder"]


def test_cli_exits_non_zero_on_a_bad_file(tmp_path):
    from conftest import run_stance

    path = write_lines(tmp_path / "c.jsonl", [dict(GOOD, split="nope")])
    result = run_stance("validate", str(path))
    assert result.returncode == 1 and f"{path}:1:" in result.stdout


# --- data checks on the corpus the pipeline trains on -------------------------

@pytest.fixture(scope="module")
def corpus(root):
    paths = sorted((root / "data" / "corpus").glob("*.jsonl"))
    records = [json.loads(line) for p in paths for line in p.read_text().splitlines() if line.strip()]
    return paths, records


def test_bundled_corpus_is_valid(corpus, gazetteer):
    findings, counts = validate_files(corpus[0], gazetteer)
    assert findings == [], "\n".join(map(str, findings[:20]))


def test_splits_are_by_episode_and_all_present(corpus):
    _, records = corpus
    splits_of = defaultdict(set)
    for r in records:
        splits_of[r["episode"]].add(r["split"])
    assert all(len(s) == 1 for s in splits_of.values())
    assert {"train", "dev", "test"} <= {r["split"] for r in records}


def test_corpus_has_every_label(corpus):
    _, records = corpus
    labels = Counter(p["label"] for r in records for p in r["pairs"])
    assert set(labels) == {"supportive", "reluctant", "opposed", "none"}


def test_datasheet_statistics_are_current(corpus, root):
    from pipeline.stats import END, START, markdown

    readme = (root / "data" / "corpus" / "README.md").read_text()
    block = readme[readme.index(START) + len(START):readme.index(END)].strip()
    assert block == markdown(corpus[1]).strip(), "run: stance stats --write data/corpus/README.md"


def test_corpus_size_and_balance(corpus):
    """What the corpus promises in its datasheet: size, coverage and class balance."""
    _, records = corpus
    pairs = [p for r in records for p in r["pairs"]]
    labels = Counter(p["label"] for p in pairs)
    stance_total = sum(labels[s] for s in ("supportive", "reluctant", "opposed"))
    assert len(records) >= 400 and len(pairs) >= 4000
    assert len({r["episode"] for r in records}) >= 25
    assert len({a["actor"] for r in records for a in r["actors"]}) >= 60
    assert all(labels[s] / stance_total >= 0.15 for s in ("supportive", "reluctant", "opposed"))
    assert labels["none"] / len(pairs) >= 0.20
    test_pairs = sum(len(r["pairs"]) for r in records if r["split"] == "test")
    assert test_pairs / len(pairs) >= 0.20


def test_the_ingest_stage_reads_exactly_the_corpus(corpus, params, root, monkeypatch):
    """The default ingest input holds the corpus articles and nothing else (no agreement files)."""
    from pipeline.ingest import read_articles

    monkeypatch.chdir(root)
    articles, problems = read_articles([params["ingest"]["input"]])
    assert problems == []
    assert sorted(articles["id"]) == sorted(r["id"] for r in corpus[1])


def test_the_vocabulary_screen_keeps_the_articles_that_hold_a_stance(corpus_articles, params, root):
    """`stance score` skips articles without sanctions vocabulary; that must not cost stances."""
    import json

    from pipeline.score import screen_from_params

    screen = screen_from_params({**params["score"], "languages": []}, root)
    with_stance = [t for t, g in zip(corpus_articles["text"], corpus_articles["gold"])
                   if any(a["label"] != "none" for a in json.loads(g)["actors"])]
    lost = [t[:60] for t in with_stance if not screen.vocabulary.search(t)]
    assert len(lost) <= 0.02 * len(with_stance), lost
    dev = SHARED / "realnews" / "allsides-dev.jsonl"
    if dev.exists():
        real = [json.loads(line) for line in dev.read_text().splitlines()]
        assert all(screen.vocabulary.search(r["text"]) for r in real
                   if any(a["label"] != "none" for a in r.get("actors", [])))
