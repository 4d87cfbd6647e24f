"""Folding text for search, so that "Zusammenarbeit" matches "zusammenarbeit" and "Köln" matches "Koeln"."""

import unicodedata

# German writes ä, ö, ü, ß as ae, oe, ue, ss where the letters are missing;
# both spellings fold to the same text. Chinese characters pass unchanged.
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})


def fold_for_search(text: str) -> str:
    """Return `text` lower-cased, German umlauts spelt out, other accents dropped, spaces collapsed."""
    folded = unicodedata.normalize("NFC", text).casefold().translate(_GERMAN)
    # é → e and the like: decompose and drop the combining marks. NFKC first
    # turns full-width Latin letters and digits (common in Chinese input) into ASCII.
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", folded))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(unicodedata.normalize("NFC", plain).split())


def fold_for_sorting(text: str) -> str:
    """Return `text` folded for German dictionary order (DIN 5007-1): ä sorts as a, ß as ss, case ignored."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))
