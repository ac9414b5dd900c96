"""A large table is sent once per visitor: ``ui.arrow_table`` sends a text column that repeats
its values as a dictionary (each value once), and every cell still reads as it did."""

import json

import pandas as pd
import pyarrow as pa

from sihub import ui


def _sent_bytes(table: pa.Table) -> int:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return len(sink.getvalue())


def test_repeated_text_is_sent_once_and_reads_the_same():
    frame = pd.DataFrame(
        {
            "name": [f"Innovation {i}" for i in range(2_000)],
            "stage": ["Prototypes", "Scaling", None, "Ideas"] * 500,
            "assessments": range(2_000),
        }
    )
    sent = ui.arrow_table(frame)
    assert pa.types.is_dictionary(sent.schema.field("stage").type)
    assert not pa.types.is_dictionary(sent.schema.field("name").type)  # unique: no gain
    plain = pa.Table.from_pandas(frame, preserve_index=False)
    assert _sent_bytes(sent.select(["stage"])) < 0.3 * _sent_bytes(plain.select(["stage"]))
    back = sent.to_pandas()
    assert back["stage"].isna().tolist() == frame["stage"].isna().tolist()  # missing stays so
    assert back["stage"].dropna().tolist() == frame["stage"].dropna().tolist()
    assert back["name"].tolist() == frame["name"].tolist()
    assert back["assessments"].tolist() == list(range(2_000))


def test_an_empty_table_is_sent_as_it_is():
    frame = pd.DataFrame({"name": pd.Series([], dtype="str"), "stage": pd.Series([], dtype="str")})
    sent = ui.arrow_table(frame)
    assert sent.num_rows == 0 and sent.column_names == ["name", "stage"]


def test_a_shared_figure_is_sent_as_plotly_would_send_it_made_once():
    import gc
    import weakref

    import plotly.graph_objects as go
    import plotly.io
    import plotly.tools

    from sihub.ui.plots import _drawn

    figure = go.Figure(go.Bar(x=["Ideas", "Scaling"], y=[3, 5], name="Innovations"))
    figure.update_layout(title="Innovations per stage")

    def spec(fig) -> str:  # what Streamlit 1.67 writes for a figure (st.plotly_chart)
        as_dict = plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)
        return plotly.io.to_json(as_dict, validate=False)

    drawn = _drawn(figure)
    as_plotly = plotly.io.from_json(spec(figure))
    as_plotly.update_layout(separators=".,")  # the reader's number marks: plotly's own in English
    assert spec(drawn) == spec(as_plotly)
    assert spec(drawn) == spec(drawn)  # the second visitor's chart is the first one's
    assert drawn.to_dict() is drawn.to_dict()  # made once
    assert _drawn(figure) is drawn
    # in Finnish and Swedish: 3,5 and 12 000 (decimal comma, no-break space)
    assert json.loads(spec(_drawn(figure, "fi")))["layout"]["separators"] == ",\u00a0"
    assert _drawn(figure, "sv") is not drawn and _drawn(figure, "sv") is _drawn(figure, "sv")
    # a figure that chose its own marks keeps them
    own = go.Figure(layout={"separators": ", "})
    assert json.loads(spec(_drawn(own, "en")))["layout"]["separators"] == ", "
    gone = weakref.ref(figure)
    del figure, drawn, as_plotly
    gc.collect()
    assert gone() is None  # the stand-in goes with its figure: nothing kept per run


def test_a_shared_table_is_converted_once_per_language_and_reads_the_same():
    import contextvars

    contextvars.copy_context().run(_converted_once_per_language)  # languages set stay here


def _converted_once_per_language():
    import gc
    import weakref
    from datetime import date

    from sihub.i18n import set_language

    frame = pd.DataFrame({"name": ["A", "B"], "held_on": [date(2026, 5, 1), None], "n": [1, 2]})
    set_language("fi")
    sent, columns = ui.sent_table(frame)
    assert ui.sent_table(frame)[0] is sent
    assert sent.to_pandas()["name"].tolist() == ["A", "B"] and sent.num_rows == 2
    assert "held_on" in columns and "index" not in sent.column_names
    finnish = columns["held_on"]
    set_language("en")
    english = ui.sent_table(frame)[1]["held_on"]
    assert english != finnish  # dates written as each language writes them
    gone = weakref.ref(frame)
    del frame
    gc.collect()
    assert gone() is None
