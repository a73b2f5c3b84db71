"""The `stance` command: one subcommand per pipeline stage.

Each subcommand reads its defaults from configs/params.yaml and takes
--input/--output to run on other files. Thin wrappers over the stage modules.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline.config import DEFAULT_PARAMS, load_params

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Label each country's stance on sanctions in news articles.")

Params = Annotated[Path, typer.Option("--params", help="Parameters file.")]
In = Annotated[Optional[Path], typer.Option("--input", "-i", help="Input file (default: from params).")]
Out = Annotated[Optional[Path], typer.Option("--output", "-o", help="Output file (default: from params).")]


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _articles(path: Path):
    """Articles from an ingested table or any readable input; problems are reported, never silent."""
    import pandas as pd

    from pipeline.ingest import read_articles

    if str(path).endswith(".parquet"):
        return pd.read_parquet(path)
    articles, problems = read_articles([path])
    for p in problems:
        _say(f"skipped {p}")
    return articles


@app.command()
def ingest(inputs: Annotated[Optional[list[Path]], typer.Option("--input", "-i", help="Files, folders or globs.")] = None,
           output: Out = None,
           errors: Annotated[Optional[Path], typer.Option(help="Where problems are written (JSONL).")] = None,
           params: Params = DEFAULT_PARAMS) -> None:
    """Read articles (JSONL, CSV, .txt, folders, the corpus format) into one table."""
    from pipeline.ingest import problems_frame, read_articles
    from pipeline.tables import write_table

    cfg = load_params(params)["ingest"]
    articles, problems = read_articles(inputs or [cfg["input"]])
    write_table(articles, output or Path(cfg["output"]))
    write_table(problems_frame(problems), errors or Path(cfg["errors"]))
    for p in problems:
        _say(f"skipped {p}")
    _say(f"ingest: {len(articles)} articles, {len(problems)} problems")
    if articles.empty:
        raise typer.Exit(1)


@app.command()
def split(input: In = None, output: Out = None, params: Params = DEFAULT_PARAMS) -> None:
    """Sentences with character offsets into the article text."""
    from pipeline.split import split_articles
    from pipeline.tables import write_table

    p = load_params(params)
    sentences = split_articles(_articles(input or Path(p["ingest"]["output"])))
    write_table(sentences, output or Path(p["split"]["output"]))
    _say(f"split: {len(sentences)} sentences")


@app.command()
def link(input: In = None, output: Out = None,
         sentences: Annotated[Optional[Path], typer.Option(help="Sentences from `split` (else split here).")] = None,
         params: Params = DEFAULT_PARAMS) -> None:
    """Which actors each sentence refers to: one row per mention."""
    import pandas as pd

    from pipeline.gazetteer import gazetteer_from_params
    from pipeline.link import link_articles
    from pipeline.split import split_articles
    from pipeline.tables import write_table

    p = load_params(params)
    articles = _articles(input or Path(p["ingest"]["output"]))
    if sentences is None and input is None:
        sentences = Path(p["split"]["output"])
    table = pd.read_parquet(sentences) if sentences else split_articles(articles)
    mentions = link_articles(articles, table, gazetteer_from_params(p["link"]))
    write_table(mentions, output or Path(p["link"]["output"]))
    _say(f"link: {len(mentions)} mentions of {mentions['actor'].nunique()} actors")


@app.command()
def label(input: In = None, output: Out = None, params: Params = DEFAULT_PARAMS) -> None:
    """A label for every (sentence, actor) pair: gold where annotated, else weak (if enabled)."""
    import pandas as pd

    from pipeline.features import build_pairs, pairs_from_articles
    from pipeline.gazetteer import gazetteer_from_params
    from pipeline.label import extra_training_pairs, label_pairs, labelling_function_report, load_labelling_functions
    from pipeline.tables import write_table

    p = load_params(params)
    articles = _articles(input or Path(p["ingest"]["output"]))
    gaz = gazetteer_from_params(p["link"])
    if input is None:
        pairs = build_pairs(pd.read_parquet(p["split"]["output"]), pd.read_parquet(p["link"]["output"]))
    else:
        _, _, pairs = pairs_from_articles(articles, gaz)
    functions = load_labelling_functions(p["label"]["cues"])
    labelled, stats = label_pairs(pairs, articles, functions, p["label"]["weak_for_unlabelled"])
    extra, counts, notes = extra_training_pairs(p["label"], gaz, functions, p["train"]["seed"], _articles)
    labelled = pd.concat([labelled, *extra], ignore_index=True)
    stats.update(counts)
    for note in notes:
        _say(note)
    write_table(labelled, output or Path(p["label"]["output"]))
    if input is None:
        report = labelling_function_report(labelled[labelled["split"] == "train"], functions)
        write_table(report.round(4), Path(p["label"]["functions_report"]))
    _say("label: " + ", ".join(f"{k}={v}" for k, v in sorted(stats.items())))


@app.command()
def train(input: In = None, output: Out = None, params: Params = DEFAULT_PARAMS) -> None:
    """Fit the classifier on the training split; log the run to MLflow."""
    import pandas as pd

    from pipeline.train import run_train

    p = load_params(params)
    pairs = pd.read_parquet(input or p["label"]["output"])
    info = run_train(pairs, p, output or Path(p["train"]["output"]))
    _say(f"train: run {info['run_name']} ({info['run_id']}) -> {output or p['train']['output']}")


@app.command()
def evaluate(input: Annotated[Optional[Path], typer.Option("--input", "-i", help="Annotated articles (corpus format) to evaluate on instead of the held-out split.")] = None,
             output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Metrics JSON (default: from params).")] = None,
             model: Annotated[Optional[Path], typer.Option(help="Model folder (default: from params).")] = None,
             params: Params = DEFAULT_PARAMS) -> None:
    """Metrics on the held-out split, dev, and real news if present, beside the baselines; logged to the training run."""
    from pipeline.evaluate import evaluate_articles, run_evaluate
    from pipeline.features import pairs_from_articles
    from pipeline.gazetteer import gazetteer_from_params
    from pipeline.score import load_model

    p = load_params(params)
    model_dir = model or Path(p["train"]["output"])
    if input is not None:  # an ad-hoc gold file: figures only, nothing logged
        articles = _articles(input)
        clf, _ = load_model(str(model_dir), model_dir)
        _, _, pairs = pairs_from_articles(articles, gazetteer_from_params(p["link"]))
        metrics = evaluate_articles(clf, pairs, articles, input.stem)["metrics"]
        text = json.dumps(metrics, indent=2, sort_keys=True) + "\n"
        if output:
            output.write_text(text)
        else:
            typer.echo(text)
        return
    if output:
        p["evaluate"]["metrics"] = str(output)
    metrics, _ = run_evaluate(p, model_dir)
    for name in ("test", "dev", "realnews_dev"):
        if f"{name}_pair_macro_f1" in metrics:
            _say(f"evaluate {name}: pair macro-F1 {metrics[f'{name}_pair_macro_f1']:.3f} "
                 f"(target-blind {metrics[f'baseline_target_blind_svm_{name}_pair_macro_f1']:.3f}, "
                 f"labelling functions {metrics[f'baseline_labelling_functions_{name}_pair_macro_f1']:.3f}), "
                 f"article macro-F1 {metrics[f'{name}_article_macro_f1']:.3f}")


@app.command()
def score(inputs: Annotated[list[Path], typer.Argument(help="Articles: JSONL, CSV, .txt, folders, globs.")],
          output: Annotated[Path, typer.Option("--output", "-o", help="Per (article, actor): .csv, .jsonl or .parquet")],
          model: Annotated[Optional[str], typer.Option(help="Model folder or MLflow model URI.")] = None,
          sentences: Annotated[Optional[Path], typer.Option(help="Also write per (sentence, actor) here.")] = None,
          errors: Annotated[Optional[Path], typer.Option(help="Failed records (default: OUTPUT.errors.jsonl).")] = None,
          jobs: Annotated[int, typer.Option(help="Worker processes (0: every core).")] = 0,
          chunk_size: Annotated[int, typer.Option(help="Articles per chunk (memory grows with it).")] = 50,
          scheduler: Annotated[Optional[str], typer.Option(help="Dask scheduler address (tcp://host:port).")] = None,
          resume: Annotated[bool, typer.Option(help="Continue an interrupted run with the same arguments.")] = False,
          text_column: Annotated[str, typer.Option(help="Input field that holds the text.")] = "text",
          id_column: Annotated[str, typer.Option(help="Input field that holds the id.")] = "id",
          progress: Annotated[bool, typer.Option(help="Show a progress bar on a terminal.")] = True,
          params: Params = DEFAULT_PARAMS) -> None:
    """Score new articles: stance, probabilities and evidence per (article, actor).

    Every record ends in OUTPUT, OUTPUT.skipped.jsonl (nothing to score) or the
    errors file; OUTPUT.summary.json tells how many of each.
    """
    from concurrent.futures.process import BrokenProcessPool

    from pipeline.batch import BatchError, BatchSettings, run_batch
    from pipeline.gazetteer import gazetteer_from_params
    from pipeline.score import load_model, model_version, screen_from_params

    p = load_params(params)
    try:
        clf, uri = load_model(model, Path(p["train"]["output"]))
        version = model_version(uri)
    except Exception as e:  # a missing or corrupt model must stop before any output is touched
        _say(f"error: cannot load model {model or p['train']['output']}: {type(e).__name__}: {e}")
        raise typer.Exit(2)
    fields = {ours: theirs for ours, theirs in (("text", text_column), ("id", id_column)) if ours != theirs}
    settings = BatchSettings(chunk_size=chunk_size, jobs=jobs, scheduler=scheduler, resume=resume,
                             sentences=sentences, errors=errors, fields=fields)
    try:
        summary = run_batch([str(i) for i in inputs], output, clf, uri, version,
                            gazetteer_from_params(p["link"]), screen_from_params(p.get("score", {})),
                            settings, p["link"], progress=progress)
    except (BatchError, OSError, ValueError, BrokenProcessPool) as e:  # a killed worker breaks the pool
        _say(f"error: {type(e).__name__}: {e}\nearlier output files are untouched; finished chunks are kept for --resume")
        raise typer.Exit(3)
    if summary["note"]:
        _say(summary["note"])
    _say(f"score: {summary['articles_in']} records in, {summary['scored']} scored, {summary['skipped']} skipped "
         f"{summary['skipped_by_reason']}, {summary['failed']} failed {summary['failed_by_reason']} "
         f"(see {summary['outputs']['errors']}); actors by stance {summary['actors_by_stance']}; "
         f"model {uri} ({version}); {summary['seconds']:.1f}s, {summary['articles_per_second']} articles/s")


@app.command()
def trends(scored: Annotated[Path, typer.Argument(help="Output of `stance score` (per article and actor).")],
           output: Annotated[Path, typer.Option("--output", "-o", help="Table: .csv, .jsonl or .parquet")],
           plot: Annotated[Optional[Path], typer.Option(help="Also draw the top actors here (PNG).")] = None,
           freq: Annotated[str, typer.Option(help="year, quarter or month.")] = "year",
           top: Annotated[int, typer.Option(help="Actors in the plot.")] = 9) -> None:
    """Stance of each actor over time, with counts: who moved, and when."""
    from pipeline.tables import read_table, write_table
    from pipeline.trends import plot_stance_over_time, stance_over_time

    table, undated = stance_over_time(read_table(scored), freq)
    write_table(table, output)
    if plot:
        plot_stance_over_time(table, plot, top)
    moved = table[table["moved_from"].notna()]
    _say(f"trends: {table['actor'].nunique()} actors over {table['period'].nunique()} periods; "
         f"{undated} rows without a date left out; {len(moved)} changes of dominant stance")
    for row in moved.itertuples():
        _say(f"  {row.actor} {row.period}: {row.moved_from} -> {row.dominant}")


@app.command()
def experiment(file: Annotated[Path, typer.Argument(help="An experiment definition (experiments/*.yaml).")],
               register: Annotated[bool, typer.Option(help="Register the best run as @champion.")] = True,
               params: Params = DEFAULT_PARAMS) -> None:
    """Fit and log every run of an experiment definition; register the best as champion."""
    from pipeline.experiment import load_definition, run_experiment

    definition = load_definition(file)
    table = run_experiment(definition, load_params(params), register=register)
    typer.echo(table.drop(columns=["run_id"]).round(3).to_string(index=False))


@app.command()
def stats(files: Annotated[Optional[list[Path]], typer.Argument(help="Corpus files (default: data/corpus/*.jsonl).")] = None,
          write: Annotated[Optional[Path], typer.Option(help="Fill the stats block of this datasheet.")] = None) -> None:
    """Corpus statistics per split and per episode, as Markdown."""
    from pipeline.stats import markdown, read_corpus, write_into

    block = markdown(read_corpus(files or sorted(Path("data/corpus").glob("*.jsonl"))))
    if write:
        write_into(write, block)
    else:
        typer.echo(block)


@app.command()
def agreement(second: Annotated[list[Path], typer.Argument(help="Second-pass label files.")],
              corpus: Annotated[Optional[list[Path]], typer.Option(help="Corpus files (default: data/corpus/*.jsonl).")] = None,
              disagreements: Annotated[Optional[Path], typer.Option(help="Write the disagreeing pairs here.")] = None,
              write: Annotated[Optional[Path], typer.Option(help="Fill the agreement block of this file.")] = None) -> None:
    """Cohen's kappa between the corpus labels and an independent second pass."""
    from pipeline.agreement import compare, disagreements as differing, load_jsonl, summary
    from pipeline.tables import write_table

    pairs, actors = compare(load_jsonl(corpus or sorted(Path("data/corpus").glob("*.jsonl"))), load_jsonl(second))
    figures = summary(pairs, actors)
    typer.echo(json.dumps(figures, indent=2))
    if write:
        from pipeline.stats import write_into

        table = "\n".join(["| measure | value |", "| --- | --- |", *(f"| {k} | {v} |" for k, v in figures.items())])
        write_into(write, table, marker="agreement")
    if disagreements:
        write_table(differing(pairs, actors), disagreements)


