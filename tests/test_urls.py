"""URL parameters: each kind parses what a link may hold, leaves the rest out and says so."""

from __future__ import annotations

import pytest

from sihub import urls
from sihub.urls import Code, Codes, Flag, Float, Int, Ints, LeftOut, Pairs, Text

LONG = "x" * 5000


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        (Int(), "12", 12), (Int(), " 7 ", 7), (Int(), "abc", None), (Int(), "", None),
        (Int(), None, None), (Int(), "-1", None), (Int(), "0", None), (Int(), "1.5", None),
        (Int(), "²", None), (Int(), "١٢", None), (Int(), "99999999999", None),
        (Int(), "99999999999999999999", None), (Int(), "9" * 5000, None),
        (Int(1, 1000), "1000", 1000), (Int(1, 1000), "1001", None),
        (Float(0, 1), "0.25", 0.25), (Float(0, 1), ".5", 0.5), (Float(0, 1), "1", 1.0),
        (Float(0, 1), "1.5", None), (Float(0, 1), "-0.1", None), (Float(0, 1), "nan", None),
        (Float(0, 1), "inf", None), (Float(0, 1), "1e400", None), (Float(0, 1), "1_0", None),
        (Float(0, 1), "²", None), (Float(0, 1e12), "99999999999999999999", None),
        (Text(), "nuoret", "nuoret"), (Text(), "  ohjaamo ", "ohjaamo"), (Text(), LONG, None),
        (Code(), "employment", "employment"), (Code(), "x" * 101, None),
        (Code(("a", "b")), "b", "b"), (Code(("a", "b")), "c", None),
        (Code(("mean",), prefixes=("criterion:",)), "criterion:need", "criterion:need"),
        (Code(("mean",), prefixes=("criterion:",)), "criterion:", None),
        (Flag(), "1", True), (Flag(), "0", False), (Flag(), "yes", None),
        (Ints(), "5,3,x,3,,-1", (5, 3)), (Ints(), "²", None), (Ints(2), "1,2,3", (1, 2)),
        (Codes(), "a,,b,a", ("a", "b")), (Codes(("a",)), "a,b", ("a",)),
        (Pairs(Float(0, 5)), "a:1,b:x,a:2,c,:3", (("a", 2.0),)),
        (Pairs(Code()), "need:3,evidence:", (("need", "3"),)),
    ],
)  # fmt: skip
def test_each_kind_keeps_what_it_can_use(kind, raw, expected):
    assert urls.parse_param("p", raw, kind)[0] == expected


def test_what_is_left_out_is_reported_as_written():
    _, left_out = urls.parse_param("ids", "5,²,99999999999999999999,5", Ints())
    assert left_out == (LeftOut("ids", "²"), LeftOut("ids", "99999999999999999999"))
    _, left_out = urls.parse_param("q", LONG, Text())
    assert str(left_out[0]) == "q=" + "x" * (urls.SHOWN - 1) + "…"  # a notice repeats the start
    assert urls.parse_param("q", "", Text()) == (None, ())  # an empty value is no value


def test_a_repeated_parameter_is_read_as_one_list():
    assert urls.parse_param("stage", ["a", "b"], Codes()) == (("a", "b"), ())


def test_a_page_address_keeps_the_language_and_works_under_any_base_path():
    assert urls.page_url("profile", "fi", id=5) == "innovation?id=5&lang=fi"
    assert urls.page_url("compare", "en", ids="1,2") == "compare?ids=1,2&lang=en"
    assert urls.page_url("overview", "sv") == "./?lang=sv"


def test_a_views_address_for_a_file_is_full_and_the_hubs_address_a_real_one(monkeypatch):
    from sihub.errors import UrlSettingError
    from sihub.settings import public_url

    monkeypatch.setenv("SIHUB_URL", "https://sihub.example.fi/hub")
    base = public_url()
    assert base == "https://sihub.example.fi/hub/"
    assert urls.view_address(base, "pipeline", "fi", {"stage": "prototypes", "sort": "name"}) == (
        "https://sihub.example.fi/hub/pipeline?stage=prototypes&sort=name&lang=fi"
    )
    assert urls.view_address(base, "overview", "sv", {}) == "https://sihub.example.fi/hub/?lang=sv"
    for wrong in ("sihub.example.fi", "ftp://sihub.example.fi", "https://x.fi/?a=1"):
        monkeypatch.setenv("SIHUB_URL", wrong)
        with pytest.raises(UrlSettingError):
            public_url()
    monkeypatch.delenv("SIHUB_URL")
    assert public_url() is None
