"""custlens.charts: every chart kind renders a real PNG from a small table; files, data URIs,
errors that name the problem; the shell's ``plot``."""

from __future__ import annotations

import base64
import io

import pandas as pd
import pytest
from click.testing import CliRunner
from PIL import Image

from custlens import charts
from custlens.answer import Answer, Chart, Table
from custlens.cli import cli
from custlens.errors import CustlensError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def small_answer() -> Answer:
    """One small table per shape a chart needs; the shown rows are cut to 3 so charts must use
    the full frame."""
    months = pd.DataFrame({"month": [f"2024-{m:02d}-01" for m in range(1, 13)],
                           "revenue": [100.0 + 10 * m for m in range(12)], "orders": list(range(5, 17))})
    cohorts = pd.DataFrame({"cohort": ["2024-01", "2024-02", "2024-03"], "0": [1.0, 1.0, 1.0],
                            "1": [0.4, 0.35, None], "2": [0.3, None, None]})
    long = pd.DataFrame({"cohort": ["a", "a", "b", "b"], "month": [0, 1, 0, 1], "rate": [1.0, 0.5, 1.0, 0.4]})
    funnel = pd.DataFrame({"stage": ["visit", "product_view", "add_to_cart", "checkout", "purchase"],
                           "sessions": [1000, 870, 750, 650, 230]})
    clv = pd.DataFrame({"customer_id": [f"C{i}" for i in range(200)], "clv": [float(i % 37) * 12.5 for i in range(200)]})
    rules = pd.DataFrame({"antecedent": ["Yoga Mat", "Espresso Machine", "Running Shoes", "Yoga Block"],
                          "consequent": ["Yoga Block", "Coffee Grinder", "Sports Socks", "Resistance Bands"],
                          "support": [0.03, 0.025, 0.02, 0.022], "lift": [8.0, 9.5, 7.1, 6.3]})
    tables = [Table.from_frame("by_month", months, "Revenue by month", max_rows=3),
              Table.from_frame("retention", cohorts, "Retention"),
              Table.from_frame("retention_long", long, "Retention (long)"),
              Table.from_frame("funnel", funnel, "Funnel"),
              Table.from_frame("clv", clv, "CLV", max_rows=3),
              Table.from_frame("rules", rules, "Rules")]
    chart_specs = [
        Chart(kind="bar", title="Revenue by month", table="by_month", x="month", y=["revenue"]),
        Chart(kind="line", title="Revenue and orders", table="by_month", x="month", y=["revenue", "orders"]),
        Chart(kind="area", title="Stacked", table="by_month", x="month"),
        Chart(kind="heatmap", title="Cohort retention", table="retention", x="cohort"),
        Chart(kind="heatmap", title="Long retention", table="retention_long", x="cohort",
              options={"columns": "month", "values": "rate"}),
        Chart(kind="scatter", title="Rules: support and lift", table="rules", x="support", y=["lift"],
              options={"label": "consequent"}),
        Chart(kind="scatter", title="Rules coloured by lift", table="rules", x="support", y=["lift"],
              options={"label": ["antecedent", "consequent"], "color": "lift"}),
        Chart(kind="pie", title="Share of revenue", table="by_month", x="month", y=["revenue"]),
        Chart(kind="funnel", title="Sessions by stage", table="funnel", x="stage", y=["sessions"]),
        Chart(kind="histogram", title="CLV distribution", table="clv", x="clv"),
        Chart(kind="network", title="Bought together", table="rules", x="antecedent", y=["consequent"],
              options={"value": "lift"}),
    ]
    return Answer(analysis="test", title="Charts", tables=tables, charts=chart_specs)


def assert_png(data: bytes) -> Image.Image:
    assert data[:8] == PNG_MAGIC and len(data) > 1000
    image = Image.open(io.BytesIO(data))
    image.verify()
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size[0] > 300 and image.size[1] > 200
    return image


def test_every_kind_is_covered_by_the_fixture():
    kinds = {c.kind for c in small_answer().charts}
    assert kinds == set(Chart.model_fields["kind"].annotation.__args__)


@pytest.mark.parametrize("index", range(len(small_answer().charts)))
def test_each_kind_renders_a_png(index):
    answer = small_answer()
    assert_png(charts.png_bytes(answer, answer.charts[index]))


