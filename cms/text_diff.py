"""A readable difference between two texts, line by line and word by word, as data the templates escape.

Bodies are sanitised HTML: they are compared as the text a reader sees (one
block element per line, tags dropped, entities decoded), never as markup, and
the result holds plain strings only, so nothing in it is rendered as HTML.
"""

import difflib
import html
import re
from dataclasses import dataclass

_BLOCK_END = re.compile(r"</(?:p|div|h[1-6]|li|tr|blockquote|pre)\s*>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
# Words of Latin script, single CJK characters (Chinese has no spaces between words), spaces, and anything else.
_TOKEN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\W\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+|\s+|.")
# Lines of unchanged text kept around each change.
CONTEXT = 1


@dataclass(frozen=True)
class DiffLine:
    """One line of a difference: `kind` is same, removed, added or gap (unchanged lines left out).

    `parts` are (changed, text): on a removed or added line the words that
    differ from the line it replaces are marked changed.
    """

    kind: str
    parts: tuple[tuple[bool, str], ...] = ()


def readable_lines(value, is_html: bool = False) -> list[str]:
    """Return a field's value as the lines a reader sees: list entries, or a body's blocks without their tags."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        lines = [str(entry) for entry in value]
    else:
        text = str(value)
        if is_html:
            text = html.unescape(_TAG.sub("", _BLOCK_END.sub("\n", text)))
        lines = text.splitlines()
    return [" ".join(line.split()) for line in lines if line.strip()]


def _words(line: str) -> list[str]:
    return _TOKEN.findall(line)


def _marked(before: str, after: str) -> tuple[DiffLine, DiffLine]:
    # Which words of a replaced line changed: removed ones on the old line, added ones on the new.
    old, new = _words(before), _words(after)
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            removed.append((False, "".join(old[i1:i2])))
            added.append((False, "".join(new[j1:j2])))
            continue
        if i2 > i1:
            removed.append((True, "".join(old[i1:i2])))
        if j2 > j1:
            added.append((True, "".join(new[j1:j2])))
    return DiffLine("removed", tuple(removed)), DiffLine("added", tuple(added))


def diff_lines(before: list[str], after: list[str], context: int = CONTEXT) -> list[DiffLine]:
    """Return what changed from `before` to `after`: changed lines with `context` unchanged ones around them.

    A line replaced by one line is shown as the old and the new line with the
    changed words marked; runs of unchanged lines left out become one gap.
    Empty if nothing changed.
    """
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    if before == after:
        return []
    result: list[DiffLine] = []
    shown_up_to = 0
    for group in matcher.get_grouped_opcodes(context):
        if group[0][1] > shown_up_to:
            result.append(DiffLine("gap"))
        shown_up_to = group[-1][2]
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                result += [DiffLine("same", ((False, line),)) for line in before[i1:i2]]
                continue
            old, new = before[i1:i2], after[j1:j2]
            paired = min(len(old), len(new)) if tag == "replace" else 0
            pairs = [_marked(old[k], new[k]) for k in range(paired)]
            result += [removed for removed, _added in pairs]
            result += [DiffLine("removed", ((True, line),)) for line in old[paired:]]
            result += [added for _removed, added in pairs]
            result += [DiffLine("added", ((True, line),)) for line in new[paired:]]
    if shown_up_to < len(before):
        result.append(DiffLine("gap"))
    return result


def field_diff(before, after, is_html: bool = False) -> list[DiffLine]:
    """Return the difference between two values of one field (text, body HTML or a list), as diff_lines() does."""
    return diff_lines(readable_lines(before, is_html), readable_lines(after, is_html))
