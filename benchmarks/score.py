"""End-to-end batch scoring speed and memory, beside a bare read of the same files.

Scores ../shared/realnews/ (sanctions and other articles together) with
`stance score`'s own code (pipeline.batch.run_batch) and prints articles/s,
MB/s of article text and the peak resident memory of the whole process tree
(proportional set size, the parent and its workers summed), next to the time `iter_articles` takes to
just read the input. `--repeat N` writes the input N times over (new ids) to a
temporary file first, so memory can be compared at 10k and 1M articles.

It then prints the budget: how many (sentence, actor) pairs the classifier
saw, the CPU time each took, and the CPU time each may take if scoring is to
reach GOAL_MB_S once splitting and linking (timed alone, one process) are paid
for. The pair count and split+link time come from one extra pass over the
files as given (not repeated): they are per MB, so the ratio holds for --repeat.

Usage: python benchmarks/score.py [--repeat N] [--jobs J] [--model models/model] [FILE.jsonl ...]
"""
from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from pathlib import Path

import psutil

from pipeline.batch import BatchSettings, run_batch
from pipeline.config import load_params
from pipeline.features import pairs_from_articles
from pipeline.gazetteer import gazetteer_from_params
from pipeline.ingest import Problem, articles_frame, iter_articles
from pipeline.score import load_model, screen_article, screen_from_params

REALNEWS = Path(__file__).resolve().parents[1].parent / "shared" / "realnews"
DEFAULT = [REALNEWS / "allsides-sanctions-unlabeled.jsonl", REALNEWS / "allsides-other-sample.jsonl"]
GOAL_MB_S = 10.0  # issue #6: 10 MB/s of article text end to end on 2 cores


class PeakMemory(threading.Thread):
    """Samples the memory of this process and its workers, summed, every 100 ms.

    PSS, not RSS: forked workers share the parent's pages, and RSS would count
    those once per process."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.samples: list[int] = []
        self.running = True

    def run(self) -> None:
        me = psutil.Process()
        while self.running:
            total = 0
            for p in [me, *me.children(recursive=True)]:
                try:
                    total += p.memory_full_info().pss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self.samples.append(total)
            time.sleep(0.1)

    def by_tenth(self) -> list[int]:
        """The peak in each tenth of the run: flat if memory does not grow with the input."""
        n = len(self.samples)
        return [max(self.samples[k * n // 10:(k + 1) * n // 10] or [0]) for k in range(10)]


def repeated(paths: list[Path], times: int, folder: Path) -> Path:
    out = folder / f"repeated-x{times}.jsonl"
    with open(out, "w", encoding="utf-8") as f:
        for k in range(times):
            for path in paths:
                for line in open(path, encoding="utf-8"):
                    record = json.loads(line)
                    record["id"] = f"{record['id']}~{k}"
                    f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out


def bare_read(paths: list[Path]) -> tuple[float, int, float]:
    started = time.perf_counter()
    n, chars = 0, 0
    for item in iter_articles(paths):
        n += 1
        chars += 0 if isinstance(item, Problem) else len(item["text"].encode("utf-8"))
    return time.perf_counter() - started, n, chars / 1e6


def pairs_and_split_link(paths: list[Path], screen, gaz) -> tuple[int, float, float]:
    """(pairs the classifier sees, seconds to split, link and pair them in one process, MB read)."""
    records = [item for item in iter_articles(paths) if not isinstance(item, Problem)]
    megabytes = sum(len(item["text"].encode("utf-8")) for item in records) / 1e6
    kept = [item for item in records if screen_article(item["text"], screen) is None]
    started = time.perf_counter()
    _, _, pairs = pairs_from_articles(articles_frame(kept), gaz)
    return len(pairs), time.perf_counter() - started, megabytes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=0)
    parser.add_argument("--chunk-size", type=int, default=50)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()

    params = load_params()
    gaz, screen = gazetteer_from_params(params["link"]), screen_from_params(params["score"])
    with tempfile.TemporaryDirectory() as tmp:
        paths = args.files or DEFAULT
        if args.repeat > 1:
            paths = [repeated(paths, args.repeat, Path(tmp))]
        read_seconds, n, megabytes = bare_read(paths)
        model, uri = load_model(args.model, Path(params["train"]["output"]))
        memory = PeakMemory()
        memory.start()
        summary = run_batch([str(p) for p in paths], Path(tmp) / "scored.parquet", model, uri, None,
                            gaz, screen,
                            BatchSettings(chunk_size=args.chunk_size, jobs=args.jobs), params["link"],
                            progress=False)
        memory.running = False
        memory.join()
    seconds = summary["seconds"]
    print(f"input        {n} articles, {megabytes:.1f} MB of text, {psutil.cpu_count()} cores, jobs {args.jobs or 'all'}")
    print(f"bare read    {read_seconds:8.2f} s  {n / read_seconds:9.0f} articles/s  {megabytes / read_seconds:7.2f} MB/s")
    print(f"score        {seconds:8.2f} s  {n / seconds:9.0f} articles/s  {megabytes / seconds:7.2f} MB/s"
          f"  ({seconds / read_seconds:.1f}x the bare read)")
    print(f"outcomes     scored {summary['scored']}, skipped {summary['skipped_by_reason']}, "
          f"failed {summary['failed_by_reason']}")
    print(f"peak memory  {memory.peak / 2**20:8.0f} MiB (PSS of parent and workers, summed)")
    print("by tenth     " + " ".join(f"{m / 2**20:.0f}" for m in memory.by_tenth()) + " MiB (peak in each tenth of the run)")

    pairs, split_link_seconds, base_mb = pairs_and_split_link(args.files or DEFAULT, screen, gaz)
    cores = args.jobs or psutil.cpu_count()
    per_mb = pairs / base_mb
    spent = (seconds * cores / megabytes - split_link_seconds / base_mb) / per_mb * 1e6
    budget = (cores / GOAL_MB_S - split_link_seconds / base_mb) / per_mb * 1e6
    print(f"budget       {per_mb:.0f} pairs per MB; split+link+pair {base_mb / split_link_seconds:.1f} MB/s (one process);"
          f" the rest costs {spent:.0f} CPU-us per pair, and {GOAL_MB_S:.0f} MB/s on {cores} cores leaves"
          f" {budget:.0f} CPU-us per pair")


if __name__ == "__main__":
    main()
