"""Batch scoring at scale: articles are read, scored and written in chunks.

- Streaming: records are read one at a time and at most two chunks per worker
  are in flight, so memory stays flat however large the input.
- Parallel: a process pool over all cores by default, or a Dask cluster
  (`scheduler="tcp://..."`); each runs the same `score_records`.
- Resumable: each finished chunk is kept under `OUTPUT.parts/` until the run
  ends. A run killed half-way and started again with `resume=True` scores only
  the chunks that are missing; the merged output is that of an uninterrupted run.
- Accounted: every record ends scored, skipped or failed, and the run checks
  articles in = scored + skipped + failed before it writes its summary.
"""
from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import shutil
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Iterator

import pandas as pd

from pipeline.gazetteer import Gazetteer
from pipeline.ingest import iter_articles
from pipeline.link import prepare
from pipeline.score import OUTPUT_DTYPES, Screen, prepare_screen, score_records
from pipeline.tables import TableWriter, check_format, read_table, write_table

@dataclass
class BatchSettings:
    chunk_size: int = 50
    jobs: int = 0                       # 0: every core of this machine
    scheduler: str | None = None        # a Dask scheduler address instead of local processes
    resume: bool = False
    sentences: Path | None = None       # also write per (sentence, actor) here
    errors: Path | None = None          # default OUTPUT.errors.jsonl
    skipped: Path | None = None         # default OUTPUT.skipped.jsonl
    fields: dict[str, str] = field(default_factory=dict)  # {"text": "body"}: input field names


class BatchError(RuntimeError):
    """A batch that cannot start or finish; earlier outputs are left as they were."""


def chunked(items: Iterable, size: int) -> Iterator[tuple[int, list]]:
    it = iter(items)
    index = 0
    while chunk := list(islice(it, size)):
        yield index, chunk
        index += 1


class Parts:
    """The finished chunks of one run, one set of Parquet files each, under OUTPUT.parts/."""

    def __init__(self, output: Path) -> None:
        self.dir = output.with_name(output.name + ".parts")

    def _path(self, index: int, table: str) -> Path:
        return self.dir / f"chunk-{index:07d}.{table}.parquet"

    def is_done(self, index: int) -> bool:
        return (self.dir / f"chunk-{index:07d}.done").exists()

    def write(self, index: int, result: dict[str, pd.DataFrame]) -> None:
        for table in OUTPUT_DTYPES:
            write_table(result[table].astype(OUTPUT_DTYPES[table]), self._path(index, table))
        # The marker comes last: a chunk killed while being written is scored again.
        (self.dir / f"chunk-{index:07d}.done").touch()

    def read(self, index: int, table: str) -> pd.DataFrame:
        return read_table(self._path(index, table))

    def indexes(self) -> list[int]:
        return sorted(int(p.name.split("-")[1].split(".")[0]) for p in self.dir.glob("chunk-*.done"))

    def start(self, manifest: dict[str, Any], resume: bool) -> str:
        """Open the parts folder for this run; what happened to an earlier one, for the log."""
        path = self.dir / "manifest.json"
        note = ""
        if self.dir.exists():
            earlier = json.loads(path.read_text()) if path.exists() else None
            if resume and earlier == manifest:
                return f"resuming: {len(self.indexes())} chunks already scored"
            if resume:
                raise BatchError(f"cannot resume: {self.dir} belongs to a run with other inputs, model or "
                                 "settings; start again without --resume")
            shutil.rmtree(self.dir)
            note = f"discarded the unfinished run in {self.dir} (pass --resume to continue one)"
        elif resume:
            note = "nothing to resume: starting from the beginning"
        self.dir.mkdir(parents=True)
        path.write_text(json.dumps(manifest, indent=1))
        return note

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


_WORKER: dict[str, Any] = {}


def _init_worker(model, gaz: Gazetteer, screen: Screen, with_sentences: bool) -> None:
    _WORKER.update(model=model, gaz=gaz, screen=screen, with_sentences=with_sentences)


def _score_in_worker(records: list) -> dict[str, pd.DataFrame]:
    return score_records(records, _WORKER["model"], _WORKER["gaz"], _WORKER["screen"], _WORKER["with_sentences"])


