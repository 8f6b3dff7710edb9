"""Server-drawn histograms: one bar per bin, heights on one scale, named for screen readers,
and nothing the content security policy would block."""

import xml.etree.ElementTree as ET

from eventhub.judging.svg import PLOT_HEIGHT, bar_heights, histogram

NS = {"svg": "http://www.w3.org/2000/svg"}


def _chart(bars, **kwargs):
    kwargs.setdefault("chart_id", "judge-7-scores")
    kwargs.setdefault("title", "Scores given by Jo Judge")
    kwargs.setdefault("desc", "Level 1: 1 score.")
    return ET.fromstring(str(histogram(bars, **kwargs)))


def test_histogram_draws_a_bar_per_level_with_heights_in_proportion():
    root = _chart([("1", 1), ("2", 0), ("3", 2), ("4", 0), ("5", 1)])

    rects = root.findall(".//svg:rect", NS)
    heights = [float(r.get("height")) for r in rects]
    bottoms = {float(r.get("y")) + float(r.get("height")) for r in rects}
    texts = [t.text for t in root.findall(".//svg:text", NS)]

    assert heights == [50.0, 0.0, 100.0, 0.0, 50.0]
    assert len(bottoms) == 1  # every bar stands on the same baseline
    assert texts == ["1", "1", "0", "2", "2", "3", "0", "4", "1", "5"]


def test_histogram_is_one_named_image_for_assistive_technology():
    root = _chart([("1", 3)], desc="Level 1: 3 scores.")

    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)

    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "judge-7-scores-title judge-7-scores-desc"
    assert title.get("id") == "judge-7-scores-title" and title.text == "Scores given by Jo Judge"
    assert desc.get("id") == "judge-7-scores-desc" and desc.text == "Level 1: 3 scores."


def test_histogram_uses_presentation_attributes_never_style_or_script():
    markup = str(histogram([("1", 2), ("2", 5)], chart_id="c", title="t", desc="d"))
    root = ET.fromstring(markup)

    assert "style" not in markup and "<script" not in markup and "on" not in root.attrib
    assert all("style" not in element.attrib for element in root.iter())
    assert root.find("svg:g", NS).get("fill")
    assert root.get("width") and root.get("height")


def test_histogram_escapes_names_in_its_title():
    markup = str(histogram([("1", 1)], chart_id="c", title='<script>"x"</script>', desc="d"))

    assert "<script>" not in markup
    assert ET.fromstring(markup).find("svg:title", NS).text == '<script>"x"</script>'


def test_bar_heights_of_no_scores_are_all_zero():
    assert bar_heights([0, 0, 0]) == [0.0, 0.0, 0.0]
    assert bar_heights([4, 1]) == [PLOT_HEIGHT, PLOT_HEIGHT / 4]
