"""The yardstick of ``bench.pages``: a page with a title and two small charts and nothing else,
so that a page's time can be read against what any page costs on the same machine, then."""

import plotly.graph_objects as go
import streamlit as st

from sihub import nodelay

# Served as the app is served (sihub.nodelay); otherwise the yardstick is mostly TCP waiting
# for a delayed acknowledgement.
nodelay.switch_off_nagle()

st.title("Trivial page")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[3, 1, 2])), key="bars")
st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[2, 3, 1])), key="line")
