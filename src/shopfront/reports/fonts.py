"""Fonts for reports, and the one way customer text enters a Paragraph: ``text()``.

DejaVu Sans ships inside the package (``reports/fonts``) and is embedded in every PDF, so
Zoë, Łukasz and Дмитрий print as typed. CJK characters need a CJK font: one found on the
system is used (and embedded); without one they print as a clearly marked code-point
fallback, never as silent boxes.
"""

from __future__ import annotations

import logging
import re
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent / "fonts"
SYSTEM_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
REGULAR, BOLD, CJK = "DejaVuSans", "DejaVuSans-Bold", "ShopfrontCJK"
# TrueType-outline CJK fonts reportlab can embed (CFF/OTF ones such as Noto CJK it can't).
CJK_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/unifont/unifont.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
)
CJK_RUN = re.compile(
    "[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0002ffff]+"
)


@dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str
    cjk: str | None  # None: no CJK font on this system (the marked fallback is used)
    cjk_path: str | None = None


def _font_file(name: str) -> Path:
    for folder in (HERE, SYSTEM_DEJAVU):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"{name} is missing from {HERE}")


def _system_cjk_paths() -> list[str]:
    found = [p for p in CJK_CANDIDATES if Path(p).exists()]
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=5
        ).stdout
        found += [line.split(":")[0].strip() for line in out.splitlines() if line.strip()]
    except (OSError, subprocess.SubprocessError):
        pass
    return [p for p in found if p.lower().endswith((".ttf", ".ttc"))]


def _register_cjk(paths: list[str]) -> str | None:
    for path in paths:
        try:
            pdfmetrics.registerFont(TTFont(CJK, path, subfontIndex=0))
            return path
        except Exception:  # CFF outlines or a damaged file: try the next one
            log.debug("CJK font candidate refused: %s", path)
    return None


@cache
def fonts(allow_cjk: bool = True) -> FontSet:
    """Register the report fonts once per process; returns their names."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(_font_file("DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(BOLD, str(_font_file("DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )
    path = _register_cjk(_system_cjk_paths()) if allow_cjk else None
    log.info("report fonts: DejaVu Sans, CJK %s", "from a system font" if path else "fallback")
    return FontSet(REGULAR, BOLD, CJK if path else None, path)


def _marked(run: str) -> str:
    points = " ".join(f"U+{ord(ch):04X}" for ch in run)
    return f'<font color="#B03A2E">[CJK, no font installed: {points}]</font>'


def text(value: object, font_set: FontSet | None = None) -> str:
    """Customer-supplied (or any) text made safe for a Paragraph: markup characters are
    escaped, line breaks kept, CJK runs put in the CJK font or marked as a fallback."""
    font_set = font_set or fonts()
    out, last = [], 0
    raw = "" if value is None else str(value)
    for match in CJK_RUN.finditer(raw):
        out.append(_plain(raw[last : match.start()]))
        run = match.group(0)
        if font_set.cjk:
            out.append(f'<font name="{font_set.cjk}">{escape(run)}</font>')
        else:
            out.append(_marked(run))
        last = match.end()
    out.append(_plain(raw[last:]))
    return "".join(out)


def _plain(value: str) -> str:
    return escape(value).replace("\r\n", "\n").replace("\n", "<br/>")


def has_cjk(value: str) -> bool:
    return CJK_RUN.search(value) is not None
