"""The playground in a real browser (Playwright driving Debian's Chromium, headless).

Skipped only when Chromium (or Playwright) is missing on a developer's machine; under CI (`CI` set) it
always runs, and `.ci/run` installs Chromium first. Screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from bot.commands import REGISTRY
from bot.playground.server import build_page_app
from bot.playground.world import Playground
from bot.server import bind_socket

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def _require_browser() -> tuple[Any, str]:
    in_ci = bool(os.environ.get("CI"))
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if in_ci:
            raise
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    path = chromium_path()
    if path is None:
        if in_ci:
            pytest.fail("Chromium is missing under CI: .ci/run should have installed it")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return sync_playwright, path


@pytest.fixture
def playground_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The whole `liaison playground`, served from a thread with its own event loop (in English unless a
    test asks for another language with `indirect` parametrisation)."""
    playground = Playground(lang=getattr(request, "param", "en"), db_path=tmp_path / "playground.sqlite3")
    sock = bind_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    config = uvicorn.Config(build_page_app(playground), log_config=None, access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    failure: list[BaseException] = []

    def serve() -> None:
        try:
            asyncio.run(server.serve(sockets=[sock]))
        except BaseException as exc:  # reported to the test below
            failure.append(exc)

    thread = threading.Thread(target=serve, name="playground", daemon=True)
    thread.start()
    for _ in range(1200):
        if server.started or failure or not thread.is_alive():
            break
        threading.Event().wait(0.05)
    assert server.started, f"playground did not start: {failure}"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


def test_team_risk_client_view_and_fast_forward(playground_url: str) -> None:
    sync_playwright, chromium = _require_browser()
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(playground_url)
            page.get_by_test_id("simulation-banner").wait_for()
            assert "local simulation" in page.get_by_test_id("simulation-banner").inner_text()
            messages = page.get_by_test_id("messages")
            messages.get_by_text("Weekly sync with ACME", exact=False).first.wait_for()

            # As Alice (team): add an internal risk; the app's private answer shows up.
            page.get_by_test_id("composer").fill("/risk add Payroll interface untested p:high i:4 owner:@bob")
            page.get_by_test_id("composer").press("Enter")
            reply = page.get_by_test_id("ephemeral-message").filter(has_text="Added R-3")
            reply.wait_for()
            assert "Payroll interface untested" in reply.inner_text()
            page.screenshot(path=str(ARTIFACTS / "playground-team-risk.png"))

            # As Carol (the client): the internal channel is not there, and, as in Slack Connect, she can't
            # run Liaison's slash commands: the box is off with a note; she uses the panel's buttons.
            page.get_by_test_id("viewer").select_option("U0CAROL")
            expect(page.get_by_test_id("channel-acme-internal")).to_have_count(0)
            expect(page.locator("#surface-title")).to_have_text("# acme-shared")
            expect(page.get_by_test_id("composer")).to_be_disabled()
            expect(page.get_by_test_id("send")).to_be_disabled()
            expect(page.get_by_test_id("composer-note")).to_contain_text("clients use Liaison's buttons")
            page.get_by_role("button", name="What's waiting for me", exact=True).first.click()
            listing = page.get_by_test_id("ephemeral-message").filter(has_text="MS-1")
            listing.wait_for()
            shared = messages.inner_text()
            assert "Payroll interface untested" not in shared and "Vendor short of staff" not in shared
            page.screenshot(path=str(ARTIFACTS / "playground-client-view.png"))

            # The client accepts the seeded milestone with a button (clients can't run our commands).
            if "/requirement" in REGISTRY:
                page.get_by_role("button", name="Accept", exact=True).first.click()
                messages.get_by_text("Accepted by", exact=False).first.wait_for()
                page.get_by_test_id("ephemeral-message").filter(has_text="you accepted MS-1").wait_for()
                page.screenshot(path=str(ARTIFACTS / "playground-client-accepts.png"))

            # Fast-forward until the scheduled client post lands in the shared channel.
            want = "update for ACME" if "/digest" in REGISTRY else "Weekly sync with ACME"
            for _ in range(12):
                page.get_by_test_id("ff-next").click()
                page.wait_for_function(
                    "() => !document.getElementById('status').textContent.includes('working')"
                )
                page.wait_for_timeout(300)
                if want in messages.inner_text():
                    break
            messages.get_by_text(want, exact=False).first.wait_for(timeout=5000)
            page.screenshot(path=str(ARTIFACTS / "playground-fast-forward.png"), full_page=True)
            assert "Payroll interface untested" not in messages.inner_text()
        finally:
            browser.close()
    assert not errors, errors


AT_BOTTOM = "() => { const m = document.getElementById('messages'); return m.scrollHeight - m.scrollTop - m.clientHeight < 4; }"


@pytest.mark.parametrize("playground_url", ["en", "zh"], indirect=True)
def test_forms_stay_closed_dms_show_unread_and_charts_keep_the_chat_at_the_bottom(
    playground_url: str,
) -> None:
    sync_playwright, chromium = _require_browser()
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 700})
            page.set_default_timeout(30_000)  # waits, not speed targets: a loaded CI machine may be slow
            expect.set_options(timeout=15_000)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(playground_url)
            messages = page.get_by_test_id("messages")
            messages.locator(".msg").first.wait_for()
            unread = page.get_by_test_id("dm-unread")
            backdrop = page.locator("#modal-backdrop")

            def fast_forward() -> None:
                page.get_by_test_id("ff-next").click()
                page.wait_for_function("() => ui.busy === 0")

            # Friday's check-in reaches Alice's DM while she reads the channel: the DM shows it is unread.
            expect(unread).to_have_count(0)
            fast_forward()
            # (an action item's reminder may arrive in the same DM at the same moment)
            expect(unread).to_have_text(re.compile(r"^[1-9]\d*$"))
            expect(page.locator("#nav-dm")).to_have_class(re.compile(r"\bunread\b"))
            page.screenshot(path=str(ARTIFACTS / f"playground-dm-unread-{page_lang(page)}.png"))
            page.locator("#nav-dm").click()
            expect(unread).to_have_count(0)
            expect(page.locator("#nav-dm")).not_to_have_class(re.compile(r"\bunread\b"))

            # A form left open is closed by a reload (the app told), and is not brought back.
            answer = page.locator("[data-action-id=checkin_open]").last
            answer.click()
            expect(backdrop).to_be_visible()
            page.reload()
            messages.locator(".msg").first.wait_for()
            page.wait_for_timeout(2500)  # two polls of the page
            expect(backdrop).to_be_hidden()
            expect(unread).to_have_count(0)  # seen before the reload stays seen
            # Cancel closes it for good too.
            answer.click()
            expect(backdrop).to_be_visible()
            page.locator("#modal-close").click()
            expect(backdrop).to_be_hidden()
            page.wait_for_timeout(2500)
            expect(backdrop).to_be_hidden()

            # In the shared channel, Monday's digest arrives with its charts: the view stays at the bottom
            # after the images load.
            page.get_by_test_id("channel-acme-shared").click()
            page.wait_for_function(AT_BOTTOM)
            for _ in range(6):
                fast_forward()
                if messages.locator(".file img").count():
                    break
            assert messages.locator(".file img").count() > 0, "the digest's charts"
            page.wait_for_function(
                "() => [...document.querySelectorAll('#messages img')].every((i) => i.complete && i.naturalHeight)"
            )
            page.wait_for_function(AT_BOTTOM, timeout=10000)
            page.screenshot(path=str(ARTIFACTS / f"playground-charts-bottom-{page_lang(page)}.png"))

            # The client user can't type commands: the note says so in the playground's language.
            page.get_by_test_id("viewer").select_option("U0CAROL")
            expect(page.get_by_test_id("composer")).to_be_disabled()
            note = "clients use Liaison's buttons" if page_lang(page) == "en" else "客户使用 Liaison 的按钮"
            expect(page.get_by_test_id("composer-note")).to_contain_text(note)
            page.get_by_test_id("viewer").select_option("U0ALICE")
            expect(page.get_by_test_id("composer")).to_be_enabled()
            expect(page.get_by_test_id("composer-note")).to_be_hidden()
        finally:
            browser.close()
    assert not errors, errors


