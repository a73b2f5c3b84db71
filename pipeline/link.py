"""Stage 3: which actors each sentence refers to.

Matches gazetteer names in the article text (longest match wins, whole words
only), then settles the names that can mean more than one thing using the
article itself, and assigns each mention to its sentence.

Speed: the names are compiled once per gazetteer into one regular expression
shaped as a trie (see `_Matcher`), which `re` scans in C; the regex also checks
the word edges, the "Washington Post" rule and the official's title that may
follow a mention, so Python touches each mention only once.
"""
from __future__ import annotations

import bisect
import re
from typing import NamedTuple

import pandas as pd

from pipeline.gazetteer import PLAIN, Gazetteer, plain

MENTION_COLUMNS = ["article_id", "sentence_index", "actor", "start", "end", "surface"]
# "Washington Post", "Jordan Peterson", "Georgia Tech": an ambiguous name followed
# by another capitalised word is part of another name.
_NAME_CONTINUES = re.compile(r"\s+(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
                             r"January|February|March|April|May|June|July|August|September|October|"
                             r"November|December|On|In|And|But|The)\b)[A-Z][a-z]")


# A sentence that goes on with the speaker of the sentence before: "He said ...",
# "..., she told reporters", "It has also rejected ...". The first two forms open
# the sentence; the third may come anywhere in it.
_PRONOUN_OPENS = re.compile(
    r"\W{0,2}(?:(?P<a>He|She)\b"
    r"|(?P<b>It)\s+(?:has|had|also|said|says|will|would|warned|called|rejected|accused|insisted|added|"
    r"denounced|vowed|threatened|urged|demanded)\b)")
# "he said" / "she said", found by its literal "he" so that `re` can skip ahead fast
_PRONOUN_SAYS = re.compile(r"he\s+(?:said|says|added|told|warned|noted|argued|insisted|stressed|wrote|declared)\b")
# "U.S. Secretary of State Condoleezza Rice", "Russia's foreign minister, Sergei
# Lavrov": an official the article ties to a country; the surname then speaks for it.
_TITLE = (r"(?:Secretary of State|Secretary|Foreign Minister|Foreign Secretary|Minister|President|Prime Minister|"
          r"Premier|Chancellor|Ambassador|Envoy|Spokesman|Spokeswoman|Spokesperson|Negotiator|Adviser|Advisor|"
          r"King|Emir|Crown Prince|Supreme Leader|Leader|Commissioner|Representative|Chief)")


def _case_forms(c: str) -> str:
    """A character class of what `(?i:c)` matches: c, its other case, and "K" (Kelvin), "ſ", "ı", "İ"."""
    forms = [x for x in dict.fromkeys([c, c.lower(), c.upper(), "\u212a", "\u017f", "\u0131", "\u0130"])
             if len(x) == 1 and re.fullmatch("(?i:" + re.escape(c) + ")", x)]
    return "[" + "".join(re.escape(x) for x in forms) + "]"


# The first two letters of every title, as a look-ahead: `re` drops most words after a
# name without trying each title in turn (it changes no match).
_TITLE_START = "(?=" + "|".join(sorted({_case_forms(t[0]) + _case_forms(t[1])
                                        for t in re.findall(r"[A-Za-z][A-Za-z ]+", _TITLE)})) + ")"
_OFFICIAL_TAIL = (r"(?:'s)?\s+(?:(?:[A-Z][\w.-]*|of|the|for|to|and|on|at|deputy|foreign|top)\s+){0,5}?"
                  + _TITLE_START + r"(?i:" + _TITLE + r")"
                  r"(?:\s+(?:of|for|to)\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?)?,?\s+"
                  r"(?:[A-Z][\w'-]+\s+){0,2}?(?P<surname>[A-Z][\w'-]+)\b(?!\s+[A-Z])")
