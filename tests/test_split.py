import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sentencex import get_sentence_boundaries, segment

from pipeline.split import split_articles, split_sentences


def sentences(text):
    return [text[s:e] for s, e in split_sentences(text)]


def test_news_abbreviations_do_not_end_sentences():
    text = "The U.S. and the U.N. agreed on Oct. 14 to act. Gen. Smith of Acme Co. disagreed."
    assert sentences(text) == ["The U.S. and the U.N. agreed on Oct. 14 to act.", "Gen. Smith of Acme Co. disagreed."]


@pytest.mark.parametrize("text, expected", [
    ("Sen. Ada Reyes and Rep. Tom Hale of Acme Inc. met Gov. Lin on Monday. They talked.",
     ["Sen. Ada Reyes and Rep. Tom Hale of Acme Inc. met Gov. Lin on Monday.", "They talked."]),
    # titles sentencex does not know
    ("The note reached Ms. Okafor and Amb. Varga before Atty. Gen. Park saw it. Nobody replied.",
     ["The note reached Ms. Okafor and Amb. Varga before Atty. Gen. Park saw it.", "Nobody replied."]),
    ("Troops left Ft. Hood in Oct. 2019 for the Gulf. More followed.",
     ["Troops left Ft. Hood in Oct. 2019 for the Gulf.", "More followed."]),
    # an abbreviation that does end the sentence
    ("The fine was paid by Orbis Shipping Co. It did not appeal.",
     ["The fine was paid by Orbis Shipping Co.", "It did not appeal."]),
    ("The order came from the U.S. They had not expected it.",
     ["The order came from the U.S.", "They had not expected it."]),
    # "no." before a capitalised abbreviation ends the sentence; "No." before a number does not
    ("Asked about a waiver, the minister said no. Sen. Ruiz called that a mistake.",
     ["Asked about a waiver, the minister said no.", "Sen. Ruiz called that a mistake."]),
    ("Resolution No. 2397 passed. It capped fuel imports.", ["Resolution No. 2397 passed.", "It capped fuel imports."]),
    # a clock time before a weekday
    ("The deadline passed at 5 p.m. Friday without a deal. Talks resumed.",
     ["The deadline passed at 5 p.m. Friday without a deal.", "Talks resumed."]),
    ("Sen. Lee, R-Utah, and Sen. Kaine, D-Va., voted no. The bill failed.",
     ["Sen. Lee, R-Utah, and Sen. Kaine, D-Va., voted no.", "The bill failed."]),
])
def test_news_abbreviations(text, expected):
    assert sentences(text) == expected


def test_dateline_stays_with_first_sentence():
    text = "SEOUL, Oct. 19 (Reuters) - South Korea said it would comply. It gave no date."
    assert sentences(text)[0].startswith("SEOUL, Oct. 19 (Reuters) - South Korea said")
    assert len(sentences(text)) == 2


@pytest.mark.parametrize("text, expected", [
    ("WASHINGTON (Reuters) - The U.S. Treasury on Tuesday blacklisted two tankers. Both fly Panama's flag.",
     ["WASHINGTON (Reuters) - The U.S. Treasury on Tuesday blacklisted two tankers.", "Both fly Panama's flag."]),
    ("ST. LOUIS (AP) - A grain trader said it would stop shipping to the region. Shares fell.",
     ["ST. LOUIS (AP) - A grain trader said it would stop shipping to the region.", "Shares fell."]),
    # a dateline on a line of its own belongs to the sentence below it
    ("SEOUL -\nNorth Korea fired two missiles on Sunday. Japan protested.",
     ["SEOUL -\nNorth Korea fired two missiles on Sunday.", "Japan protested."]),
    ("UNITED NATIONS, March 2 (Reuters) -\nThe Security Council extended the panel's mandate.",
     ["UNITED NATIONS, March 2 (Reuters) -\nThe Security Council extended the panel's mandate."]),
])
def test_datelines(text, expected):
    assert sentences(text) == expected


def test_headline_and_paragraphs_are_their_own_sentences():
    text = "Tokyo Seeks Talks\n\nJapan wants a meeting. Seoul agrees.\nShort caption line\nBody goes on here."
    assert sentences(text) == ["Tokyo Seeks Talks", "Japan wants a meeting.", "Seoul agrees.",
                               "Short caption line", "Body goes on here."]