def page_lang(page: Any) -> str:
    return str(page.evaluate("() => ui.lang"))


PANEL_WALK = {
    "en": {
        "raise": "Raise an issue",
        "title": "Export button greys out on the payroll screen",
        "details": "Since Monday's build, in Chrome and Edge.",
        "ack": "The team has been told",
        "assign": "Assign to",
    },
    "zh": {
        "raise": "提出问题",
        "title": "工资界面上的导出按钮变灰",
        "details": "周一的版本之后，Chrome 和 Edge 都这样。",
        "ack": "已通知团队",
        "assign": "指派给",
    },
}


@pytest.mark.parametrize("playground_url", ["en", "zh"], indirect=True)
def test_client_raises_an_issue_from_the_panel(playground_url: str) -> None:
    """Carol (the client, who can't run commands) uses the panel: Raise an issue, the form, and the
    acknowledgement in the shared channel; the team sees it announced with its Assign menu."""
    sync_playwright, chromium = _require_browser()
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(30_000)  # waits, not speed targets
            expect.set_options(timeout=15_000)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(playground_url)
            messages = page.get_by_test_id("messages")
            messages.locator(".msg").first.wait_for()
            words = PANEL_WALK[page_lang(page)]

            # Carol's view is drawn (the page draws only the chosen person's answers): her one channel, the
            # shared one, with the panel the seed's /project client-channel posted there before the page opened.
            page.get_by_test_id("viewer").select_option("U0CAROL")
            expect(page.locator("#surface-title")).to_have_text("# acme-shared")
            expect(page.get_by_test_id("composer")).to_be_disabled()
            raise_issue = page.get_by_role("button", name=words["raise"], exact=True)
            expect(raise_issue).to_have_count(1)
            raise_issue.click()
            backdrop = page.locator("#modal-backdrop")
            expect(backdrop).to_be_visible()
            page.locator("#modal-body input[type=text]").first.fill(words["title"])
            page.locator("#modal-body textarea").first.fill(words["details"])
            page.locator("#modal-body select").first.select_option("critical")
            page.locator("#modal-submit").click()
            expect(backdrop).to_be_hidden()

            # The acknowledgement, in the shared channel for everyone there: the new issue's id and title.
            ack = messages.get_by_test_id("message").filter(has_text=words["title"])
            expect(ack).to_have_count(1)
            expect(ack).to_contain_text("I-3")  # the seed's client raised I-2 before
            expect(ack).to_contain_text(words["ack"])
            expect(ack).not_to_contain_text("<!date")  # the response target reads as a date, not a token
            page.screenshot(path=str(ARTIFACTS / f"playground-panel-raise-{page_lang(page)}.png"))

            # The team's channel announces it with the menu to assign it.
            page.get_by_test_id("viewer").select_option("U0ALICE")
            page.get_by_test_id("channel-acme-internal").click()
            announcement = messages.get_by_test_id("message").filter(has_text=words["title"])
            expect(announcement).to_have_count(1)
            expect(announcement).to_contain_text(words["details"])
            expect(announcement.locator("select.sk-select")).to_contain_text(words["assign"])
        finally:
            browser.close()
    assert not errors, errors


