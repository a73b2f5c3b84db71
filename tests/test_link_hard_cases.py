"""Names that mean a country only sometimes, and names written in odd ways (issue #4).

Every sentence here is made up for the test.
"""
import pytest

from pipeline.link import find_mentions, link_text
from pipeline.split import split_sentences


def actors(text, gazetteer, date=None):
    return [(m.surface, m.actor) for m in find_mentions(text, gazetteer, date)]


def codes(text, gazetteer, date=None):
    return {m.actor for m in find_mentions(text, gazetteer, date)}


# --- Georgia: the country, or the U.S. state -------------------------------------

@pytest.mark.parametrize("text", [
    "The rally in Atlanta, Georgia drew thousands.",
    "Georgia's governor signed the bill on Tuesday.",
    "Georgia voters head to the polls in a runoff.",
    "The Georgia Senate race is tight.",
    "Georgia Republicans backed the measure.",
    "He spent the summer in Savannah, Georgia, with his family.",
    "The governor of Georgia vetoed it.",
])
def test_georgia_the_us_state_is_no_actor(gazetteer, text):
    assert "GEO" not in codes(text, gazetteer)


@pytest.mark.parametrize("text", [
    "Georgia and Russia fought a short war in 2008.",
    "Tbilisi said Georgia would not join the sanctions.",
    "Georgia's foreign ministry condemned the move.",
])
def test_georgia_the_country(gazetteer, text):
    assert "GEO" in codes(text, gazetteer)


# --- Jordan, Chad, Washington as people or places that are no country ------------------

@pytest.mark.parametrize("text, absent", [
    ("Michael Jordan scored forty points.", "JOR"),
    ("Fans of Michael Jordan queued all night.", "JOR"),
    ("Chad Johnson said the team would travel.", "TCD"),
    ("Coach Chad Reed praised the defence.", "TCD"),
    ("George Washington crossed the river.", "USA"),
    ("A statue of George Washington stood in the square.", "USA"),
    ("Seattle is the largest city in Washington state.", "USA"),
    ("The Washington Post reported the story.", "USA"),
])
def test_people_and_states_named_like_countries(gazetteer, text, absent):
    assert absent not in codes(text, gazetteer)


@pytest.mark.parametrize("text, present", [
    ("Jordan said it would enforce the embargo.", "JOR"),
    ("Troops from Chad and Niger patrolled the border.", "TCD"),
    ("Washington imposed new sanctions on Tehran.", "USA"),
    ("King Abdullah of Jordan met the envoy.", "JOR"),
])
def test_the_same_names_as_countries(gazetteer, text, present):
    assert present in codes(text, gazetteer)


# --- Turkey the bird ---------------------------------------------------------------

def test_turkey_the_bird_is_no_actor(gazetteer):
    assert codes("We ate roast turkey at Thanksgiving.", gazetteer) == set()
    assert codes("The Thanksgiving turkey was pardoned at the White House.", gazetteer) == {"USA"}
    assert "TUR" not in codes("Thanksgiving Turkey recipes fill the magazines.", gazetteer)


def test_turkey_the_country(gazetteer):
    assert codes("Turkey bought Russian missiles despite the sanctions.", gazetteer) == {"TUR", "RUS"}


# --- names inside names ----------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Nigeria and Niger signed a pact.", [("Nigeria", "NGA"), ("Niger", "NER")]),
    ("Nigerian and Nigerien officials met.", [("Nigerian", "NGA"), ("Nigerien", "NER")]),
    ("The Democratic Republic of the Congo and the Republic of the Congo share a river.",
     [("Democratic Republic of the Congo", "COD"), ("Republic of the Congo", "COG")]),
    ("Congo-Brazzaville and Congo-Kinshasa traded accusations.",
     [("Congo-Brazzaville", "COG"), ("Congo-Kinshasa", "COD")]),
    ("DR Congo rejected the report.", [("DR Congo", "COD")]),
    ("Guinea, Guinea-Bissau, Equatorial Guinea and Papua New Guinea sent delegates.",
     [("Guinea", "GIN"), ("Guinea-Bissau", "GNB"), ("Equatorial Guinea", "GNQ"), ("Papua New Guinea", "PNG")]),
    ("Pirates attacked a tanker in the Gulf of Guinea.", []),
])
def test_names_inside_names(gazetteer, text, expected):
    assert actors(text, gazetteer) == expected


def test_bare_congo_needs_the_article_to_say_which(gazetteer):
    assert actors("Congo held elections.", gazetteer) == []
    found = actors("The Democratic Republic of Congo voted. Congo said it would comply.", gazetteer)
    assert found[-1] == ("Congo", "COD")


# --- Korea ---------------------------------------------------------------------------

def test_korea_alone(gazetteer):
    assert actors("Korea held talks.", gazetteer) == []
    assert ("Korea", "KOR") in actors("South Korea voted. Korea's exports fell.", gazetteer)
    # both Koreas named: bare Korea stays unsettled
    assert "Korea" not in [s for s, _ in actors("North Korea and South Korea met. Korea was split.", gazetteer)]


