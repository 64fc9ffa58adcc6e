"""Issue 8: the writer's experience of a data error, and binding price lists.

German messages in ``file:line:col: path: message`` form, a plain hint for
over-indentation, the live preview (a real ``mkdocs serve``) showing a
refused data file on its pages and printing it on every rebuild, and
``data/price_lists.lock`` refusing changed amounts under a published
price list version.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from markupsafe import escape

from calculator.pricing import price_fingerprint
from macros.plans_file import PlansFileError, load_plan_data, load_plans
from macros.price_lock import LOCK_NAME, PriceLock
from tests.helpers import REPO_ROOT, build_output, copy_project
from tests.test_data_validation import (
    DISPLAY_NAME, REAL_TEXT, build_with, position_of, refusal, write_data,
)

LOCK_TEXT = (REPO_ROOT / "data" / LOCK_NAME).read_text(encoding="utf-8")
VERSION_SNIPPET = '"2026-01"\n  effective'


def test_issue8_over_indentation_gets_a_plain_hint(tmp_path: Path) -> None:
    edited = REAL_TEXT.replace("    name: Advanced\n", "      name: Advanced\n", 1)
    line, column = position_of(edited, "name: Advanced")
    assert refusal(tmp_path, edited) == [
        f"data/plans.yaml:{line}:{column}: diese Zeile ist weiter eingerückt als die Zeile darüber "
        f"(Zeile {line - 1}); ein Feld gleicher Ebene genauso weit einrücken"]


def test_issue8_readme_example_is_what_the_build_says(tmp_path: Path) -> None:
    """The README's example line is the real message for that mistake."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    example = next(line for line in readme.splitlines() if line.startswith("data/plans.yaml:"))
    edited = REAL_TEXT.replace("{from: 10000, to: 20000, rate: 11}", "{from: 10000, to: 20000, rate: 19 Prozent}")
    line, column = position_of(edited, "19 Prozent")
    message = example.split(": ", 2)[2]
    assert refusal(tmp_path, edited) == [f"data/plans.yaml:{line}:{column}: plans[1].price.bands[2].rate: {message}"]
    assert message == 'erwartet einen Prozentsatz zwischen 0 und 100, gefunden "19 Prozent"'


# ─── The live preview ──────────────────────────────────────────────────────


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    """The body of a 200 answer, or None (no server yet, other status)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return None


def wait_for(condition, what: str, timeout: float = 240) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


def test_issue8_serve_shows_a_data_error_page_and_repeats_the_message(tmp_path: Path) -> None:
    """A real `mkdocs serve` started with a broken data file serves every page
    as an error page with the file:line:col line; re-saving the same broken
    file prints the message again; fixing it brings the real page back."""
    project = copy_project(tmp_path / "project")
    data = project / DISPLAY_NAME
    broken = REAL_TEXT.replace("rate: 19}", "rate: 19 Prozent}", 1)
    data.write_text(broken, encoding="utf-8")
    line, column = position_of(broken, "19 Prozent")
    problem = (f"data/plans.yaml:{line}:{column}: plans[1].price.bands[0].rate: "
               'erwartet einen Prozentsatz zwischen 0 und 100, gefunden "19 Prozent"')
    port = free_port()
    log = tmp_path / "serve.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("PYTHONPATH", None)
    with log.open("w", encoding="utf-8") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", "mkdocs.yml"],
            cwd=project, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/preise/"
        body = wait_for(lambda: fetch(url) or server.poll() is not None, "the preview to answer")
        assert isinstance(body, str), log.read_text(encoding="utf-8")
        assert str(escape(problem)) in body, body
        assert 'class="data-error" role="alert"' in body
        assert log.read_text(encoding="utf-8").splitlines().count(problem) == 1
        assert "Traceback" not in log.read_text(encoding="utf-8")

        data.write_text(broken, encoding="utf-8")  # saved again, unchanged
        wait_for(lambda: log.read_text(encoding="utf-8").splitlines().count(problem) == 2,
                 "the message to be printed a second time")

        data.write_text(REAL_TEXT, encoding="utf-8")  # negative control: fixed
        fixed = wait_for(lambda: (b := fetch(url)) and "data-error" not in b and b, "the real page")
        assert "1.500,00\u00a0€" in fixed, fixed[:2000]
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert server.returncode in (0, -15, 1), log.read_text(encoding="utf-8")


# ─── Binding price lists: data/price_lists.lock ────────────────────────────


def recorded(lock_text: str) -> dict[str, str]:
    """version → fingerprint of a lock file's text."""
    return {version: fingerprint for fingerprint, version in re.findall(r'^([0-9a-f]{8}) "([^"]*)"$',
                                                                          lock_text, re.MULTILINE)}


def test_issue8_lock_records_the_current_price_list() -> None:
    catalog = load_plans(REPO_ROOT / DISPLAY_NAME, DISPLAY_NAME)
    current = catalog.price_list.version
    assert recorded(LOCK_TEXT) == {current: price_fingerprint(catalog.prices_for_version(current))}


