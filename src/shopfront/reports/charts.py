"""Twelve-month trend charts drawn with reportlab graphics (vector, print-sharp)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.renderbase import STATE_DEFAULTS
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from shopfront.core.kpis import MonthCounts
from shopfront.reports.layout import ACCENT, ALERT, INK, MUTED

SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _labels(trend: Sequence[MonthCounts]) -> list[str]:
    return [SHORT[int(m.label[5:7]) - 1] for m in trend]


def _title(drawing: Drawing, text: str, font: str) -> None:
    drawing.add(String(0, drawing.height - 10, text, fontName=font, fontSize=9, fillColor=INK))


def _axes(chart, labels: list[str], font: str) -> None:  # noqa: ANN001
    chart.categoryAxis.categoryNames = labels
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = font
        axis.labels.fontSize = 6.5
        axis.labels.fillColor = MUTED
        axis.strokeColor = MUTED
    chart.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.valueMin = 0
    chart.valueAxis.forceZero = True


def bar_chart(
    title: str, values: list[float], trend: Sequence[MonthCounts], font: str, scale: str = ""
) -> Drawing:
    drawing = Drawing(240, 130)
    _title(drawing, title + scale, font)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 28, 16, 205, 95
    chart.data = [values]
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    _axes(chart, _labels(trend), font)
    if not any(values):
        chart.valueAxis.valueMax = 1
    drawing.add(chart)
    return drawing


def line_chart(
    title: str, values: list[float | None], trend: Sequence[MonthCounts], font: str
) -> Drawing:
    """A rate per month; months with nothing to divide by are left as gaps."""
    drawing = Drawing(240, 130)
    _title(drawing, title, font)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 28, 16, 205, 95
    present = [v for v in values if v is not None]
    drawable = len(present) >= 2  # a line needs two points; fewer is said in words
    chart.data = [list(values) if drawable else [0.0] * len(values)]
    chart.lines[0].strokeColor = ALERT if drawable else None
    chart.lines[0].strokeWidth = 1.5
    chart.joinedLines = 1
    _axes(chart, _labels(trend), font)
    chart.valueAxis.valueMax = max(5.0, max(present, default=0) * 1.2)
    drawing.add(chart)
    if not drawable:
        note = "n/a: fewer than two months with visits"
        drawing.add(String(40, 60, note, fontName=font, fontSize=7, fillColor=MUTED))
    return drawing


def trend_drawings(trend: Sequence[MonthCounts], font: str, currency: str) -> list[Drawing]:
    """Appointments, revenue, no-show rate and late-cancel rate over 12 months."""
    # Every drawing starts by selecting the graphics default font (Helvetica, never
    # embedded); shopfront draws nothing else with reportlab graphics, so it becomes ours.
    STATE_DEFAULTS["fontName"] = font
    return [
        bar_chart("Appointments per month", [m.appointments for m in trend], trend, font),
        bar_chart(
            "Revenue per month",
            [m.revenue_minor / 100 for m in trend],
            trend,
            font,
            f" ({currency})",
        ),
        line_chart("No-show rate, %", [m.no_show_rate.percent for m in trend], trend, font),
        line_chart("Late-cancel rate, %", [m.late_cancel_rate.percent for m in trend], trend, font),
    ]
