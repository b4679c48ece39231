"""What the record-kind registry says digests and App Home show, end to end: a kind listed generically
(`Shown.OPEN`, here issues) appears in the client digest only when shared, in the team's digest ranked by
severity, and on its owner's App Home — with no builder code of its own (bot/domain/kinds.py)."""

from __future__ import annotations

from tests.handlers.test_app_home import open_home
from tests.harness.app import BOB, CAROL, INTERNAL_CHANNEL, SHARED_CHANNEL, Liaison, reply_text

BOB_MENTION = f"<@{BOB}|bob>"


async def _issues(app: Liaison) -> None:
    for text in (
        f"add Login fails on SSO severity:high owner:{BOB_MENTION} due:2026-11-27 [client]",
        "add SECRET vendor dispute severity:critical",
        "add Report colours are off severity:low [client]",
    ):
        reply = reply_text(await app.command("/issue", text))
        assert "Added I-" in reply or "已添加 I-" in reply, reply


async def test_open_issues_are_in_digests_as_the_audience_may_see_them(app: Liaison) -> None:
    await _issues(app)
    client = reply_text(await app.command("/digest", "preview client charts:off", channel=SHARED_CHANNEL))
    assert "*Open issues*" in client, client
    assert "`I-1` Login fails on SSO · High · owner <@U0BOB>" in client and "due Fri 27 Nov" in client
    assert "`I-3` Report colours are off · Low" in client
    assert "SECRET" not in client and "I-2" not in client
    team = reply_text(await app.command("/digest", "preview internal charts:off", channel=INTERNAL_CHANNEL))
    lines = [x for x in team.splitlines() if x.startswith("• `I-")]
    assert [x.split("`")[1] for x in lines] == ["I-2", "I-1", "I-3"]  # critical, high, low
    await app.command("/issue", "resolve I-1 Fixed the SAML clock skew")
    again = reply_text(await app.command("/digest", "preview client charts:off", channel=SHARED_CHANNEL))
    assert "I-1" not in again and "`I-3`" in again


async def test_the_owner_sees_their_open_issues_on_app_home_and_a_client_never_an_internal_one(
    app: Liaison,
) -> None:
    await _issues(app)
    await app.command("/issue", f"update I-2 owner:{BOB_MENTION}")
    bob = reply_text(await open_home(app, BOB))
    assert "My open issues" in bob or "我负责的未解决问题" in bob, bob
    assert "`I-2` SECRET vendor dispute" in bob and "`I-1` Login fails on SSO" in bob
    assert bob.index("`I-2`") < bob.index("`I-1`")  # critical first
    await app.command("/issue", f"update I-2 owner:<@{CAROL}|carol>")
    carol = reply_text(await open_home(app, CAROL))
    assert "SECRET" not in carol


async def test_in_chinese(app: Liaison) -> None:
    await app.command("/project", "settings lang:zh")
    await _issues(app)
    client = reply_text(await app.command("/digest", "preview client charts:off", channel=SHARED_CHANNEL))
    assert "*未解决的问题*" in client and "`I-1` Login fails on SSO · 高" in client
