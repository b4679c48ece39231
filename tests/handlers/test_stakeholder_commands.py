"""The stakeholder register end to end: add, list, remove (English and Chinese), mistakes that write nothing,
the register kept from the client, and `signs:` deciding who may approve a sign-off (one rule with the
project's approvers as the fallback)."""

from __future__ import annotations

from handlers import ids
from storage.models import AuditLog, SignOff, Stakeholder
from tests.handlers.test_change_commands import _sent as sent_change
from tests.handlers.test_minutes_commands import press, rows
from tests.harness.app import ALICE, CAROL, CLIENT_TEAM, SHARED_CHANNEL, Liaison, reply_text

DAN = "U0DAN"
CAROL_MENTION = f"<@{CAROL}|carol>"


async def test_add_list_and_remove_a_client_stakeholder(app: Liaison) -> None:
    reply = await app.command(
        "/stakeholder",
        f'add {CAROL_MENTION} role:"CIO, sponsor" org:client influence:high signs:baseline,change,acceptance',
    )
    assert reply["response_type"] == "ephemeral"
    assert f"Added <@{CAROL}> to the stakeholder register" in reply_text(reply)
    [row] = await rows(app, Stakeholder)
    assert (row.user_id, row.role, row.org, row.influence, row.signs, row.visibility) == (
        CAROL,
        "CIO, sponsor",
        "client",
        "high",
        ["baseline", "change", "milestone"],
        "internal",
    )
    ours = await app.command(
        "/stakeholder", 'add <@U0BOB|bob> role:"Delivery lead"'
    )  # of the team: no org: needed
    assert "Delivery lead · team · medium influence" in reply_text(ours)
    await app.command("/stakeholder", "remove <@U0BOB|bob>")
    named = await app.command("/stakeholder", 'add Zhang Wei role:"PMO head &amp; budget" influence:low')
    assert "Added *Zhang Wei*" in reply_text(named).replace("\u200b", "")
    listed = reply_text(await app.command("/stakeholder", "list"))
    assert "CIO, sponsor · client · high influence · signs baseline, changes, acceptance" in listed
    assert "PMO head &amp; budget · client · low influence" in listed  # escaped, kept as typed
    assert listed.index(CAROL) < listed.index("Zhang Wei")  # high influence first
    assert "never shown to the client" in listed

    again = await app.command("/stakeholder", f"add {CAROL_MENTION} role:CIO influence:medium")
    assert "Updated" in reply_text(again)
    assert next((r.role, r.influence, r.signs) for r in await rows(app, Stakeholder)) == ("CIO", "medium", [])

    gone = await app.command("/stakeholder", "remove zhang wei")
    assert "Removed *Zhang Wei*" in reply_text(gone).replace("\u200b", "")
    assert [r.user_id for r in await rows(app, Stakeholder)] == [CAROL]
    actions = [a.action for a in await rows(app, AuditLog) if a.action.startswith("stakeholder.")]
    assert actions == [
        "stakeholder.add",
        "stakeholder.add",
        "stakeholder.remove",
        "stakeholder.add",
        "stakeholder.update",
        "stakeholder.remove",
    ]


async def test_mistakes_get_an_example_and_write_nothing(app: Liaison) -> None:
    cases = {
        "add": "Say who",
        f"add {CAROL_MENTION} influence:huge": "`huge` is not an influence",
        f"add {CAROL_MENTION} org:vendor": "`vendor` is not an organisation",
        f"add {CAROL_MENTION} signs:budget": "`budget` is not something the client signs",
        "add Zhang Wei signs:change": "Only someone in Slack can sign",
        f"add {CAROL_MENTION} org:team signs:change": "`signs:` needs `org:client`",
        "add <@U0BOB|bob> signs:change": "`signs:` needs `org:client`",  # Bob is of the team
        f"add {CAROL_MENTION} <@U0BOB|bob>": "One person at a time",
        "remove Nobody Here": "Nobody Here is not on the stakeholder register",
    }
    for text, expected in cases.items():
        reply = await app.command("/stakeholder", text)
        shown = reply_text(reply)
        assert expected in shown, (text, shown)
        assert "/stakeholder" in shown and reply["response_type"] == "ephemeral"
    assert await rows(app, Stakeholder) == []


