"""Taking turns at the server's cores (ui/turns.py): bounded, in order, the lecturer first, never stuck."""

import threading
import time

import pytest

from ui.turns import Turns


def _crowd(turns: Turns, arrivals, work: float = 0.02):
    """Threads that each take a turn (priority, name), lining up in the order given while the first holds
    the turn; returns the order they got it and the most that ever held a turn at once."""
    order, holding, most = [], [0], [0]
    lock, lined_up = threading.Lock(), threading.Event()

    def one(priority, name, hold=None):
        with turns.turn(priority, poll=0.01):
            with lock:
                order.append(name)
                holding[0] += 1
                most[0] = max(most[0], holding[0])
            if hold is not None:
                hold.wait(10)
            time.sleep(work)
            with lock:
                holding[0] -= 1

    first = threading.Thread(target=one, args=(1, "first", lined_up))  # holds a turn while the others line up
    first.start()
    while turns.running < 1:
        time.sleep(0.001)
    threads = []
    for priority, name in arrivals:
        threads.append(threading.Thread(target=one, args=(priority, name)))
        threads[-1].start()
        while len(turns.line) + turns.running < len(threads) + 1:  # in line (or, with spare slots, holding)
            time.sleep(0.001)
    lined_up.set()
    for thread in [first, *threads]:
        thread.join(10)
    return order, most[0]


def test_first_come_first_served_and_never_more_at_once_than_the_slots():
    order, most = _crowd(Turns(1), [(1, "a"), (1, "b"), (1, "c")])
    assert order == ["first", "a", "b", "c"]
    assert most == 1
    _, most = _crowd(Turns(2), [(1, n) for n in "abcdef"], work=0.1)
    assert most == 2


def test_the_lecturers_run_goes_before_the_students_already_waiting():
    order, _ = _crowd(Turns(1), [(1, "student 1"), (1, "student 2"), (0, "lecturer"), (1, "student 3")])
    assert order == ["first", "lecturer", "student 1", "student 2", "student 3"]


def test_a_wait_interrupted_by_a_moved_slider_leaves_the_line_and_the_rest_go_on():
    turns = Turns(1)
    told = []

    class Rerun(BaseException):  # what Streamlit raises in an st call when a slider moves
        pass

    def impatient(ahead):
        told.append(ahead)
        raise Rerun

    holding, release = threading.Event(), threading.Event()

    def holder():
        with turns.turn():
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=holder)
    thread.start()
    assert holding.wait(5)  # the holder has its turn: the impatient one lines up behind it
    with pytest.raises(Rerun):
        with turns.turn(waiting=impatient, poll=0.01):
            pass
    assert told == [1]  # it was told one run is ahead of it
    assert turns.line == []  # and left the line
    release.set()
    thread.join(5)
    with turns.turn(poll=0.01):  # nobody holds a turn any more: the next one gets it at once
        assert turns.running == 1
    assert turns.running == 0


def test_at_least_one_slot():
    with pytest.raises(ValueError, match="at least 1"):
        Turns(0)


def test_a_long_run_shares_its_turn_with_whoever_waits_and_then_goes_on():
    turns, order, told = Turns(1), [], []
    arrived, done = threading.Event(), threading.Event()

    def short():
        arrived.set()
        with turns.turn(poll=0.01, waiting=told.append):
            order.append("short run")
        done.set()

    with turns.turn(poll=0.01) as long:
        assert long.share() is False  # nobody waiting: it keeps its turn
        order.append("long run, part 1")
        thread = threading.Thread(target=short)
        thread.start()
        arrived.wait(5)
        while not turns.line:
            time.sleep(0.001)
        assert long.share() is True  # the short run went first …
        assert done.is_set()
        order.append("long run, part 2")  # … and the long run got its turn back
        assert turns.running == 1
    thread.join(5)
    assert order == ["long run, part 1", "short run", "long run, part 2"]
    assert told[0] == 1 and told[-1] is None  # the short run was told one was ahead, then that its turn came
    assert turns.running == 0 and turns.line == []
