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

from pipeline.gazetteer import Gazetteer, plain

MENTION_COLUMNS = ["article_id", "sentence_index", "actor", "start", "end", "surface"]
# "Washington Post", "Jordan Peterson", "Georgia Tech": an ambiguous name followed
# by another capitalised word is part of another name.
_NAME_CONTINUES = re.compile(r"\s+(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
                             r"January|February|March|April|May|June|July|August|September|October|"
                             r"November|December|On|In|And|But|The)\b)[A-Z][a-z]")


# A sentence that goes on with the speaker of the sentence before: "He said ...",
# "..., she told reporters", "It has also rejected ...".
_PRONOUN = re.compile(
    r"^\W{0,2}(?P<a>He|She)\b"
    r"|^\W{0,2}(?P<b>It)\s+(?:has|had|also|said|says|will|would|warned|called|rejected|accused|insisted|added|"
    r"denounced|vowed|threatened|urged|demanded)\b"
    r"|\b(?P<c>he|she)\s+(?:said|says|added|told|warned|noted|argued|insisted|stressed|wrote|declared)\b")
# "U.S. Secretary of State Condoleezza Rice", "Russia's foreign minister, Sergei
# Lavrov": an official the article ties to a country; the surname then speaks for it.
_TITLE = (r"(?:Secretary of State|Secretary|Foreign Minister|Foreign Secretary|Minister|President|Prime Minister|"
          r"Premier|Chancellor|Ambassador|Envoy|Spokesman|Spokeswoman|Spokesperson|Negotiator|Adviser|Advisor|"
          r"King|Emir|Crown Prince|Supreme Leader|Leader|Commissioner|Representative|Chief)")
_OFFICIAL = re.compile(r"(?:'s)?\s+(?:(?:[A-Z][\w.-]*|of|the|for|to|and|on|at|deputy|foreign|top)\s+){0,5}?"
                       r"(?i:" + _TITLE + r")"
                       r"(?:\s+(?:of|for|to)\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?)?,?\s+"
                       r"(?P<name>(?:[A-Z][\w'-]+\s+){0,2}?(?P<surname>[A-Z][\w'-]+))\b(?!\s+[A-Z])")
_FORMER = re.compile(r"(?:former|ex-|late|then-)\s*(?:[\w.-]+\s+){0,4}$", re.IGNORECASE)
# The subject of a news sentence comes early: the first mention within this many
# characters of the sentence start is taken for the one who speaks.
SUBJECT_WINDOW = 60


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
    for end_index, alias in gaz.automaton.iter(plain(text)):
        start, end = end_index - len(alias) + 1, end_index + 1
        if not _is_word_edge(text, start, end):
            continue
        # "the North Korean ...", "Washington Post": the name goes on, so this is not it
        if (alias in gaz.ambiguous or alias in gaz.descriptors) and _NAME_CONTINUES.match(text, end):
            continue
        found.append((start, end, alias))
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    chosen, last_end = [], -1
    for start, end, alias in found:
        if start >= last_end:
            chosen.append((start, end, alias))
            last_end = end
    return chosen


def _person_code(alias: str, start: int, text: str, gaz: Gazetteer, date: str | None) -> str | None:
    """The actor a person in office speaks for at the article's date, if any."""
    if not date or _FORMER.search(text[max(0, start - 40):start]):
        return None
    for term in gaz.people[alias]:
        if term.start <= date and (term.end is None or date <= term.end):
            if term.needs_full_name and term.name not in text[:start]:
                continue
            return term.code
    return None


def _officials(text: str, mentions: list[Mention]) -> dict[str, str]:
    """Surnames of officials the article ties to a country: surname -> code."""
    found: dict[str, str] = {}
    for m in mentions:
        hit = _OFFICIAL.match(text, m.end)
        if hit:
            found.setdefault(hit.group("surname"), m.actor)
    return found


