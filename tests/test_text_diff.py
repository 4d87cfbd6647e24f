"""What changed in a text, line by line and word by word, as plain strings (no markup passes through)."""

from cms.text_diff import DiffLine, diff_lines, field_diff, readable_lines


def test_a_body_is_compared_as_the_text_a_reader_sees():
    assert readable_lines("<p>Eins &amp; zwei</p><p><b>Drei</b></p>", is_html=True) == ["Eins & zwei", "Drei"]
    assert readable_lines(["A", " ", "B"]) == ["A", "B"]


def test_a_replaced_line_marks_the_changed_words():
    assert diff_lines(["Der alte Satz."], ["Der neue Satz."]) == [
        DiffLine("removed", ((False, "Der "), (True, "alte"), (False, " Satz."))),
        DiffLine("added", ((False, "Der "), (True, "neue"), (False, " Satz."))),
    ]


def test_chinese_is_compared_character_by_character():
    removed, added = diff_lines(["工作计划"], ["工作方案"])
    assert (True, "计划") in removed.parts and (True, "方案") in added.parts


def test_unchanged_lines_far_from_a_change_are_left_out():
    before = ["eins", "zwei", "drei", "vier", "fünf"]
    after = ["eins", "zwei", "drei", "vier", "FÜNF"]
    kinds = [line.kind for line in diff_lines(before, after)]
    assert kinds == ["gap", "same", "removed", "added"]


def test_no_change_is_no_difference_and_markup_stays_text():
    assert field_diff("<p>Gleich</p>", "<p>Gleich</p>", is_html=True) == []
    lines = field_diff("<p>a</p>", "<p>a<script>alert(1)</script></p>", is_html=True)
    assert [line.kind for line in lines] == ["removed", "added"]
    assert all("<" not in text for line in lines for _changed, text in line.parts)
