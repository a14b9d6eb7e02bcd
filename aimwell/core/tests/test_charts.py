"""The SVG charts put each point where the arithmetic says (worked out by hand below)."""

from __future__ import annotations

from aimwell.core.charts import bar_chart, line_chart, paired_grids


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


def test_paired_grids_put_each_count_in_its_cell_on_both_sides():
    # cell 36, gap 40, margin 24: the grids start at y = 24 + 18 = 42; the left one at x = 24,
    # the right one at x = 24 + 2 * 36 + 40 = 136. Size: 2 * 24 + 2 * 72 + 40 = 232 wide,
    # 42 + 2 * 36 + 24 = 138 high. A count sits at the cell's centre, 4.5 below for the baseline.
    svg = paired_grids(
        [[1, 0], [0, 2]],
        [[0, 0], [3, 0]],
        [["#a00", "#b00"], ["#c00", "#d00"]],
        titles=("Before", "After"),
        label="Moves",
    )
    assert 'viewBox="0 0 232 138"' in svg
    assert '<rect x="24" y="42" width="36" height="36" fill="#a00"' in svg
    assert '<rect x="136" y="78" width="36" height="36" fill="#c00"' in svg
    assert (
        'x="42" y="64.5" font-size="13" font-weight="bold" fill="#1b2430" text-anchor="middle">1<'
        in svg
    )
    assert (
        'x="78" y="100.5" font-size="13" font-weight="bold" fill="#1b2430" text-anchor="middle">2<'
        in svg
    )
    assert (
        'x="154" y="100.5" font-size="13" font-weight="bold" fill="#1b2430" text-anchor="middle">3<'
        in svg
    )
    # Empty cells carry no number: three counts, eight cells.
    assert svg.count('font-weight="bold"') == 3 and svg.count("<rect") == 8
    assert ">Before</text>" in svg and ">After</text>" in svg


def test_labels_are_escaped():
    svg = bar_chart([("<b>", 1)], label="x", high=1)
    assert "&lt;b&gt;" in svg and "<b>" not in svg


def test_findings_group_under_their_top_clause():
    from aimwell.internal_audit.querysets import clause_of

    assert clause_of("9.2.1") == "9"
    assert clause_of("A.6.2.4") == "A.6"
    assert clause_of("10") == "10"
