"""Parameters that name files (issue 18, items 1 and 2): in a served conversation (HTTP, Slack,
webhooks: an Assistant's), no parameter may read or write outside the conversation's own folder,
whoever declared it (the report's ``out``, Five Forces' and SPIN's ``guide``, Five Forces'
``interview``, a company plugin's ``InputFile``/``OutputFile``); and errors about a file say what is
wrong with it without quoting it."""

from pathlib import Path

import httpx
import pytest
from embedding import serving

from custlens import Assistant, hookimpl
from custlens.analysis import Analysis, InputFile, OutputFile, Params
from custlens.answer import Answer
from custlens.errors import DataError, ParamsError
from custlens.paths import file_fields
from custlens.server import create_app
from custlens.session import Session

SECRET = "db_password: hunter2-do-not-show\nnot: [valid\n"


class NoteParams(Params):
    out: OutputFile | None = None
    template: InputFile | None = None


class Note(Analysis):
    """A company plugin that writes its ``out`` and reads its ``template``: declared as files, the
    Session confines them without the plugin doing anything."""

    name = "note"
    title = "Note"
    examples = ["write the quarterly note", "draft the quarterly note", "quarterly note please"]
    Params = NoteParams
    requires = {}

    def run(self, dataset, params):
        body = Path(params.template).read_text() if params.template else "a note"
        if params.out:
            Path(params.out).write_text(body)
        return Answer(analysis=self.name, title="Note", summary=f"wrote {Path(params.out).name}" if params.out else "")


class NotePlugin:
    @hookimpl
    def register_analyses(self, register):
        register(Note())


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    orders = folder / "orders.csv"
    orders.write_text("customer_id,order_id,order_date,product,amount\n"
                      + "".join(f"C{i % 7},O{i},2024-0{1 + i % 9}-1{i % 10},P{i % 4},{10 + i}\n" for i in range(60)))
    a = Assistant(data=[str(orders)], plugins=[NotePlugin()], entry_points=False)
    yield a
    a.close()


@pytest.fixture
def elsewhere(tmp_path):
    """A folder outside any conversation, with a secret file and a file that must survive."""
    (tmp_path / "secret.yml").write_text(SECRET)
    (tmp_path / "keep.md").write_text("precious")
    return tmp_path


def test_file_fields_are_found_in_optional_and_plain_declarations():
    from custlens.plugins.five_forces import FiveForcesParams
    from custlens.plugins.report import ReportParams
    from custlens.plugins.spin import SpinParams

    assert file_fields(NoteParams) == {"out": "write", "template": "read"}
    assert file_fields(ReportParams) == {"out": "write"}
    assert file_fields(FiveForcesParams) == {"guide": "read", "interview": "read"}
    assert file_fields(SpinParams) == {"guide": "read"}


def test_a_served_conversation_cannot_write_or_read_outside_its_folder_by_a_correction(served, elsewhere, tmp_path):
    turn = tmp_path / "turn"
    turn.mkdir()
    served.chat("c1", "write the quarterly note", export_dir=turn)
    for line in (f"no, use out={elsewhere / 'keep.md'}", "no, use out=../keep.md",
                 f"no, use template={elsewhere / 'secret.yml'}"):
        with pytest.raises(ParamsError, match="only in its own folder") as err:
            served.chat("c1", line, export_dir=turn)
        assert "hunter2" not in str(err.value)
    assert (elsewhere / "keep.md").read_text() == "precious"
    # a name alone lands in the conversation's folder
    answer = served.chat("c1", "no, use out=mine.md", export_dir=turn)
    assert answer.analysis == "note" and (turn / "mine.md").read_text() == "a note"


def test_the_report_and_five_forces_refuse_paths_outside_the_folder(served, elsewhere, tmp_path):
    s = served.session("c2")
    s.export_dir = str(tmp_path / "conversation")
    with pytest.raises(ParamsError, match="out="):
        s.run("report", {"out": str(elsewhere / "keep.md")})
    for key in ("guide", "interview"):
        with pytest.raises(ParamsError, match=f"{key}=") as err:
            s.run("five_forces", {key: str(elsewhere / "secret.yml")})
        assert "hunter2" not in str(err.value)
    with pytest.raises(ParamsError, match="guide="):
        s.run("spin", {"guide": "../secret.yml"})
    assert (elsewhere / "keep.md").read_text() == "precious"


def test_a_saved_interview_cannot_name_a_guide_outside_the_folder(served, elsewhere, tmp_path):
    (elsewhere / "secret.yml").write_text("title: top secret\nforces: []\n")
    (tmp_path / "conversation").mkdir()
    (tmp_path / "conversation" / "saved.yml").write_text(f"framework: five_forces\nguide: {elsewhere / 'secret.yml'}\n")
    s = served.session("c3")
    s.export_dir = str(tmp_path / "conversation")
    with pytest.raises(ParamsError, match="only in its own folder"):
        s.run("five_forces", {"interview": "saved.yml"})


def test_a_local_session_still_reads_and_writes_where_it_is_told(elsewhere, tmp_path, orders_csv):
    s = Session(data=[str(orders_csv)], plugins=[NotePlugin()], entry_points=False)
    (elsewhere / "t.txt").write_text("from a template")
    s.run("note", {"out": str(elsewhere / "new.md"), "template": str(elsewhere / "t.txt")})
    assert (elsewhere / "new.md").read_text() == "from a template"


@pytest.mark.parametrize("content, expected", [
    (None, "there is no guide"),
    ("folder", "is a folder"),
    (SECRET, r"not valid YAML \(line [23]"),
    ("- just\n- a list\n", "not a YAML mapping"),
    (b"\xff\xfe\x00binary", "not a UTF-8 text file"),
])
def test_errors_about_a_guide_say_what_is_wrong_and_never_quote_it(tmp_path, orders_csv, content, expected):
    path = tmp_path / "guide.yml"
    if content == "folder":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    s = Session(data=[str(orders_csv)], entry_points=False)
    with pytest.raises(DataError, match=expected) as err:
        s.run("five_forces", {"guide": str(path)})
    assert "hunter2" not in str(err.value) and "valid\n" not in str(err.value)


def test_over_http_a_correction_cannot_write_outside_the_conversation(served, elsewhere):
    app = create_app(served, token=None)
    with serving(app) as base, httpx.Client(base_url=base, timeout=60) as client:
        first = client.post("/ask", json={"question": "write the quarterly note"}).json()
        cid = first["conversation_id"]
        r = client.post("/ask", json={"question": f"no, use out={elsewhere / 'keep.md'}", "conversation_id": cid})
        assert r.status_code == 422 and "own folder" in r.json()["error"], r.text
        r = client.post("/ask", json={"question": f"no, use guide={elsewhere / 'secret.yml'}",
                                      "conversation_id": cid})
        assert "hunter2" not in r.text
        r = client.post("/ask", json={"question": "run porter's five forces", "conversation_id": cid})
        assert r.status_code == 200, r.text
        r = client.post("/ask", json={"question": f"no, use guide={elsewhere / 'secret.yml'}",
                                      "conversation_id": cid})
        assert r.status_code == 422 and "own folder" in r.json()["error"] and "hunter2" not in r.text
    assert (elsewhere / "keep.md").read_text() == "precious"
