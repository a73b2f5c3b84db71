"""Stage 2: sentences with character offsets into the article text.

sentencex does the splitting, in one call per article. A thin layer of
repairs then moves its boundaries where news text trips it up:

  - headings and captions on a line of their own with no full stop (sentencex
    only breaks a line at a blank line or after final punctuation), all-caps
    headlines included, while hard-wrapped prose and a dateline on a line of
    its own ("SEOUL, Oct. 19 (Reuters) -") stay joined to what follows;
  - inline lists ("1. First 2. Second", "a. First b. Second", a bullet before
    a number): sentencex cuts after the marker instead of before it;
  - "word. . . . Next": the period ends the sentence, the ellipsis opens the next;
  - titles sentencex does not know (Ms., Amb., Atty., Ft., ...) before a name,
    and "p.m." before a weekday, where sentencex cuts;
  - "no." before a capital ("said no. Sen. Smith ..."), where it does not.

Speed: the offsets come from the lengths of sentencex's pieces, without a
Python loop per sentence, and each repair is one regular-expression scan that
starts from a literal or a rare character (or runs only when sentencex's
output shows a sign of its case), so an ordinary article costs about twice
what sentencex alone does.
"""
from __future__ import annotations

import operator
import re
from itertools import accumulate, compress
from typing import Iterator, NamedTuple

import pandas as pd
from sentencex import get_sentence_boundaries, segment

SENTENCE_COLUMNS = ["article_id", "index", "start", "end", "text"]

Span = tuple[int, int]
_FIRST = operator.itemgetter(0)

# A line ending in one of these is not a heading: sentencex has already dealt
# with final punctuation, and a comma, a dash or an open bracket means the
# sentence goes on ("SEOUL, Oct. 19 (Reuters) -" on a line of its own).
_NO_HEADING_END = frozenset('.!?:;,"\u201d\u2019\')-\u2013\u2014(&/')
# A line shorter than this with no final punctuation reads as a headline,
# a dateline or a caption; longer ones are taken for hard-wrapped prose.
HEADLINE_MAX = 60
# In a hard-wrapped block (three lines or more, the longest at least
# WRAPPED_MIN_WIDTH long; narrower blocks are lists or captions) a heading is
# also clearly shorter than the longest line; a wrapped line seldom is.
WRAPPED_SHARE = 0.6
WRAPPED_MIN_WIDTH = 40
# A line ending in one of these words is wrapped prose, not a heading.
_FUNCTION_WORDS = frozenset(
    "a an the of to in on at by for from with and or but as that than into over under about after before "
    "its their his her our is are was were be been has have had will would said says".split()
)

_BULLETS = "\u2022\u2043\u2023\u25aa\u25cf\u25e6"
# The end of a list item marker: 1-2 digits or one lower-case letter, then
# ".", ")" or ".)", then a space; before it the start of the text, whitespace
# or a bullet, so "(1)" or "1.5" are not markers. The scan starts at the
# punctuation (a fast search), looking back for the rest. The marker may also
# have a bullet in front ("-9."); sentencex itself cuts before a bare bullet.
_MARKER_END = re.compile(rf"""[.)](?:
    (?<=(?<![^\s{_BULLETS}])\d[.)]) | (?<=(?<![^\s{_BULLETS}])\d\d[.)]) | (?<=(?<![^\s{_BULLETS}])[a-z][.)])
)\)?(?=\s)""", re.VERBOSE)


# How a sentence that opens a list begins, as sentencex cuts it (its first
# three characters, or all of it when sentencex cut after the marker), or a
# numbered item behind a bullet, which sentencex cuts after the number.
_LIST_HEADS = frozenset(
    [f"{n}{p}" for n in "1a" for p in (". ", ") ", ".)", ".", ")")]
    + [f"{b}{d}{p}" for b in _BULLETS for d in "0123456789" for p in ".)0123456789"]
)
_LIST_TAILS = frozenset(f"{c}1{p}" for c in " :\n" for p in ".)")

# Titles before a name that sentencex takes for the end of a sentence (it knows
# Mr., Dr., Gen., Sen., Gov., Lt., Col., Rep., Prof. and most others). Grouped
# by length because a look-behind must have a fixed width.
_TITLES_BY_LENGTH = {2: "Ms|Ft", 3: "Amb", 4: "Atty|Gens|Govs", 5: "Treas"}
_TITLE = "|".join(rf"(?<=(?<![\w.])(?:{alts})\.)" for alts in _TITLES_BY_LENGTH.values())
_WEEKDAY = "(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
# Every repair but the heading and list ones hinges on a period before a
# space, so one scan for periods finds them all; the cheap look-behind for
# the last letter of a title, "p.m." or "no." keeps the others from running
# at most periods.
_PERIOD_REPAIRS = re.compile(rf"""\.(?=\s)(?:
    (?<=[stbymo]\.)(?:
        (?:{_TITLE})\s+(?P<title>)(?=[A-Z])                     # "Ms. Han": no cut
      | (?<=(?<![\w.])[ap]\.m\.)\s+(?P<clock>)(?={_WEEKDAY})     # "4 p.m. Tuesday": no cut
      | (?<=(?<![^\W\d_])no\.)\s+(?P<no>)(?=[A-Z]))            # "said no. Sen. X": cut
  | (?<=[^\s.]\.)\s+(?P<ellipsis>\.\s\.\s\.)\s+(?=[\"\u201c'\u2018(]?[A-Z])
                                            # "words. . . . The": cut before ". . ."
)""", re.VERBOSE)
# A newline with text on both sides, where a heading may end.
_SINGLE_NEWLINE = re.compile(r"\n(?<=[^\n]\n)(?=[^\n])")


