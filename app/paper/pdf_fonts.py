"""The free fonts the PDF embeds in place of the office's typefaces, and why these.

The office prints with 方正小标宋简体, 仿宋_GB2312, 楷体_GB2312 and 黑体, which may not be
shipped. The PDF is made with reportlab (exact placement of every character on the
standard's 22 × 28 grid, no system libraries), and reportlab embeds TrueType outlines only —
not the CFF outlines of Noto CJK's OpenType files. So the substitutes are TrueType fonts
Debian ships (installed by .ci/run):

- 宋体, 仿宋 → AR PL UMing CN (fonts-arphic-uming): a Ming (宋) face in the mainland's glyph
  forms; no free 仿宋 exists in Debian, and a 宋 face is the nearest in weight and shape;
- 小标宋 → the same face drawn with a thin outline stroke (the heavier 标宋 look);
- 楷体 → AR PL UKai CN (fonts-arphic-ukai);
- 黑体 → WenQuanYi Zen Hei (fonts-wqy-zenhei).
"""
from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

#: face → (reportlab name, file, index in the collection, Debian package).
FACES = {
    "songti": ("PaperSong", "/usr/share/fonts/truetype/arphic/uming.ttc", 0, "fonts-arphic-uming"),
    "fangsong": ("PaperSong", "/usr/share/fonts/truetype/arphic/uming.ttc", 0, "fonts-arphic-uming"),
    "xiaobiaosong": ("PaperSong", "/usr/share/fonts/truetype/arphic/uming.ttc", 0, "fonts-arphic-uming"),
    "kaiti": ("PaperKai", "/usr/share/fonts/truetype/arphic/ukai.ttc", 0, "fonts-arphic-ukai"),
    "heiti": ("PaperHei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, "fonts-wqy-zenhei"),
}
#: Faces drawn with an outline stroke as well as filled (fraction of the size).
STROKED = {"xiaobiaosong": 0.025}


class PaperFontsMissing(RuntimeError):
    """A font file the PDF needs is not installed."""


def font_name(face: str) -> str:
    """The registered reportlab name of a face, registering its file on first use."""
    name, path, index, package = FACES[face]
    if name not in pdfmetrics.getRegisteredFontNames():
        if not Path(path).is_file():
            raise PaperFontsMissing(f"{path} is missing: install the Debian package {package}")
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
    return name


def ascent_descent(face: str, size: float) -> tuple[float, float]:
    """The face's ascent and (negative) descent at `size`, in points."""
    return pdfmetrics.getAscentDescent(font_name(face), size)


def width(text: str, face: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font_name(face), size)
