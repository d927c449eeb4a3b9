"""A live class's questions (ui/live.py draws the boxes they sit in): each Lesson step's prediction question and
its answer, a lecturer's own typed one shown as text, asking and revealing, the room's answers as bars, and a
student's answer (an index, changeable until the reveal). The answers are kept by ui/classroom.py's store."""

from __future__ import annotations

import streamlit as st
from streamlit.logger import get_logger

from . import classroom, lesson
from .charts import POSITIVE
from .figures import chart
from .session import t
from .state import safe_text

_LOG = get_logger("xor_mlp")

# Each Lesson step's prediction question (texts "q.<step>": the question, then its answers) and its answer: each
# the finding its step shows (the lesson's claims, tests/test_claims.py)
ANSWERS = {1: 1, 2: 1, 3: 0, 4: 1, 5: 0, 6: 0, 7: 0, 8: 0, 9: 0}

ASKED, OTHER, RIGHT = "#1f77b4", "#b8b8b8", POSITIVE  # the bars while the room answers; after the reveal: the rest, the
#                                                     right answer's (green, and a ✓ after its label: not colour alone)


def lesson_question(step: int) -> classroom.Question:
    text, *choices = t(f"q.{step}").split("|")
    return classroom.Question(text, tuple(choices), ANSWERS[step], ref=f"q.{step}")


def ask_label(question: classroom.Question, tally: classroom.Tally | None) -> str | None:
    """The lecturer's button for a Lesson step's question: "Ask the room: …"; None while the room has that very
    question, worded the same, and nobody has answered it yet (the store's `classroom.asked_already`: a press would
    change nothing); once someone has, or it is revealed (or it was asked in the other language), "Ask again", which
    says that everyone answers anew (asking drops the answers so far)."""
    if tally is None or tally.question is None or tally.question.ref != question.ref:
        return f"{t('class.ask')}: {question.text}"
    if tally.question == question and not tally.revealed and not any(tally.counts):
        return None
    return t("class.ask_again")


def lesson_step(question: classroom.Question) -> int | None:
    """The Lesson step whose question this is (None: the lecturer's own)."""
    step = question.ref[len("q."):] if question.ref and question.ref.startswith("q.") else ""
    return int(step) if step.isdigit() and int(step) in ANSWERS else None


def worded(question: classroom.Question, markdown: bool = True) -> tuple[str, tuple[str, ...]]:
    """A question's text and answers as this page shows them: the app's own in the page's language, a lecturer's
    typed one as they wrote it (for markdown, escaped: shown as text, never as markup)."""
    if question.ref is not None:
        text, *choices = t(question.ref).split("|")
        return text, tuple(choices)
    if not markdown:
        return question.text, question.choices
    return (safe_text(question.text, classroom.MAX_QUESTION),
            tuple(safe_text(c, classroom.MAX_CHOICE) for c in question.choices))


def ask(code, key, question):
    try:
        number = classroom.classes().ask(code, key, question)
    except classroom.Unavailable:
        st.toast(t("class.unavailable"), icon="📡")
        return
    # a line a click that reached the store (one that reached it twice: the same number twice, classroom.asked_already)
    _LOG.info("class %s: question %d asked (%s)", code, number, question.ref or "the lecturer's own")


def reveal(code, key):
    try:
        classroom.classes().reveal(code, key)
    except (classroom.Refused, classroom.Unavailable):
        st.toast(t("class.unavailable"), icon="📡")


def draw_tally(box, tally, heading: bool = True):
    """The question (unless the page shows it already), the count of each answer as a bar, and after the reveal
    the right answer: its bar green and ticked, the others grey, and said below."""
    import altair as alt
    import pandas as pd

    text, choices = worded(tally.question)
    if heading:
        box.markdown(f"**{text}**")
    right = tally.question.answer if tally.revealed else None
    labels = [f"{c} ✓" if i == right else c for i, c in enumerate(worded(tally.question, markdown=False)[1])]
    colours = [ASKED if right is None else RIGHT if i == right else OTHER for i in range(len(labels))]
    frame = pd.DataFrame({"answer": labels, "count": list(tally.counts), "colour": colours,
                          "said": [f"{a}: {n}" for a, n in zip(labels, tally.counts)]})  # what a screen reader reads
    bars = alt.Chart(frame).mark_bar().encode(
        x=alt.X("count:Q", title=t("class.answers", n=sum(tally.counts)), axis=alt.Axis(tickMinStep=1, format="d"),
                scale=alt.Scale(domain=[0, max(1, *tally.counts)])),  # no answers yet: an axis 0 to 1, not [0, 0]
        y=alt.Y("answer:N", sort=labels, title=None, axis=alt.Axis(labelLimit=400)),
        color=alt.Color("colour:N", scale=None, legend=None), description=alt.Description("said:N"))
    with box:
        chart(bars.properties(width="container", height=34 * len(frame) + 10), alt_text=t("class.answers",
                                                                                      n=sum(tally.counts)))
    if tally.revealed and tally.question.answer is not None:
        box.success(t("class.right", answer=choices[tally.question.answer]), icon="✅")
    step = lesson_step(tally.question)
    if tally.revealed and step is not None:
        lesson.settles(step, target=box)


def student_answer(box, code, tally, student: str):
    """The question asked: the student's answer (an index, changeable until the reveal), then the room's."""
    text, choices = worded(tally.question)
    box.radio(text, list(range(len(choices))), index=None, key=f"answer_{tally.number}",
              format_func=choices.__getitem__, disabled=tally.revealed, on_change=_answer,
              args=(code, tally.number, student), help=t("class.your_answer"))
    if tally.revealed:
        mine = st.session_state.get(f"answer_{tally.number}")
        if mine is not None and 0 <= mine < len(choices):  # the student's own verdict, beside the room's
            box.markdown(t("class.mine_right" if mine == tally.question.answer else "class.mine", mine=choices[mine]))
        draw_tally(box, tally, heading=False)  # the question is the answers' label just above


def _answer(code, number, student):
    choice = st.session_state.get(f"answer_{number}")
    if choice is None:
        return
    try:
        classroom.classes().answer(code, student, number, choice)
    except classroom.Refused:
        st.toast(t("class.too_fast"), icon="⏳")
    except classroom.Unavailable:
        st.toast(t("class.unavailable"), icon="📡")