class _Inline(Executor):
    """One process, no pool: for jobs=1, small inputs and debugging."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def _executor(settings: BatchSettings, model, gaz: Gazetteer, screen: Screen):
    """(function to submit a chunk, closer, number of workers)."""
    with_sentences = settings.sentences is not None
    if settings.scheduler:
        from distributed import Client

        try:
            client = Client(settings.scheduler, timeout="20s")
        except OSError as e:
            raise BatchError(f"cannot reach the Dask scheduler at {settings.scheduler}: {e}") from e
        # The model travels to each worker once, not with every chunk.
        model_f, gaz_f = client.scatter([model, gaz], broadcast=True)
        executor = client.get_executor(pure=False)
        workers = max(1, sum(client.nthreads().values()))
        return (lambda records: executor.submit(score_records, records, model_f, gaz_f, screen, with_sentences),
                client.close, workers)
    jobs = settings.jobs or os.cpu_count() or 1
    if jobs == 1:
        _init_worker(model, gaz, screen, with_sentences)
        executor = _Inline()
        close = executor.shutdown
    else:
        # fork hands the loaded model to each worker without pickling it. The name matcher and
        # the language model are loaded first, so that workers share them too, and the garbage
        # collector leaves what exists now alone: its passes would write to every object and
        # copy the shared pages.
        prepare(gaz)
        prepare_screen(screen)
        gc.freeze()
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
        executor = ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker,
                                       initargs=(model, gaz, screen, with_sentences))

        def close() -> None:
            executor.shutdown()
            gc.unfreeze()

    return lambda records: executor.submit(_score_in_worker, records), close, jobs


def manifest_of(inputs: list[str], model_uri: str, screen: Screen, settings: BatchSettings,
                link_params: dict) -> dict[str, Any]:
    """What must not change between a run and its resumption."""
    inputs_state = []
    for item in inputs:
        path = Path(item)
        stat = path.stat() if path.is_file() else None
        inputs_state.append([str(item), stat.st_size if stat else None, stat.st_mtime_ns if stat else None])
    settings_key = json.dumps([screen.vocabulary.pattern if screen.vocabulary else None, screen.max_chars,
                               screen.languages, link_params, settings.fields, settings.sentences is not None],
                              sort_keys=True, default=str)
    return {"inputs": inputs_state, "model": model_uri, "chunk_size": settings.chunk_size,
            "settings": hashlib.sha256(settings_key.encode()).hexdigest()[:16]}


def score_stream(inputs: list[str], parts: Parts, model, gaz: Gazetteer, screen: Screen,
                 settings: BatchSettings, progress: bool = True) -> int:
    """Score every chunk not yet in `parts`, keeping at most two chunks per worker in flight.

    Returns the number of records read, for the final account.
    """
    from tqdm import tqdm

    submit, close, workers = _executor(settings, model, gaz, screen)
    limit = 2 * workers
    pending: dict[Future, int] = {}
    bar = tqdm(desc="scoring", unit=" articles", disable=None if progress else True)
    records_in = 0
    try:
        for index, records in chunked(iter_articles(inputs, settings.fields or None), settings.chunk_size):
            records_in += len(records)
            if parts.is_done(index):
                bar.update(len(records))
                continue
            while len(pending) >= limit:
                _collect(pending, parts, bar, FIRST_COMPLETED)
            pending[submit(records)] = index
        while pending:
            _collect(pending, parts, bar, FIRST_COMPLETED)
        return records_in
    finally:
        for future in pending:
            future.cancel()
        close()
        bar.close()


def _collect(pending: dict[Future, int], parts: Parts, bar, when) -> None:
    done, _ = wait(list(pending), return_when=when)
    for future in done:
        index = pending.pop(future)
        result = future.result()
        parts.write(index, result)
        bar.update(len(result["outcomes"]))


def output_paths(output: Path, settings: BatchSettings) -> dict[str, Path]:
    paths = {"articles": output,
             "errors": settings.errors or output.with_name(output.name + ".errors.jsonl"),
             "skipped": settings.skipped or output.with_name(output.name + ".skipped.jsonl")}
    if settings.sentences:
        paths["sentences"] = settings.sentences
    return paths


@dataclass
class Tally:
    """What the summary counts, added up chunk by chunk: memory does not grow with the input."""

    records: int = 0
    chars: int = 0
    status: Counter = field(default_factory=Counter)
    reasons: dict[str, Counter] = field(default_factory=lambda: {"skipped": Counter(), "failed": Counter()})
    stances: Counter = field(default_factory=Counter)

    def add(self, outcomes: pd.DataFrame, articles: pd.DataFrame) -> None:
        self.records += len(outcomes)
        self.chars += int(outcomes["n_chars"].fillna(0).sum())
        self.status.update(outcomes["status"].tolist())
        for kind, counter in self.reasons.items():
            # "not English (detected: fr)" counts as "not English"
            reasons = outcomes.loc[outcomes["status"] == kind, "reason"].dropna()
            counter.update(reasons.str.split(" [(:]").str[0].tolist())
        self.stances.update(articles["stance"].tolist())


def merge_parts(parts: Parts, output: Path, settings: BatchSettings) -> Tally:
    """Write the final files from the parts, in input order; the counts for the summary."""
    targets = output_paths(output, settings)
    writers: dict[str, TableWriter] = {}
    tally = Tally()
    try:
        for name, path in targets.items():
            writers[name] = TableWriter(path, OUTPUT_DTYPES["outcomes" if name in ("errors", "skipped") else name])
        for index in parts.indexes():
            articles = parts.read(index, "articles")
            writers["articles"].write(articles)
            if "sentences" in writers:
                writers["sentences"].write(parts.read(index, "sentences"))
            chunk = parts.read(index, "outcomes")
            writers["errors"].write(chunk[chunk["status"] == "failed"])
            writers["skipped"].write(chunk[chunk["status"] == "skipped"])
            tally.add(chunk, articles)
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    for writer in writers.values():
        writer.close()
    return tally


def summarise(tally: Tally, paths: dict[str, Path], model_uri: str, model_version: str | None,
              seconds: float) -> dict[str, Any]:
    megabytes = tally.chars / 1e6
    return {
        "articles_in": tally.records,
        "scored": tally.status["scored"], "skipped": tally.status["skipped"], "failed": tally.status["failed"],
        "skipped_by_reason": dict(tally.reasons["skipped"].most_common()),
        "failed_by_reason": dict(tally.reasons["failed"].most_common()),
        "actors_by_stance": dict(tally.stances),
        "seconds": round(seconds, 2),
        "articles_per_second": round(tally.records / seconds, 1) if seconds else None,
        "text_mb_per_second": round(megabytes / seconds, 2) if seconds else None,
        "model": {"uri": model_uri, "version": model_version},
        "outputs": {name: str(path) for name, path in paths.items()},
    }


def run_batch(inputs: list[str], output: Path, model, model_uri: str, model_version: str | None,
              gaz: Gazetteer, screen: Screen, settings: BatchSettings, link_params: dict,
              progress: bool = True) -> dict[str, Any]:
    """Score `inputs` into `output` (and the errors, skipped and summary files beside it)."""
    started = time.perf_counter()
    output = Path(output)
    for path in (output, settings.sentences):
        if path:
            check_format(path)  # before hours of scoring, not after
    parts = Parts(output)
    note = parts.start(manifest_of(inputs, model_uri, screen, settings, link_params), settings.resume)
    records_in = score_stream(inputs, parts, model, gaz, screen, settings, progress)
    tally = merge_parts(parts, output, settings)
    if tally.records != records_in:
        raise BatchError(f"{records_in} records read but {tally.records} accounted for (scored + skipped + "
                         f"failed): the parts in {parts.dir} are kept for inspection")
    summary = summarise(tally, output_paths(output, settings), model_uri, model_version,
                        time.perf_counter() - started)
    summary["note"] = note
    write_json_atomic(output.with_name(output.name + ".summary.json"), summary)
    parts.remove()
    return summary


def write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=1, default=str) + "\n")
    os.replace(tmp, path)
