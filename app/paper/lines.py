"""Breaking Chinese text into the lines of a character grid (GB/T 9704-2012 6.1: 28 to a line).

The PDF writer sets every character in a cell of the grid, as Word's document grid does:
a Chinese character or full-width mark fills one cell, a half-width digit or Latin letter
half of one. A line never opens with a closing mark (，。）…) nor ends with an opening one
(（《“): the character before moves down with it, so such a line holds a cell less — the
same rule (避头尾) Word applies to Chinese text.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

NO_LINE_START = frozenset("，。、；：？！）》」』〕】”’…—·%,.;:?!)]")
NO_LINE_END = frozenset("（《「『〔【“‘([")


@dataclass(frozen=True)
class Glyph:
    """One character in its cell: `cell` counts from the line's left edge, in cells."""

    cell: float
    char: str
    face: str


def cells(char: str) -> float:
    """A character's width in grid cells: half for the half-width forms (digits, Latin)."""
    return 0.5 if ord(char) < 0x2000 else 1.0


def text_cells(text: str) -> float:
    return sum(cells(c) for c in text)


def break_lines(runs: list[tuple[str, str]], width: float, first_indent: float = 0.0,
                indent: float = 0.0) -> list[list[Glyph]]:
    """The glyphs of `runs` ((text, face) pairs, one paragraph) on lines of `width` cells,
    the first starting `first_indent` cells in, the others `indent` cells in."""
    chars = [(char, face) for text, face in runs for char in text if char not in "\r\n"]
    lines: list[list[Glyph]] = []
    line: list[tuple[str, str]] = []
    pos = first_indent
    for char, face in chars:
        w = cells(char)
        if pos + w > width + 1e-9 and line:
            carry: list[tuple[str, str]] = []
            if char in NO_LINE_START and len(line) > 1:
                carry.insert(0, line.pop())
            while len(line) > 1 and line[-1][0] in NO_LINE_END:
                carry.insert(0, line.pop())
            lines.append(_placed(line, first_indent if not lines else indent))
            line = carry
            pos = indent + sum(cells(c) for c, _f in carry)
        line.append((char, face))
        pos += w
    if line:
        lines.append(_placed(line, first_indent if not lines else indent))
    return lines


def _placed(line: list[tuple[str, str]], start: float) -> list[Glyph]:
    glyphs, pos = [], start
    for char, face in line:
        glyphs.append(Glyph(pos, char, face))
        pos += cells(char)
    return glyphs


def _word_ends(title: str) -> set[int]:
    """The positions in `title` where a word ends (rjieba's segmentation of Chinese), a mark
    kept with the word it belongs to: a break may fall only there."""
    import rjieba

    ends, position = set(), 0
    for word in rjieba.cut(title):
        position += len(word)
        ends.add(position)
    return {end for end in ends if 0 < end < len(title) and title[end] not in NO_LINE_START
            and title[end - 1] not in NO_LINE_END and not title[end - 1].isdigit()}   # 2026|年度 stays whole


def _inside_marks(title: str) -> set[int]:
    """Positions inside a 《…》 or （…）: a break there splits a name, allowed only when nothing better fits."""
    inside, depth = set(), 0
    for i, char in enumerate(title):
        if char in "《（":
            depth += 1
        elif char in "》）":
            depth = max(0, depth - 1)
        if depth:
            inside.add(i + 1)
    return inside


def title_lines(title: str, per_line: int) -> list[str]:
    """A long title on lines of about equal length (7.3.1: 梯形 or 菱形, the words kept whole —
    a line never ends inside a word, nor inside a 《name》 when a break outside fits — none
    opening with a closing mark."""
    title = title.strip()
    if len(title) <= per_line:
        return [title] if title else []
    count = math.ceil(len(title) / per_line)
    ends = sorted(_word_ends(title))
    inside = _inside_marks(title)
    mean = len(title) / count
    best: dict[tuple[int, int], tuple[float, list[int]]] = {(0, 0): (0.0, [])}
    for line in range(1, count + 1):          # each line's end, by the least unevenness so far
        for (start, lines), (cost, cuts) in list(best.items()):
            if lines != line - 1:
                continue
            targets = ends + [len(title)] if line == count else ends
            for end in targets:
                if end <= start or end - start > per_line or (line < count and end == len(title)):
                    continue
                if line == count and end != len(title):
                    continue
                penalty = (end - start - mean) ** 2 + (4 * per_line if end in inside else 0)
                if line < count:                # of two even splits, the longer line first (a 梯形)
                    penalty -= end / 1000
                key = (end, line)
                if key not in best or cost + penalty < best[key][0]:
                    best[key] = (cost + penalty, cuts + [end])
    found = best.get((len(title), count))
    if found is None:                          # a word longer than a line: break by length
        return _even_lines(title, count)
    cuts = [0] + found[1]
    return [title[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


def _even_lines(title: str, count: int) -> list[str]:
    size = math.ceil(len(title) / count)
    parts = [title[i:i + size] for i in range(0, len(title), size)]
    for i in range(1, len(parts)):
        while parts[i] and parts[i][0] in NO_LINE_START:
            parts[i - 1] += parts[i][0]
            parts[i] = parts[i][1:]
    return [part for part in parts if part]


def signature_columns(names: list[str], date: str, width: int, right: int, shift: int) -> tuple[float, float]:
    """Where the 署名 and the 成文日期 start, in cells (GB/T 9704-2012 7.3.5.2): the longest name
    ends `right` cells from the right, the date starts `shift` cells right of the names — unless
    the date is the longer, then it ends `right` cells from the right and the names move left."""
    longest = max((text_cells(n) for n in names), default=0.0)
    start = width - right - longest
    date_start = start + shift
    if date_start + text_cells(date) > width - right:
        date_start = width - right - text_cells(date)
        if names:
            start = date_start - shift
    return max(start, 0.0), max(date_start, 0.0)


def sealed_columns(names: list[str], date: str, width: int, right: int) -> tuple[list[float], float]:
    """Where each 署名 and the 成文日期 start, in cells, when a seal is pressed (GB/T 9704-2012
    7.3.5.1): the date ends `right` cells from the right and each name is centred above it, kept
    inside the 版心 when it is much longer."""
    date_cells = text_cells(date)
    date_start = max(width - right - date_cells, 0.0)
    centre = date_start + date_cells / 2 if date else width - right - max(
        (text_cells(n) for n in names), default=0.0) / 2
    starts = []
    for name in names:
        start = centre - text_cells(name) / 2
        starts.append(max(min(start, width - text_cells(name)), 0.0))
    return starts, date_start
