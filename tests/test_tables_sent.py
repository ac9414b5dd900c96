"""A large table is sent once per visitor: ``ui.arrow_table`` sends a text column that repeats
its values as a dictionary (each value once), and every cell still reads as it did."""

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
