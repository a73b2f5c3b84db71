"""Pairs (sentence, actor) and the text the classifier sees for each.

The same sentence can carry different stances for different actors, so each
pair gets its own copy of the sentence with the target's mentions replaced by
TARGET_TOKEN and every other actor's by OTHER_TOKEN.
"""
from __future__ import annotations

import pandas as pd

TARGET_TOKEN = "TARGETX"
OTHER_TOKEN = "OTHERX"
PAIR_COLUMNS = ["article_id", "sentence_index", "start", "end", "actor", "sentence", "marked"]


def mark_sentence(sentence: str, offset: int, mentions: list[tuple[int, int, str]], target: str) -> str:
    """`sentence` begins at `offset` in the article; mentions are (start, end, actor) in article offsets."""
    parts, pos = [], 0
    for start, end, actor in sorted(mentions):
        s, e = start - offset, end - offset
        parts.append(sentence[pos:s])
        parts.append(TARGET_TOKEN if actor == target else OTHER_TOKEN)
        pos = e
    parts.append(sentence[pos:])
    return "".join(parts)


def build_pairs(sentences: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per (sentence, actor) that the sentence mentions, in mention order."""
    if mentions.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    # Plain lists and dicts: row-wise pandas access was most of the time on long inputs.
    by_key = {(a, i): (s, e, t) for a, i, s, e, t in zip(sentences["article_id"], sentences["index"],
                                                          sentences["start"], sentences["end"], sentences["text"])}
    spans: dict[tuple, list[tuple[int, int, str]]] = {}
    for a, i, start, end, actor in zip(mentions["article_id"], mentions["sentence_index"], mentions["start"],
                                       mentions["end"], mentions["actor"]):
        spans.setdefault((a, i), []).append((int(start), int(end), actor))
    rows = []
    for (article_id, index), found in spans.items():
        start, end, text = by_key[(article_id, index)]
        for actor in dict.fromkeys(actor for _, _, actor in found):
            rows.append((article_id, int(index), int(start), int(end), actor, text,
                         mark_sentence(text, int(start), found, actor)))
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)


def pairs_from_articles(articles: pd.DataFrame, gaz) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Split, link and pair in one go: (sentences, mentions, pairs) of raw articles."""
    from pipeline.link import link_articles
    from pipeline.split import split_articles

    sentences = split_articles(articles)
    mentions = link_articles(articles, sentences, gaz)
    return sentences, mentions, build_pairs(sentences, mentions)
