"""Batch scoring: every record accounted for, bad input, resume after SIGKILL, faults, engines."""
import json
import os
import resource
import signal
import subprocess
import shutil
import sys
import time

import pandas as pd
import pytest

from conftest import ROOT, run_stance
from pipeline.tables import read_table

SANCTIONS = ("Japan imposed new sanctions on North Korea on Monday. China and Russia voted against the "
             "resolution that the United States had drafted.")


def _jsonl(path, records):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records))
    return path


def _outcomes(out):
    errors = read_table(f"{out}.errors.jsonl")
    skipped = read_table(f"{out}.skipped.jsonl")
    def key(r):
        if not pd.isna(r["id"]):
            return r["id"]
        line = r["line"]
        return os.path.basename(r["origin"]) + ("" if line is None or pd.isna(line) else f":{int(line)}")

    return ({key(r): r["reason"] for r in errors.to_dict("records")},
            {r["id"]: r["reason"] for r in skipped.to_dict("records")})


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    """A folder of the inputs batch users send, one record of each kind."""
    folder = tmp_path_factory.mktemp("messy")
    _jsonl(folder / "news.jsonl", [
        {"id": "good", "text": SANCTIONS, "date": "2016-03-02"},
        {"id": "blank", "text": "   \n\t "},
        {"id": "null-text", "text": None},
        {"id": None, "text": SANCTIONS},
        "{not json",
        {"id": "good", "text": "A second record with the same id."},
        {"id": "html", "text": "<html><body><p>Japan imposed new <b>sanctions</b> on North Korea.</p>"
                               "<script>var x = 'Russia';</script></body></html>"},
        {"id": "french", "text": "La Russie et la Chine ont condamné les sanctions imposées par le Japon contre "
                                 "la Corée du Nord, que le Conseil de sécurité a adoptées lundi."},
        {"id": "sports", "text": "Japan beat Brazil 2-1 in a friendly in Tokyo on Saturday."},
        {"id": "no-actor", "text": "The committee discussed sanctions on Tuesday behind closed doors."},
        {"id": "null-fields", "text": SANCTIONS, "date": None, "title": None},
        {"id": "huge", "text": "sanctions " * 5_300_000},  # about 50 MB
    ])
    (folder / "dump.bin").write_bytes(bytes(range(256)) * 64)
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (folder / "renamed.csv").write_text(f'id,body\ncsv-1,"{SANCTIONS}"\ncsv-2,"Nothing here."\n')
    (folder / "latin1.csv").write_bytes(f"id,text\nl-1,Sanctions on Cuba \xe9\n".encode("latin-1"))
    return folder


@pytest.fixture(scope="module")
def messy_run(messy, trained, tmp_path_factory):
    out = tmp_path_factory.mktemp("messy-out") / "scored.jsonl"
    result = run_stance("score", str(messy), "--output", str(out), "--model", str(trained["dir"]),
                        "--jobs", "1", "--chunk-size", "4", "--sentences", str(out.with_name("s.csv")))
    assert result.returncode == 0, result.stderr[-3000:]
    return out, result


def test_every_record_ends_scored_skipped_or_failed(messy_run):
    out, result = messy_run
    summary = json.loads(out.with_name("scored.jsonl.summary.json").read_text())
    # 12 JSONL lines, 2 CSV rows, 1 CSV row, 2 unreadable files
    assert summary["articles_in"] == 17
    assert summary["scored"] + summary["skipped"] + summary["failed"] == 17
    assert "17 records in" in result.stderr
    scored = read_table(out)
    assert set(scored["article_id"]) == {"good", "html", "null-fields"}
    assert summary["scored"] == 3 and summary["model"]["uri"] and summary["model"]["version"].startswith("run ")


def test_each_bad_input_gets_the_outcome_a_user_expects(messy_run):
    out, _ = messy_run
    errors, skipped = _outcomes(out)
    assert errors["blank"] == "text is empty"
    assert errors["null-text"] == "record has no text"
    assert errors["news.jsonl:4"] == "record has no id"
    assert errors["news.jsonl:5"].startswith("malformed JSON")
    assert errors["good"].startswith("duplicate id (first seen at ") and errors["good"].endswith("news.jsonl:1)")
    assert errors["huge"].startswith("text too long")
    assert errors["dump.bin"].startswith("not a readable type")
    assert errors["image.txt"] == "binary file, not text"
    assert "--text-column" in errors["csv-1"] and "--text-column" in errors["csv-2"]
    assert errors["latin1.csv:2"].startswith("undecodable bytes")
    assert skipped == {"french": "not English (detected: fr)", "sports": "no sanctions vocabulary",
                       "no-actor": "no actor named"}


