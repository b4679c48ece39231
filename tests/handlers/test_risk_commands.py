"""/risk end to end: signed commands and form submissions in, Slack calls and stored rows out."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from urllib.parse import urlencode

from sqlmodel import func, select

from handlers import ids
from storage.models import AuditLog, ProcessedRequest, Risk
from storage.repo import risks as repo
from tests.harness.app import (
    ALICE,
    BOB,
    CAROL,
    CLIENT_TEAM,
    HOME_TEAM,
    INTERNAL_CHANNEL,
    PLAIN_CHANNEL,
    SHARED_CHANNEL,
    Liaison,
    reply_text,
)

SETUP_EN = 'setup name:"ACME ERP rollout" client:"ACME" tz:Asia/Shanghai lang:en'
SETUP_ZH = 'setup name:"ACME ERP 上线" client:"ACME" tz:Asia/Shanghai lang:zh'
BOB_MENTION = f"<@{BOB}|bob>"


async def setup(liaison: Liaison, *, text: str = SETUP_EN, shared: bool = False) -> None:
    await liaison.command("/project", text)
    if shared:
        await liaison.command("/project", "client-channel", channel=SHARED_CHANNEL)


async def risks(liaison: Liaison) -> list[Risk]:
    async with liaison.session() as s:
        return list((await s.exec(select(Risk).order_by(Risk.number))).all())  # type: ignore[arg-type]


async def audit(liaison: Liaison, ref: str | None = None) -> list[AuditLog]:
    async with liaison.session() as s:
        query = select(AuditLog).where(AuditLog.action.startswith("risk."))
        if ref:
            query = query.where(AuditLog.record_ref == ref)
        return list((await s.exec(query.order_by(AuditLog.id))).all())  # type: ignore[arg-type]


async def store(liaison: Liaison) -> tuple[list[tuple[Any, ...]], int, int]:
    """Everything a failed command must leave alone: the risks, the audit log, claimed requests."""
    async with liaison.session() as s:
        claimed = (await s.exec(select(func.count()).select_from(ProcessedRequest))).one()
        entries = (await s.exec(select(func.count()).select_from(AuditLog))).one()
    rows = [
        (r.number, r.title, r.probability, r.impact, r.status, r.visibility, r.response)
        for r in await risks(liaison)
    ]
    return rows, int(entries), int(claimed)


async def seed(liaison: Liaison, *specs: tuple[str, int, int, str]) -> None:
    """Insert risks directly (title, p, i, visibility) for list tests that need many of them."""
    async with liaison.svc.sessions.begin() as s:
        for n, (title, p, i, visibility) in enumerate(specs):
            await repo.create_risk(
                s,
                project_id=1,
                request_key=f"seed:{title}:{n}",
                kind="R",
                visibility=visibility,
                title=title,
                probability=p,
                impact=i,
                owner_user_id=None,
                owner_team_id=None,
                owner_name=None,
                due_on=None,
                strategy="mitigate",
                response="",
                created_by=ALICE,
            )


# ---- add -------------------------------------------------------------------------------------------


async def test_add_stores_the_risk_looks_up_the_owner_and_answers(liaison: Liaison) -> None:
    await setup(liaison)
    reply = await liaison.command(
        "/risk",
        f"add Data migration slips 🚀 p:high i:4 owner:{BOB_MENTION} due:2026-12-15 strategy:mitigate "
        "response:Rehearse the cutover twice",
    )
    text = reply_text(reply)
    assert "Added R-1" in text and "Critical" in text and "16" in text and f"<@{BOB}>" in text
    assert reply["response_type"] == "ephemeral"
    [risk] = await risks(liaison)
    assert (risk.title, risk.probability, risk.impact, risk.strategy) == (
        "Data migration slips 🚀",
        4,
        4,
        "mitigate",
    )
    assert (risk.owner_user_id, risk.owner_team_id, risk.due_on) == (BOB, HOME_TEAM, date(2026, 12, 15))
    assert (risk.visibility, risk.status, risk.response) == ("internal", "open", "Rehearse the cutover twice")
    assert [c.args["user"] for c in liaison.fake.calls_to("users.info")] == [BOB]
    [entry] = await audit(liaison)
    assert (entry.action, entry.record_ref, entry.actor_user_id) == ("risk.create", "R-1", ALICE)


async def test_add_in_chinese(liaison: Liaison) -> None:
    await setup(liaison, text=SETUP_ZH)
    reply = await liaison.command(
        "/risk", f"添加 数据迁移延期 p:高 i:中 负责人:<@{CAROL}|carol> 截止:2026-12-15 策略:规避 [客户]"
    )
    text = reply_text(reply)
    assert "已添加 R-1" in text and "高" in text and "规避" in text
    [risk] = await risks(liaison)
    assert (risk.title, risk.probability, risk.impact, risk.strategy) == ("数据迁移延期", 4, 3, "avoid")
    assert (risk.owner_user_id, risk.owner_team_id, risk.visibility) == (CAROL, CLIENT_TEAM, "client")


async def test_owner_by_name_and_users_info_failure_do_not_block(liaison: Liaison) -> None:
    await setup(liaison)
    await liaison.command("/risk", "add Client approvals late p:3 i:3 owner:Zhang Wei")
    liaison.fake.fail_next("users.info", "user_not_found")
    reply = await liaison.command("/risk", f"add Licences expire p:2 i:5 owner:{BOB_MENTION}")
    assert "Added R-2" in reply_text(reply)
    first, second = await risks(liaison)
    assert (first.owner_user_id, first.owner_name) == (None, "Zhang Wei")
    assert (second.owner_user_id, second.owner_team_id) == (BOB, None)


async def test_empty_add_opens_the_form_and_its_submission_creates_the_risk(liaison: Liaison) -> None:
    await setup(liaison)
    response, form = await liaison.send_command("/risk", "add")
    assert response.status_code == 200
    [call] = await liaison.wait_for("views.open")
    assert call.args["trigger_id"] == form["trigger_id"]
    view = call.response["view"]
    assert view["callback_id"] == ids.RISK_MODAL
    assert await risks(liaison) == []

    bad = await liaison.interaction(
        submission(view, title=" ", p="4", i="3", strategy="mitigate", due="2026-13-45")
    )
    assert bad.status_code == 200
    body = bad.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {ids.RISK_TITLE, ids.RISK_DUE}
    assert await risks(liaison) == []

    good = await liaison.interaction(
        submission(
            view,
            title="Vendor <!here> may pull staff 🙈",
            p="4",
            i="3",
            owner=CAROL,
            due="2026-12-15",
            strategy="transfer",
            response="Contract clause 7",
            share=True,
        )
    )
    assert good.status_code == 200 and not good.content.strip(b"{} \n")
    [posted] = await liaison.wait_for("chat.postEphemeral")
    assert (posted.args["channel"], posted.args["user"]) == (INTERNAL_CHANNEL, ALICE)
    assert "Added R-1" in posted.args["text"] and "<!here>" not in reply_text(posted.args)
    [risk] = await risks(liaison)
    assert (risk.title, risk.probability, risk.impact) == ("Vendor <!here> may pull staff 🙈", 4, 3)
    assert (risk.owner_user_id, risk.owner_team_id, risk.due_on) == (CAROL, CLIENT_TEAM, date(2026, 12, 15))
    assert (risk.strategy, risk.response, risk.visibility) == ("transfer", "Contract clause 7", "client")

    again = await liaison.interaction(submission(view, title="Vendor", p="4", i="3", strategy="mitigate"))
    assert again.status_code == 200
    assert len(await risks(liaison)) == 1, "a second submission of the same view adds nothing"


def submission(
    view: dict[str, Any],
    *,
    title: str,
    p: str,
    i: str,
    strategy: str,
    owner: str | None = None,
    due: str | None = None,
    response: str = "",
    share: bool = False,
    user: str = ALICE,
    team: str = HOME_TEAM,
) -> dict[str, Any]:
    def select(value: str) -> dict[str, Any]:
        return {
            "type": "static_select",
            "selected_option": {"text": {"type": "plain_text", "text": value}, "value": value},
        }

    share_options = [{"text": {"type": "plain_text", "text": "Share"}, "value": "client"}] if share else []
    values = {
        ids.RISK_TITLE: {ids.RISK_TITLE: {"type": "plain_text_input", "value": title}},
        ids.RISK_P: {ids.RISK_P: select(p)},
        ids.RISK_I: {ids.RISK_I: select(i)},
        ids.RISK_OWNER: {ids.RISK_OWNER: {"type": "users_select", "selected_user": owner}},
        ids.RISK_DUE: {ids.RISK_DUE: {"type": "datepicker", "selected_date": due}},
        ids.RISK_STRATEGY: {ids.RISK_STRATEGY: select(strategy)},
        ids.RISK_RESPONSE: {ids.RISK_RESPONSE: {"type": "plain_text_input", "value": response or None}},
        ids.RISK_SHARE: {ids.RISK_SHARE: {"type": "checkboxes", "selected_options": share_options}},
    }
    return {
        "type": "view_submission",
        "team": {"id": HOME_TEAM},
        "user": {"id": user, "team_id": team},
        "api_app_id": "A0LIAISON",
        "trigger_id": "1.view-submit",
        "view": {
            "id": view["id"],
            "type": "modal",
            "callback_id": view["callback_id"],
            "private_metadata": view["private_metadata"],
            "state": {"values": values},
        },
    }


async def test_form_submission_by_a_client_user_is_refused(liaison: Liaison) -> None:
    await setup(liaison, shared=True)
    await liaison.send_command("/risk", "add")
    [call] = await liaison.wait_for("views.open")
    response = await liaison.interaction(
        submission(
            call.response["view"], title="x", p="2", i="2", strategy="accept", user=CAROL, team=CLIENT_TEAM
        )
    )
    assert response.json()["response_action"] == "errors"
    assert await risks(liaison) == []


async def test_a_client_user_gets_no_form(liaison: Liaison) -> None:
    await setup(liaison, shared=True)
    reply = await liaison.command("/risk", "add", user=CAROL, channel=SHARED_CHANNEL)
    assert "project team" in reply_text(reply)
    assert liaison.fake.calls_to("views.open") == []


# ---- list --------------------------------------------------------------------------------------------


async def test_list_is_sorted_by_score_with_levels_and_filters(liaison: Liaison) -> None:
    await setup(liaison)
    await liaison.command("/risk", "add Low thing p:1 i:2")
    await liaison.command("/risk", f"add Critical thing p:5 i:4 owner:{BOB_MENTION}")
    await liaison.command("/risk", "add Medium thing p:3 i:2 owner:me")
    await liaison.command("/risk", "add High thing p:2 i:5")
    await liaison.command("/risk", "close R-4 handled")

    text = reply_text(await liaison.command("/risk", "list"))
    assert text.index("R-2") < text.index("R-3") < text.index("R-1")
    assert "R-4" not in text
    assert "Critical" in text and "Medium" in text and "Low" in text

    everything = reply_text(await liaison.command("/risk", "list all"))
    assert everything.index("R-2") < everything.index("R-4") < everything.index("R-3")
    mine = reply_text(await liaison.command("/risk", "list mine"))
    assert "R-3" in mine and "R-2" not in mine
    high = reply_text(await liaison.command("/risk", "list high"))
    assert "R-2" in high and "R-3" not in high and "R-1" not in high
    found = reply_text(await liaison.command("/risk", "list all THING"))
    assert all(ref in found for ref in ("R-1", "R-2", "R-3", "R-4"))  # a search after the filter word
    searched = reply_text(await liaison.command("/risk", "list all high"))  # all risks whose text says "high"
    assert "R-4" in searched and "R-2" not in searched and "matching “high”" in searched
    empty = reply_text(await liaison.command("/risk", "list nothing-like-this"))
    assert "No risks" in empty
    assert reply_text(await liaison.command("/risk")) == text  # no text lists open risks


async def test_list_in_chinese(liaison: Liaison) -> None:
    await setup(liaison, text=SETUP_ZH)
    await liaison.command("/risk", "添加 服务器交付延迟 p:高 i:高")
    text = reply_text(await liaison.command("/risk", "列表 高"))
    assert "高及严重风险" in text and "R-1" in text and "严重" in text


async def test_long_list_ends_with_a_count_of_visible_records_only(liaison: Liaison) -> None:
    await setup(liaison, shared=True)
    await seed(liaison, *[(f"client risk {n}", 2, 2, "client") for n in range(24)])
    await seed(liaison, *[(f"internal risk {n}", 5, 5, "internal") for n in range(7)])
    team = await liaison.command("/risk", "list")
    assert "and 11 more" in reply_text(team)  # 31 visible, 20 shown
    assert len(team["blocks"]) <= 50
    shared = await liaison.command("/risk", "list", user=CAROL, channel=SHARED_CHANNEL)
    text = reply_text(shared)
    assert "and 4 more" in text  # 24 client risks, 20 shown; the 7 internal ones are not counted
    assert "internal risk" not in text


# ---- show / update / close / reopen ------------------------------------------------------------------


async def test_show_has_the_history_of_update_close_and_reopen(liaison: Liaison) -> None:
    await setup(liaison)
    await liaison.command("/risk", "add Data migration slips p:high i:4")
    updated = await liaison.command(
        "/risk",
        f"update R-1 p:2 owner:{BOB_MENTION} due:2026-12-20 strategy:accept visibility:client response:Vendor confirmed",
    )
    assert "Updated R-1" in reply_text(updated) and "Probability" in reply_text(updated)
    closed = await liaison.command("/risk", "close R-1 Migration rehearsal passed")
    assert "Closed R-1" in reply_text(closed)
    reopened = await liaison.command("/risk", "reopen R-1")
    assert "Reopened R-1" in reply_text(reopened)

    [risk] = await risks(liaison)
    assert (risk.probability, risk.owner_user_id, risk.owner_team_id, risk.strategy) == (
        2,
        BOB,
        HOME_TEAM,
        "accept",
    )
    assert (risk.visibility, risk.status, risk.closed_at, risk.due_on) == (
        "client",
        "open",
        None,
        date(2026, 12, 20),
    )
    assert [e.action for e in await audit(liaison, "R-1")] == [
        "risk.create",
        "risk.update",
        "risk.close",
        "risk.reopen",
    ]
    update = (await audit(liaison, "R-1"))[1]
    assert update.changes["probability"] == [4, 2]
    assert update.changes["owner_user_id"] == [None, BOB]
    assert "owner_team_id" not in update.changes

    text = reply_text(await liaison.command("/risk", "show R-1"))
    assert "History" in text
    assert "created" in text and "changed" in text and "closed" in text and "reopened" in text
    assert "Probability 4 → 2" in text and "Migration rehearsal passed" in text
    assert "Vendor confirmed" in text


async def test_update_close_reopen_show_in_chinese(liaison: Liaison) -> None:
    await setup(liaison, text=SETUP_ZH)
    await liaison.command("/risk", "添加 硬件到货延迟 p:中 i:高")
    assert "已更新 R-1" in reply_text(
        await liaison.command("/risk", "更新 R-1 p:低 应对:供应商已确认增派人手")
    )
    assert "已关闭 R-1" in reply_text(await liaison.command("/risk", "关闭 R-1 到货了"))
    assert "已重新打开 R-1" in reply_text(await liaison.command("/risk", "重开 R-1"))
    text = reply_text(await liaison.command("/risk", "查看 R-1"))
    assert "历史" in text and "概率 3 → 2" in text and "到货了" in text and "供应商已确认增派人手" in text
    [risk] = await risks(liaison)
    assert (risk.probability, risk.response, risk.status) == (2, "供应商已确认增派人手", "open")


async def test_update_that_changes_nothing_writes_nothing(liaison: Liaison) -> None:
    await setup(liaison)
    await liaison.command("/risk", "add Thing p:2 i:2")
    before = await audit(liaison)
    reply = await liaison.command("/risk", "update R-1 p:low")
    assert "already looks like that" in reply_text(reply)
    assert await audit(liaison) == before


async def test_details_button_shows_the_risk_to_whoever_may_see_it(liaison: Liaison) -> None:
    await setup(liaison, shared=True)
    await liaison.command("/risk", "add Internal only p:2 i:2")
    await liaison.command("/risk", "add Shared one p:2 i:3 [client]")
    for user, team, ref, expected in (
        (ALICE, HOME_TEAM, "R-1", "Internal only"),
        (CAROL, CLIENT_TEAM, "R-2", "Shared one"),
        (CAROL, CLIENT_TEAM, "R-1", "There is no R-1"),
    ):
        channel = INTERNAL_CHANNEL if user == ALICE else SHARED_CHANNEL
        key = f"click-{user}-{ref}"
        await liaison.interaction(
            click(ref, user=user, team=team, channel=channel, response_url=liaison.fake.response_url(key))
        )
        [answer] = await liaison.wait_for("response_url", where=lambda c, k=key: c.args.get("_key") == k)
        text = reply_text(answer.args)
        assert expected in text
        assert answer.args["response_type"] == "ephemeral" and answer.args["replace_original"] is False
        if user == CAROL:
            assert "Internal only" not in text


def click(ref: str, *, user: str, team: str, channel: str, response_url: str) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": HOME_TEAM},
        "user": {"id": user, "team_id": team},
        "api_app_id": "A0LIAISON",
        "trigger_id": "2.click",
        "channel": {"id": channel},
        "container": {"type": "message", "message_ts": "1.0", "channel_id": channel, "is_ephemeral": True},
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": ids.RISK_SHOW,
                "block_id": "b1",
                "value": ref,
                "text": {"type": "plain_text", "text": "Details"},
                "action_ts": "1.1",
            }
        ],
    }


# ---- mistakes: an answer with an example, and nothing written -----------------------------------------


async def test_every_kind_of_mistake_gets_an_example_and_changes_nothing(liaison: Liaison) -> None:
    await setup(liaison)
    await liaison.command("/risk", "add Existing p:2 i:2")
    other = 'setup name:"Other" client:"Beta" tz:UTC'
    await liaison.command("/project", other, channel=PLAIN_CHANNEL)
    await liaison.command("/risk", "add Other project one p:2 i:2", channel=PLAIN_CHANNEL)
    await liaison.command("/risk", "add Other project two p:2 i:2", channel=PLAIN_CHANNEL)
    before = await store(liaison)
    cases = {
        "update R-99 p:2": "There is no R-99",
        "update R-2 p:2": "There is no R-2",  # R-2 exists, but in the other project
        "show R-2": "There is no R-2",
        "close M-1 done": "is not a reference like `R-3`",
        "show R-1 p:3": "does not apply",
        "add Too likely p:9 i:2": "`p:9` is not a level",
        "add No impact p:2": "`i:` is required",
        "add p:2 i:2": "Give the risk a title",
        "add Vague p:2 i:2 due:when pigs fly": "couldn't understand “when pigs fly”",
        "add Wordy p:2 i:2 response:" + "x" * 3001: "too much text",
        "update R-1 response:" + "y" * 2990: "too much text",
        "add Hope p:2 i:2 strategy:pray": "`pray` is not a strategy",
        "update R-1 visibility:everyone": "`visibility:everyone`",
        "update R-1": "Tell me what to change",
        "update R-1 extra words p:3": "didn't expect",
        "reopen R-1": "R-1 is not closed",
        "frobnicate R-1": "has no subcommand",
    }
    for text, expected in cases.items():
        reply = await liaison.command("/risk", text)
        shown = reply_text(reply)
        assert expected in shown, (text, shown)
        assert "Example: `/risk" in shown or "Example: `/liaison" in shown, (text, shown)
        assert reply["response_type"] == "ephemeral"
        assert await store(liaison) == before, text


async def test_mistakes_in_chinese(liaison: Liaison) -> None:
    await setup(liaison, text=SETUP_ZH)
    before = await store(liaison)
    for text, expected in {
        "添加 太可能了 p:9 i:高": "无法识别 `p:9`",
        "添加 看情况 p:2 i:2 截止:猴年马月": "没能理解“猴年马月”",
        "添加 祈祷 p:2 i:2 策略:祈祷": "不是有效的应对策略",
        "查看 R-5": "本项目中没有 R-5",
    }.items():
        shown = reply_text(await liaison.command("/risk", text))
        assert expected in shown and "示例" in shown and "/risk" in shown, (text, shown)
    assert await store(liaison) == before


async def test_close_twice_is_refused(liaison: Liaison) -> None:
    await setup(liaison)
    await liaison.command("/risk", "add Thing p:2 i:2")
    await liaison.command("/risk", "close R-1 fine")
    before = await store(liaison)
    assert "already closed" in reply_text(await liaison.command("/risk", "close R-1 again"))
    assert await store(liaison) == before


# ---- who sees what -------------------------------------------------------------------------------------


async def test_slack_connect_client_sees_only_client_risks_and_changes_nothing(liaison: Liaison) -> None:
    await setup(liaison, shared=True)
    await liaison.command("/risk", "add Internal budget overrun p:5 i:5 response:Secret plan")
    await liaison.command("/risk", "add UAT environment late p:2 i:3 [client]")
    before = await store(liaison)

    listed = reply_text(await liaison.command("/risk", "list all", user=CAROL, channel=SHARED_CHANNEL))
    assert "UAT environment late" in listed and "R-2" in listed
    assert "Internal budget" not in listed and "R-1" not in listed

    shown = reply_text(await liaison.command("/risk", "show R-2", user=CAROL, channel=SHARED_CHANNEL))
    assert "UAT environment late" in shown and "History" in shown
    assert ALICE not in shown and "Visibility" not in shown

    hidden = await liaison.command("/risk", "show R-1", user=CAROL, channel=SHARED_CHANNEL)
    missing = await liaison.command("/risk", "show R-3", user=CAROL, channel=SHARED_CHANNEL)
    assert reply_text(hidden).replace("R-1", "R-n") == reply_text(missing).replace("R-3", "R-n")
    assert "Secret plan" not in reply_text(hidden)

    for text in (
        "add Client risk p:2 i:2 [client]",
        "update R-2 p:5",
        "close R-2 done",
        "reopen R-2",
        "update R-1 p:1",
    ):
        reply = await liaison.command("/risk", text, user=CAROL, channel=SHARED_CHANNEL)
        assert "project team" in reply_text(reply), text
        assert reply["response_type"] == "ephemeral"
    assert await store(liaison) == before


async def test_team_member_in_the_shared_channel_also_sees_only_client_risks(liaison: Liaison) -> None:
    await setup(liaison, shared=True)
    await liaison.command("/risk", "add Internal budget overrun p:5 i:5")
    await liaison.command("/risk", "add UAT environment late p:2 i:3 [client]")
    listed = await liaison.command("/risk", "list all", channel=SHARED_CHANNEL)
    assert "UAT environment late" in reply_text(listed) and "Internal budget" not in reply_text(listed)
    assert listed["response_type"] == "ephemeral"
    hidden = reply_text(await liaison.command("/risk", "show R-1", channel=SHARED_CHANNEL))
    assert "There is no R-1" in hidden and "Internal budget" not in hidden
    # In a shared channel even the team only reads and confirms: changes are refused before any lookup.
    assert "project team" in reply_text(
        await liaison.command("/risk", "update R-1 p:1", channel=SHARED_CHANNEL)
    )
    assert "project team" in reply_text(
        await liaison.command("/risk", "add Leak p:1 i:1 [client]", channel=SHARED_CHANNEL)
    )
    [internal, _] = await risks(liaison)
    assert internal.probability == 5


async def test_injection_in_a_title_pings_and_links_nobody(liaison: Liaison) -> None:
    await setup(liaison)
    reply = await liaison.command("/risk", "add <!channel> <@U0BOB> <https://evil.example|x> p:2 i:2")
    [risk] = await risks(liaison)
    assert risk.title == "@channel @U0BOB <https://evil.example|x>"
    assert risk.owner_user_id is None
    for message in (
        reply,
        await liaison.command("/risk", "list"),
        await liaison.command("/risk", "show R-1"),
    ):
        text = reply_text(message)
        assert "R-1" in text
        assert (
            "<!channel>" not in text and "<@U0BOB>" not in text
        )  # `<https://…|x>`: a link Slack made stays one
        assert "<!" not in message["text"] and "<@" not in message["text"]


async def test_escaped_user_text_stays_escaped(liaison: Liaison) -> None:
    await setup(liaison)
    await liaison.command("/risk", "add A &lt;b&gt; &amp; c p:2 i:2 response:&lt;!here&gt;")
    [risk] = await risks(liaison)
    assert (risk.title, risk.response) == ("A <b> & c", "<!here>")
    text = reply_text(await liaison.command("/risk", "show R-1"))
    assert "A &lt;b&gt; &amp; c" in text and "&lt;!here&gt;" in text and "<!here>" not in text


# ---- retries -------------------------------------------------------------------------------------------


async def test_a_retried_command_creates_one_risk(liaison: Liaison) -> None:
    await setup(liaison)
    form = liaison.command_form("/risk", "add Network freeze p:3 i:4")
    body = urlencode(form).encode()
    for _ in range(2):
        response = await liaison.post(body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 200
    key = form["response_url"].rsplit("/", 1)[-1]
    answers = await liaison.wait_for("response_url", count=2, where=lambda c: c.args.get("_key") == key)
    texts = sorted(reply_text(a.args) for a in answers)
    assert any("Added R-1" in t for t in texts) and any("Already recorded: R-1" in t for t in texts)
    assert len(await risks(liaison)) == 1
    assert [e.action for e in await audit(liaison)] == ["risk.create"]


async def test_a_retried_close_is_recorded_once(liaison: Liaison) -> None:
    await setup(liaison)
    await liaison.command("/risk", "add Network freeze p:3 i:4")
    form = liaison.command_form("/risk", "close R-1 freeze lifted")
    body = urlencode(form).encode()
    for _ in range(2):
        await liaison.post(body, content_type="application/x-www-form-urlencoded")
    key = form["response_url"].rsplit("/", 1)[-1]
    await liaison.wait_for("response_url", count=2, where=lambda c: c.args.get("_key") == key)
    assert [e.action for e in await audit(liaison)] == ["risk.create", "risk.close"]


async def test_metadata_round_trips_through_the_form(liaison: Liaison) -> None:
    await setup(liaison)
    await liaison.send_command("/risk", "添加")
    [call] = await liaison.wait_for("views.open")
    meta = json.loads(call.args["view"]["private_metadata"])
    assert meta == {"channel": INTERNAL_CHANNEL, "project": 1, "lang": "zh"}
    assert call.args["view"]["title"]["text"] == "新建风险"
