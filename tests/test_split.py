from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.split import split_sentences


def sentences(text):
    return [text[s:e] for s, e in split_sentences(text)]


def test_news_abbreviations_do_not_end_sentences():
    text = "The U.S. and the U.N. agreed on Oct. 14 to act. Gen. Smith of Acme Co. disagreed."
    assert sentences(text) == ["The U.S. and the U.N. agreed on Oct. 14 to act.", "Gen. Smith of Acme Co. disagreed."]


def test_dateline_stays_with_first_sentence():
    text = "SEOUL, Oct. 19 (Reuters) - South Korea said it would comply. It gave no date."
    assert sentences(text)[0].startswith("SEOUL, Oct. 19 (Reuters) - South Korea said")
    assert len(sentences(text)) == 2


def test_headline_and_paragraphs_are_their_own_sentences():
    text = "Tokyo Seeks Talks\n\nJapan wants a meeting. Seoul agrees.\nShort caption line\nBody goes on here."
    assert sentences(text) == ["Tokyo Seeks Talks", "Japan wants a meeting.", "Seoul agrees.",
                               "Short caption line", "Body goes on here."]


def test_quote_that_ends_a_sentence():
    text = '"It requires a strong commitment," she said. "Any steps must follow the resolution." He left.'
    assert sentences(text) == ['"It requires a strong commitment," she said.',
                               '"Any steps must follow the resolution."', "He left."]


def test_hard_wrapped_prose_is_joined():
    text = ("The Security Council voted on Saturday to impose sanctions on the\n"
            "North over its nuclear test, after a week of talks in New York.")
    assert len(split_sentences(text)) == 1


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", " ", ".", "!", "?", "\n", '"', "'", "U.S.", "Mr. ", "\u201d", "\t",
                                  "\u00e9", "Iran ", "\n\n", "Oct. 9"]), max_size=60).map("".join))
def test_offsets_point_into_the_text(text):
    spans = split_sentences(text)
    last = 0
    for start, end in spans:
        piece = text[start:end]
        assert piece and piece == piece.strip()
        assert start >= last  # in order, never overlapping
        last = end
    # nothing but whitespace is left out
    covered = "".join(text[s:e] for s, e in spans)
    assert "".join(covered.split()) == "".join(text.split())
