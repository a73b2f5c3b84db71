import json

from pipeline.ingest import normalize_text, read_articles


def write(path, content, mode="w"):
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_jsonl_reads_records_and_reports_bad_lines(tmp_path):
    f = write(tmp_path / "a.jsonl", "\n".join([
        json.dumps({"id": "a1", "text": "Japan imposed sanctions.", "title": "T", "date": "2006-10-14"}),
        "{not json",
        json.dumps({"id": "", "text": "No id here."}),
        json.dumps({"id": "a2", "text": "   \n  "}),
        json.dumps({"id": "a3"}),
        json.dumps({"id": "a1", "text": "Duplicate id."}),
        json.dumps(["a", "list"]),
    ]) + "\n")
    articles, problems = read_articles([f])
    assert articles["id"].tolist() == ["a1"]
    by_line = {p.line: p.reason for p in problems}
    assert by_line[2].startswith("malformed JSON")
    assert by_line[3] == "record has no id"
    assert by_line[4] == "text is empty"
    assert by_line[5] == "record has no text"
    assert "duplicate id" in by_line[6] and ":1" in by_line[6]
    assert by_line[7] == "a JSON line must be an object"
    # every record is accounted for: 1 article + 6 problems = 7 lines
    assert len(articles) + len(problems) == 7
    assert all(str(f) in str(p) for p in problems)


def test_undecodable_bytes_name_the_line(tmp_path):
    good = json.dumps({"id": "ok", "text": "Fine."}).encode()
    bad = b'{"id": "bad", "text": "caf\xe9 au lait"}'
    f = write(tmp_path / "b.jsonl", good + b"\n" + bad + b"\n")
    articles, problems = read_articles([f])
    assert articles["id"].tolist() == ["ok"]
    assert problems[0].line == 2 and "undecodable" in problems[0].reason


def test_csv_with_and_without_text_column(tmp_path):
    ok = write(tmp_path / "ok.csv", 'id,title,text\nc1,Hello,"Russia vetoed it.\nSecond line."\nc2,,Chinese officials agreed.\n')
    articles, problems = read_articles([ok])
    assert articles["id"].tolist() == ["c1", "c2"] and not problems
    assert articles.loc[0, "text"] == "Russia vetoed it.\nSecond line."
    renamed = write(tmp_path / "renamed.csv", "id,body\nc3,Some text\n")
    articles, problems = read_articles([renamed])
    assert articles.empty
    assert "no 'text' column" in problems[0].reason and "body" in problems[0].reason


def test_txt_files_and_folders(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "one.txt", "Iran rejected the sanctions.")
    write(folder / "two.txt", b"\xef\xbb\xbfBOM first.\r\nWindows lines.")
    write(folder / "image.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    articles, problems = read_articles([folder])
    assert sorted(articles["id"]) == ["one", "two"]
    two = articles.set_index("id").loc["two", "text"]
    assert two == "BOM first.\nWindows lines."
    assert len(problems) == 1 and "image.png" in problems[0].origin


def test_missing_inputs_are_reported(tmp_path):
    articles, problems = read_articles([tmp_path / "nope.jsonl", str(tmp_path / "*.csv")])
    assert articles.empty and len(problems) == 2


def test_normalize_keeps_newlines_and_composes():
    assert normalize_text("Cafe\u0301\r\nnext\x00") == "Caf\u00e9\nnext"


def test_corpus_fields_travel_with_the_article(tmp_path):
    record = {"id": "x", "text": "Japan imposed sanctions.", "title": "T", "date": "2006-10-14", "source": "wire",
              "episode": "e", "split": "train", "relevant": True,
              "actors": [{"actor": "JPN", "label": "supportive"}],
              "pairs": [{"sentence": "Japan imposed sanctions.", "actor": "JPN", "label": "supportive"}]}
    f = write(tmp_path / "c.jsonl", json.dumps(record) + "\n")
    articles, _ = read_articles([f])
    row = articles.iloc[0]
    assert row["split"] == "train" and row["episode"] == "e"
    assert json.loads(row["gold"])["pairs"][0]["actor"] == "JPN"


def test_duplicate_ids_are_found_after_the_index_compacts(tmp_path, monkeypatch):
    from pipeline.ingest import SeenIds, iter_articles

    monkeypatch.setattr(SeenIds, "BUFFER", 4)  # compact every 4 ids, so most lookups hit the sorted arrays
    src = tmp_path / "in.jsonl"
    ids = [f"id-{i}" for i in range(10)] + ["id-3", "id-9", "id-new", "id-0"]
    src.write_text("\n".join(json.dumps({"id": i, "text": "Iran and sanctions."}) for i in ids) + "\n")
    out = list(iter_articles([src]))
    problems = {p.line: p.reason for p in out if not isinstance(p, dict)}
    assert sorted(problems) == [11, 12, 14]
    assert problems[11].endswith(f"{src}:4)") and problems[14].endswith(f"{src}:1)")
    assert [a["id"] for a in out if isinstance(a, dict)] == ids[:10] + ["id-new"]
