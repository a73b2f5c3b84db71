"""Throughput of sentence splitting and actor linking on real news, one core.

Prints MB/s of article text for `split` alone and for `split` + `link`, over
../shared/realnews/allsides-sanctions-unlabeled.jsonl (or the files given),
and beside them the two C scans the stages are built on (sentencex's segment()
and one pass of the linker's compiled name pattern, with no Python per match):
no layer over them in Python can beat those, so they show how far the stages
are from their floor.
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
from pipeline.link import _matcher, link_text, prepare  # noqa: E402
from pipeline.split import split_sentences  # noqa: E402
from sentencex import segment  # noqa: E402

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

    started, cpu = time.perf_counter(), time.process_time()
    spans = [split_sentences(t) for t in texts]
    split_seconds, split_cpu = time.perf_counter() - started, time.process_time() - cpu

    started, cpu = time.perf_counter(), time.process_time()
    mentions = sum(len(m) for t, s, d in zip(texts, spans, dates) for m in link_text(t, s, gaz, d))
    link_seconds, link_cpu = time.perf_counter() - started, time.process_time() - cpu

    # the floor: the C scans alone, with nothing done per sentence or per match
    cpu = time.process_time()
    for t in texts:
        segment("en", t)
    segment_cpu = time.process_time() - cpu
    names = _matcher(gaz).main
    cpu = time.process_time()
    for t in texts:
        for _ in names.finditer(t):
            pass
    scan_cpu = time.process_time() - cpu

    print(f"articles {len(texts)}, text {megabytes:.1f} MB, sentences {sum(map(len, spans))}, mentions {mentions}")
    print(f"link: names compiled once in {compile_seconds:.2f} s (not counted below)")
    # CPU time as well as wall time: on a shared machine, wall time also counts other jobs
    print("              wall MB/s    CPU MB/s")
    for label, wall, cpu in [("split", split_seconds, split_cpu), ("link", link_seconds, link_cpu),
                             ("split + link", split_seconds + link_seconds, split_cpu + link_cpu)]:
        print(f"{label:12} {megabytes / wall:9.2f}  {megabytes / cpu:10.2f}   ({wall:.2f} s wall, {cpu:.2f} s CPU)")
    print("floor (CPU MB/s): sentencex segment() {:.1f}, name pattern scan {:.1f}, the two together {:.1f}".format(
        megabytes / segment_cpu, megabytes / scan_cpu, megabytes / (segment_cpu + scan_cpu)))


if __name__ == "__main__":
    main(sys.argv[1:])
