"""Page setup shared by every report: paper size, styles, tables, header and footer.

Customer text goes through ``fonts.text`` (escaped); labels written here are trusted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from shopfront.reports.fonts import FontSet, fonts, has_cjk, text

PAGE_SIZES = {"A4": A4, "Letter": LETTER}
INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#666666")
RULE = colors.HexColor("#BBBBBB")
ZEBRA = colors.HexColor("#F3F5F8")
ACCENT = colors.HexColor("#2E5C8A")
ALERT = colors.HexColor("#B03A2E")


class Cancelled(Exception):
    """The user cancelled while the report was being built."""


Progress = Callable[[float], bool]  # fraction done -> keep going?


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    head_right: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    title: ParagraphStyle
    note: ParagraphStyle


def styles(font_set: FontSet) -> Styles:
    r, b = font_set.regular, font_set.bold
    body = ParagraphStyle("body", fontName=r, fontSize=10, leading=13, textColor=INK)
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=MUTED),
        cell=ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
        cell_bold=ParagraphStyle("cellb", parent=body, fontName=b, fontSize=8.5, leading=10.5),
        cell_right=ParagraphStyle(
            "cellr", parent=body, fontSize=8.5, leading=10.5, alignment=TA_RIGHT
        ),
        head_right=ParagraphStyle(
            "headr", parent=body, fontName=b, fontSize=8.5, leading=10.5, alignment=TA_RIGHT
        ),
        h1=ParagraphStyle(
            "h1", parent=body, fontName=b, fontSize=15, leading=19, spaceBefore=10, spaceAfter=6
        ),
        h2=ParagraphStyle(
            "h2", parent=body, fontName=b, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4
        ),
        title=ParagraphStyle("title", parent=body, fontName=b, fontSize=26, leading=32),
        note=ParagraphStyle("note", parent=body, fontSize=9, leading=12, textColor=MUTED),
    )


class Document:
    """A report being built: page size, fonts, styles and a footer line."""

    def __init__(self, paper: str, title: str, footer: str) -> None:
        self.font_set = fonts()
        self.styles = styles(self.font_set)
        self.size = PAGE_SIZES.get(paper, A4)
        self.title, self.footer = title, footer
        self._styles: dict[tuple[str, float], ParagraphStyle] = {}

    def p(self, markup: str, style: ParagraphStyle | None = None) -> Paragraph:
        """A paragraph of trusted markup (labels); wrap customer text with ``self.t``."""
        return Paragraph(markup, style or self.styles.body)

    def t(self, value: object) -> str:
        return text(value, self.font_set)

    def cell(
        self, value: object, bold: bool = False, right: bool = False, size: float = 0
    ) -> Paragraph:
        st = self.styles
        style = (st.head_right if bold else st.cell_right) if right else None
        style = style or (st.cell_bold if bold else st.cell)
        if size:
            style = self._sized(style, size)
        return Paragraph(self.t(value), style)

    def _sized(self, style: ParagraphStyle, size: float) -> ParagraphStyle:
        key = (style.name, size)
        if key not in self._styles:
            self._styles[key] = ParagraphStyle(
                f"{style.name}{size}", parent=style, fontSize=size, leading=size + 2
            )
        return self._styles[key]

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[object]],
        widths: Sequence[float] | None = None,
        align_right: Sequence[int] = (),
        size: float = 0,
    ) -> Table:
        """A zebra table; every cell is escaped text (header labels included).

        Right-aligned columns hold numbers, dates and money: those cells are drawn as plain
        strings (never parsed as markup, and a quarter of a Paragraph's cost) unless they
        need CJK glyphs or a line break."""
        right = set(align_right)
        data = [[self.cell(h, True, i in right, size) for i, h in enumerate(header)]]
        data += [[self._body_cell(c, i in right, size) for i, c in enumerate(row)] for row in rows]
        usable = self.size[0] - 36 * mm
        col_widths = [usable * w for w in widths] if widths else None
        table = Table(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
        commands = [
            # a font for plain-string cells, else Helvetica (never embedded)
            ("FONT", (0, 0), (-1, -1), self.font_set.regular, size or 8.5, (size or 8.5) + 2),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        commands += [("ALIGN", (c, 1), (c, -1), "RIGHT") for c in right]
        commands += [("BACKGROUND", (0, i), (-1, i), ZEBRA) for i in range(2, len(data), 2)]
        table.setStyle(TableStyle(commands))
        return table

    def _body_cell(self, value: object, right: bool, size: float) -> object:
        if isinstance(value, Flowable):
            return value
        plain = "" if value is None else str(value)
        if right and "\n" not in plain and not has_cjk(plain):
            return plain
        return self.cell(value, False, right, size)

    def _decorate(self, canvas, doc) -> None:  # noqa: ANN001 (reportlab callback)
        canvas.saveState()
        canvas.setFont(self.font_set.regular, 7.5)
        canvas.setFillColor(MUTED)
        width = self.size[0]
        canvas.drawString(18 * mm, 10 * mm, self.footer)
        canvas.drawRightString(width - 18 * mm, 10 * mm, f"{self.title} · page {doc.page}")
        canvas.setStrokeColor(RULE)
        canvas.line(18 * mm, 13 * mm, width - 18 * mm, 13 * mm)
        canvas.restoreState()

    def build(self, story: list[Flowable], target: Path | BytesIO, author: str = "") -> int:
        """Write the PDF; returns its page count."""
        doc = BaseDocTemplate(
            target if isinstance(target, BytesIO) else str(target),
            pagesize=self.size,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=18 * mm,
            title=self.title,
            author=author,
            creator="shopfront",
            initialFontName=self.font_set.regular,  # no unembedded Helvetica in the file
        )
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
        doc.addPageTemplates([PageTemplate("page", frames=[frame], onPage=self._decorate)])
        doc.build(story)
        return doc.page


def keep_going(progress: Progress | None, fraction: float) -> None:
    if progress is not None and not progress(fraction):
        raise Cancelled
