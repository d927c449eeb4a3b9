"""Streamlit's own protocol, spoken without a browser: what a browser tab sends and keeps.

`fetch_all` GETs the page and its static files the way a browser with an empty cache does (6 keep-alive
connections); `Session` opens the websocket `/_stcore/stream`, sends `BackMsg`s (a script run with the link's
query parameters; a rerun with a moved widget or a clicked button and the hashes of the messages it holds; a
fragment's own rerun) and reads the `ForwardMsg`s into the page's elements, resolving references from its message
cache as the browser does. As the browser does, it keeps the address bar's query string as the app sets it and
each `st.fragment(run_every=…)`'s timer (`Session.timers`: a fragment rerun every interval).
The protobuf classes are the ones the installed `streamlit` package ships. Loopback use only (bench/).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlparse

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

SLIDER = "w_hidden_layers"  # the widget a student moves: Hidden layers
SUCCESS = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
EARLY = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
FRAGMENT = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_FRAGMENT_RUN_SUCCESSFULLY")


# --- HTTP: a minimal keep-alive GET, enough for the page and its static files -------------------------

async def _read_response(reader) -> tuple[int, dict, int]:
    status = int((await reader.readline()).split()[1])
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers.setdefault(name.strip().lower(), value.strip())
    size = 0
    if headers.get("transfer-encoding") == "chunked":
        while (n := int((await reader.readline()).split(b";")[0], 16)) > 0:
            size += len(await reader.readexactly(n + 2)) - 2
        await reader.readline()
    else:
        size = len(await reader.readexactly(int(headers.get("content-length", 0))))
    return status, headers, size


async def fetch_all(host: str, port: int, paths: list[str], connections: int = 6) -> tuple[int, str]:
    """GET every path over at most `connections` keep-alive connections (a browser's 6 per host).
    Returns the bytes read and the route cookie an nginx in front set (sticky replicas), if any."""
    queue = list(paths)
    total, cookie = 0, ""

    async def worker():
        nonlocal total, cookie
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while queue:
                path = queue.pop(0)
                extra = f"Cookie: {cookie}\r\n" if cookie else ""
                writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept-Encoding: gzip\r\n{extra}\r\n"
                             .encode())
                status, headers, size = await _read_response(reader)
                if status >= 400:
                    raise RuntimeError(f"GET {path}: HTTP {status}")
                total += size
                if "set-cookie" in headers and not cookie:
                    cookie = headers["set-cookie"].split(";")[0]
        finally:
            writer.close()

    first = paths[:1]  # the page itself first, alone (its cookie routes the rest), then the files it names
    queue = first
    await worker()
    queue = list(paths[1:])
    await asyncio.gather(*(worker() for _ in range(min(connections, len(queue)))))
    return total, cookie


# --- the websocket session: what the browser sends, and what it keeps ----------------------------------

@dataclass
class Session:
    """One browser tab's view of the app: the page's elements by position, and what it was told."""
    url: str
    ws: object = None
    page_hash: str = ""
    elements: dict = field(default_factory=dict)  # delta path → Element
    cache: dict = field(default_factory=dict)  # message hash → ForwardMsg (the browser's message cache)
    widgets: dict = field(default_factory=dict)  # widget key → (widget id, its proto as drawn, its fragment's id)
    values: dict = field(default_factory=dict)  # widget key → the value this client set
    errors: list = field(default_factory=list)
    touched: set = field(default_factory=set)  # the places this run drew
    finished: int = 0  # script runs finished
    auto: dict = field(default_factory=dict)  # fragment id → seconds between its runs (st.fragment's run_every)
    query: str | None = None  # the address bar's query string as the app last set it (None: the link's)
    fragment_run: bool = False  # the run being read reruns fragments only: the page around them stays
    session_id: str = ""  # the server's id of this tab's session (its logs name it)
    log: list = field(default_factory=list)  # the last runs' starts and ends, for a report on a tab gone wrong

    async def open(self, cookie: str = "", open_timeout: float = 60):
        u = urlparse(self.url)
        headers = {"Cookie": cookie} if cookie else None
        self.ws = await websockets.connect(f"ws://{u.netloc}/_stcore/stream", subprotocols=["streamlit"],
                                           additional_headers=headers, max_size=None, open_timeout=open_timeout,
                                           ping_interval=None)

    def _client_state(self, msg: BackMsg):
        u = urlparse(self.url)
        cs = msg.rerun_script
        cs.query_string = u.query if self.query is None else self.query
        cs.page_name = u.path.strip("/")
        if self.page_hash:
            cs.page_script_hash = self.page_hash
        cs.context_info.timezone, cs.context_info.locale = "UTC", "en-US"
        cs.context_info.url = f"{u.scheme}://{u.netloc}{u.path}"
        cs.context_info.color_scheme = "light"
        cs.cached_message_hashes.extend(self.cache)
        return cs

    async def run(self, widget: tuple | None = None, timeout: float = 300) -> tuple[float | None, float]:
        """One script run: with the link's parameters (widget None) or with one widget moved
        (widget = (key, new value)). Returns the moments (perf_counter) the first chart's data arrived
        (None: no chart) and the run ended."""
        await self.send(widget)
        first_chart, self.touched = None, set()
        async with asyncio.timeout(timeout):
            while True:
                kind, what = self.take(await self.ws.recv())
                if what == "vega_lite_chart" and first_chart is None:
                    first_chart = time.perf_counter()
                if kind == "finished":
                    break
        return first_chart, time.perf_counter()

    async def send(self, widget: tuple | None = None, fragment: str = "", auto: bool = False):
        """Ask for a run: the page's (widget None), or with one widget set (widget = (key, value): a slider's number,
        a radio's index, True for a button's click), as the rerun of the widget's fragment if it is in one, or a
        fragment's timer (`fragment`, auto)."""
        msg = BackMsg()
        cs = self._client_state(msg)
        if widget is not None:
            key, value = widget
            wid, proto, fragment = self.widgets[key]
            state = cs.widget_states.widgets.add()
            state.id = wid
            kind = type(proto).__name__
            if kind == "Button":
                state.trigger_value = True
            elif kind == "Block":  # an expander or a popover that reruns when opened: open (True) or folded
                state.bool_value = bool(value)
            elif kind == "Radio":  # the option as it reads (Streamlit 1.67 keeps a radio's choice as its label)
                state.string_value = proto.options[value]
            elif kind == "Slider" and proto.options:  # a select slider: its option as it reads, too
                state.string_array_value.data.append(proto.options[value])
            else:
                state.double_array_value.data.append(value)
            self.values[key] = value
        if fragment:
            cs.fragment_id, cs.is_auto_rerun = fragment, auto
        await self.ws.send(msg.SerializeToString())

    async def timers(self, stop):
        """The browser's timers of the page's `st.fragment(run_every=…)`s: each fragment asks for its own rerun every
        interval, from when the page told of it, until `stop` is set or the page drops it (a new full run tells of
        them again)."""
        started: dict = {}  # fragment id → (interval, the next moment it runs)
        while not stop.is_set():
            now = time.perf_counter()
            for fid, interval in list(self.auto.items()):
                if started.get(fid, (None,))[0] != interval:
                    started[fid] = (interval, now + interval)
                elif now >= started[fid][1]:
                    started[fid] = (interval, started[fid][1] + interval)
                    await self.send(fragment=fid, auto=True)
            for fid in set(started) - set(self.auto):
                del started[fid]
            await asyncio.sleep(0.05)

    def note(self, what: str):
        """Keep a line of what this tab saw (its last 40), with the moment it saw it."""
        self.log = [*self.log[-39:], f"{time.perf_counter():.2f} {what}"]

    def take(self, raw: bytes) -> tuple[str, str | None]:
        """Read one ForwardMsg as the browser does: resolve a reference from the message cache, keep
        an element at its place on the page, drop what this run did not draw again when it ends.
        Returns (the message's kind, an element's type or None)."""
        fwd = ForwardMsg()
        fwd.ParseFromString(raw)
        kind, path = fwd.WhichOneof("type"), tuple(fwd.metadata.delta_path)
        if kind == "ref_hash":
            if fwd.ref_hash not in self.cache:
                self.errors.append(f"a reference to a message this client never got: {fwd.ref_hash}")
                return kind, None
            fwd, kind = self.cache[fwd.ref_hash], "delta"
        elif fwd.metadata.cacheable:
            self.cache[fwd.hash] = fwd
        if kind == "navigation":  # the page this run showed (new_session names the entry script's)
            self.page_hash = fwd.navigation.page_script_hash
        elif kind == "new_session":  # a run starts: a full run tells of the page's fragment timers again
            self.fragment_run = bool(fwd.metadata.run.fragment_ids)
            self.session_id = fwd.new_session.initialize.session_id or self.session_id
            run = "fragment" if self.fragment_run else "page"
            self.note(f"start {run}")
            if not self.fragment_run:  # a page's run: what it does not draw again goes when it ends (its places,
                self.auto.clear()  # counted from here: a client fed the browser's frames never calls run())
                self.touched = set()
        elif kind == "auto_rerun":
            self.auto[fwd.auto_rerun.fragment_id] = fwd.auto_rerun.interval
        elif kind == "stop_auto_rerun":
            for fid in fwd.stop_auto_rerun.fragment_ids:
                self.auto.pop(fid, None)
        elif kind == "page_info_changed":  # the app set the address bar (st.query_params)
            self.query = fwd.page_info_changed.query_string
            self.note(f"address {self.query}")
        elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            if any(len(p) > len(path) and p[:len(path)] == path for p in self.elements):  # an element in a block's
                self.elements = {p: e for p, e in self.elements.items() if p[:len(path)] != path}  # place: it
            element = self.elements[path] = fwd.delta.new_element  # replaces the block and all it held (st.empty)
            self.touched.add(path)
            what = element.WhichOneof("type")
            if what == "heading":
                self.note(f"heading {element.heading.body[:30]}")
            elif what == "alert":  # a page's warning (a class store out of reach, …): in a tab's report
                self.note(f"alert {element.alert.body[:40]}")
            if what == "exception":
                self.errors.append(f"exception in the app: {element.exception.message[:200]}")
            elif getattr(getattr(element, what), "id", "").startswith("$$ID-"):  # a widget: by its key
                proto = getattr(element, what)
                self.widgets[proto.id.rsplit("-", 1)[-1]] = (proto.id, proto, fwd.delta.fragment_id)
            return kind, what
        elif kind == "delta" and fwd.delta.WhichOneof("type") == "add_block":
            block = fwd.delta.add_block
            if block.id.startswith("$$ID-") and block.WhichOneof("type") in ("expandable", "popover"):  # a widget:
                self.widgets[block.id.rsplit("-", 1)[-1]] = (block.id, block, fwd.delta.fragment_id)  # open or not
        elif kind == "script_finished":
            self.finished += 1
            self.note(f"end {fwd.script_finished}")
            if fwd.script_finished == FRAGMENT:  # a fragment's run redraws its own place only
                return "finished", None
            if fwd.script_finished == SUCCESS:
                self.elements = {p: e for p, e in self.elements.items() if p in self.touched}
                return "finished", None
            if fwd.script_finished != EARLY:  # a rerun took over: keep reading
                self.errors.append(f"script finished with status {fwd.script_finished}")
                return "finished", None
        return kind, None

    def move(self, key: str = SLIDER) -> tuple[str, float]:
        """A slider one notch away from where the link put it, or back (a student trying it out)."""
        proto = self.widgets[key][1]
        start = (proto.value if proto.set_value else proto.default)[0]
        start = self.values.setdefault("_start_" + key, start)
        nudged = start + 1 if start < proto.max else start - 1
        return key, nudged if self.values.get(key, start) == start else start

    def charts(self) -> list[tuple[str, list]]:
        """The page's charts as drawn now: (Vega-Lite spec, [(dataset name, Arrow bytes), …]) in page order."""
        return [(e.vega_lite_chart.spec, [(d.name, d.data.data) for d in e.vega_lite_chart.datasets])
                for _, e in sorted(self.elements.items()) if e.WhichOneof("type") == "vega_lite_chart"]

    async def close(self):
        if self.ws is not None:
            await self.ws.close()