_OFFICIAL = re.compile(_OFFICIAL_TAIL)
# "Michael Jordan", "George Washington", "Thanksgiving Turkey": a name that is also a
# given name or surname (the gazetteer's name parts), right after a capitalised word, is
# part of another name, unless that word opens sentences or describes a country ("In
# Jordan", "Neighbouring Chad") or is a name itself ("Soviet Georgia", "United States").
_NOT_GIVEN_NAMES = frozenset("""
    A An The This That These Those Its Their Our His Her And But Or Nor So Yet Then Now Also Even Only Still
    Both Neither Either Not No Just Already Later Earlier Meanwhile Instead However Here There Today Yesterday
    Tonight Last Next Every Each All Most Many Some Few Why How What Where When While Whether If As At By For
    From In Into Of On Onto Over To Toward Towards Under Upon With Within Without After Before During Despite
    Through Across Among Between Beyond Near Against Unlike Like Including Since Until Once Though Although
    Because Whereas Did Does Do Will Would Should Could Can May Might Must Has Have Had Is Was Are Were Be
    Been Let Whenever Wherever Whatever Maybe Perhaps Publicly Privately Clearly Officially Regarding
    Concerning Conservative Liberal Former Visit Visiting Neighbouring Neighboring Nearby Tiny Small Poor Rich
    Impoverished Landlocked
    Northern Southern Eastern Western Central Greater Modern Ancient Independent Communist Democratic Oil
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
    August September October November December
""".split())
_FORMER = re.compile(r"(?:former|ex-|late|then-)\s*(?:[\w.-]+\s+){0,4}$", re.IGNORECASE)
# The subject of a news sentence comes early: the first mention within this many
# characters of the sentence start is taken for the one who speaks.
SUBJECT_WINDOW = 60


class Mention(NamedTuple):
    start: int
    end: int
    actor: str
    surface: str


_new = tuple.__new__  # Mention(...) without the Python-level __new__ of a named tuple


def _is_word(c: str) -> bool:
    """What `re` calls a word character (\\w)."""
    return c.isalnum() or c == "_"


# ---------------------------------------------------------------------------
# The matcher: every gazetteer name in one trie-shaped regular expression

# Children of a trie node are tried in this order (common letters first) so that
# `re` rejects ordinary words sooner; the order of distinct letters never changes a match.
_ORDER = {c: i for i, c in enumerate("etaoinsrhldcumfpgwybvkxjqzTSACPMBIWHDRFNLGEOJKUVYQZX ")}
_EDGE_AFTER = r"(?![^\W_])"
_NOT_CONTINUED = r"(?!" + _NAME_CONTINUES.pattern + r")"
_TAIL = r"(?:(?=" + _OFFICIAL_TAIL + r"))?"
_FANCY = {}
for _fancy, _simple in PLAIN.items():
    _FANCY.setdefault(_simple, [_simple]).append(_fancy)


def _char(c: str) -> str:
    """A regex for one character of a name: a plain apostrophe or hyphen also matches its typographic forms."""
    return "[" + "".join(re.escape(x) for x in _FANCY[c]) + "]" if c in _FANCY else re.escape(c)


def _chars(s: str) -> str:
    return "".join(_char(c) for c in s)


def _trie(names: dict[str, str] | list[tuple[str, str, tuple]]) -> str:
    """Alternation over names, longest match first.

    `names` maps each name to the regex that must hold where it ends, or lists
    (name, that regex, order) where several endings may share a name: they are tried
    in their order, after every longer name.
    """
    entries = [(n, end, ()) for n, end in names.items()] if isinstance(names, dict) else names
    root: dict = {}
    for name, end, order in entries:
        node = root
        for c in name:
            node = node.setdefault(c, {})
        node.setdefault(None, []).append((order, end))

    def emit(node: dict) -> str:
        alts = [_char(c) + emit(node[c]) for c in sorted((k for k in node if k is not None),
                                                        key=lambda c: (_ORDER.get(c, 99), c))]
        alts += [end for _, end in sorted(node.get(None, []), key=lambda e: e[0])]  # ending here comes last
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(root)


