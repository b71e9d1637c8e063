"""The browser's floor: the least a Streamlit page does, to compare the dashboard's first open with.

Served by benchmarks/browser.py with `streamlit run benchmarks/floor_app.py -- [chart]`: a heading and
one line of text, or with `chart` a heading and one small Plotly bar chart, drawn by Streamlit's own
Plotly element as the dashboard's charts are. Nothing of the product is imported.
"""

import sys

import streamlit as st

st.set_page_config(page_title="Tổng quan", layout="wide")
st.title("Tổng quan")
if "chart" in sys.argv[1:]:
    import plotly.graph_objects as go

    st.plotly_chart(go.Figure(go.Bar(x=[2021, 2022, 2023], y=[1061, 1200, 1300])))
else:
    st.write("Giai đoạn 2021-2023")