async def test_the_register_in_chinese(app: Liaison) -> None:
    await app.command("/project", "settings lang:zh")
    reply = await app.command(
        "/stakeholder",
        f'添加 {CAROL_MENTION} 角色:"CIO，项目发起人" 组织:客户 影响力:高 签署:基线、变更、验收',
    )
    assert f"已将 <@{CAROL}> 加入干系人登记" in reply_text(reply)
    [row] = await rows(app, Stakeholder)
    assert (row.influence, row.signs) == ("high", ["baseline", "change", "milestone"])
    listed = reply_text(await app.command("/stakeholder", "列表"))
    assert "CIO，项目发起人 · 客户 · 影响力高 · 签署需求基线、变更、验收" in listed
    bad = reply_text(await app.command("/stakeholder", f"添加 {CAROL_MENTION} 影响力:极高"))
    assert "`极高` 不是可用的影响力" in bad and "/stakeholder 添加" in bad
    removed = await app.command("/stakeholder", f"删除 {CAROL_MENTION}")
    assert f"已将 <@{CAROL}> 从干系人登记中移除" in reply_text(removed)
    assert await rows(app, Stakeholder) == []


async def test_the_client_never_sees_the_register(app: Liaison) -> None:
    await app.command("/stakeholder", f"add {CAROL_MENTION} role:CIO influence:high")
    for user in (ALICE, CAROL):  # where the client reads, even the team gets no list
        reply = await app.command("/stakeholder", "list", user=user, channel=SHARED_CHANNEL)
        assert "CIO" not in reply_text(reply) and "influence" not in reply_text(reply), user
        added = await app.command("/stakeholder", "add Mallory role:spy", user=user, channel=SHARED_CHANNEL)
        assert "Added" not in reply_text(added)
    assert [r.name for r in await rows(app, Stakeholder)] == [""]


async def test_signs_decides_who_approves_a_change_request(app: Liaison) -> None:
    app.fake.add_user(DAN, team_id=CLIENT_TEAM, name="dan")
    await app.command("/stakeholder", f"add <@{DAN}|dan> role:CFO signs:change")
    await app.command("/stakeholder", f"add {CAROL_MENTION} role:CIO signs:minutes")  # signs, but not changes
    message = await sent_change(app)
    refused = await press(app, message, ids.SIGNOFF_APPROVE)  # CAROL, of the client, not a change signer
    assert "Only the project's named approvers sign this" in reply_text(refused)
    assert (await rows(app, SignOff))[0].status == "waiting"
    approved = await press(app, message, ids.SIGNOFF_APPROVE, user=DAN, team=CLIENT_TEAM)
    assert "you approved CR-1" in reply_text(approved)
    [row] = await rows(app, SignOff)
    assert (row.status, row.decided_by) == ("approved", DAN)


async def test_project_approvers_sign_what_no_stakeholder_signs(app: Liaison) -> None:
    """The fallback: with `approvers:@dan` and a stakeholder who signs only minutes, changes are Dan's."""
    app.fake.add_user(DAN, team_id=CLIENT_TEAM, name="dan")
    await app.command("/project", f"settings approvers:<@{DAN}|dan>")
    await app.command("/stakeholder", f"add {CAROL_MENTION} role:CIO signs:minutes")
    message = await sent_change(app)
    refused = await press(app, message, ids.SIGNOFF_APPROVE)
    assert "named approvers" in reply_text(refused)
    approved = await press(app, message, ids.SIGNOFF_APPROVE, user=DAN, team=CLIENT_TEAM)
    assert "you approved CR-1" in reply_text(approved)


async def test_a_stakeholder_who_signs_a_kind_overrides_the_project_approvers(app: Liaison) -> None:
    app.fake.add_user(DAN, team_id=CLIENT_TEAM, name="dan")
    await app.command("/project", f"settings approvers:<@{DAN}|dan>")
    await app.command("/stakeholder", f"add {CAROL_MENTION} role:CIO signs:change")
    message = await sent_change(app)
    refused = await press(app, message, ids.SIGNOFF_APPROVE, user=DAN, team=CLIENT_TEAM)
    assert "named approvers" in reply_text(refused)
    approved = await press(app, message, ids.SIGNOFF_APPROVE)
    assert "you approved CR-1" in reply_text(approved)