class _Matcher:
    """All names of a gazetteer compiled for one pass of `re` over an article.

    `re` skips fast to the characters a pattern can start with, so the names are
    grouped by what they start with:
    - most start with a capital (or another character that is not lower case): one
      trie, entered at capitals only;
    - "the North", "the bloc", "the kingdom": a second expression, which starts with
      the literal "the " (`re` finds a literal fast); the caller merges the two;
    - "al-Bashir", "el-Sisi": entered at the hyphen, with a look-behind for "al";
    - "de Klerk", "mainland China", "eSwatini": entered at their capital, behind a
      look-behind on the two characters before it. These and the hyphenated ones win
      over names that start at the same capital, as they start earlier.
    """

    def __init__(self, gaz: Gazetteer):
        names = [n for n in gaz.names() if plain(n) == n]  # fancy characters are folded in the text
        ends = {n: _EDGE_AFTER + (_NOT_CONTINUED if (n in gaz.ambiguous or n in gaz.descriptors)
                                  and n not in gaz.titles else "")
                for n in names}
        capital = {n: ends[n] for n in names if not n[0].islower()}
        the = {n: ends[n] for n in names if n[0].islower() and n.startswith("the ")}
        rest = [n for n in names if n[0].islower() and not n.startswith("the ")]
        hyphened = [n for n in rest if _anchor(n) is not None and n[_anchor(n)] == "-"]
        anchored = [n for n in rest if _anchor(n) is not None and n[_anchor(n)] != "-"]
        the.update((n, ends[n]) for n in rest if _anchor(n) is None)  # lower case throughout: scanned with "the"

        # Names entered at a capital or hyphen are paths in the trie from there, with a
        # look-behind for their start where they end: they cost nothing on other words.
        # They come before a name that ends at the same place (they start earlier); one
        # that a longer name goes on from keeps a look-behind where it is entered instead.
        by_first: dict[str, list[tuple[str, str, tuple]]] = {}
        for n, end in capital.items():
            by_first.setdefault(n[0], []).append((n[1:], end, (1,)))
        self.anchored: dict[str, list[tuple[str, str]]] = {}  # text from the anchor -> [(group, name)]
        entered: dict[str, list[tuple[int, int, str, str]]] = {}
        for i, n in enumerate(sorted(anchored) + sorted(hyphened)):
            k = _anchor(n)  # where `re` enters the name
            # a group marks the name; one per form of the anchor (see below), named a<i>_<form>
            self.anchored.setdefault(n[k:], []).extend(
                (f"a{i}_{v}", n) for v in range(len(_FANCY.get(n[k], [n[k]]))))
            mark = f"(?P<a{i}_\x00>)"
            if any(m.startswith(n[k:]) and m != n[k:] for m in capital):
                behind = r"(?<=(?<![^\W_])" + _chars(n[:k + 1]) + r")"
                entered.setdefault(n[k], []).append((-k, -len(n), n[max(0, k - 2):k],
                                                     behind + mark + _chars(n[k + 1:]) + ends[n]))
            else:
                behind = r"(?<=(?<![^\W_])" + _chars(n) + r")"
                by_first.setdefault(n[k], []).append((n[k + 1:], behind + mark + ends[n], (0, -k)))
        alts = []
        for first in sorted(set(by_first) | set(entered), key=lambda c: (_ORDER.get(c, 99), c)):
            inner = []
            if first in entered:
                # behind a cheap look-behind on the two characters before the anchor (most
                # capitals and hyphens start no such name); the two differ from group to group
                groups: dict[str, list] = {}
                for entry in sorted(entered[first]):
                    groups.setdefault(entry[2], []).append(entry[3])
                inner += ["(?<=" + _chars(before + first) + ")(?:" + "|".join(bodies) + ")"
                          for before, bodies in sorted(groups.items())]
            if first in by_first:
                inner.append(_trie(by_first[first]))  # the word edge before a capital is checked by the caller
            body = inner[0] if len(inner) == 1 else "(?:" + "|".join(inner) + ")"
            # one alternative per form of the first character: `re` skips ahead only to literals
            alts += [re.escape(c) + body.replace("\x00", str(v)) for v, c in enumerate(_FANCY.get(first, [first]))]
        self.main = re.compile("(?:" + "|".join(alts) + ")" + _TAIL)
        self.surname_group = self.main.groupindex["surname"]
        self.lower = None
        if the:
            common = _common_prefix(list(the))
            rest_of = {n[len(common):]: end for n, end in the.items()}
            self.lower = re.compile(_chars(common) + r"(?<![^\W_]" + _chars(common) + r")"
                                    + _trie(rest_of) + _TAIL)

        # what each name means, looked up once per match
        self.single: dict[str, str] = {}    # names of exactly one actor, neither short forms nor ambiguous
        self.certain: dict[str, str] = {}   # ... and not ambiguous: they settle "Korea", "Congo"
        for n in names:
            codes = gaz.code_of(n)
            if len(codes) == 1:
                code = next(iter(codes))
                if n not in gaz.ambiguous:
                    self.certain[n] = code
                if n not in gaz.descriptors and n not in gaz.ambiguous:
                    self.single[n] = code
        self.known = set(names) | set(self.anchored)
        self.terms: dict[tuple[str, str], list] = {}  # (person, date) -> terms in office that day


