"""Country-level report: stance of each actor over time."""
import pandas as pd

from pipeline.trends import plot_stance_over_time, stance_over_time


def scored(rows):
    return pd.DataFrame([{"article_id": f"a{i}", "date": d, "actor": a, "stance": s}
                         for i, (d, a, s) in enumerate(rows)])


def test_counts_per_period_and_the_moves_between_them(tmp_path):
    table, undated = stance_over_time(scored([
        ("2017-03-01", "CHN", "opposed"), ("2017-06-01", "CHN", "opposed"), ("2017-07-01", "CHN", "reluctant"),
        ("2018-02-01", "CHN", "supportive"), ("2018-05-01", "CHN", "supportive"),
        ("2019-01-01", "CHN", "none"),
        ("2020-01-01", "CHN", "supportive"),
        ("2017-01-01", "USA", "supportive"), ("2018-01-01", "USA", "supportive"),
        ("not a date", "USA", "opposed"), (None, "RUS", "opposed"),
    ]), "year")
    assert undated == 2
    chn = table[table["actor"] == "CHN"].set_index("period")
    assert chn.loc["2017", ["opposed", "reluctant", "articles"]].tolist() == [2, 1, 3]
    assert chn.loc["2017", "share_opposed"] == round(2 / 3, 3)
    assert chn["dominant"].tolist() == ["opposed", "supportive", "none", "supportive"]
    # China moved from opposed to supportive in 2018; a year of silence is no move.
    assert chn["moved_from"].dropna().to_dict() == {"2018": "opposed"}
    assert table[table["actor"] == "USA"]["moved_from"].isna().all()

    png = tmp_path / "trends.png"
    assert plot_stance_over_time(table, png) == ["CHN", "USA"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_quarters_split_a_year():
    table, _ = stance_over_time(scored([("2017-02-01", "IRN", "opposed"), ("2017-11-01", "IRN", "opposed")]),
                                "quarter")
    assert table["period"].tolist() == ["2017Q1", "2017Q4"]