def test_html_is_read_as_its_text(messy_run):
    out, _ = messy_run
    html = read_table(out.with_name("s.csv")).query("article_id == 'html'")
    assert set(html["actor"]) == {"JPN", "PRK"}  # "Russia" inside <script> is no mention
    assert not html["sentence"].str.contains("<").any()


def test_a_renamed_text_column_is_read_when_named(trained, messy, tmp_path):
    out = tmp_path / "o.csv"
    result = run_stance("score", str(messy / "renamed.csv"), "-o", str(out), "--model", str(trained["dir"]),
                        "--text-column", "body", "--jobs", "1")
    assert result.returncode == 0, result.stderr[-2000:]
    assert set(pd.read_csv(out)["article_id"]) == {"csv-1"}
    assert _outcomes(out)[1] == {"csv-2": "no sanctions vocabulary"}


@pytest.fixture(scope="module")
def many(tmp_path_factory, corpus_articles):
    """600 real-looking articles: the corpus texts under new ids, some repeated."""
    rows = corpus_articles.head(200)
    path = tmp_path_factory.mktemp("many") / "many.jsonl"
    _jsonl(path, [{"id": f"{r.id}-{k}", "text": r.text, "date": r.date}
                  for k in range(3) for r in rows.itertuples()])
    return path


@pytest.fixture(scope="module")
def uninterrupted(many, trained, tmp_path_factory):
    out = tmp_path_factory.mktemp("whole") / "scored.parquet"
    result = run_stance("score", str(many), "-o", str(out), "--model", str(trained["dir"]), "--jobs", "1",
                        "--chunk-size", "25")
    assert result.returncode == 0, result.stderr[-2000:]
    return read_table(out)


def test_a_run_killed_halfway_resumes_to_the_same_output(many, trained, uninterrupted, tmp_path):
    out = tmp_path / "scored.parquet"
    args = [shutil.which("stance"), "score", str(many), "-o", str(out), "--model", str(trained["dir"]),
            "--jobs", "2", "--chunk-size", "25"]
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    parts = tmp_path / "scored.parquet.parts"
    deadline = time.time() + 300
    while len(list(parts.glob("*.done"))) < 6 and time.time() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)  # the workers too
    process.wait()
    done_before = len(list(parts.glob("*.done")))
    assert not out.exists() and 6 <= done_before < 24

    result = run_stance(*args[1:], "--resume")
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"resuming: {done_before} chunks already scored" in result.stderr
    resumed = read_table(out)
    assert not resumed.duplicated(["article_id", "actor"]).any()
    pd.testing.assert_frame_equal(resumed, uninterrupted)
    assert not parts.exists()


def test_parallel_and_dask_runs_give_the_inline_result(many, trained, model, params, gazetteer, uninterrupted,
                                                       tmp_path):
    distributed = pytest.importorskip("distributed")
    from pipeline.batch import BatchSettings, run_batch
    from pipeline.score import screen_from_params

    screen = screen_from_params(params["score"], ROOT)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        out = tmp_path / "dask.parquet"
        summary = run_batch([str(many)], out, model, "test-model", None, gazetteer, screen,
                            BatchSettings(chunk_size=25, scheduler=cluster.scheduler_address),
                            params["link"], progress=False)
    assert summary["articles_in"] == 600
    pd.testing.assert_frame_equal(read_table(out), uninterrupted)


def test_a_corrupt_model_stops_before_touching_output(trained, tmp_path):
    broken = tmp_path / "model"
    shutil.copytree(trained["dir"], broken)
    (broken / "model.skops").write_bytes(b"not a model")
    out = tmp_path / "o.csv"
    out.write_text("earlier output\n")
    src = _jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": SANCTIONS}])
    result = run_stance("score", str(src), "-o", str(out), "--model", str(broken))
    assert result.returncode == 2 and "cannot load model" in result.stderr
    assert out.read_text() == "earlier output\n"