def _anchor(name: str) -> int | None:
    """Where `re` enters a name that starts lower case: its first capital, or the hyphen before it."""
    k = next((j for j, c in enumerate(name) if c.isupper()), None)
    if k is None:
        return None
    return k - 1 if k >= 2 and name[k - 1] == "-" else k


def _common_prefix(names: list[str]) -> str:
    first, last = min(names), max(names)
    i = 0
    while i < min(len(first), len(last)) and first[i] == last[i]:
        i += 1
    return first[:i]


def _matcher(gaz: Gazetteer) -> _Matcher:
    m = gaz.cache.get("link.matcher")
    if m is None:
        m = gaz.cache["link.matcher"] = _Matcher(gaz)
    return m


def prepare(gaz: Gazetteer) -> None:
    """Compile the gazetteer's matcher now rather than on the first article (a one-off cost)."""
    _matcher(gaz)


def _raw_matches(text: str, gaz: Gazetteer) -> list[tuple[int, int, str, str | None]]:
    """Longest, leftmost, non-overlapping whole-word name matches: (start, end, name, official's surname)."""
    mt = _matcher(gaz)
    main, anchored, known, surname_group = mt.main, mt.anchored, mt.known, mt.surname_group
    # names that start with "the", merged below with the rest in text order
    the = [] if mt.lower is None else [(m.start(), m.end(), plain(m.group()), m.group("surname"))
                                       for m in mt.lower.finditer(text)]
    found = []
    last_end = 0
    i, n = 0, len(the)
    pos = 0
    while True:
        for m in main.finditer(text, pos):
            start, end = m.span()
            name = text[start:end]
            if name not in known:
                name = plain(name)
            if name in anchored and any(m.start(group) >= 0 for group, _ in anchored[name]):
                full = next(full for group, full in anchored[name] if m.start(group) >= 0)
                if start - (len(full) - len(name)) < last_end:
                    # it would start inside the name before it: not this name (a rare overlap)
                    pos = start + 1
                    break
                start -= len(full) - len(name)
                name = full
            elif start and text[start - 1].isalnum():
                # inside a word ("McChina"): no name starts here, but one may start inside this match
                pos = start + 1
                break
            while i < n and the[i][0] < start:  # a "the" name before this one
                if the[i][0] >= last_end:
                    found.append(the[i])
                    last_end = the[i][1]
                i += 1
            if start < last_end:
                # "the Islamic Republic of Iran": the earlier name wins; look again after it
                pos = last_end
                break
            found.append((start, end, name, m.group(surname_group)))
            last_end = end
        else:
            break
    for t in the[i:]:
        if t[0] >= last_end:
            found.append(t)
            last_end = t[1]
    return found


def _person_code(alias: str, start: int, text: str, gaz: Gazetteer, date: str | None) -> str | None:
    """The actor a person in office speaks for at the article's date, if any."""
    if not date:
        return None
    cache = _matcher(gaz).terms
    terms = cache.get((alias, date))
    if terms is None:
        terms = cache[(alias, date)] = [t for t in gaz.people[alias]
                                        if t.start <= date and (t.end is None or date <= t.end)]
    for term in terms:
        if term.needs_full_name and text.find(term.name, 0, start) < 0:
            continue
        window = text[max(0, start - 40):start]
        lowered = window.lower()  # a cheap test first: does any of the words occur at all
        if ("former" in lowered or "ex-" in lowered or "late" in lowered or "then-" in lowered) \
                and _FORMER.search(window):
            return None
        return term.code
    return None