def test_an_answer_for_the_previous_person_is_not_drawn_after_switching(playground_url: str) -> None:
    """A poll for Alice still on its way when the viewer becomes Carol must not draw Alice's view in Carol's
    place (her composer on, her private answers): the page draws only the chosen person's newest answer."""
    sync_playwright, chromium = _require_browser()
    from playwright.sync_api import Route, expect

    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(30_000)  # waits, not speed targets
            expect.set_options(timeout=15_000)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(playground_url)
            page.get_by_test_id("messages").locator(".msg").first.wait_for()
            expect(page.get_by_test_id("composer")).to_be_enabled()

            held: list[Route] = []

            def hold(route: Route) -> None:  # Alice's next poll waits here
                held.append(route)

            page.route("**/api/state?user=U0ALICE*", hold)
            for _ in range(300):  # the page polls every second
                if held:
                    break
                page.wait_for_timeout(100)
            assert held, "no poll for Alice"
            page.get_by_test_id("viewer").select_option("U0CAROL")
            expect(page.locator("#surface-title")).to_have_text("# acme-shared")
            expect(page.get_by_test_id("composer")).to_be_disabled()

            # From here on, whose answer each drawing of the page is (an expect would retry past a wrong one).
            page.evaluate(
                "() => { window.drawnFor = []; const draw = window.render;"
                " window.render = (state) => { window.drawnFor.push(state.viewer.id); draw(state); }; }"
            )
            for route in held:  # Alice's answer arrives last
                route.continue_()
            page.wait_for_function("() => ui.fetching === 0")
            assert "U0ALICE" not in page.evaluate("() => window.drawnFor")
            expect(page.get_by_test_id("composer")).to_be_disabled()
            expect(page.locator("#surface-title")).to_have_text("# acme-shared")
        finally:
            browser.close()
    assert not errors, errors
