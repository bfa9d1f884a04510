"""How many SMS fragments a text needs (GSM 03.38 or UCS-2).

One character outside the GSM 7-bit alphabet (ŵ, ŷ, a curly apostrophe…)
makes the whole message UCS-2: 70 characters in one fragment, 67 per
fragment when split. GSM messages take 160, or 153 per fragment when split;
the extension characters count twice.
"""

from __future__ import annotations

import math
from typing import NamedTuple

GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = set("^{}\\[~]|€\f")


class SmsLength(NamedTuple):
    encoding: str  # "GSM" or "UCS-2"
    characters: int  # in the encoding's units
    fragments: int


def sms_length(text: str) -> SmsLength:
    if all(c in GSM_BASIC or c in GSM_EXTENSION for c in text):
        units = sum(2 if c in GSM_EXTENSION else 1 for c in text)
        fragments = 1 if units <= 160 else math.ceil(units / 153)
        return SmsLength("GSM", units, fragments)
    units = sum(2 if ord(c) > 0xFFFF else 1 for c in text)
    fragments = 1 if units <= 70 else math.ceil(units / 67)
    return SmsLength("UCS-2", units, fragments)