def _after_given_name(text: str, start: int, gaz: Gazetteer) -> bool:
    """Whether the name at `start` follows a capitalised word that makes it part of a person's name."""
    if start < 3 or text[start - 1] != " ":
        return False
    k = start - 2
    while k >= 0 and text[k].isalpha():
        k -= 1
    word = text[k + 1:start - 1]
    if len(word) < 2 or not word[0].isupper() or not word[1:].islower():
        return False
    if k >= 0 and not (text[k].isspace() or text[k] in "\"'(\u201c\u2018"):
        return False
    return word not in _NOT_GIVEN_NAMES and word not in gaz.aliases


# "Chad said he would ...": a country is "it"; a person is "he" or "she", and has a family.
_PERSON_AFTER = re.compile(r"\s+(?:said|says|told|tells|added|adds|thinks|thought|hopes|hoped|knows|knew|admits|admitted|"
                           r"insisted|explained|recalled|laughed)\s+(?:that\s+)?(?:he|she)\b"
                           r"|'s\s+(?:wife|husband|mother|father|son|daughter|brother|sister|girlfriend|boyfriend|parents)\b")
_PLACE_BEFORE = re.compile(r"\b(?:in|at|from|to|of|near|across|around|outside|inside)\s+$")
_SENTENCE_END = re.compile(r"[.!?]['\"\u2019\u201d]?\s|\n")


def _other_sense(text: str, start: int, end: int, gaz: Gazetteer) -> bool:
    """Whether a name part (`Chad`, `Turkey`) is a person or a thing here, by the words of its sentence."""
    if _PERSON_AFTER.match(text, end) and not _PLACE_BEFORE.search(text, max(0, start - 8), start):
        return True  # ("everyone in Washington thought he ..." is a place)
    words = gaz.other_senses.get(text[start:end])
    if words is None:
        return False
    # its sentence, roughly: from the last sentence end before it to the next one after it
    left = max(0, start - 150)
    for m in _SENTENCE_END.finditer(text, left, start):
        left = m.end()
    m = _SENTENCE_END.search(text, end, end + 250)
    return words.search(text, left, m.start() if m else min(len(text), end + 250)) is not None


def _official_mentions(text: str, officials: dict[str, str], taken: list[Mention]) -> list[Mention]:
    """Mentions of the officials' surnames that no other mention covers (`taken` is in text order)."""
    starts = [m.start for m in taken]
    extra = []
    for surname, code in officials.items():
        size = len(surname)
        s = text.find(surname)
        while s >= 0:
            e = s + size
            if _boundary(text, s) and _boundary(text, e):  # \bsurname\b
                i = bisect.bisect_left(starts, e) - 1  # the last mention starting before this one ends
                if i < 0 or taken[i].end <= s:
                    extra.append(Mention(s, e, code, surname))
                s = text.find(surname, e)
            else:
                s = text.find(surname, s + 1)
    return extra


def _boundary(text: str, i: int) -> bool:
    """Whether `\\b` holds at position i of text."""
    return (i > 0 and _is_word(text[i - 1])) != (i < len(text) and _is_word(text[i]))