@pytest.mark.parametrize("text, expected", [
    # an all-caps headline with abbreviations, right above the dateline
    ("U.S., E.U. WIDEN CURBS ON STEEL FIRMS\nBRUSSELS (Reuters) - The two sides named nine firms on Monday.",
     ["U.S., E.U. WIDEN CURBS ON STEEL FIRMS", "BRUSSELS (Reuters) - The two sides named nine firms on Monday."]),
    # longer than a short headline, but all in capitals
    ("TREASURY ADDS THREE SHIPPING COMPANIES AND TWELVE VESSELS TO ITS SANCTIONS LIST\n"
     "The move targets oil sales.",
     ["TREASURY ADDS THREE SHIPPING COMPANIES AND TWELVE VESSELS TO ITS SANCTIONS LIST", "The move targets oil sales."]),
    ("Minsk Faces New Curbs\nBy Ana Ruiz\nThe bloc agreed on a fourth package on Friday.",
     ["Minsk Faces New Curbs", "By Ana Ruiz", "The bloc agreed on a fourth package on Friday."]),
    # an all-caps headline over two lines stays whole; a caps dateline below it is not glued to it
    ("OIL PRICES JUMP AS\nTANKER IS SEIZED\nDUBAI (Reuters) - Brent rose 3 percent.",
     ["OIL PRICES JUMP AS\nTANKER IS SEIZED", "DUBAI (Reuters) - Brent rose 3 percent."]),
    ("GULF TENSIONS RISE\nDUBAI -\nBrent rose 3 percent on Monday.",
     ["GULF TENSIONS RISE", "DUBAI -\nBrent rose 3 percent on Monday."]),
    # short lines of a list, and the sentence after it
    ("Key measures\n- Oil exports capped\n- Two banks cut off\nThe rest comes in May.",
     ["Key measures", "- Oil exports capped", "- Two banks cut off", "The rest comes in May."]),
])
def test_headlines_without_full_stop(text, expected):
    assert sentences(text) == expected


def test_hard_wrapped_prose_is_joined():
    text = ("The Security Council voted on Saturday to impose sanctions on the\n"
            "North over its nuclear test, after a week of talks in New York.")
    assert len(split_sentences(text)) == 1


def test_short_wrapped_line_ending_in_a_function_word_is_joined():
    text = "The order was signed by the\nU.S. Treasury on Monday. It names six firms."
    assert sentences(text) == ["The order was signed by the\nU.S. Treasury on Monday.", "It names six firms."]


def test_narrow_hard_wrap_with_capitalised_line_starts_is_joined():
    text = ("Ministers from the Gulf met in Doha on\n"
            "Monday and agreed to press the United\n"
            "Nations for a ceasefire, officials said.\n"
            "The talks go on in Geneva next week.")
    assert sentences(text) == [
        "Ministers from the Gulf met in Doha on\nMonday and agreed to press the United\nNations for a ceasefire, officials said.",
        "The talks go on in Geneva next week.",
    ]


def test_heading_inside_a_hard_wrapped_block():
    text = ("Exports of grain fell by a third in the first quarter, the customs\n"
            "office said, and fuel exports by almost half.\n"
            "Banks Cut Off\n"
            "Two more lenders lost access to the payments network in March, which\n"
            "left most trade to be settled in cash or barter.")
    assert sentences(text)[1:] == [
        "Banks Cut Off",
        "Two more lenders lost access to the payments network in March, which\n"
        "left most trade to be settled in cash or barter.",
    ]


def test_quote_that_ends_a_sentence():
    text = '"It requires a strong commitment," she said. "Any steps must follow the resolution." He left.'
    assert sentences(text) == ['"It requires a strong commitment," she said.',
                               '"Any steps must follow the resolution."', "He left."]


