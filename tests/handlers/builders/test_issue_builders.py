"""The team's announcement of an issue the client raised names who and from which organisation, in each
language's own brackets: the playground walk showed `@carol (来自 ACME) 在客户频道…` with ASCII brackets in
Chinese. Pure."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers.builders.issues import build_team_announcement
from storage.models import Issue

AT = datetime(2026, 12, 8, 1, 10, tzinfo=UTC)


def _issue() -> Issue:
    return Issue(
        project_id=1,
        number=3,
        visibility="client",
        title="Exported payslips lack the department field",
        severity="critical",
        raised_by="U0CAROL",
        raised_team_id="T0ACME",
        raised_external=True,
        created_by="U0CAROL",
        created_at=AT,
        updated_at=AT,
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "<@U0CAROL> (from ACME) raised"), ("zh", "<@U0CAROL>（来自 ACME） 在客户频道提出了")],
)
def test_a_client_raised_issue_names_the_client_in_the_languages_brackets(lang: str, expected: str) -> None:
    text, _ = build_team_announcement(_issue(), lang, client_name="ACME", respond_by=AT, tz="Asia/Shanghai")
    assert expected in text, text
    if lang == "zh":
        assert "(" not in text and ")" not in text, text