def find_mentions(text: str, gaz: Gazetteer, date: str | None = None) -> list[Mention]:
    """Every mention of an actor in one article, in text order.

    `date` (YYYY-MM-DD) lets heads of state and government and foreign ministers
    in office at that date speak for their country.
    """
    date = date[:10] if isinstance(date, str) and len(date) >= 10 else None
    mt = _matcher(gaz)
    matches = _raw_matches(text, gaz)
    # Codes the article names without doubt settle "Korea", "Congo" and short forms.
    certain_of = mt.certain.get
    certain = {certain_of(a) for _, _, a, _ in matches}
    certain.discard(None)
    single, name_parts, all_caps = mt.single, gaz.name_parts, gaz.all_caps
    mentions: list[Mention] = []
    officials: dict[str, str] = {}
    for index, (start, end, alias, surname) in enumerate(matches):
        code = single.get(alias)
        if code is None:
            if alias in name_parts:
                # (a name part right after another name, "United States Congress", stays)
                in_a_name = (index == 0 or matches[index - 1][1] != start - 1) and _after_given_name(text, start, gaz)
                if in_a_name or _other_sense(text, start, end, gaz):
                    continue
            codes = gaz.code_of(alias)
            if not codes and alias in gaz.people:
                code = _person_code(alias, start, text, gaz, date)
                if code is None:
                    continue
            elif alias in gaz.descriptors:
                # the actor among its candidates that the article named last
                candidates = gaz.descriptors[alias]
                code = next((m.actor for m in reversed(mentions) if m.actor in candidates), None)
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
        mentions.append(_new(Mention, (start, end, code, text[start:end])))
        # (an all-caps headline is no place to tie an official: "RUSSIAN APOLOGY ... President Bach")
        if surname is not None and surname not in officials and alias not in all_caps and not surname.isupper():
            officials[surname] = code
    if officials:
        mentions = sorted(mentions + _official_mentions(text, officials, mentions), key=lambda m: m.start)
    return mentions


def continue_speakers(text: str, spans: list[tuple[int, int]], per_sentence: list[list[Mention]],
                      all_caps: set[str] = frozenset()) -> None:
    """Add a mention at a pronoun that continues the subject actor of the sentence before (in place).

    An all-caps dateline or headline (`all_caps` holds those forms of the names) is no subject.
    """
    n = len(spans)
    # only a sentence after one with a mention can go on with its speaker
    todo = [i + 1 for i, mentions in enumerate(per_sentence) if mentions and i + 1 < n]
    k, chained = 0, -1
    while True:
        if chained >= 0:  # the sentence after one that just got a pronoun
            i, chained = chained, -1
            if k < len(todo) and todo[k] == i:
                k += 1
        elif k < len(todo):
            i = todo[k]
            k += 1
        else:
            break
        previous = per_sentence[i - 1]
        first = previous[0]
        if first.surface in all_caps:
            first = next((m for m in previous if m.surface not in all_caps), None)
            if first is None:
                continue
        if first.start - spans[i - 1][0] > SUBJECT_WINDOW:
            continue
        actor = first.actor
        here = per_sentence[i]
        if here and actor in [x.actor for x in here]:
            continue
        start, end = spans[i]
        found = _pronoun(text, start, end)
        if found is None:
            continue
        s, e = found
        mention = Mention(s, e, actor, text[s:e])
        per_sentence[i] = sorted([*here, mention], key=lambda x: x.start) if here else [mention]
        if i + 1 < n:
            chained = i + 1


def _pronoun(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the sentence text[start:end] refers back to its speaker by a pronoun, if it does."""
    m = _PRONOUN_OPENS.match(text, start, end)
    if m:
        group = "a" if m.group("a") else "b"
        return m.start(group), m.end(group)
    sentence = text[start:end]  # `\b` at the sentence start as in the sentence alone
    pos = 0
    while True:
        m = _PRONOUN_SAYS.search(sentence, pos)
        if m is None:
            return None
        h = m.start()
        if h and sentence[h - 1] == "s":  # "she"
            if h == 1 or not _is_word(sentence[h - 2]):
                return start + h - 1, start + h + 2
        elif h == 0 or not _is_word(sentence[h - 1]):
            return start + h, start + h + 2
        pos = h + 1


def link_text(text: str, spans: list[tuple[int, int]], gaz: Gazetteer,
              date: str | None = None) -> list[list[Mention]]:
    """The mentions of each sentence of one article, pronoun continuations included."""
    starts = [s for s, _ in spans]
    per_sentence: list[list[Mention]] = [[] for _ in spans]
    right = bisect.bisect_right
    for m in find_mentions(text, gaz, date):
        i = right(starts, m.start) - 1
        if i >= 0 and m.end <= spans[i][1]:
            per_sentence[i].append(m)
    continue_speakers(text, spans, per_sentence, gaz.all_caps)
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
