"""Stage 4: a label for every (sentence, actor) pair, and where it came from.

- `gold`: the corpus annotator labelled this sentence and actor.
- `gold-implicit`: the article is annotated, the annotator gave this actor no
  pair in this sentence, so the sentence says nothing of its stance: `none`.
- `weak:<functions>`: cue-lexicon labelling functions agreed (majority vote).
- unlabelled: none of the above (label is null); not used for training.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from pipeline.features import OTHER_TOKEN, TARGET_TOKEN
from pipeline.ingest import normalize_text

_SPACE = re.compile(r"\s+")


def collapse_with_map(text: str) -> tuple[str, list[int]]:
    """Text with whitespace runs collapsed to one space, and each character's original offset."""
    out, where = [], []
    for m in re.finditer(r"\s+|\S+", text):
        if m.group().isspace():
            out.append(" ")
            where.append(m.start())
        else:
            out.append(m.group())
            where.extend(range(m.start(), m.end()))
    return "".join(out), where


def locate(text: str, sentence: str) -> tuple[int, int] | None:
    """Offsets of a gold sentence in the text, matching as the guidelines say (whitespace collapsed)."""
    collapsed, where = collapse_with_map(text)
    needle = _SPACE.sub(" ", normalize_text(sentence)).strip()
    i = collapsed.find(needle)
    if i < 0 or not needle:
        return None
    return where[i], where[i + len(needle) - 1] + 1


def gold_spans(text: str, gold: dict) -> tuple[list[tuple[int, int, str, str]], list[dict]]:
    """(start, end, actor, label) of each gold pair, and the pairs whose sentence is not in the text."""
    spans, lost = [], []
    cache: dict[str, tuple[int, int] | None] = {}
    for pair in gold.get("pairs", []):
        sentence = pair["sentence"]
        if sentence not in cache:
            cache[sentence] = locate(text, sentence)
        span = cache[sentence]
        if span is None:
            lost.append(pair)
        else:
            spans.append((span[0], span[1], pair["actor"], pair["label"]))
    return spans, lost


def _best_gold(start: int, end: int, actor: str, spans: list[tuple[int, int, str, str]]) -> tuple[str, tuple] | None:
    best, best_overlap = None, 0
    for g_start, g_end, g_actor, label in spans:
        if g_actor != actor:
            continue
        overlap = min(end, g_end) - max(start, g_start)
        if overlap > best_overlap:
            best, best_overlap = (label, (g_start, g_end, g_actor)), overlap
    return best


@dataclass
class GoldAlignment:
    labels: list[str | None]
    sources: list[str | None]
    stats: Counter
    spans: dict[str, list[tuple[int, int, str, str]]]  # article -> located gold pairs
    lost: dict[str, list[dict]]                         # article -> gold pairs whose sentence was not found


def align_gold(pairs: pd.DataFrame, articles: pd.DataFrame) -> GoldAlignment:
    """Gold labels for pairs of annotated articles; counts of gold pairs the linker missed."""
    gold_of = {aid: json.loads(g) for aid, g in zip(articles["id"], articles["gold"]) if isinstance(g, str)}
    text_of = dict(zip(articles["id"], articles["text"]))
    spans_of, lost_of, stats = {}, {}, Counter()
    for aid, gold in gold_of.items():
        spans, lost = gold_spans(text_of[aid], gold)
        spans_of[aid], lost_of[aid] = spans, lost
        stats["gold_pairs"] += len(spans) + len(lost)
        stats["gold_sentence_not_found"] += len(lost)
    labels, sources, used = [], [], set()
    for aid, start, end, actor in zip(pairs["article_id"], pairs["start"], pairs["end"], pairs["actor"]):
        if aid not in spans_of:
            labels.append(None)
            sources.append(None)
            continue
        hit = _best_gold(start, end, actor, spans_of[aid])
        if hit:
            labels.append(hit[0])
            sources.append("gold")
            used.add((aid, *hit[1]))
        else:
            labels.append("none")
            sources.append("gold-implicit")
    stats["gold_pairs_linked"] = len(used)
    stats["gold_pairs_missed_by_linker"] = stats["gold_pairs"] - stats["gold_sentence_not_found"] - len(used)
    return GoldAlignment(labels, sources, stats, spans_of, lost_of)


