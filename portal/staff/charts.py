"""Small bar charts drawn on the server as SVG (templates/components/bar_chart.html).

Readable without colour: every bar has its own pattern (solid, stripes, dots,
checks) and a black outline, is named by the words above it, and has its number
written at its end. Each chart has a <title> and a <desc> (role="img",
aria-labelledby), and the page shows a table of the same numbers beside it. No
JavaScript and no chart library: this module only places the shapes, the
template draws them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The patterns, in the order a chart's series use them.
PATTERNS = ("solid", "stripes", "dots", "checks")

WIDTH = 440
#: Type as large as the page's body text at full width (it scales down with the picture).
FONT_SIZE = 19
TOP = 4
LABEL_HEIGHT = 28
BAR_HEIGHT = 26
BAR_GAP = 6
GROUP_GAP = 14
#: Room after the longest bar for the words written at its end, per character.
CHARACTER_WIDTH = 11
TEXT_GAP = 8


@dataclass(frozen=True)
class Bar:
    value: int
    #: Written at the bar's end: its number, or the number with what it counts.
    text: str
    pattern: str = "solid"


@dataclass(frozen=True)
class Group:
    """Bars under one label: a category with one bar, or an officer with several."""

    label: str
    bars: list[Bar]
    #: The label is a record (an officer's name), not the catalogue's words.
    label_is_data: bool = False


@dataclass(frozen=True)
class PlacedText:
    x: int
    y: int
    text: str
    is_data: bool = False


@dataclass(frozen=True)
class PlacedBar:
    x: int
    y: int
    width: int
    height: int
    pattern: str
    label: PlacedText


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    groups: list[Group]
    labels: list[PlacedText] = field(init=False)
    bars: list[PlacedBar] = field(init=False)
    height: int = field(init=False)

    def __post_init__(self) -> None:
        every_bar = [bar for group in self.groups for bar in group.bars]
        longest_text = max((len(bar.text) for bar in every_bar), default=0)
        room = longest_text * CHARACTER_WIDTH + TEXT_GAP + 4
        longest_bar = max(WIDTH - room, WIDTH // 3)
        largest = max((bar.value for bar in every_bar), default=0)
        labels: list[PlacedText] = []
        bars: list[PlacedBar] = []
        y = TOP
        for group in self.groups:
            labels.append(PlacedText(0, y + 20, group.label, group.label_is_data))
            y += LABEL_HEIGHT
            for bar in group.bars:
                width = round(bar.value / largest * longest_bar) if largest else 0
                width = max(width, 2)  # a zero is a sliver, still outlined
                bars.append(
                    PlacedBar(
                        1,
                        y,
                        width,
                        BAR_HEIGHT,
                        bar.pattern,
                        PlacedText(1 + width + TEXT_GAP, y + 19, bar.text),
                    )
                )
                y += BAR_HEIGHT + BAR_GAP
            y += GROUP_GAP
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "bars", bars)
        object.__setattr__(self, "height", y)

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def font_size(self) -> int:
        return FONT_SIZE

    @property
    def patterns(self) -> list[str]:
        return [pattern for pattern in PATTERNS if any(b.pattern == pattern for b in self.bars)]