def test_the_north_and_the_south_after_korea(gazetteer):
    text = "North Korea and South Korea met at the border. The North wanted aid; the South wanted talks."
    assert actors(text, gazetteer)[-2:] == [("The North", "PRK"), ("the South", "KOR")]
    assert actors("Voters in the South backed the governor.", gazetteer) == []


# --- capitals, datelines and headlines -------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("SEOUL - North Korea fired a missile on Monday.", ["KOR", "PRK"]),
    ("MOSCOW (Reuters) - The Kremlin rejected the new measures.", ["RUS", "RUS"]),
    ("U.S. SANCTIONS RUSSIA OVER HACKING\nThe State Department acted on Friday.", ["USA", "RUS", "USA"]),
    ("BEIJING, March 3 - China said it opposed the move.", ["CHN", "CHN"]),
])
def test_all_caps_datelines_and_headlines(gazetteer, text, expected):
    assert [a for _, a in actors(text, gazetteer)] == expected


def test_all_caps_words_in_ordinary_prose_stay_unlinked(gazetteer):
    assert actors("Fans shouted JOIN US at the gate.", gazetteer) == []


# --- compounds, possessives and the EU -------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("The U.S.-led coalition struck again.", [("U.S.", "USA")]),
    ("Sino-Russian trade grew.", [("Sino", "CHN"), ("Russian", "RUS")]),
    ("The Sino-American talks stalled.", [("Sino", "CHN"), ("American", "USA")]),
    ("China's envoy and Iran's minister met.", [("China", "CHN"), ("Iran", "IRN")]),
    ("China\u2019s envoy met Iran\u2019s minister.", [("China", "CHN"), ("Iran", "IRN")]),
    ("The EU and the European Union's members agreed in Brussels.",
     [("EU", "EUU"), ("European Union", "EUU"), ("Brussels", "EUU")]),
    ("The E.U. extended the measures.", [("E.U.", "EUU")]),
])
def test_compounds_possessives_and_the_eu(gazetteer, text, expected):
    assert actors(text, gazetteer) == expected


def test_offsets_hold_in_every_hard_case(gazetteer):
    text = ("SEOUL - Atlanta, Georgia and Georgia's capital Tbilisi. Michael Jordan met Jordan's king. "
            "U.S. SANCTIONS RUSSIA. Sino-Russian ties; the North.")
    spans = split_sentences(text)
    for mentions in link_text(text, spans, gazetteer):
        for m in mentions:
            assert text[m.start:m.end] == m.surface


# --- what the linker cannot tell yet -----------------------------------------------------

def test_a_given_name_alone_is_a_person_by_its_pronoun(gazetteer):
    assert "TCD" not in codes("Chad said he would drive the team bus.", gazetteer)
    assert "JOR" not in codes("Jordan's wife runs the bakery on Main Street.", gazetteer)
    # a country is "it"
    assert codes("Chad said it would enforce the embargo.", gazetteer) == {"TCD"}
    assert codes("Jordan told the council that it backed the sanctions.", gazetteer) == {"JOR"}


def test_the_bird_at_the_start_of_a_sentence(gazetteer):
    assert "TUR" not in codes("Turkey is the centrepiece of the holiday meal.", gazetteer)
    assert "TUR" not in codes("Leftovers again. Turkey sandwiches, then turkey soup.", gazetteer)
    # the words of another sentence do not count
    assert codes("We cooked a roast. Turkey said it would not join the sanctions.", gazetteer) == {"TUR"}
    assert codes("Turkey bought S-400 missiles, and Washington answered with sanctions.", gazetteer) == {"TUR", "USA"}


def test_an_other_sense_needs_a_name_part(tmp_path):
    from pipeline.gazetteer import load_gazetteer

    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("TUR:\n  names: [Turkey]\n  other_sense:\n    Turkey: [roast]\n")
    with pytest.raises(ValueError, match="other_sense 'Turkey' of TUR must be one of its name parts"):
        load_gazetteer(aliases)


# --- bodies and members of a legislature named without their country ----------------

def test_bodies_and_senators_speak_for_the_country_named_before(gazetteer):
    text = ("The United States imposed sanctions on Turkey. The administration said more could follow. "
            "Senator Bob Menendez called the step overdue. The Treasury named two ministers.")
    per_sentence = {m.surface: m.actor for m in find_mentions(text, gazetteer)}
    assert per_sentence["The administration"] == "USA" and per_sentence["The Treasury"] == "USA"
    assert per_sentence["Senator"] == "USA"
    # before any country is named, they refer to nothing
    assert codes("Senator Smith and the administration disagreed.", gazetteer) == set()
    # the Treasury of the country named last, of its candidates
    assert codes("Britain froze the assets. The Treasury said so.", gazetteer) == {"GBR"}


def test_a_title_must_be_a_descriptor(tmp_path):
    from pipeline.gazetteer import load_gazetteer

    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("USA:\n  names: [United States]\ntitles: [Senator]\n")
    with pytest.raises(ValueError, match="title 'Senator' must be one of the descriptors"):
        load_gazetteer(aliases)
