"""Sentence splitters side by side: Golden Rules accuracy and speed on real news.

For the project's splitter (pipeline.split) and, when installed, pysbd,
sentencex, blingfire and spaCy's rule-based sentencizer, prints
  - accuracy on the 48 English Golden Rules, read at run time from the pysbd
    distribution, which ships them (they are third-party text: not copied here):
    a case counts when the splitter's sentences, stripped of whitespace and
    with empty ones dropped, equal the expected list exactly;
  - MB/s of UTF-8 article text on ../shared/realnews/allsides-sanctions-unlabeled.jsonl
    (or the JSONL files given), pinned to one core, best of --repeat runs,
    by CPU time and by wall-clock time.
    A slow splitter is timed on the leading articles that fit in --budget
    seconds; the MB it covered is printed beside its speed.

Usage: python benchmarks/splitters.py [--repeat 3] [--budget 20] [--failures] [--only NAME] [FILE.jsonl ...]
The third-party splitters are for comparison only; they are not project dependencies.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the project's pipeline package


def golden_rules() -> list[tuple[str, list[str]]]:
    """pysbd's English Golden Rules, from its installed files (pip install pysbd)."""
    import importlib.metadata
    import importlib.util

    try:
        path = importlib.metadata.distribution("pysbd").locate_file("benchmarks/english_golden_rules.py")
    except importlib.metadata.PackageNotFoundError:
        sys.exit("the Golden Rules come with pysbd: pip install pysbd")
    spec = importlib.util.spec_from_file_location("pysbd_golden_rules", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.GOLDEN_EN_RULES


GOLDEN_RULES_EN = golden_rules()

DEFAULT = HERE.parents[1] / "shared" / "realnews" / "allsides-sanctions-unlabeled.jsonl"

Splitter = Callable[[str], list[str]]


class ProjectSplitter:
    """The project's splitter returns offsets; the Golden Rules need strings.
    Its speed is that of split_sentences itself (its output is offsets), not
    of cutting the strings out afterwards."""

    def __init__(self) -> None:
        from pipeline.split import split_sentences

        self.timed = split_sentences

    def __call__(self, text: str) -> list[str]:
        return [text[s:e] for s, e in self.timed(text)]


def project_splitter() -> Splitter:
    return ProjectSplitter()


def pysbd_splitter() -> Splitter:
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False)
    return seg.segment


def sentencex_splitter() -> Splitter:
    from sentencex import segment

    return lambda text: list(segment("en", text))


def blingfire_splitter() -> Splitter:
    import blingfire

    return lambda text: blingfire.text_to_sentences(text).split("\n")


def spacy_splitter() -> Splitter:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 10_000_000
    return lambda text: [s.text for s in nlp(text).sents]


def version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as v

    try:
        return v(dist)
    except PackageNotFoundError:
        return "?"


SPLITTERS: list[tuple[str, str, Callable[[], Splitter]]] = [
    ("project (pipeline.split)", "sanctions-stance", project_splitter),
    ("pysbd", "pysbd", pysbd_splitter),
    ("sentencex", "sentencex", sentencex_splitter),
    ("blingfire", "blingfire", blingfire_splitter),
    ("spaCy sentencizer", "spacy", spacy_splitter),
]


def golden_rules(split: Splitter) -> tuple[int, list[tuple[str, list[str], list[str]]]]:
    """Number of cases right, and the failures as (text, expected, got)."""
    failures = []
    for text, expected in GOLDEN_RULES_EN:
        got = [s.strip() for s in split(text) if s.strip()]
        if got != expected:
            failures.append((text, expected, got))
    return len(GOLDEN_RULES_EN) - len(failures), failures


def read_texts(paths: list[Path]) -> list[str]:
    texts = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            texts.extend(json.loads(line)["text"] for line in f if line.strip())
    return texts


def throughput(split: Splitter, texts: list[str], sizes: list[int], repeat: int, budget: float
               ) -> tuple[float, float, float]:
    """Best MB/s of CPU time and of wall time over `repeat` runs, and the MB
    covered by a run (all, unless the budget ran out). On a machine shared
    with other jobs, CPU time is the steadier figure for one core's speed."""
    best_cpu, best_wall, covered = 0.0, 0.0, 0.0
    for _ in range(repeat):
        done = 0
        cpu_started, started = time.process_time(), time.perf_counter()
        for text, size in zip(texts, sizes):
            split(text)
            done += size
            if time.perf_counter() - started > budget:
                break
        cpu, wall = time.process_time() - cpu_started, time.perf_counter() - started
        best_cpu = max(best_cpu, done / 1e6 / cpu)
        best_wall = max(best_wall, done / 1e6 / wall)
        covered = done / 1e6
    return best_cpu, best_wall, covered


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per timed run at most")
    parser.add_argument("--failures", action="store_true", help="print each Golden Rule a splitter gets wrong")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="run only the splitters whose name starts with NAME (repeatable)")
    args = parser.parse_args(argv)

    if hasattr(os, "sched_setaffinity"):  # one core, as the issue measures
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    texts = read_texts(args.files or [DEFAULT])
    sizes = [len(t.encode("utf-8")) for t in texts]
    print(f"{len(texts)} articles, {sum(sizes) / 1e6:.1f} MB; {len(GOLDEN_RULES_EN)} Golden Rules; "
          f"best of {args.repeat}, one core\n")

    rows = []
    for name, dist, make in SPLITTERS:
        if args.only and not any(name.startswith(o) for o in args.only):
            continue
        try:
            split = make()
        except ImportError as exc:
            print(f"skipped {name}: not installed ({exc})")
            continue
        right, failures = golden_rules(split)
        cpu, wall, covered = throughput(getattr(split, "timed", split), texts, sizes, args.repeat, args.budget)
        rows.append((f"{name} {version(dist)}", right, cpu, wall, covered))
        if args.failures:
            for text, expected, got in failures:
                print(f"[{name}] {text!r}\n    expected {expected}\n    got      {got}")

    print("\n| splitter | Golden Rules | MB/s (CPU time) | MB/s (wall) | MB timed |\n| --- | --- | --- | --- | --- |")
    for label, right, cpu, wall, covered in rows:
        print(f"| {label} | {right}/{len(GOLDEN_RULES_EN)} = {100 * right / len(GOLDEN_RULES_EN):.1f}% "
              f"| {cpu:.2f} | {wall:.2f} | {covered:.1f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
