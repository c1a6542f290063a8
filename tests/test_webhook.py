"""The webhook mode over a real socket (uvicorn on 127.0.0.1, a free port): Mattermost's token and
Teams' HMAC checked, replies in each tool's JSON with tables as it shows them, one conversation per
channel, bad requests refused with the right status."""

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

uvicorn = pytest.importorskip("uvicorn")

from click.testing import CliRunner  # noqa: E402
from embedding import serving  # noqa: E402

from custlens.cli import cli  # noqa: E402
from custlens.webhook import Webhook, create_app  # noqa: E402

MM_TOKEN = "mm-token-123"
TEAMS_SECRET = base64.b64encode(b"a teams secret of 32 bytes......").decode()


@pytest.fixture(scope="module")
def mattermost(assistant):
    with serving(create_app(assistant, "mattermost", MM_TOKEN, timeout=60)) as url:
        yield url + "/webhook"


@pytest.fixture(scope="module")
def teams(assistant):
    with serving(create_app(assistant, "teams", TEAMS_SECRET, timeout=60)) as url:
        yield url + "/webhook"


def post(url, body: bytes, headers: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def mm(url, text, channel="ch1", token=MM_TOKEN, as_json=False, **extra):
    """A Mattermost outgoing webhook request (a form by default, as Mattermost sends it)."""
    data = {"token": token, "team_id": "t1", "channel_id": channel, "channel_name": "sales", "user_name": "ana",
            "post_id": "p1", "text": f"custlens {text}", "trigger_word": "custlens", **extra}
    if as_json:
        return post(url, json.dumps(data).encode(), {"Content-Type": "application/json"})
    return post(url, urllib.parse.urlencode(data).encode(), {"Content-Type": "application/x-www-form-urlencoded"})


def ms(url, text, conversation="19:abc@thread.skype;messageid=1", secret=TEAMS_SECRET):
    """A Teams outgoing webhook activity, signed with ``secret``."""
    body = json.dumps({"type": "message", "id": "1", "text": f"<at>custlens</at>&nbsp;{text}",
                       "from": {"id": "29:user", "name": "Ana"}, "conversation": {"id": conversation},
                       "channelData": {"teamsTeamId": "19:team"}}).encode()
    mac = base64.b64encode(hmac.new(base64.b64decode(secret), body, hashlib.sha256).digest()).decode()
    return post(url, body, {"Content-Type": "application/json", "Authorization": f"HMAC {mac}"})


def test_mattermost_answers_with_markdown_tables_as_a_comment(mattermost, assistant):
    status, body = mm(mattermost, "total revenue by country")
    assert status == 200 and body["response_type"] == "comment"
    text = body["text"]
    assert text.startswith("#### Sales overview")
    by_country = assistant.session("mattermost:ch1").last_answer().table("by_country")
    top = by_country.rows[0][0]
    assert "| country | revenue |" in text and "|---|---:|" in text and f"| {top} |" in text
    assert f"of {by_country.total_rows:,} rows shown" in text


def test_mattermost_keeps_one_conversation_per_channel(mattermost, assistant):
    mm(mattermost, "total revenue by country", channel="chA")
    status, body = mm(mattermost, "and for Germany", channel="chA", as_json=True)  # JSON works as well as a form
    assert status == 200 and "country = Germany" in body["text"]
    _, body = mm(mattermost, "by month", channel="chA")
    assert "country = Germany" in body["text"]
    _, other = mm(mattermost, "revenue by month", channel="chB")
    assert "Germany" not in other["text"]
    assert assistant.session("mattermost:chA").conversation.filters == {"country": ["Germany"]}
    assert assistant.session("mattermost:chB").conversation.filters == {}
    mm(mattermost, "total revenue by country", channel="chA", root_id="r9")  # a thread: its own conversation
    assert assistant.session("mattermost:chA:r9").conversation.filters == {}


def test_mattermost_refuses_a_wrong_or_missing_token_and_bad_bodies(mattermost, assistant):
    before = set(assistant.conversations())
    assert mm(mattermost, "total revenue", channel="evil", token="guess")[0] == 401
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert post(mattermost, b"channel_id=evil&text=total+revenue", form)[0] == 401
    assert post(mattermost, b"{not json", {"Content-Type": "application/json"})[0] == 400
    assert post(mattermost, b"x" * 70_000, form)[0] == 413
    assert set(assistant.conversations()) == before  # nothing was answered


def test_mattermost_errors_and_file_requests_are_friendly_replies(mattermost):
    status, body = mm(mattermost, "zxqv blorp frobnicate", channel="chE")
    assert status == 200 and body["text"].startswith("Sorry, I can't answer") and "Traceback" not in body["text"]
    mm(mattermost, "total revenue", channel="chE")
    _, body = mm(mattermost, "export that to /tmp/x.xlsx", channel="chE")
    assert "can't send files" in body["text"]


def test_teams_checks_the_hmac_and_shows_tables_preformatted(teams, assistant):
    status, body = ms(teams, "total revenue by country")
    assert status == 200 and body["type"] == "message"
    text = body["text"]
    assert text.startswith("**Sales overview**") and "\n```\ncountry" in text and "|---" not in text
    assert assistant.has_conversation("teams:19:abc@thread.skype;messageid=1")
    wrong = base64.b64encode(b"another secret").decode()
    assert ms(teams, "total revenue", conversation="19:evil", secret=wrong)[0] == 401
    assert post(teams, b"{}", {"Content-Type": "application/json"})[0] == 401  # no signature at all
    assert not assistant.has_conversation("teams:19:evil")


def test_teams_threads_are_separate_conversations(teams, assistant):
    ms(teams, "total revenue by country", conversation="19:c@thread.skype;messageid=7")
    _, body = ms(teams, "and for Germany", conversation="19:c@thread.skype;messageid=7")
    assert "country = Germany" in body["text"]
    _, other = ms(teams, "revenue by month", conversation="19:c@thread.skype;messageid=8")
    assert "Germany" not in other["text"]


def test_an_answer_past_the_time_limit_is_a_polite_reply(assistant):
    hook = Webhook(assistant, "teams", TEAMS_SECRET, timeout=0.0001)
    assert hook.answer("teams:slow", "segment my customers").startswith("Sorry, that took too long")


def test_the_command_names_the_missing_variable():
    res = CliRunner().invoke(cli, ["webhook", "--kind", "teams", "--demo"], env={"CUSTLENS_WEBHOOK_TOKEN": None})
    assert res.exit_code == 1 and "CUSTLENS_WEBHOOK_TOKEN is not set" in res.output
    res = CliRunner().invoke(cli, ["webhook", "--kind", "teams", "--demo"],
                             env={"CUSTLENS_WEBHOOK_TOKEN": "not base64!"})
    assert res.exit_code == 1 and "not base64" in res.output


def test_a_chat_user_cannot_name_a_file_outside_the_conversation(mattermost, tmp_path):
    """Issue 18: a correction may set any parameter, but none that names a file may leave the
    conversation's folder: not a guide to read (whose content must not be quoted), not a report to write."""
    secret = tmp_path / "secret.yml"
    secret.write_text("password: hunter2\n: [broken\n")
    status, body = mm(mattermost, "run porter's five forces", channel="files")
    assert status == 200 and "Five Forces" in body["text"]
    status, body = mm(mattermost, f"no, use guide={secret}", channel="files")
    assert status == 200 and "own folder" in body["text"] and "hunter2" not in body["text"]
    status, body = mm(mattermost, f"no, use interview={tmp_path}/../x.yml", channel="files")
    assert "own folder" in body["text"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret.yml"]


def test_the_temporary_folder_goes_when_the_server_stops(assistant):
    app = create_app(assistant, "mattermost", MM_TOKEN, timeout=60)
    folder = app.state.webhook.files_dir
    with serving(app) as url:
        assert folder.is_dir()
        status, body = mm(url + "/webhook", "total revenue", channel="chTmp")
        assert status == 200 and "Sales overview" in body["text"]
        assert folder.is_dir() and list(folder.iterdir()) == []  # each turn's own folder is gone already
    assert not folder.exists()


def test_a_blank_webhook_token_is_refused(orders_csv):
    for token in (" ", "\t "):
        res = CliRunner().invoke(cli, ["webhook", "--kind", "mattermost", "--data", str(orders_csv)],
                                 env={"CUSTLENS_WEBHOOK_TOKEN": token})
        assert res.exit_code == 1 and "blank" in res.output and "Traceback" not in res.output, res.output
