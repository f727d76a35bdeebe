"""The measures of GB/T 9704-2012 党政机关公文格式, in one place.

Both writers (DOCX and PDF) and the tests that measure their paper read these numbers, so a
correction to the layout is made here once. Lengths are in millimetres unless the name says
`_PT` (points, 1/72 inch); the clause of the standard each number comes from is beside it.
"""
from __future__ import annotations

MM_PER_PT = 25.4 / 72


def mm_to_pt(mm: float) -> float:
    return mm / MM_PER_PT


def pt_to_mm(pt: float) -> float:
    return pt * MM_PER_PT


# --- 5.2 幅面: A4 --------------------------------------------------------------------------------
PAGE_WIDTH = 210.0
PAGE_HEIGHT = 297.0

# --- 5.2.2 版心: 156 mm × 225 mm; 天头 (top margin) 37 mm, 订口 (left margin) 28 mm -------------
TEXT_WIDTH = 156.0
TEXT_HEIGHT = 225.0
MARGIN_TOP = 37.0
MARGIN_LEFT = 28.0
MARGIN_RIGHT = PAGE_WIDTH - MARGIN_LEFT - TEXT_WIDTH      # 26 mm
MARGIN_BOTTOM = PAGE_HEIGHT - MARGIN_TOP - TEXT_HEIGHT    # 35 mm

# --- 5.2.3 / 6.1 字体字号, 行数和字数: 3号仿宋, 22 lines of 28 characters filling the 版心 ----------
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
#: 3号 (body, 密级, 紧急程度, 发文字号, 签发人, 主送, 附件说明, 署名, 成文日期, 附注).
BODY_PT = 16.0
#: 2号 (the title, 7.3.1).
TITLE_PT = 22.0
#: 4号 (版记 and the page number, 7.4 and 7.5).
SMALL_PT = 14.0
#: The line pitch that puts 22 lines in 225 mm (≈ 28.99 pt) and the character pitch that puts
#: 28 characters in 156 mm (≈ 15.79 pt, a little under the 16 pt glyph: the standard's own
#: rounding, which Word's document grid makes up by squeezing each character).
LINE_PITCH_PT = mm_to_pt(TEXT_HEIGHT) / LINES_PER_PAGE
CHAR_PITCH_PT = mm_to_pt(TEXT_WIDTH) / CHARS_PER_LINE

# --- 7.2.4 发文机关标志: red, 小标宋, its top edge 35 mm below the 版心's top edge ---------------------
ISSUER_MARK_TOP = 35.0
ISSUER_MARK_RGB = (0xFF, 0x00, 0x00)
#: No size is set by the standard ("醒目、美观、庄重"): the mark is as large as this and never
#: wider than ISSUER_MARK_MAX_WIDTH; a joint mark's names are smaller to stack.
ISSUER_MARK_MAX_PT = 56.0
JOINT_MARK_MAX_PT = 36.0
ISSUER_MARK_MAX_WIDTH = 150.0
#: 7.2.5 发文字号: two blank lines below the mark.
DOC_NO_LINES_BELOW_MARK = 2

# --- 7.2.7 版头中的分隔线: 4 mm below the 发文字号, red, as wide as the 版心 -----------------------------
SEPARATOR_BELOW_DOC_NO = 4.0
#: The standard gives the red line no thickness: it is drawn as thick as the 版记's thick line.
SEPARATOR_THICKNESS = 0.35
#: 7.3.1 标题: two blank lines below the separator.
TITLE_LINES_BELOW_SEPARATOR = 2
#: The title's lines hold at most this many 2号 characters (156 mm / 22 pt, rounded down).
TITLE_CHARS_PER_LINE = int(mm_to_pt(TEXT_WIDTH) // TITLE_PT)

# --- 7.3.3 正文: each paragraph indented two characters; the four levels of headings ----------------
PARAGRAPH_INDENT_CHARS = 2
#: 7.3.5.2 署名 two characters from the right; 成文日期 two characters right of the 署名's first.
SIGNATURE_RIGHT_CHARS = 2
DATE_SHIFT_CHARS = 2
#: 7.3.5.1 (a seal pressed by hand): 成文日期 four characters from the right, each 署名 centred
#: above it; two blank lines under the text so that the seal's top (a 42 mm seal pressed on the
#: names and the date, its centre a little above them) comes within one line of the text.
SEALED_DATE_RIGHT_CHARS = 4
SEALED_LINES_BELOW_TEXT = 2

# --- 7.4 版记: first and last lines thick, those between thin; the last on the 版心's bottom edge --------
IMPRINT_THICK = 0.35
IMPRINT_THIN = 0.25
#: 抄送 and 印发机关 one 4号 character in from either side.
IMPRINT_SIDE_CHARS = 1

# --- 7.5 页码: 4号 半角宋体 `— n —`, its dashes 7 mm below the 版心; odd right, even left, one character in ---
PAGE_NUMBER_BELOW_TEXT = 7.0
PAGE_NUMBER_SIDE_CHARS = 1

#: The number's words (`— 1 —`) are the office's: app/templates/paper/gbt9704.toml.


# --- The office's fonts (7.2–7.5), as a Word document names them --------------------------------------
FONT_XIAOBIAOSONG = "方正小标宋简体"
FONT_FANGSONG = "仿宋_GB2312"
FONT_HEITI = "黑体"
FONT_KAITI = "楷体_GB2312"
FONT_SONGTI = "宋体"

#: The font of each level of heading in the body (7.3.3): 一、黑体；（一）楷体；1. and （1） 仿宋.
HEADING_FONTS = {1: FONT_HEITI, 2: FONT_KAITI, 3: FONT_FANGSONG, 4: FONT_FANGSONG}
