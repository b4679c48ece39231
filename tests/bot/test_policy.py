"""The access policy, alone: who may do what where, and what a client may ever see."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from bot.policy import Action, Audience, Place, Viewer, audience, may, visible

HOME = "T0HOME"


@dataclass(frozen=True)
class Rec:
    id: int
    visibility: str
    owner_user_id: str | None = None


team = Viewer("U1", HOME, HOME)
client = Viewer("U9", "T0ACME", HOME)
unknown_team = Viewer("U8", None, HOME)
internal = Place("C1", shared=False)
shared = Place("C2", shared=True)
client_channel = Place("C3", shared=False, client_channel=True)


def test_audience() -> None:
    assert audience(team, internal) is Audience.TEAM
    assert audience(team, shared) is Audience.CLIENT
    assert audience(team, client_channel) is Audience.CLIENT
    assert audience(client, internal) is Audience.CLIENT
    assert audience(unknown_team, internal) is Audience.CLIENT  # fail closed


def test_external_users_only_read_confirm_and_complete_their_own() -> None:
    for action in (Action.CREATE, Action.UPDATE, Action.ADMIN):
        assert not may(client, shared, action)
    assert may(client, shared, Action.READ, Rec(1, "client"))
    assert not may(client, shared, Action.READ, Rec(1, "internal"))
    assert may(client, shared, Action.CONFIRM, Rec(1, "client"))
    assert may(client, shared, Action.COMPLETE_OWN, Rec(1, "client", owner_user_id="U9"))
    assert not may(client, shared, Action.COMPLETE_OWN, Rec(1, "client", owner_user_id="U1"))


def test_team_members_do_anything_in_team_channels_but_speak_for_the_client() -> None:
    for action in Action:
        if action is Action.CONFIRM:
            continue
        assert may(team, internal, action)
        assert may(team, internal, action, Rec(1, "internal"))


@given(st.sampled_from([team, client, unknown_team]), st.sampled_from([internal, shared, client_channel]))
def test_only_a_known_user_of_another_organisation_confirms(viewer: Viewer, place: Place) -> None:
    allowed = may(viewer, place, Action.CONFIRM, Rec(1, "client"))
    assert allowed == (viewer.team_id is not None and viewer.team_id != viewer.home_team_id)


def test_in_a_shared_place_the_team_keeps_to_what_a_client_may_do_but_administer() -> None:
    assert not may(team, shared, Action.READ, Rec(1, "internal"))
    assert may(team, shared, Action.READ, Rec(1, "client"))
    assert not may(team, shared, Action.CREATE)
    assert not may(team, client_channel, Action.UPDATE, Rec(1, "client"))
    assert not may(team, shared, Action.CONFIRM, Rec(1, "client"))  # the client's word is the client's
    assert may(team, shared, Action.ADMIN)
    assert not may(client, shared, Action.ADMIN)


viewers = st.sampled_from([team, client, unknown_team])
places = st.sampled_from([internal, shared, client_channel])
records = st.lists(
    st.builds(
        Rec, st.integers(), st.sampled_from(["internal", "client"]), st.sampled_from([None, "U1", "U9"])
    )
)


@given(viewers, places, records)
def test_no_internal_record_ever_reaches_an_external_viewer_or_shared_place(
    viewer: Viewer, place: Place, recs: list[Rec]
) -> None:
    shown = visible(viewer, place, recs)
    if viewer.is_external or place.client_facing:
        assert all(r.visibility == "client" for r in shown)
        for r in recs:
            if r.visibility == "internal":
                assert not any(may(viewer, place, a, r) for a in Action)
    else:
        assert shown == recs


# ---- requirements: the baseline the client signs is built from client requirements only -----------------

requirement_sets = st.lists(
    st.tuples(st.sampled_from(["internal", "client"]), st.sampled_from(["must", "should", "could"])),
    min_size=1,
    max_size=12,
)


@given(requirement_sets, st.sampled_from(["en", "zh"]))
def test_no_internal_requirement_ever_reaches_a_baseline(specs: list[tuple[str, str]], lang: str) -> None:
    from bot.domain.requirements import Baseline, baseline_content, by_priority
    from storage.models import Project, Requirement

    project = Project(id=1, workspace_id=1, name="ACME <ERP>", client_name="ACME", created_by="U1")
    found = [
        Requirement(
            project_id=1,
            number=n,
            visibility=visibility,
            priority=priority,
            text=f"{visibility}-secret-{n}" if visibility == "internal" else f"{visibility}-text-{n}",
            created_by="U1",
        )
        for n, (visibility, priority) in enumerate(specs, 1)
    ]
    content = baseline_content(project, found, lang)
    assert "internal-secret" not in content
    for r in found:
        assert (f"*RQ-{r.number}* " in content) == (r.visibility == "client")
    assert "ACME &lt;ERP&gt;" in content  # user text escaped
    client_rows = by_priority(visible(client, shared, found))
    assert all(r.visibility == "client" for r in client_rows)
    # the baseline itself is a client subject: only the client's word decides it, nobody else's
    baseline = Baseline(id=1, project_id=1, title="Requirements baseline")
    assert may(client, shared, Action.CONFIRM, baseline)
    assert not may(team, internal, Action.CONFIRM, baseline)
    assert not may(unknown_team, shared, Action.CONFIRM, baseline)


# ---- change requests: the text the client decides on names only client records ---------------------------


def _affected(kind: str, number: int, visibility: str) -> object:
    from datetime import date

    from storage.models import Milestone, Requirement

    marker = "internal-only" if visibility == "internal" else "shared"
    if kind == "MS":
        day = date(2026, 12, 15)
        return Milestone(
            project_id=1,
            number=number,
            visibility=visibility,
            title=f"{marker} milestone",
            planned_on=day,
            forecast_on=day,
            created_by="U1",
        )
    return Requirement(
        project_id=1, number=number, visibility=visibility, text=f"{marker} need", created_by="U1"
    )


affected_records = st.lists(
    st.tuples(st.sampled_from(["MS", "RQ"]), st.sampled_from(["internal", "client"])), max_size=8
)


@given(affected_records, st.sampled_from(["en", "zh"]))
def test_a_change_requests_signoff_text_never_names_an_internal_record(
    picks: list[tuple[str, str]], lang: str
) -> None:
    import re

    from bot.domain.changes import signoff_content
    from storage.models import ChangeRequest

    records = [_affected(kind, n, vis) for n, (kind, vis) in enumerate(picks, 1)]
    change = ChangeRequest(
        project_id=1,
        number=1,
        visibility="client",
        title="Add SSO login",
        why="Audit",
        impact_days=5,
        affects=[f"{kind}-{n}" for n, (kind, _vis) in enumerate(picks, 1)],
        created_by="U1",
    )
    content = signoff_content(change, records, lang)
    assert "internal-only" not in content
    for n, (kind, vis) in enumerate(picks, 1):
        named = re.search(rf"\b{kind}-{n}\b", content) is not None
        assert named == (vis == "client"), (kind, n, vis)


# ---- exports and search: a client, or a shared place, gets only client records and client fields -----------

SECRET_ACTOR = "U0SECRETACTOR"  # a team-only field's value: must never reach a client's export


def _record(kind: str, n: int, visibility: str) -> object:
    from datetime import UTC, date, datetime

    from bot.domain.kinds import BY_NAME

    at = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    text = f"login {visibility} {kind} {n}"
    fields: dict[str, object] = {
        "id": n,
        "project_id": 1,
        "number": n,
        "visibility": visibility,
        "created_by": SECRET_ACTOR,
        "created_at": at,
        "updated_at": at,
        "title": text,
        "text": text,
        "meeting_on": date(2026, 12, 1),
        "decided_on": date(2026, 12, 1),
        "planned_on": date(2026, 12, 8),
        "forecast_on": date(2026, 12, 8),
        "probability": 3,
        "impact": 4,
        "affects": ["MS-1"],
        "raised_by": SECRET_ACTOR,
    }
    model = BY_NAME[kind].model
    return model(**{k: v for k, v in fields.items() if k in model.model_fields})


export_picks = st.lists(
    st.tuples(
        st.sampled_from(
            ["minutes", "action", "decision", "risk", "milestone", "change", "requirement", "issue", "lesson"]
        ),
        st.sampled_from(["internal", "client"]),
    ),
    max_size=10,
)


@given(viewers, places, export_picks)
def test_no_internal_record_or_field_ever_reaches_a_clients_export_or_search(
    viewer: Viewer, place: Place, picks: list[tuple[str, str]]
) -> None:
    from bot.domain import export as exports
    from bot.domain import search as searching

    client_view = viewer.is_external or place.client_facing
    for spec in exports.EXPORTS:
        recs = [_record(spec.kind, n, vis) for n, (kind, vis) in enumerate(picks, 1) if kind == spec.kind]
        client_refs = {
            f"{spec.record_kind.prefix}-{n}"
            for n, (kind, vis) in enumerate(picks, 1)
            if kind == spec.kind and vis == "client"
        }
        sheet = exports.sheet(spec, recs, viewer=viewer, place=place, tz="Asia/Shanghai")
        docs = {int(r.id): f"login {r.visibility}" for r in recs}  # type: ignore[attr-defined]
        found = searching.results(spec.kind, recs, docs, viewer=viewer, place=place, words=["login"])
        shown = {row[0] for row in sheet.rows}
        if client_view:
            assert shown <= client_refs and {r.ref for r in found} <= client_refs
            assert not {c.name for c in sheet.columns} & {"visibility", "created_by", "affects", "raised_by"}
            for file in exports.render(exports.Export("P", "UTC", [sheet]), "csv", stem="x", title="P"):
                assert b"internal" not in file.content and SECRET_ACTOR.encode() not in file.content
        else:
            assert len(shown) == len(recs) == len(found)
