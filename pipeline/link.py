"""Stage 3: which actors each sentence refers to.

Matches gazetteer names in the article text (longest match wins, whole words
only), then settles the names that can mean more than one thing using the
article itself, and assigns each mention to its sentence.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import pandas as pd

from pipeline.gazetteer import PLAIN, SHORT_FORMS, Gazetteer

MENTION_COLUMNS = ["article_id", "sentence_index", "actor", "start", "end", "surface"]
# "Washington Post", "Jordan Peterson", "Georgia Tech": an ambiguous name followed
# by another capitalised word is part of another name.
_NAME_CONTINUES = re.compile(r"\s+(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
                             r"January|February|March|April|May|June|July|August|September|October|"
                             r"November|December|On|In|And|But|The)\b)[A-Z][a-z]")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    actor: str
    surface: str


def _is_word_edge(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def _raw_matches(text: str, gaz: Gazetteer) -> list[tuple[int, int, str]]:
    """Longest, leftmost, non-overlapping whole-word alias matches."""
    found = []
    for end_index, alias in gaz.automaton.iter(text.translate(PLAIN)):
        start, end = end_index - len(alias) + 1, end_index + 1
        if _is_word_edge(text, start, end):
            found.append((start, end, alias))
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    chosen, last_end = [], -1
    for start, end, alias in found:
        if start >= last_end:
            chosen.append((start, end, alias))
            last_end = end
    return chosen


def find_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    """Every mention of an actor in one article, in text order."""
    matches = _raw_matches(text, gaz)
    # Codes the article names without doubt settle "Korea", "Congo" and short forms.
    certain = {next(iter(gaz.code_of(a))) for _, _, a in matches
               if len(gaz.code_of(a)) == 1 and a not in gaz.ambiguous and a not in SHORT_FORMS}
    mentions: list[Mention] = []
    seen: set[str] = set()
    for start, end, alias in matches:
        codes = gaz.code_of(alias)
        if not codes:  # a blocking name such as "Latin America"
            continue
        if alias in SHORT_FORMS:
            code = SHORT_FORMS[alias]
            if code not in seen:
                continue
        elif len(codes) > 1:
            settled = codes & certain
            if len(settled) != 1:
                continue
            code = next(iter(settled))
        else:
            code = next(iter(codes))
            if alias in gaz.ambiguous and _NAME_CONTINUES.match(text, end):
                continue
        seen.add(code)
        mentions.append(Mention(start, end, code, text[start:end]))
    return mentions


def link_articles(articles: pd.DataFrame, sentences: pd.DataFrame, gaz: Gazetteer) -> pd.DataFrame:
    """One row per mention, with the index of the sentence that holds it."""
    by_article = {aid: group for aid, group in sentences.groupby("article_id", sort=False)}
    rows = []
    for article_id, text in zip(articles["id"], articles["text"]):
        group = by_article.get(article_id)
        if group is None:
            continue
        starts = group["start"].tolist()
        ends = group["end"].tolist()
        indexes = group["index"].tolist()
        for m in find_mentions(text, gaz):
            i = bisect.bisect_right(starts, m.start) - 1
            if i >= 0 and m.end <= ends[i]:
                rows.append((article_id, indexes[i], m.actor, m.start, m.end, m.surface))
    return pd.DataFrame(rows, columns=MENTION_COLUMNS)
