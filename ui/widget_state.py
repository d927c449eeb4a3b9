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


class FilteredState(Mapping):
    """`SessionState.filtered_state` of a SafeSessionState, read for one key at a time (under its lock, as the
    property reads); iterated or measured, Streamlit's own dict."""

    def __init__(self, safe):
        self._safe = safe

    def _lookup(self, key):
        from streamlit.runtime.state.common import is_element_id, is_keyed_element_id
        from streamlit.runtime.state.session_state import _is_internal_key

        if not isinstance(key, str):
            return _MISSING
        with self._safe._lock:
            state = self._safe._state
            keys = state._keys()
            if key in keys and not is_element_id(key) and not _is_internal_key(key):
                return state[key]
            id_to_key = state._key_id_mapper.id_key_mapping
            for widget_id in [k for k in keys if id_to_key.get(k) == key]:
                if is_keyed_element_id(widget_id) and not _is_internal_key(widget_id):
                    try:
                        return state[widget_id]
                    except KeyError:  # (as filtered_state: an id whose widget's metadata is gone)
                        continue
        return _MISSING

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