def test_an_output_without_a_known_format_stops_before_scoring(model, gazetteer, params, tmp_path):
    from pipeline.batch import BatchSettings, run_batch
    from pipeline.score import Screen

    src = _jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": SANCTIONS}])
    for output, sentences in [(tmp_path / "out", None), (tmp_path / "o.csv", tmp_path / "s.txt")]:
        with pytest.raises(ValueError, match="unknown output format"):
            run_batch([str(src)], output, model, "test-model", None, gazetteer, Screen(),
                      BatchSettings(sentences=sentences), params["link"], progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl"]  # nothing scored, nothing written


def test_an_unreachable_mlflow_server_is_a_clear_error(tmp_path):
    out = tmp_path / "o.csv"
    out.write_text("earlier output\n")
    src = _jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": SANCTIONS}])
    started = time.time()
    result = run_stance("score", str(src), "-o", str(out), "--model", "models:/sanctions-stance@champion",
                        env={"MLFLOW_TRACKING_URI": "http://127.0.0.1:9"})
    assert result.returncode == 2 and "cannot load model" in result.stderr
    assert time.time() - started < 120
    assert out.read_text() == "earlier output\n"


def _small_disk():
    # A file-size limit is how a test can run out of room without a full disk.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (3000, 3000))


def test_running_out_of_disk_fails_cleanly_and_keeps_earlier_output(trained, tmp_path):
    out = tmp_path / "o.csv"
    out.write_text("earlier output\n")
    src = _jsonl(tmp_path / "a.jsonl", [{"id": f"a{i}", "text": SANCTIONS} for i in range(40)])
    result = subprocess.run([shutil.which("stance"), "score", str(src), "-o", str(out), "--model",
                             str(trained["dir"]), "--jobs", "1", "--chunk-size", "10"],
                            cwd=ROOT, capture_output=True, text=True, preexec_fn=_small_disk, timeout=600)
    assert result.returncode == 3, result.stderr[-2000:]
    assert "File too large" in result.stderr and "untouched" in result.stderr
    assert out.read_text() == "earlier output\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_the_pyfunc_served_over_http_answers_like_stance_score(trained, model, gazetteer, params, tmp_path):
    import socket
    import urllib.request

    from pipeline.ingest import to_article
    from pipeline.score import score_records, screen_from_params

    articles = pd.DataFrame({"id": ["a", "b"], "date": ["2016-03-02", None],
                             "text": [SANCTIONS, "Iran denounced the sanctions as economic terrorism."]})
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "mlflow", "models", "serve", "-m", str(trained["article_model"]),
                               "--env-manager", "local", "--host", "127.0.0.1", "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        body = json.dumps({"dataframe_split": articles.to_dict(orient="split", index=False)}).encode()
        deadline = time.time() + 180
        while True:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/invocations", data=body,
                                                 headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=30) as response:
                    served = pd.DataFrame(json.loads(response.read())["predictions"])
                break
            except OSError:
                assert time.time() < deadline and server.poll() is None, server.stderr.read().decode()[-2000:]
                time.sleep(1)
        # the date is optional in the model's signature
        undated = json.dumps({"dataframe_split": articles[["id", "text"]].to_dict(orient="split", index=False)})
        request = urllib.request.Request(f"http://127.0.0.1:{port}/invocations", data=undated.encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert set(pd.DataFrame(json.loads(response.read())["predictions"])["article_id"]) == {"a", "b"}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    records = [to_article({**r, "origin": "request", "line": i}) for i, r in
               enumerate(articles.to_dict("records"), start=1)]
    local = score_records(records, model, gazetteer, screen_from_params(params["score"], ROOT))["articles"]
    assert list(served["actor"]) == list(local["actor"]) and list(served["stance"]) == list(local["stance"])
    assert served["p_opposed"].round(6).tolist() == local["p_opposed"].round(6).tolist()


class _BreaksOn:
    """The real model, made to fail on one article: a fault injected, not a stand-in."""

    def __init__(self, model, word):
        self.model, self.word, self.classes_ = model, word, model.classes_

    def predict_proba(self, X):
        if X["sentence"].str.contains(self.word).any():
            raise ValueError(f"cannot score {self.word!r}")
        return self.model.predict_proba(X)


def test_an_article_that_breaks_the_scorer_fails_alone(model, gazetteer, params):
    from pipeline.ingest import to_article
    from pipeline.score import score_records, screen_from_params

    texts = {"a": SANCTIONS, "b": "Cuba denounced the POISON embargo.", "c": "Iran rejected the new sanctions."}
    records = [to_article({"id": k, "text": t, "origin": "x.jsonl", "line": i})
               for i, (k, t) in enumerate(texts.items(), start=1)]
    result = score_records(records, _BreaksOn(model, "POISON"), gazetteer, screen_from_params(params["score"], ROOT))
    outcomes = result["outcomes"].set_index("id")
    assert list(outcomes["status"]) == ["scored", "failed", "scored"]
    assert outcomes.loc["b", "reason"] == "scoring error: ValueError: cannot score 'POISON'"
    assert set(result["articles"]["article_id"]) == {"a", "c"}
