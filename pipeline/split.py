"""Stage 2: sentences with character offsets into the article text.

sentencex does the splitting inside a block; this module first cuts the text
into blocks at blank lines and at headline-like lines, which news text is full
of and which sentencex would glue to the next sentence.
"""
from __future__ import annotations

import re
from typing import Iterator

import pandas as pd
from sentencex import get_sentence_boundaries

SENTENCE_COLUMNS = ["article_id", "index", "start", "end", "text"]
_BLOCK_BREAK = re.compile(r"\n[ \t]*\n\s*")
_TERMINAL = tuple('.!?:;"\u201d\u2019\')')
# A line shorter than this with no final punctuation reads as a headline,
# a dateline or a caption; longer ones are taken for hard-wrapped prose.
HEADLINE_MAX = 60


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for m in _BLOCK_BREAK.finditer(text):
        yield from _line_blocks(text, start, m.start())
        start = m.end()
    yield from _line_blocks(text, start, len(text))


def _line_blocks(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Cut a block after each short line that has no final punctuation."""
    block_start = start
    pos = start
    while True:
        newline = text.find("\n", pos, end)
        if newline == -1:
            break
        line = text[pos:newline].strip()
        if line and len(line) < HEADLINE_MAX and not line.endswith(_TERMINAL):
            yield block_start, newline
            block_start = newline + 1
        pos = newline + 1
    yield block_start, end


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; text[start:end] is the sentence, trimmed of spaces."""
    spans: list[tuple[int, int]] = []
    for b_start, b_end in _blocks(text):
        block = text[b_start:b_end]
        if not block.strip():
            continue
        for piece in get_sentence_boundaries("en", block):
            s, e = piece["start_index"], piece["end_index"]
            chunk = block[s:e]
            stripped = chunk.strip()
            if not stripped:
                continue
            lead = len(chunk) - len(chunk.lstrip())
            start = b_start + s + lead
            spans.append((start, start + len(stripped)))
    return spans


def split_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence: article_id, index, start, end, text."""
    rows = []
    for article_id, text in zip(articles["id"], articles["text"]):
        for index, (start, end) in enumerate(split_sentences(text)):
            rows.append((article_id, index, start, end, text[start:end]))
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)
