"""Throughput of sentence splitting and actor linking on real news, one core.

Prints MB/s of article text for `split` alone and for `split` + `link`, over
../shared/realnews/allsides-sanctions-unlabeled.jsonl (or the files given).
Usage: python benchmarks/split_link.py [FILE.jsonl ...]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's pipeline, from any working directory

from pipeline.config import load_params  # noqa: E402
from pipeline.gazetteer import gazetteer_from_params  # noqa: E402
from pipeline.ingest import read_articles  # noqa: E402
from pipeline.link import link_text, prepare  # noqa: E402
from pipeline.split import split_sentences  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "realnews" / "allsides-sanctions-unlabeled.jsonl"


def main(paths: list[str]) -> None:
    articles, problems = read_articles(paths or [DEFAULT])
    texts = articles["text"].tolist()
    dates = articles["date"].tolist()
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    gaz = gazetteer_from_params(load_params(ROOT / "configs" / "params.yaml")["link"], ROOT)
    started = time.perf_counter()
    prepare(gaz)  # compiles the names once per gazetteer, not per article
    compile_seconds = time.perf_counter() - started

    started = time.perf_counter()
    spans = [split_sentences(t) for t in texts]
    split_seconds = time.perf_counter() - started

    started = time.perf_counter()
    mentions = sum(len(m) for t, s, d in zip(texts, spans, dates) for m in link_text(t, s, gaz, d))
    link_seconds = time.perf_counter() - started

    print(f"articles {len(texts)}, text {megabytes:.1f} MB, sentences {sum(map(len, spans))}, mentions {mentions}")
    print(f"link: names compiled once in {compile_seconds:.2f} s (not counted below)")
    print(f"split        {megabytes / split_seconds:8.2f} MB/s  ({split_seconds:.2f} s)")
    print(f"link         {megabytes / link_seconds:8.2f} MB/s  ({link_seconds:.2f} s)")
    print(f"split + link {megabytes / (split_seconds + link_seconds):8.2f} MB/s")


if __name__ == "__main__":
    main(sys.argv[1:])
