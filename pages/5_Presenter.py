"""Presenter link: a URL that opens a chosen page with the current settings, large fonts and hidden controls."""

import streamlit as st

import ui

with ui.page_frame("page.presenter", icon="🎤"):
    t = ui.t
    st.title(t("page.presenter"))
    st.markdown(t("presenter.intro", class_line=t("presenter.class_on" if st.session_state["class_key"]
                                                  else "presenter.class_start")))
    pages = {path: t(title) for _, path, title, _ in ui.PAGES if path != "Presenter"}
    target = st.selectbox(t("presenter.page"), list(pages), format_func=pages.get, key="presenter_page")
    big = st.toggle(t("ctl.presenter"), value=True, key="presenter_big")
    no_sidebar = st.toggle(t("presenter.hide_sidebar"), value=False, key="presenter_no_sidebar")
    names = {c.key: t(c.label) for c in ui.CONTROLS}
    hidden = st.multiselect(t("presenter.hide_some"), list(names), default=[], format_func=names.get,
                            disabled=no_sidebar, key="presenter_hidden", placeholder=t("presenter.choose"))
    view = dict(presenter=big, sidebar_hide=no_sidebar,
                **{f"{c.key}_hide": not no_sidebar and c.key in hidden for c in ui.CONTROLS})
    controls = ui.CONTROLS + ui.VIEW
    url = ui.absolute(target, ui.url_query(ui.changed_settings(controls, **view), controls))
    st.caption(t("presenter.link"))
    st.code(url, language=None)
    st.markdown(f"[{t('presenter.open')} ↗]({url})")
    # the same settings without presenter mode; in a live class, with its code
    student_controls = ui.CONTROLS + [ui.VIEW_BY_KEY["lang"], ui.VIEW_BY_KEY["class_code"]]
    st.caption(t("class.students_link") if st.session_state["class_key"] else t("copy.student_link"))
    students = ui.students_link(ui.absolute(target, ui.url_query(ui.changed_settings(student_controls),
                                                                 student_controls)))
    ui.qr_code(students, 260, caption=t("qr.caption"))
    st.divider()
    st.markdown(t("class.intro"))
    if not st.session_state["class_key"]:
        st.button(t("class.start"), on_click=ui.live.start_class, key="b_start_class", icon=":material/groups:",
                  type="primary")
    else:
        st.markdown(t("class.code", code=st.session_state["class_code"]))
        st.caption(t("class.lecturer_link"))  # the presenter link above carries the class and its key
