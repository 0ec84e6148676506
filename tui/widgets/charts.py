"""Text charts drawn with block and braille characters: a sparkline, a heatmap and a point canvas."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from rich.text import Text

SPARK = "▁▂▃▄▅▆▇█"
SHADES = " ·░▒▓█"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
BRAILLE_BASE = 0x2800
BRAILLE_DOTS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
DOT_BITS = np.array(BRAILLE_DOTS, dtype=np.int64)
FloatArray = npt.NDArray[np.float64]


def sparkline(values: Sequence[float]) -> str:
    """One block character per value, scaled to the largest."""
    top = max(values, default=0)
    if top <= 0:
        return " " * len(values)
    return "".join(
        SPARK[min(len(SPARK) - 1, int(v / top * (len(SPARK) - 1) + 0.5))] if v > 0 else " " for v in values
    )


def heatmap(grid: Sequence[Sequence[float]]) -> Text:
    """Weekday rows by 24 hour columns (two characters each), shaded by share of the busiest cell."""
    top = max((v for row in grid for v in row), default=0)
    text = Text("     " + "".join(f"{h:02d}    " for h in range(0, 24, 3)).rstrip() + "\n", style="dim")
    for day, row in zip(WEEKDAYS, grid, strict=False):
        text.append(f"{day}  ", style="bold")
        for value in row:
            level = 0 if top <= 0 or value <= 0 else 1 + int(value / top * (len(SHADES) - 2))
            text.append(SHADES[level] * 2, style="green")
        text.append("\n")
    return text


class BrailleCanvas:
    """A grid of braille cells, each 2 dots wide and 4 high, with labels drawn over the dots."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.cells = [[0] * width for _ in range(height)]
        self.labels: dict[tuple[int, int], tuple[str, str]] = {}

    def dot(self, x: float, y: float) -> None:
        """Set the dot at (x, y) in [0, 1] x [0, 1], y growing upwards."""
        px = min(self.width * 2 - 1, max(0, int(x * self.width * 2)))
        py = min(self.height * 4 - 1, max(0, int((1 - y) * self.height * 4)))
        self.cells[py // 4][px // 2] |= BRAILLE_DOTS[py % 4][px % 2]

    def dots(self, xs: FloatArray, ys: FloatArray) -> None:
        """Set the dots at many (x, y) in [0, 1) x [0, 1), y growing upwards; others fall off the canvas."""
        px = np.floor(np.asarray(xs, dtype=np.float64) * self.width * 2)
        py = np.floor((1 - np.asarray(ys, dtype=np.float64)) * self.height * 4)
        inside = (px >= 0) & (px < self.width * 2) & (py >= 0) & (py < self.height * 4)
        px, py = px[inside].astype(np.int64), py[inside].astype(np.int64)
        bits = np.zeros((self.height, self.width), dtype=np.int64)
        np.bitwise_or.at(bits, (py // 4, px // 2), DOT_BITS[py % 4, px % 2])
        for r in range(self.height):
            row = self.cells[r]
            for c in np.flatnonzero(bits[r]):
                row[c] |= int(bits[r, c])

    def label(self, x: float, y: float, char: str, style: str) -> None:
        """Write `char` over the cell at (x, y) in [0, 1) x [0, 1); nothing when it is off the canvas."""
        if not (0 <= x < 1 and 0 <= y <= 1):
            return
        col = min(self.width - 1, int(x * self.width))
        row = min(self.height - 1, max(0, int((1 - y) * self.height)))
        self.labels[(row, col)] = (char, style)

    def render(self, dot_style: str = "cyan") -> Text:
        text = Text()
        for r, row in enumerate(self.cells):
            for c, bits in enumerate(row):
                if (r, c) in self.labels:
                    char, style = self.labels[(r, c)]
                    text.append(char, style=style)
                else:
                    text.append(chr(BRAILLE_BASE + bits), style=dot_style)
            if r < self.height - 1:
                text.append("\n")
        return text
