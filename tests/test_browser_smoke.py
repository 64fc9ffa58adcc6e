"""Every page of the built site loads cleanly in Chromium.

For each HTML page (``site_page``, discovered from the built site): HTTP 200,
no console error, no uncaught page error, no failed request or HTTP error,
every request to the site's own origin (nothing from a third party), and no
serious or critical axe-core violation.

The negative controls below prove each of these checks can fail: they run
the same checks against a tiny local page that misbehaves on purpose.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.helpers import (
    PageLog,
    axe_violations,
    format_violations,
    serve_directory,
)

# A page that is clean by itself; the controls make it misbehave.
CONTROL_HTML = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Kontrolle</title></head>
<body><main><h1>Kontrolle</h1><p>Negativkontrolle der Browsertests.</p></main></body>
</html>
"""
# `.invalid` never resolves, and the recorder aborts the request anyway.
FOREIGN = "http://example.invalid"


def page_problems(page_log: PageLog, base_url: str) -> list[str]:
    """Everything in ``page_log`` that makes a page fail the smoke test."""
    problems = []
    for what, items in (
        ("console errors", page_log.console_errors),
        ("page errors", page_log.page_errors),
        ("requests to other origins", page_log.foreign_requests(base_url)),
        ("failed requests", page_log.failed_requests),
        ("HTTP error responses", page_log.error_responses),
    ):
        if items:
            problems.append(f"{what}:\n" + "\n".join(f"    {i}" for i in items))
    return problems


def settle(page: Page) -> None:
    """Wait until the page is loaded and its network has been idle a moment."""
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")


def wait_until(condition: Callable[[], bool], page: Page, timeout_s: float = 10) -> None:
    """Poll ``condition`` while letting Playwright deliver events."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return
        page.wait_for_timeout(50)


# ─── The smoke test ────────────────────────────────────────────────────────


def test_page_loads_cleanly(
    site_page: str | None,
    built_site: Path,
    site_server: str,
    page: Page,
    page_log: PageLog,
) -> None:
    assert site_page is not None, f"the built site {built_site} has no HTML page"
    url = site_server + site_page

    response = page.goto(url)
    assert response is not None, f"no response for {url}"
    assert response.status == 200, f"{url}: HTTP {response.status}"
    settle(page)

    problems = page_problems(page_log, site_server)
    violations = axe_violations(page)
    if violations:
        problems.append(
            "axe violations (serious/critical):\n" + format_violations(violations)
        )
    if problems:
        pytest.fail(f"{url}\n" + "\n".join(problems), pytrace=False)


# ─── Negative controls: each check above can fail ──────────────────────────


@pytest.fixture
def control_server(tmp_path: Path) -> Iterator[str]:
    """A local server with one clean page, independent of the real site."""
    (tmp_path / "index.html").write_text(CONTROL_HTML, encoding="utf-8")
    with serve_directory(tmp_path) as base_url:
        yield base_url


def test_control_page_is_clean(control_server: str, page: Page, page_log: PageLog) -> None:
    """The controls below start from a page that passes every check."""
    page.goto(control_server)
    settle(page)
    assert page_problems(page_log, control_server) == []
    assert axe_violations(page) == []


def test_foreign_requests_are_caught_and_blocked(
    control_server: str, page: Page, page_log: PageLog
) -> None:
    page.goto(control_server)
    settle(page)
    page.evaluate(
        """foreign => {
            fetch(foreign + "/fetch").catch(() => {});
            const img = document.createElement("img");
            img.src = foreign + "/img.png";
            img.alt = "";
            document.body.append(img);
            const code = `fetch(${JSON.stringify(foreign + "/worker")}).catch(() => {})`;
            new Worker(URL.createObjectURL(new Blob([code], {type: "text/javascript"})));
        }""",
        FOREIGN,
    )
    expected = {f"{FOREIGN}/fetch", f"{FOREIGN}/img.png", f"{FOREIGN}/worker"}
    wait_until(lambda: expected <= set(page_log.blocked), page)

    assert expected <= set(page_log.foreign_requests(control_server))
    assert expected <= set(page_log.blocked), "not aborted, so it could leave the machine"
    assert any("other origins" in p for p in page_problems(page_log, control_server))
    # A blocked request is not also reported as a failed one.
    assert page_log.failed_requests == []


def test_other_local_port_counts_as_foreign() -> None:
    page_log = PageLog()
    page_log.requests += ["http://127.0.0.1:1/x", "data:,ok", "blob:http://127.0.0.1:2/y"]
    assert page_log.foreign_requests("http://127.0.0.1:2/") == ["http://127.0.0.1:1/x"]


def test_console_and_page_errors_are_caught(
    control_server: str, page: Page, page_log: PageLog
) -> None:
    page.goto(control_server)
    settle(page)
    page.evaluate(
        """() => {
            console.error("control: console error");
            setTimeout(() => { throw new Error("control: uncaught"); }, 0);
            Promise.reject(new Error("control: rejected"));
            const code = 'console.error("control: worker error");'
                + 'throw new Error("control: worker uncaught");';
            new Worker(URL.createObjectURL(new Blob([code], {type: "text/javascript"})));
        }"""
    )
    wait_until(
        lambda: len(page_log.page_errors) >= 3 and len(page_log.console_errors) >= 2, page
    )

    assert any("control: console error" in e for e in page_log.console_errors)
    assert sum("control: worker error" in e for e in page_log.console_errors) == 1
    assert any("control: uncaught" in e for e in page_log.page_errors)
    assert any("control: rejected" in e for e in page_log.page_errors)
    assert any("control: worker uncaught" in e for e in page_log.page_errors)
    problems = page_problems(page_log, control_server)
    assert any(p.startswith("console errors") for p in problems)
    assert any(p.startswith("page errors") for p in problems)


def test_missing_asset_is_caught(control_server: str, page: Page, page_log: PageLog) -> None:
    page.goto(control_server)
    settle(page)
    page.evaluate("() => fetch('/missing.css')")
    wait_until(lambda: bool(page_log.error_responses), page)
    assert page_log.error_responses == [f"404 {control_server}missing.css"]


def test_axe_violations_are_caught(control_server: str, page: Page) -> None:
    page.goto(control_server)
    settle(page)
    page.evaluate(
        """() => {
            const img = document.createElement("img");
            img.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
            document.querySelector("main").append(img);
        }"""
    )
    violations = axe_violations(page)
    assert "image-alt" in {v["id"] for v in violations}, format_violations(violations)
    assert "image-alt (critical)" in format_violations(violations)