def test_lines_draw_the_full_frame_bars_the_rows_shown():
    answer = small_answer()  # by_month shows 3 of 12 rows
    line, bar = answer.charts[1], answer.charts[0]
    full_line, top_bars = charts.png_bytes(answer, line), charts.png_bytes(answer, bar)
    twelve_bars = charts.png_bytes(answer, bar.model_copy(update={"options": {"top": 12}}))
    answer.table("by_month")._frame = answer.table("by_month").frame.head(3)
    assert charts.png_bytes(answer, line) != full_line  # 12 points against 3
    assert charts.png_bytes(answer, bar) == top_bars and twelve_bars != top_bars


def test_save_to_a_folder_and_to_a_file(tmp_path):
    answer = small_answer()
    written = charts.save(answer, tmp_path / "out")
    assert len(written) == len(answer.charts) and len(set(written)) == len(written)
    for path in written:
        assert path.parent == tmp_path / "out" and path.suffix == ".png" and path.stat().st_size > 0
        assert_png(path.read_bytes())
    assert (tmp_path / "out" / "test_cohort_retention.png") in written
    one = charts.save(answer, tmp_path / "funnel.png", chart=7)
    assert one == [tmp_path / "funnel.png"]
    two = charts.save(Answer(analysis="t", title="t", tables=answer.tables, charts=answer.charts[:2]),
                      tmp_path / "pair.png")
    assert [p.name for p in two] == ["pair_1.png", "pair_2.png"]


def test_data_uri_embeds_the_png():
    answer = small_answer()
    uri = charts.data_uri(answer, answer.charts[3])
    assert uri.startswith("data:image/png;base64,")
    assert_png(base64.b64decode(uri.split(",", 1)[1]))


def test_errors_name_the_problem(tmp_path):
    answer = small_answer()
    with pytest.raises(CustlensError, match="no column\\(s\\) 'profit'.*columns: month, revenue, orders"):
        charts.png_bytes(answer, Chart(kind="bar", title="x", table="by_month", x="month", y=["profit"]))
    with pytest.raises(CustlensError, match="\\['month', 'revenue'\\] is not a column name"):
        charts.png_bytes(answer, Chart(kind="network", title="x", table="by_month", x="month",
                                       options={"source": ["month", "revenue"], "target": "orders"}))
    with pytest.raises(CustlensError, match="no table 'nope'"):
        charts.png_bytes(answer, Chart(kind="bar", title="x", table="nope"))
    with pytest.raises(CustlensError, match="no chart 21"):
        charts.save(answer, tmp_path, chart=20)
    with pytest.raises(CustlensError, match="has no chart"):
        charts.save(Answer(analysis="t", title="Plain"), tmp_path)
    empty = Answer(analysis="t", title="t", tables=[Table.from_frame("e", pd.DataFrame({"a": [], "b": []}))],
                   charts=[Chart(kind="bar", title="Empty", table="e", x="a", y=["b"])])
    with pytest.raises(CustlensError, match="no rows"):
        charts.save(empty, tmp_path)


def test_importing_custlens_does_not_import_matplotlib():
    import subprocess
    import sys

    code = "import sys, custlens.cli, custlens.charts; print('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_plot_in_the_shell(tmp_path, orders_csv, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = f"plot\ntotal revenue by country\nplot\nplot 1 {tmp_path / 'one.png'}\nplot it\nplot 9\nplot nonsense\n"
    result = CliRunner().invoke(cli, ["chat", "--data", str(orders_csv), "--history", str(tmp_path / "h")],
                                input=text)
    assert result.exit_code == 0, result.output
    blocks = ("\n" + result.output).split("\n> ")
    assert "There is no answer yet to plot: ask a question first" in blocks[1]
    wrote = [line.split(" ", 1)[1].strip() for line in blocks[3].splitlines() if line.startswith("Wrote ")]
    assert wrote == ["overview_top_3_countries_by_revenue.png"]
    assert_png((tmp_path / wrote[0]).read_bytes())
    assert f"Wrote {tmp_path / 'one.png'}" in blocks[4]
    assert_png((tmp_path / "one.png").read_bytes())
    assert "Wrote overview_top_3_countries_by_revenue.png" in blocks[5]
    assert "error: there is no chart 9" in blocks[6]
    assert "error: usage: plot" in blocks[7]


def test_dates_are_labelled_as_dates():
    frame = pd.DataFrame({"month": pd.to_datetime(["2024-01-01", "2024-02-01"]), "revenue": [1.0, 2.0]})
    chart = Chart(kind="line", title="t", table="m", x="month", y=["revenue"])
    assert charts._labels(frame, chart) == ["2024-01-01", "2024-02-01"]