def split_sentences(text: str) -> list[Span]:
    """(start, end) of each sentence; text[start:end] is the sentence, trimmed of spaces."""
    pieces = segment("en", text)
    stripped = list(map(str.strip, pieces))
    spans = _sentencex_spans(text, pieces, stripped)
    if not spans:
        return spans
    add: set[int] = set()  # positions where a sentence must start
    drop: set[int] = set()  # sentence starts that sentencex got wrong
    _headings(text, add)
    if _may_hold_list(stripped):
        _lists(text, spans, add, drop)
    _period_repairs(text, add, drop)
    if add or drop:
        starts = set(map(_FIRST, spans))
        if not add <= starts or not drop.isdisjoint(starts):  # the repairs change something
            spans = _recut(text, starts, spans[-1][1], add, drop)
    return spans


def _sentencex_spans(text: str, pieces: list[str], stripped: list[str]) -> list[Span]:
    """sentencex's sentences as trimmed spans, without a Python loop per sentence.

    segment() is faster than get_sentence_boundaries() but returns bare
    strings. They tile the text, except that now and then a paragraph break
    is left out; where none is, a piece ends at the running sum of lengths.
    """
    ends = list(accumulate(map(len, pieces)))
    if ends and ends[-1] != len(text):
        gaps = _left_out_breaks(text, pieces, ends)
        if gaps is None:
            return _boundary_spans(text)
        ends = list(map(operator.add, ends, accumulate(gaps)))
    return [
        (end - kept, end - kept + size)  # kept: length from the first non-space on
        for end, kept, size in zip(ends, map(len, map(str.lstrip, pieces)), map(len, stripped))
        if size
    ]


def _left_out_breaks(text: str, pieces: list[str], ends: list[int]) -> list[int] | None:
    """Length of the whitespace left out before each piece, or None if the pieces
    cannot be laid on the text that way.

    A binary search finds the first piece that is not where the lengths so far
    put it; the whitespace before it is skipped and the search goes on from
    there. The result is then checked against the text, run by run, so a wrong
    guess only costs the slower fallback.
    """
    gaps = [0] * len(pieces)
    shift = 0
    first = 0
    while True:
        lo, hi = first, len(pieces)
        while lo < hi:
            mid = (lo + hi) // 2
            if text.startswith(pieces[mid], ends[mid] - len(pieces[mid]) + shift):
                lo = mid + 1
            else:
                hi = mid
        if lo == len(pieces):
            break
        expected = ends[lo] - len(pieces[lo]) + shift
        found = text.find(pieces[lo], expected)
        if found == -1 or not text[expected:found].isspace():
            return None
        gaps[lo] = found - expected
        shift += found - expected
        first = lo + 1
    if ends[-1] + shift != len(text):
        return None
    cuts = [0, *compress(range(len(pieces)), gaps), len(pieces)]
    shift = 0
    for a, b in zip(cuts, cuts[1:]):
        shift += gaps[a]
        if not text.startswith("".join(pieces[a:b]), ends[a] - len(pieces[a]) + shift):
            return None
    return gaps


def _boundary_spans(text: str) -> list[Span]:
    """Spans from the offsets get_sentence_boundaries() reports (slower, always right)."""
    spans = []
    for b in get_sentence_boundaries("en", text):
        s, e = b["start_index"], b["end_index"]
        chunk = text[s:e]
        stripped = chunk.strip()
        if stripped:
            start = s + chunk.index(stripped[0])
            spans.append((start, start + len(stripped)))
    return spans


def _recut(text: str, starts: set[int], end: int, add: set[int], drop: set[int]) -> list[Span]:
    """Spans again after adding and dropping sentence starts; `end` is where the last one ends."""
    first = min(starts)
    starts = sorted((starts | add) - drop)
    if not starts or starts[0] > first:
        starts.insert(0, first)  # the first sentence starts where the text does
    ends = starts[1:] + [end]
    out = []
    for s, e in zip(starts, ends):
        piece = text[s:e].rstrip()
        if piece:
            out.append((s, s + len(piece)))
    return out


# --- headings ---------------------------------------------------------------

def _headings(text: str, add: set[int]) -> None:
    """Start a sentence after each heading-like line."""
    if "\n" not in text:
        return
    for m in _SINGLE_NEWLINE.finditer(text):
        newline = m.start()
        if _is_heading(text, newline):
            nxt = newline + 1
            while text[nxt].isspace():
                nxt += 1
            add.add(nxt)


