"""Let ``st.navigation`` own a folder named ``pages/`` from a server's very first request.

The product keeps its page scripts in ``pages/`` (a layout the product owner fixed). Streamlit
treats an app with such a folder as an old-style ("v1") multipage app until the first
``st.navigation`` call in the process: a server's first request, if it is a deep link such as
``/innovation?id=3``, would run the page script bare, without the frame (language, store,
navigation). Streamlit has no public setting for this (checked in 1.67: ``PagesManager`` sets
the flag from the folder's existence, and only ``st.navigation`` clears it), so we clear the
same class attribute that ``st.navigation`` clears, once at import and again whenever a page
finds itself started without the frame (AppTest resets the flag before every run).

``tests/test_browser_frame.py`` opens a deep link as a fresh server's first request and
fails the day a Streamlit upgrade changes this.
"""

from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager


def claim_pages_folder() -> None:
    """Tell Streamlit that ``pages/`` holds st.navigation's scripts, not a v1 app."""
    PagesManager.uses_pages_directory = False


def running_as_v1_page() -> bool:
    """Whether Streamlit ran this page script bare, as a v1 page (AppTest does so on every run
    after resetting the flag, a fresh server on its first deep link)."""
    return bool(PagesManager.uses_pages_directory)