def _official_mentions(text: str, officials: dict[str, str], taken: list[Mention]) -> list[Mention]:
    """Mentions of the officials' surnames that no other mention covers (`taken` is in text order)."""
    starts = [m.start for m in taken]
    extra = []
    for surname, code in officials.items():
        for hit in re.finditer(rf"\b{re.escape(surname)}\b", text):
            s, e = hit.span()
            i = bisect.bisect_left(starts, e) - 1  # the last mention starting before this one ends
            if i < 0 or taken[i].end <= s:
                extra.append(Mention(s, e, code, surname))
    return extra


def find_mentions(text: str, gaz: Gazetteer, date: str | None = None) -> list[Mention]:
    """Every mention of an actor in one article, in text order.

    `date` (YYYY-MM-DD) lets heads of state and government and foreign ministers
    in office at that date speak for their country.
    """
    date = date[:10] if isinstance(date, str) and len(date) >= 10 else None
    matches = _raw_matches(text, gaz)
    # Codes the article names without doubt settle "Korea", "Congo" and short forms.
    certain = {next(iter(gaz.code_of(a))) for _, _, a in matches
               if len(gaz.code_of(a)) == 1 and a not in gaz.ambiguous}
    mentions: list[Mention] = []
    for start, end, alias in matches:
        codes = gaz.code_of(alias)
        if not codes and alias in gaz.people:
            code = _person_code(alias, start, text, gaz, date)
            if code is None:
                continue
        elif alias in gaz.descriptors:
            # the actor among its candidates that the article named last
            code = next((m.actor for m in reversed(mentions) if m.actor in gaz.descriptors[alias]), None)
            if code is None:
                continue
        elif not codes:  # a blocking name such as "Latin America"
            continue
        elif len(codes) > 1:
            settled = codes & certain
            if len(settled) != 1:
                continue
            code = next(iter(settled))
        else:
            code = next(iter(codes))
        mentions.append(Mention(start, end, code, text[start:end]))
    officials = _officials(text, mentions)
    if officials:
        mentions = sorted(mentions + _official_mentions(text, officials, mentions), key=lambda m: m.start)
    return mentions


def continue_speakers(text: str, spans: list[tuple[int, int]], per_sentence: list[list[Mention]]) -> None:
    """Add a mention at a pronoun that continues the subject actor of the sentence before (in place)."""
    for i in range(1, len(spans)):
        start, end = spans[i]
        m = _PRONOUN.search(text[start:end])
        previous = per_sentence[i - 1]
        if not m or not previous or previous[0].start - spans[i - 1][0] > SUBJECT_WINDOW:
            continue
        actor = previous[0].actor
        if any(x.actor == actor for x in per_sentence[i]):
            continue
        group = next(g for g in ("a", "b", "c") if m.group(g))
        mention = Mention(start + m.start(group), start + m.end(group), actor, m.group(group))
        per_sentence[i] = sorted([*per_sentence[i], mention], key=lambda x: x.start)


def link_text(text: str, spans: list[tuple[int, int]], gaz: Gazetteer,
              date: str | None = None) -> list[list[Mention]]:
    """The mentions of each sentence of one article, pronoun continuations included."""
    starts = [s for s, _ in spans]
    per_sentence: list[list[Mention]] = [[] for _ in spans]
    for m in find_mentions(text, gaz, date):
        i = bisect.bisect_right(starts, m.start) - 1
        if i >= 0 and m.end <= spans[i][1]:
            per_sentence[i].append(m)
    continue_speakers(text, spans, per_sentence)
    return per_sentence


def link_articles(articles: pd.DataFrame, sentences: pd.DataFrame, gaz: Gazetteer) -> pd.DataFrame:
    """One row per mention, with the index of the sentence that holds it."""
    by_article = {aid: group for aid, group in sentences.groupby("article_id", sort=False)}
    rows = []
    dates = articles["date"] if "date" in articles else [None] * len(articles)
    for article_id, text, date in zip(articles["id"], articles["text"], dates):
        group = by_article.get(article_id)
        if group is None:
            continue
        spans = list(zip(group["start"].tolist(), group["end"].tolist()))
        for index, mentions in zip(group["index"].tolist(), link_text(text, spans, gaz, date)):
            rows += [(article_id, index, m.actor, m.start, m.end, m.surface) for m in mentions]
    return pd.DataFrame(rows, columns=MENTION_COLUMNS)
