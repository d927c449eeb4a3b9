"""What a widget reads of the session's state, one key at a time: one cost of every run that this app mends.

Each selectbox, radio, slider and number box that Streamlit draws asks whether the session state holds a value for
its key (`key in state and state[key] is None`: "no option chosen"). It asks a dict that it first builds of the
whole session state, `SessionState.filtered_state`: every key, each read as `st.session_state[key]` reads it (a
widget's value deserialized, its presenter applied). This app's pages keep ~80 keys and draw ~12 such widgets a
run, so a run read ~1,000 values to answer 12 questions (py-spy put 12 % of its samples holding the interpreter
there; measured on the script's own thread, a cached Train run went from 21.6 to 20.0 ms without it, and
`bench/bench_runs.py` prints a selectbox's cost both ways: docs/reliability.md). `OneKey` answers the same
question for the one key asked, as `filtered_state` would: present when a key of its own (not a widget's id, not
Streamlit's internal one) is in the state, or a keyed widget's id that maps to it; its value read once. Anything
else the widget asks of its session state (iterating that dict, its length, `reset_state_value`) goes to
Streamlit's own.
"""

from __future__ import annotations

from collections.abc import Mapping

WIDGET_MODULES = ("selectbox", "radio", "slider", "number_input", "text_widgets", "time_widgets")
_MISSING = object()
_UNSURE = object()  # (the direct reading cannot tell: list the keys, as Streamlit does)


class FilteredState(Mapping):
    """`SessionState.filtered_state` of a SafeSessionState, read for one key at a time (under its lock, as the
    property reads); iterated or measured, Streamlit's own dict."""

    def __init__(self, safe):
        self._safe = safe

    def _lookup(self, key):
        if not isinstance(key, str):
            return _MISSING
        with self._safe._lock:
            state = self._safe._state
            found = _direct(state, key)
            return _listed(state, key) if found is _UNSURE else found

    def __contains__(self, key) -> bool:
        return self._lookup(key) is not _MISSING

    def __getitem__(self, key):
        value = self._lookup(key)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __iter__(self):
        return iter(self._safe.filtered_state)

    def __len__(self) -> int:
        return len(self._safe.filtered_state)


class OneKey:
    """A SafeSessionState as a widget sees it: `filtered_state` read one key at a time; the rest its own."""

    def __init__(self, safe):
        self._safe = safe

    @property
    def filtered_state(self) -> FilteredState:
        return FilteredState(self._safe)

    def __getattr__(self, name):
        return getattr(self._safe, name)

    # (what Python looks up on the type, not through __getattr__: as the SafeSessionState has them)
    def __contains__(self, key) -> bool:
        return key in self._safe

    def __getitem__(self, key):
        return self._safe[key]

    def __setitem__(self, key, value):
        self._safe[key] = value


def mend():
    """The widgets' modules read their session state through `OneKey` (each module's `get_session_state`, which
    returns the script run's SafeSessionState). A module without that function is left as it is."""
    import importlib

    for name in WIDGET_MODULES:
        try:
            module = importlib.import_module(f"streamlit.elements.widgets.{name}")
        except ImportError:
            continue
        theirs = getattr(module, "get_session_state", None)
        if theirs is None or hasattr(theirs, "__wrapped__"):
            continue

        def get_session_state(_theirs=theirs):
            return OneKey(_theirs())

        get_session_state.__wrapped__ = theirs
        module.get_session_state = get_session_state


def _direct(state, key):
    """What `filtered_state` holds for `key`, read from the session state's own dicts without listing all its keys;
    _UNSURE where that reading could differ from the listing's order (two ids of one key both hold a value) or
    the key has the form of a widget's id. The argument: `_keys()` lists each key of the old state and of this
    run's values as its widget's id (`k` itself when no widget bears that key now), and each widget id that holds
    a value. A widget's id ends in its own key and is never a user's key, so `key` shows up in `filtered_state`
    either as itself (no widget bears it now: present when the old state or this run's values hold it) or as an
    id that maps back to it (Streamlit's map from ids to keys keeps an id from another page or an earlier range:
    a widget's id holds its page and a slider's range), present when that id holds a value, or is the one the key
    maps to now and the key holds a value."""
    from streamlit.runtime.state.common import is_element_id, is_keyed_element_id
    from streamlit.runtime.state.session_state import _is_internal_key

    if is_element_id(key):
        return _UNSURE
    if _is_internal_key(key):
        return _MISSING
    mapper = state._key_id_mapper
    key_to_id, id_to_key = mapper._key_id_mapping, mapper._id_key_mapping
    old, new, values = state._old_state, state._new_session_state, state._new_widget_state.states
    now = key_to_id.get(key)
    held = [i for i, k in id_to_key.items() if k == key and is_keyed_element_id(i) and not _is_internal_key(i) and (
        i in values or (i == now and (key in old or key in new)) or ((i in old or i in new) and i not in key_to_id))]
    if now is None:  # no widget bears the key now: the key itself, if held
        if held:
            return _UNSURE
        return state[key] if key in old or key in new else _MISSING
    if len(held) > 1:
        return _UNSURE
    if not held:
        return _MISSING
    try:
        return state[held[0]]
    except KeyError:  # (as filtered_state: an id whose widget's metadata is gone)
        return _MISSING


def _listed(state, key):
    """What `filtered_state` holds for `key`, found as it finds it: through the list of all the state's keys, the
    last of them that stands for `key` winning."""
    from streamlit.runtime.state.common import is_element_id, is_keyed_element_id
    from streamlit.runtime.state.session_state import _is_internal_key

    id_to_key = state._key_id_mapper.id_key_mapping
    found = _MISSING
    for k in state._keys():
        if k == key and not is_element_id(k) and not _is_internal_key(k):
            found = state[k]
        elif id_to_key.get(k) == key and is_keyed_element_id(k) and not _is_internal_key(k):
            try:
                found = state[k]
            except KeyError:  # (as filtered_state: an id whose widget's metadata is gone)
                pass
    return found
