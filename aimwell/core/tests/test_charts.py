"""The SVG charts put each point where the arithmetic says (worked out by hand below)."""

from __future__ import annotations

from aimwell.core.charts import bar_chart, line_chart


def test_line_chart_places_points_on_the_scale():
    # width 480, height 160, margin 30: plot 420 x 100. Three points: x = 30, 240, 450.
    # low 0, high 100: y(50) = 30 + 0.5 * 100 = 80; y(100) = 30; y(0) = 130.
    svg = line_chart([("Jan", 50), ("Feb", 100), ("Mar", 0)], label="Score", low=0, high=100)
    assert '<polyline points="30,80 240,30 450,130"' in svg
    assert '<circle cx="240" cy="30" r="3.5"' in svg and "<title>Feb: 100</title>" in svg
    assert 'role="img" aria-label="Score"' in svg


def test_line_chart_threshold_and_single_point():
    # threshold 0.8 on 0..1: y = 30 + 0.2 * 100 = 50; one point sits in the middle, x = 240.
    svg = line_chart([("run 1", 0.6)], label="Ratio", low=0, high=1, threshold=0.8)
    assert 'y1="50" y2="50"' in svg
    assert '<circle cx="240" cy="70" r="3.5"' in svg  # y(0.6) = 30 + 0.4 * 100
    assert "<polyline" not in svg


def test_bar_chart_lengths_are_proportional():
    # width 480, label column 150: plot 480 - 150 - 40 = 290. 75 of 100 -> 217.5; bar 2 at
    # y = 8 + 1 * (18 + 8) = 34.
    svg = bar_chart([("A", 100), ("B", 75)], label="Done", high=100)
    assert '<rect x="150" y="8" width="290" height="18"' in svg
    assert '<rect x="150" y="34" width="217.5" height="18"' in svg
    assert 'viewBox="0 0 480 60"' in svg  # 8 + 2 * 26


def test_labels_are_escaped():
    svg = bar_chart([("<b>", 1)], label="x", high=1)
    assert "&lt;b&gt;" in svg and "<b>" not in svg


def test_findings_group_under_their_top_clause():
    from aimwell.internal_audit.querysets import clause_of

    assert clause_of("9.2.1") == "9"
    assert clause_of("A.6.2.4") == "A.6"
    assert clause_of("10") == "10"