def test_issue8_changed_amount_under_the_same_version_fails_the_build(tmp_path: Path) -> None:
    edited = REAL_TEXT.replace("      base: 1500\n", "      base: 1600\n", 1)
    changed = load_plans(write_data(tmp_path, edited), DISPLAY_NAME)
    now = price_fingerprint(changed.prices_for_version("2026-01"))
    before = recorded(LOCK_TEXT)["2026-01"]
    assert now != before
    line, column = position_of(edited, VERSION_SNIPPET)
    wanted = (f'data/plans.yaml:{line}:{column}: price_list.version: die Beträge der Preisliste "2026-01" '
              f"sind geändert (Fingerabdruck {now} statt {before} laut data/price_lists.lock); "
              "Angebotslinks nennen diese Version, ihre Beträge bleiben daher gleich: für neue Preise eine "
              "neue version (und effective) angeben und die bisherige Preisliste mit ihren alten Beträgen "
              "unter past_price_lists eintragen")
    build = build_with(tmp_path / "b", edited)
    assert build.proc.returncode == 1, build_output(build.proc)
    assert wanted in (build.proc.stdout + build.proc.stderr).splitlines(), build_output(build.proc)
    assert not build.site.exists()


NEW_VERSION_EDITS = (
    ("      base: 1500\n", "      base: 1600\n"),
    ('  version: "2026-01"\n  effective: "2026-01-01"\n', '  version: "2026-07"\n  effective: "2026-07-01"\n'),
    ("past_price_lists: []\n", """past_price_lists:
  - version: "2026-01"
    effective: "2026-01-01"
    ends: "2026-06-30"
    prices:
      basic: {included: true}
      advanced:
        base: 1500
        bands:
          - {from: 5000, to: 7000, rate: 19}
          - {from: 7000, to: 10000, rate: 14}
          - {from: 10000, to: 20000, rate: 11}
          - {from: 20000, rate: 8}
      premium: {minimum: 10000, from: true}
"""),
)


def new_version_text() -> str:
    text = REAL_TEXT
    for old, new in NEW_VERSION_EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def test_issue8_new_version_with_the_old_one_kept_builds(tmp_path: Path) -> None:
    """Negative control: the writer did it right; the build records 2026-07."""
    edited = new_version_text()
    build = build_with(tmp_path, edited)
    assert build.proc.returncode == 0, build_output(build.proc)
    assert ("data/price_lists.lock: Preisliste '2026-07' neu eingetragen; bitte data/price_lists.lock "
            "mit data/plans.yaml committen") in build.proc.stderr.splitlines()
    catalog = load_plans(write_data(tmp_path, edited), DISPLAY_NAME)
    lock = (tmp_path / "project" / "data" / LOCK_NAME).read_text(encoding="utf-8")
    assert recorded(lock) == {
        "2026-01": recorded(LOCK_TEXT)["2026-01"],
        "2026-07": price_fingerprint(catalog.prices_for_version("2026-07")),
    }
    assert lock.startswith(LOCK_TEXT)  # the header and the old line stay as they were


def test_issue8_changed_past_price_list_is_refused(tmp_path: Path) -> None:
    """A kept past list must keep its recorded amounts."""
    edited = new_version_text().replace("          - {from: 20000, rate: 8}\n      premium",
                                        "          - {from: 20000, rate: 9}\n      premium", 1)
    path = write_data(tmp_path, edited)
    lock = PriceLock.read(REPO_ROOT / "data" / LOCK_NAME, "data/price_lists.lock")
    with pytest.raises(PlansFileError) as refused:
        load_plan_data(path, DISPLAY_NAME, checks=(lock.problems,))
    [problem] = refused.value.problems
    line, column = position_of(edited, '"2026-01"\n    effective')
    assert problem.startswith(f'data/plans.yaml:{line}:{column}: past_price_lists[0].version: die Beträge der '
                              'früheren Preisliste "2026-01" sind geändert (Fingerabdruck ')
    assert problem.endswith(f"statt {recorded(LOCK_TEXT)['2026-01']} laut data/price_lists.lock); "
                            "Angebotslinks nennen diese Version: ihre Beträge wiederherstellen")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: @x\n", '1:4: YAML-Syntaxfehler: das Zeichen "@" kann keinen Wert beginnen; '
                    "den Text in Anführungszeichen setzen"),
        ("a: ]\n", '1:4: YAML-Syntaxfehler: erwartet einen Wert, gefunden "]"'),
        ("a: [1, 2\n", '2:1: YAML-Syntaxfehler: erwartet "," oder "]" in der Liste in eckigen Klammern'),
        ('a: "x\\q"\n', '1:7: YAML-Syntaxfehler: unbekannte Folge "\\q" in doppelten Anführungszeichen; '
                        "einfache Anführungszeichen verwenden"),
        ("a: 'x\n", "2:1: YAML-Syntaxfehler: ein Anführungszeichen wird nie geschlossen"),
    ],
    ids=["character-that-cannot-start", "missing-value", "unclosed-list", "unknown-escape", "unclosed-quote"],
)
def test_issue8_syntax_errors_are_german(tmp_path: Path, text: str, expected: str) -> None:
    assert refusal(tmp_path, text) == [f"data/plans.yaml:{expected}"]