def _is_heading(text: str, newline: int) -> bool:
    """Is the line ending at `newline` a heading, with a sentence starting on the next line?"""
    line_start = text.rfind("\n", 0, newline) + 1
    line = text[line_start:newline].strip()
    next_end = text.find("\n", newline + 1)
    next_line = text[newline + 1: next_end if next_end != -1 else len(text)].strip()
    if not line or not next_line or line[-1] in _NO_HEADING_END:
        return False
    first = next_line[0]
    if first.islower() or first in ",;:)]}":
        return False  # the sentence goes on: hard-wrapped prose
    if line.rsplit(None, 1)[-1] in _FUNCTION_WORDS:
        return False  # "... imposed by the" + "U.S. Treasury ...": wrapped prose
    if _is_caps(line):
        # An all-caps headline over ordinary text or over a dateline; two
        # all-caps lines in a row are one headline wrapped.
        return not _is_caps(next_line) or next_line[-1] in "-\u2013\u2014" or "(" in next_line
    if len(line) >= HEADLINE_MAX:
        return False
    lines, width = _block_shape(text, line_start)
    if lines < 3 or width < WRAPPED_MIN_WIDTH:
        return True
    return len(line) <= WRAPPED_SHARE * width


def _is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


def _block_shape(text: str, pos: int, reach: int = 4000) -> tuple[int, int]:
    """Number of lines and longest line of the block (between blank lines) around pos."""
    lo = max(0, pos - reach)
    start = text.rfind("\n\n", lo, pos)
    start = lo if start == -1 else start + 2
    end = text.find("\n\n", pos, pos + reach)
    end = min(len(text), pos + reach) if end == -1 else end
    lines = [ln.strip() for ln in text[start:end].split("\n")]
    lines = [ln for ln in lines if ln]
    return len(lines), max((len(ln) for ln in lines), default=0)


# --- lists ------------------------------------------------------------------

def _may_hold_list(sentences: list[str]) -> bool:
    """Does some sentence from sentencex open a list ("1. ", "a) ", "-9."), or
    end on the marker of one ("... three things: 1.")?

    Cheap (no Python loop per sentence) and rarely true, so the search for
    list markers over the whole text is seldom run.
    """
    return not (_LIST_HEADS.isdisjoint(map(_HEAD, sentences)) and _LIST_TAILS.isdisjoint(map(_TAIL, sentences)))


_HEAD = operator.itemgetter(slice(0, 3))
_TAIL = operator.itemgetter(slice(-3, None))


class _Marker(NamedTuple):
    start: int  # where the item starts: its bullet, number or letter
    end: int  # just after the marker's punctuation
    value: int  # the number, or the letter's code point
    style: str  # "1." or "a)" etc.: items of one list share it


def _markers(text: str) -> Iterator[_Marker]:
    """Every list item marker in the text, in order."""
    for m in _MARKER_END.finditer(text):
        punct = m.group()
        start = m.start() - 1
        if text[start].isdigit():
            if start > 0 and text[start - 1].isdigit():
                start -= 1
            value, style = int(text[start:m.start()]), "1" + punct
        else:
            value, style = ord(text[start]), "a" + punct
        if start > 0 and text[start - 1] in _BULLETS:
            start -= 1
        elif start > 1 and text[start - 1] in " \t" and text[start - 2] in _BULLETS:
            start -= 2
        yield _Marker(start, m.end(), value, style)


def _lists(text: str, spans: list[Span], add: set[int], drop: set[int]) -> None:
    """Cut before each item of an inline list, not after its marker.

    Markers count as a list when at least two follow each other (1., 2. or
    a), b)) in the same style and the first starts a sentence or a line.
    """
    starts = set(map(_FIRST, spans))
    in_list: list[_Marker] = []
    run: list[_Marker] = []
    for m in _markers(text):
        if run and m.style == run[-1].style and m.value == run[-1].value + 1:
            run.append(m)
            continue
        if len(run) >= 2:
            in_list += run
        run = [m] if m.start in starts or _opens_line(text, m.start) else []
    if len(run) >= 2:
        in_list += run
    for m in in_list:
        add.add(m.start)
        after = m.end
        while after < len(text) and text[after].isspace():
            after += 1
        drop.add(after)  # sentencex's cut after "1." or "-9."


def _opens_line(text: str, pos: int) -> bool:
    """Does pos start the text or a line, or follow a colon ("Steps: 1. ...")?"""
    i = pos
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    return i == 0 or text[i - 1] in "\n:"


# --- repairs at a period ----------------------------------------------------

def _period_repairs(text: str, add: set[int], drop: set[int]) -> None:
    """Titles and clock times that sentencex cut after, "no." and "word. . . ." it did not."""
    for m in _PERIOD_REPAIRS.finditer(text):
        kind = m.lastgroup
        if kind == "no":
            add.add(m.end())
        elif kind == "ellipsis":
            add.add(m.start("ellipsis"))
            drop.add(m.end())
        else:  # title, clock
            drop.add(m.end())


def split_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence: article_id, index, start, end, text."""
    rows = []
    for article_id, text in zip(articles["id"], articles["text"]):
        for index, (start, end) in enumerate(split_sentences(text)):
            rows.append((article_id, index, start, end, text[start:end]))
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)