# --- weak labels --------------------------------------------------------------

@dataclass(frozen=True)
class LabellingFunction:
    """Votes `label` for the actor nearest the cue: before it (`subject`) or after it (`object`)."""

    name: str
    label: str
    pattern: re.Pattern
    role: str = "subject"

    def vote(self, marked: str) -> str | None:
        for m in self.pattern.finditer(marked):
            if self.role == "subject":
                before = marked[: m.start()]
                t, o = before.rfind(TARGET_TOKEN), before.rfind(OTHER_TOKEN)
                if t >= 0 and t > o:
                    return self.label
            else:
                after = marked[m.end():]
                t, o = after.find(TARGET_TOKEN), after.find(OTHER_TOKEN)
                if t >= 0 and (o < 0 or t < o) and t < 40:
                    return self.label
        return None


def load_labelling_functions(path: Path | str) -> list[LabellingFunction]:
    with open(path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    functions = []
    for name, entry in spec["functions"].items():
        cues = "|".join(entry["cues"])
        pattern = re.compile(rf"\b(?:{cues})\b", re.IGNORECASE)
        functions.append(LabellingFunction(name, entry["label"], pattern, entry.get("role", "subject")))
    return functions


def weak_label(marked: str, functions: list[LabellingFunction]) -> tuple[str | None, str | None]:
    """Majority vote of the functions that fire; a tie abstains."""
    votes = {f.name: v for f in functions if (v := f.vote(marked))}
    if not votes:
        return None, None
    counts = Counter(votes.values()).most_common()
    if len(counts) > 1 and counts[0][1] == counts[1][1]:
        return None, None
    label = counts[0][0]
    return label, "weak:" + "+".join(sorted(n for n, v in votes.items() if v == label))


def labelling_function_report(pairs: pd.DataFrame, functions: list[LabellingFunction]) -> pd.DataFrame:
    """Coverage, overlap, conflict and accuracy of each function on gold pairs, and of their majority vote.

    coverage: share of pairs it votes on; overlap: share where another function
    votes too; conflict: share where another votes differently; accuracy: share
    of its votes that match gold.
    """
    gold = pairs[pairs["label_source"] == "gold"]
    votes = pd.DataFrame({f.name: [f.vote(m) for m in gold["marked"]] for f in functions}, index=gold.index)
    fired = votes.notna()
    rows = []
    for f in functions:
        mine = fired[f.name]
        others = fired.drop(columns=f.name)
        differs = votes.drop(columns=f.name).apply(lambda col: col.notna() & (col != votes[f.name]))
        rows.append({"function": f.name, "label": f.label, "coverage": mine.mean(),
                     "overlap": (mine & others.any(axis=1)).mean(),
                     "conflict": (mine & differs.any(axis=1)).mean(),
                     "accuracy": (votes.loc[mine, f.name] == gold.loc[mine, "label"]).mean() if mine.any() else None,
                     "votes": int(mine.sum())})
    majority = [weak_label(m, functions)[0] for m in gold["marked"]]
    covered = pd.Series(majority, index=gold.index).notna()
    rows.append({"function": "majority vote (label model)", "label": None, "coverage": covered.mean(),
                 "overlap": None, "conflict": None,
                 "accuracy": (pd.Series(majority, index=gold.index)[covered] == gold.loc[covered, "label"]).mean()
                 if covered.any() else None, "votes": int(covered.sum())})
    return pd.DataFrame(rows)


def label_pairs(pairs: pd.DataFrame, articles: pd.DataFrame, functions: list[LabellingFunction],
                weak_for_unlabelled: bool) -> tuple[pd.DataFrame, Counter]:
    """Pairs with `label`, `label_source` and the article's `split`."""
    alignment = align_gold(pairs, articles)
    out = pairs.copy()
    out["label"] = alignment.labels
    out["label_source"] = alignment.sources
    weak = [weak_label(m, functions) for m in out["marked"]]
    out["weak_label"] = [w[0] for w in weak]
    out["weak_source"] = [w[1] for w in weak]
    if weak_for_unlabelled:
        fill = out["label"].isna() & out["weak_label"].notna()
        out.loc[fill, "label"] = out.loc[fill, "weak_label"]
        out.loc[fill, "label_source"] = out.loc[fill, "weak_source"]
    split_of = dict(zip(articles["id"], articles["split"]))
    out["split"] = out["article_id"].map(split_of)
    stats = alignment.stats
    stats.update({f"source_{k}": v for k, v in Counter(out["label_source"].fillna("unlabelled")).items()})
    return out, stats


# --- background: articles that never touch sanctions ----------------------------

# An article with none of these words says nothing about anyone's stance on
# sanctions, so every pair in it is `none` (guidelines: a sentence that does not
# concern sanctions has no stance). A loose net on purpose: when in doubt, leave out.
SANCTIONS_WORDS = re.compile(
    r"sanction|embargo|blacklist|asset freez|froze .{0,20}assets|export control|entity list|punitive|boycott|"
    r"blockade|restrictive measures|countermeasure|counter-measure|retaliat|veto|travel ban", re.IGNORECASE)
BACKGROUND_SOURCE = "background:no-sanctions-article"


def background_pairs(articles: pd.DataFrame, gaz, max_pairs: int, seed: int) -> pd.DataFrame:
    """`none` pairs from articles without sanctions vocabulary, for the training split."""
    from pipeline.features import pairs_from_articles

    quiet = articles[~articles["text"].str.contains(SANCTIONS_WORDS)]
    _, _, pairs = pairs_from_articles(quiet, gaz)
    if len(pairs) > max_pairs:
        pairs = pairs.sample(max_pairs, random_state=seed).sort_index()
    pairs = pairs.assign(article_id="background:" + pairs["article_id"].astype(str), label="none",
                         label_source=BACKGROUND_SOURCE, weak_label="none", weak_source=BACKGROUND_SOURCE,
                         split="train")
    return pairs.reset_index(drop=True)


def weak_corpus_pairs(articles: pd.DataFrame, gaz, functions: list[LabellingFunction], max_pairs: int,
                      seed: int) -> pd.DataFrame:
    """Pairs of an unlabelled corpus that the labelling functions label (they abstain on the rest)."""
    from pipeline.features import pairs_from_articles

    _, _, pairs = pairs_from_articles(articles, gaz)
    votes = [weak_label(m, functions) for m in pairs["marked"]]
    pairs = pairs.assign(label=[v[0] for v in votes], label_source=[v[1] for v in votes])
    pairs = pairs[pairs["label"].notna()]
    if len(pairs) > max_pairs:
        pairs = pairs.sample(max_pairs, random_state=seed).sort_index()
    return pairs.assign(article_id="weak:" + pairs["article_id"].astype(str), weak_label=pairs["label"],
                        weak_source=pairs["label_source"], split="train").reset_index(drop=True)


def extra_training_pairs(label_params: dict, gaz, functions: list[LabellingFunction], seed: int,
                         read) -> tuple[list[pd.DataFrame], Counter, list[str]]:
    """Background `none` pairs and weakly labelled pairs from the corpora the params name.

    `read` turns a path into an articles table. Returns the tables, counts and
    messages about corpora that are absent.
    """
    tables, stats, notes = [], Counter(), []
    for key, make in (("background", lambda a, n: background_pairs(a, gaz, n, seed)),
                      ("weak_corpus", lambda a, n: weak_corpus_pairs(a, gaz, functions, n, seed))):
        spec = label_params.get(key) or {}
        if not (spec.get("input") and spec.get("max_pairs")):
            continue
        if not Path(spec["input"]).exists():
            notes.append(f"label.{key}: {spec['input']} not found; training without it")
            continue
        table = make(read(Path(spec["input"])), spec["max_pairs"])
        tables.append(table)
        stats[f"extra_{key}"] = len(table)
    return tables, stats, notes
