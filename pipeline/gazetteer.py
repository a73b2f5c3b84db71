"""Names by which news refers to countries and the EU, mapped to actor codes.

Names and codes come from pycountry; the curated file in seeds/ adds what news
writers use and pycountry lacks: short and old names, demonyms, capitals and
seats of government, bodies of state. The linker compiles `Gazetteer.names()`
into its matcher once per gazetteer (kept in `Gazetteer.cache`).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
import yaml

EXTRA_CODES = {"EUU": "European Union", "XKX": "Kosovo"}
ALIAS_KINDS = ("names", "demonyms", "seats", "bodies")
# The alias file's key for names that contain an alias but are no actor
# ("Latin America", "Korean Peninsula"): they win the longest match and map to nothing.
NOT_ACTORS = "not_actors"
# Typographic apostrophes and dashes, matched as their plain forms (same length, so offsets hold).
PLAIN = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2011": "-"}
# The alias file's key for short forms fixed by the article ("the North", "the
# bloc", "the kingdom"): each lists the actors it can mean, and refers to the one
# the article named last.
DESCRIPTORS = "descriptors"
# Descriptors written before a person's name ("Senator Bob Menendez"): unlike other
# descriptors they count when a capitalised word follows.
TITLES = "titles"


def plain(text: str) -> str:
    """The text with typographic apostrophes made plain; str.replace is far faster than translate."""
    for fancy, simple in PLAIN.items():
        if fancy in text:
            text = text.replace(fancy, simple)
    return text


@dataclass(frozen=True)
class Term:
    """A person in office: who they speak for and when."""

    code: str
    start: str            # ISO dates compare as strings
    end: str | None
    name: str
    needs_full_name: bool  # an ambiguous surname counts only after the full name


@dataclass
class Gazetteer:
    codes: dict[str, str]                      # code -> display name
    aliases: dict[str, set[str]]               # alias -> codes
    ambiguous: set[str] = field(default_factory=set)   # aliases often not a country
    descriptors: dict[str, set[str]] = field(default_factory=dict)  # short form -> actors it may mean
    people: dict[str, list[Term]] = field(default_factory=dict)      # name or alias -> terms of office
    blockers: set[str] = field(default_factory=set)   # names that contain an alias but are no actor
    name_parts: set[str] = field(default_factory=set)  # ambiguous aliases that are also people's names
    all_caps: set[str] = field(default_factory=set)    # all-caps forms of names (datelines, headlines)
    titles: set[str] = field(default_factory=set)     # descriptors that come before a name
    # name part -> words that, in the same sentence, mean its other sense ("Turkey ... roast")
    other_senses: dict[str, re.Pattern] = field(default_factory=dict)
    # work derived once per gazetteer by its users (the linker's compiled matcher)
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    def code_of(self, alias: str) -> set[str]:
        return self.aliases.get(alias, set())

    def names(self) -> list[str]:
        """Every name the linker looks for: aliases, short forms, blocking names and people."""
        return list(dict.fromkeys([*self.aliases, *self.descriptors, *self.blockers, *self.people]))


def valid_codes() -> dict[str, str]:
    codes = {c.alpha_3: c.name for c in pycountry.countries}
    codes.update(EXTRA_CODES)
    return codes


def _pycountry_names() -> dict[str, set[str]]:
    names: dict[str, set[str]] = defaultdict(set)
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            # "Korea, Republic of" and "Bolivia (Plurinational State of)" never occur in prose
            if name and "," not in name and "(" not in name:
                names[name].add(country.alpha_3)
    return names


def load_people(path: Path | str, codes: dict[str, str]) -> dict[str, list[Term]]:
    """Heads of state and government and foreign ministers, by every name they go by."""
    with open(path, encoding="utf-8") as f:
        listed = yaml.safe_load(f) or {}
    people: dict[str, list[Term]] = defaultdict(list)
    for code, entries in listed.items():
        if code not in codes:
            raise ValueError(f"{path}: {code!r} is not an ISO 3166-1 alpha-3 code or EUU")
        for e in entries:
            start, end = str(e["start"]), None if e.get("end") is None else str(e["end"])
            full = e["name"]
            people[full].append(Term(code, start, end, full, False))
            for alias in e.get("aliases") or []:
                people[str(alias)].append(Term(code, start, end, full, False))
            for alias in e.get("ambiguous_aliases") or []:
                people[str(alias)].append(Term(code, start, end, full, True))
    return dict(people)


def load_gazetteer(alias_path: Path | str, leaders_path: Path | str | None = None) -> Gazetteer:
    codes = valid_codes()
    aliases = _pycountry_names()
    ambiguous: set[str] = set()
    name_parts: set[str] = set()
    other_senses: dict[str, re.Pattern] = {}
    with open(alias_path, encoding="utf-8") as f:
        curated = yaml.safe_load(f) or {}
    blockers = [str(n) for n in curated.pop(NOT_ACTORS, None) or []]
    descriptors: dict[str, set[str]] = {}
    for phrase, candidates in (curated.pop(DESCRIPTORS, None) or {}).items():
        for form in {phrase, phrase[0].upper() + phrase[1:]}:
            descriptors[form] = set(candidates)
    titles = {str(t) for t in curated.pop(TITLES, None) or []}
    for title in titles:
        if title not in descriptors:
            raise ValueError(f"{alias_path}: title {title!r} must be one of the descriptors")
    for code, entry in curated.items():
        if code not in codes:
            raise ValueError(f"{alias_path}: {code!r} is not an ISO 3166-1 alpha-3 code, EUU or XKX")
        for kind in ALIAS_KINDS:
            for alias in (entry or {}).get(kind) or []:
                aliases[str(alias)].add(code)
        ambiguous.update(str(a) for a in (entry or {}).get("ambiguous") or [])
        for part in (entry or {}).get("name_parts") or []:
            if str(part) not in ambiguous or code not in aliases.get(str(part), ()):
                raise ValueError(f"{alias_path}: name part {part!r} of {code} must be one of its ambiguous aliases")
            name_parts.add(str(part))
        for part, words in ((entry or {}).get("other_sense") or {}).items():
            if str(part) not in name_parts:
                raise ValueError(f"{alias_path}: other_sense {part!r} of {code} must be one of its name parts")
            other_senses[str(part)] = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
    all_caps = _add_all_caps(aliases, ambiguous, blockers)
    people = load_people(leaders_path, codes) if leaders_path else {}
    return Gazetteer(codes=codes, aliases=dict(aliases), ambiguous=ambiguous, descriptors=descriptors,
                     people=people, blockers=set(blockers), name_parts=name_parts,
                     all_caps=all_caps, titles=titles, other_senses=other_senses)


def _add_all_caps(aliases: dict[str, set[str]], ambiguous: set[str], blockers: list[str]) -> set[str]:
    """Names as all-caps datelines and headlines write them ("MOSCOW (Reuters) -", "U.S. SANCTIONS RUSSIA").

    An all-caps form means what its names mean and is as ambiguous; one that is already a
    name of its own ("USA", "EU") keeps its own meaning. Short forms and people are left out.
    """
    upper: dict[str, set[str]] = defaultdict(set)
    doubtful: set[str] = set()
    for name, name_codes in aliases.items():
        caps = name.upper()
        if caps != name and caps not in aliases:
            upper[caps] |= name_codes
            if name in ambiguous:
                doubtful.add(caps)
    for caps, caps_codes in upper.items():
        aliases[caps] = caps_codes
        if caps in doubtful or len(caps_codes) > 1:
            ambiguous.add(caps)
    blockers += [b.upper() for b in blockers if b.upper() not in aliases and b.upper() != b]
    return set(upper)


def gazetteer_from_params(link: dict, root: Path | str = ".") -> Gazetteer:
    """The gazetteer the `link` params describe (paths relative to `root`)."""
    leaders = link.get("leaders")
    return load_gazetteer(Path(root) / link["aliases"], Path(root) / leaders if leaders else None)