@app.command()
def report(experiments: Annotated[Optional[list[str]], typer.Argument(help="MLflow experiments of sweeps to include.")] = None,
           write: Annotated[Optional[Path], typer.Option(help="Fill the results block of this file (README.md).")] = None,
           params: Params = DEFAULT_PARAMS) -> None:
    """The results table, read from MLflow: baselines, the trained model, sweep runs."""
    from pipeline.report import experiment_table, markdown, pipeline_table
    from pipeline.stats import write_into
    from pipeline.tracking import configure_uri

    configure_uri()
    p = load_params(params)
    tables = {"Pipeline model and baselines (macro-F1 over the three stances)": pipeline_table(p["mlflow"]["experiment"])}
    for name in experiments or []:
        tables[f"Experiment `{name}` (selection metrics; the test split is not used)"] = experiment_table(name)
    block = markdown(tables)
    if write:
        write_into(write, block, marker="results")
    else:
        typer.echo(block)


@app.command()
def validate(files: Annotated[Optional[list[Path]], typer.Argument(help="Corpus files (default: data/corpus/*.jsonl).")] = None,
             params: Params = DEFAULT_PARAMS) -> None:
    """Check corpus files against the corpus format and the annotation guidelines."""
    from pipeline.corpus import validate_files
    from pipeline.gazetteer import gazetteer_from_params

    paths = files or sorted(Path("data/corpus").glob("*.jsonl"))
    findings, counts = validate_files(paths, gazetteer_from_params(load_params(params)["link"]))
    for finding in findings:
        typer.echo(str(finding))
    _say(f"validate: {counts['files']} files, {counts['articles']} articles, {counts['pairs']} pairs, "
         f"{len(findings)} problems")
    if findings:
        raise typer.Exit(1)


if __name__ == "__main__":
    app()
