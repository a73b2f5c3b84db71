import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SHARED
from pipeline.link import find_mentions, link_text
from pipeline.split import split_sentences


def actors(text, gazetteer):
    return [(m.surface, m.actor) for m in find_mentions(text, gazetteer)]


@pytest.mark.parametrize("text, expected", [
    ("Russia's envoy and Chinese diplomats met.", [("Russia", "RUS"), ("Chinese", "CHN")]),
    ("Beijing and the Kremlin objected; Brussels agreed.", [("Beijing", "CHN"), ("Kremlin", "RUS"), ("Brussels", "EUU")]),
    ("Troops left Nigeria for Niger.", [("Nigeria", "NGA"), ("Niger", "NER")]),
    ("South Korea and North Korean officials.", [("South Korea", "KOR"), ("North Korean", "PRK")]),
    ("The U.S.-led coalition.", [("U.S.", "USA")]),
    ("Latin American leaders met in South America.", []),
    ("The Washington Post reported from Washington.", [("Washington", "USA")]),
    ("Russia\u2019s foreign ministry.", [("Russia", "RUS")]),
    ("Europeans and Europe worried.", []),
])
def test_names_demonyms_seats_and_non_actors(gazetteer, text, expected):
    assert actors(text, gazetteer) == expected


def test_bare_korea_is_settled_by_the_article(gazetteer):
    assert ("Korea", "PRK") in actors("North Korea tested a bomb. Korea's neighbours worried.", gazetteer)
    assert "Korea" not in [s for s, _ in actors("Korea held talks.", gazetteer)]


def test_short_forms_need_the_actor_named_first(gazetteer):
    assert actors("The North fired a missile.", gazetteer) == []
    found = actors("North Korea tested. The North and the communist state refused; the bloc did not.", gazetteer)
    assert found == [("North Korea", "PRK"), ("The North", "PRK"), ("the communist state", "PRK")]
    # "the North Korean ..." is the demonym, not the short form
    assert actors("North Korea said the North Korean army was ready.", gazetteer)[1] == ("North Korean", "PRK")


def test_pronoun_continues_the_subject_of_the_sentence_before(gazetteer):
    text = "North Korea rejected the talks. It has also demanded that Washington lift restrictions. It is unclear why."
    spans = split_sentences(text)
    linked = link_text(text, spans, gazetteer)
    assert [(m.surface, m.actor) for m in linked[1]] == [("It", "PRK"), ("Washington", "USA")]
    assert linked[2] == []  # "It is unclear" refers to nobody


def check_offsets(text, gazetteer, date=None):
    for m in find_mentions(text, gazetteer, date):
        assert text[m.start:m.end] == m.surface
    spans = split_sentences(text)
    for (start, end), mentions in zip(spans, link_text(text, spans, gazetteer, date)):
        for m in mentions:
            assert text[m.start:m.end] == m.surface
            assert start <= m.start < m.end <= end


# pieces that trip the matcher: names in names, typographic apostrophes, all caps, given
# names, short forms, officials, pronouns, word edges that are not ASCII letters
PIECES = ["Iran", "Russia's", "Russia\u2019s", " ", ". ", "\n\n", "U.S.", "U.S.-led", "the North", "The South",
          "Korea", "North Korean", "He said", "she told", "It has", "Niger", "Nigeria", "ia", "Guinea", "-Bissau",
          "Papua New ", "\u2019s", "Latin America", "x", "\u00e9", "_", "MOSCOW", " (Reuters) - ", "SANCTIONS",
          "Michael ", "Jordan", "Chad", "George ", "Washington", " state", "Georgia", "'s governor", "Sino-", "EU",
          "Secretary of State ", "Rice", "Foreign Minister ", "Lavrov", "al-", "Bashir", "mainland China",
          "the bloc", "Thanksgiving ", "Turkey", ",", "Putin"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), st.sampled_from([None, "2006-10-14", "2019-06-01"]))
def test_offsets_point_into_random_text(gazetteer, text, date):
    check_offsets(text, gazetteer, date)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_offsets_point_into_any_text(gazetteer, text):
    check_offsets(text, gazetteer)


@pytest.fixture(scope="module")
def corpus_texts(corpus_articles):
    return list(zip(corpus_articles["text"], corpus_articles["date"]))


def test_offsets_point_into_the_corpus(gazetteer, corpus_texts):
    for text, date in corpus_texts:
        check_offsets(text, gazetteer, date)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_offsets_point_into_slices_of_real_articles(gazetteer, corpus_texts, data):
    # a slice starts and ends anywhere, inside a name or a word too
    text, date = data.draw(st.sampled_from(corpus_texts))
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 2000)))
    check_offsets(text[start:end], gazetteer, date)


@pytest.mark.skipif(not (SHARED / "realnews" / "allsides-dev.jsonl").exists(), reason="no real news beside the project")
def test_offsets_point_into_real_news(gazetteer):
    with open(SHARED / "realnews" / "allsides-dev.jsonl") as f:
        for line in f:
            check_offsets(json.loads(line)["text"], gazetteer)
