"""Presenter link: a URL that opens a chosen page with the current settings, large fonts and hidden controls."""

import streamlit as st

import ui

ui.page("page.presenter", icon="🎤")
with ui.guard():
    ui.sidebar()
    t = ui.t
    st.title(t("page.presenter"))
    st.markdown(t("presenter.intro"))
    pages = {path: t(title) for _, path, title, _ in ui.PAGES if path != "Presenter"}
    target = st.selectbox(t("presenter.page"), list(pages), format_func=pages.get, key="presenter_page")
    big = st.toggle(t("ctl.presenter"), value=True, key="presenter_big")
    no_sidebar = st.toggle(t("presenter.hide_sidebar"), value=False, key="presenter_no_sidebar")
    names = {c.key: t(c.label) for c in ui.CONTROLS}
    hidden = st.multiselect(t("presenter.hide_some"), list(names), default=[], format_func=names.get,
                            disabled=no_sidebar, key="presenter_hidden")
    query = {c.key: c.to_url(st.session_state[c.key]) for c in ui.CONTROLS if st.session_state[c.key] != c.default}
    if ui.lang() != "en":
        query["lang"] = ui.lang()
    if big:
        query["presenter"] = "1"
    if no_sidebar:
        query["sidebar_hide"] = "1"
    else:
        query.update({f"{k}_hide": "1" for k in hidden})
    url = ui.absolute(target, query)
    st.caption(t("presenter.link"))
    st.code(url, language=None)
    st.markdown(f"[{t('presenter.open')} ↗]({url})")