@pytest.mark.parametrize("text, expected", [
    ("\u201cWe will not bow to pressure,\u201d the minister said. \u201cNever.\u201d The talks ended.",
     ["\u201cWe will not bow to pressure,\u201d the minister said.", "\u201cNever.\u201d", "The talks ended."]),
    ("He called the embargo \u201cillegal.\u201d The ministry agreed.",
     ["He called the embargo \u201cillegal.\u201d", "The ministry agreed."]),
    ("The envoy asked, \u201cWhy now?\u201d Nobody answered.", ["The envoy asked, \u201cWhy now?\u201d", "Nobody answered."]),
    ("She called the plan 'a dead end.' Aides disagreed.", ["She called the plan 'a dead end.'", "Aides disagreed."]),
])
def test_quotes(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The bill does three things: 1. It bans imports of gold 2. It freezes assets 3. It bars travel",
     ["The bill does three things:", "1. It bans imports of gold", "2. It freezes assets", "3. It bars travel"]),
    ("1. Freeze the assets. 2. Ban the flights. 3. Review in June.",
     ["1. Freeze the assets.", "2. Ban the flights.", "3. Review in June."]),
    ("a. Oil exports b. Bank transfers c. Arms sales", ["a. Oil exports", "b. Bank transfers", "c. Arms sales"]),
    ("1) Freeze the assets 2) Ban the flights", ["1) Freeze the assets", "2) Ban the flights"]),
    ("\u20437. Freeze the assets \u20438. Ban the flights", ["\u20437. Freeze the assets", "\u20438. Ban the flights"]),
    ("Steps:\n1. Freeze the assets.\n2. Ban the flights.", ["Steps:", "1. Freeze the assets.", "2. Ban the flights."]),
])
def test_lists(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize("text, expected", [
    # numbers and letters that only look like list markers
    ("The team was ranked No. 1. Its rival was No. 2. Both were fined.",
     ["The team was ranked No. 1.", "Its rival was No. 2.", "Both were fined."]),
    ("Output fell 1.5 percent in March. In April it rose 2.1 percent.",
     ["Output fell 1.5 percent in March.", "In April it rose 2.1 percent."]),
    ("The plan has a. b. and c. versions, he said. It is long.",
     ["The plan has a. b. and c. versions, he said.", "It is long."]),
])
def test_not_lists(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The aid talks went nowhere . . . and then they stopped. Diplomats left.",
     ["The aid talks went nowhere . . . and then they stopped.", "Diplomats left."]),
    ("He said the deal was... fine. Others were less sure.", ["He said the deal was... fine.", "Others were less sure."]),
    ("It had been agreed. . . . The rest was left open.", ["It had been agreed.", ". . . The rest was left open."]),
    ("The clause ran on and on . . . . Then came the vote.", ["The clause ran on and on . . . .", "Then came the vote."]),
    ("I never said that.... He left the room.", ["I never said that....", "He left the room."]),
])
def test_ellipses(text, expected):
    assert sentences(text) == expected


def test_long_article_where_sentencex_leaves_out_a_paragraph_break():
    # sentencex's segment() drops a paragraph break in long texts (here near
    # 10,000 characters); the offsets must still point at the right text.
    para = "The council met on Monday to weigh new measures against the shipping firm. Officials said a vote could come soon."
    text = "\n\n".join(f"{para} Item {i}." for i in range(120))
    assert "".join(segment("en", text)) != text  # the case this test is about
    expected = [(b["start_index"], b["end_index"]) for b in get_sentence_boundaries("en", text) if b["text"].strip()]
    expected = [(s + len(text[s:e]) - len(text[s:e].lstrip()), s + len(text[s:e].rstrip())) for s, e in expected]
    assert split_sentences(text) == expected


def test_split_articles_rows():
    import pandas as pd

    df = split_articles(pd.DataFrame({"id": ["a", "b"], "text": ["One. Two.", ""]}))
    assert df.to_dict("records") == [
        {"article_id": "a", "index": 0, "start": 0, "end": 4, "text": "One."},
        {"article_id": "a", "index": 1, "start": 5, "end": 9, "text": "Two."},
    ]


def check_offsets(text):
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


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", " ", ".", "!", "?", "\n", '"', "'", "U.S.", "Mr. ", "\u201d", "\t",
                                  "\u00e9", "Iran ", "\n\n", "Oct. 9"]), max_size=60).map("".join))
def test_offsets_point_into_the_text(text):
    check_offsets(text)


# Pieces that set off each repair (lists, headings, titles, clock times,
# ellipses), so random mixes of them exercise the code that moves boundaries.
NEWS_PIECES = ["1. ", "2. ", "3) ", "a. ", "b. ", "\u2043", "9.", "SEOUL -\n", "NORTH KOREA FIRES\n", "Short Head\n",
               ". . . ", "...", "Ms. ", "Amb. ", "no. ", "Sen. ", "p.m. ", "Friday ", "U.S. ", "The ", "said ", "it. ",
               "\u201cYes.\u201d ", ": ", "\n", "\n\n", " ", "x"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(NEWS_PIECES), max_size=40).map("".join))
def test_offsets_point_into_the_text_with_news_pieces(text):
    check_offsets(text)
