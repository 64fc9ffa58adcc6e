"""Issue 9: hostile or broken data files are refused with file:line:col.

Alias bombs, deep nesting, tags, decimal commas, control characters and
huge files each get one plain German line and never a traceback, both
through ``load_plans`` and through a real ``mkdocs build``. The site swap
of ``make build`` never leaves ``site/`` missing.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from macros.plans_file import MAX_BYTES
from macros.yaml_source import MAX_DEPTH
from tests.helpers import REPO_ROOT, build_output
from tests.test_data_validation import (
    DISPLAY_NAME, REAL_TEXT, Build, build_with, mistake, position_of, refusal, write_data,
)

NO_ANCHORS = "nicht erlaubt: die Daten kennen keine Anker und Aliase (&name, *name); den Wert ausschreiben"
NO_TAGS = "nicht erlaubt: die Daten kennen keine Tags (!…, !!…); den Tag entfernen"
TOO_DEEP = (f"mehr als {MAX_DEPTH} Ebenen ineinander verschachtelt; die Daten brauchen nur wenige Ebenen: "
            "fehlt eine schließende Klammer?")


def laughs(levels: int) -> str:
    """A "billion laughs" file: each level holds ten aliases of the one before."""
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * 10) + "]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def load_in_child(path: Path, memory_bytes: int = 1 << 30) -> subprocess.CompletedProcess[str]:
    """``load_plans`` of ``path`` in a child process capped at ``memory_bytes``
    of address space, so that an expansion cannot exhaust the machine."""
    code = textwrap.dedent(f"""
        from pathlib import Path
        from macros.plans_file import PlansFileError, load_plans
        try:
            load_plans(Path({str(path)!r}), display_name={DISPLAY_NAME!r})
        except PlansFileError as error:
            print(error)
    """)

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))

    return subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=300, preexec_fn=cap_memory, check=False)


def test_issue9_07_alias_bomb_refused_fast(tmp_path: Path) -> None:
    """Nine levels of ten aliases: refused at the first anchor, nothing expanded
    (a child with 1 GB of address space would run out otherwise)."""
    path = write_data(tmp_path, laughs(9))
    child = load_in_child(path)
    assert (child.returncode, child.stderr) == (0, "")
    assert child.stdout.splitlines() == [f'data/plans.yaml:1:5: Anker "&a0" {NO_ANCHORS}']


def test_issue9_07_alias_in_the_real_data_refused(tmp_path: Path) -> None:
    """An anchor in the real file is refused where it is written; so is an alias."""
    edited = REAL_TEXT.replace("    price:\n      included: true\n", "    price: &free\n      included: true\n", 1)
    line, column = position_of(edited, "&free")
    assert refusal(tmp_path, edited) == [f'data/plans.yaml:{line}:{column}: Anker "&free" {NO_ANCHORS}']
    alias_only = "product: *free\n"
    assert refusal(tmp_path, alias_only) == [f'data/plans.yaml:1:10: Alias "*free" {NO_ANCHORS}']


def test_issue9_08_deep_nesting_refused(tmp_path: Path) -> None:
    """10,000 nested lists: refused at the first list too deep, no RecursionError."""
    text = "x: " + "[" * 10_000 + "]" * 10_000 + "\n"
    # The top mapping is level 1, so the list that is one level too deep
    # is the 64th bracket: column 3 + 64.
    assert refusal(tmp_path, text) == [f"data/plans.yaml:1:{3 + MAX_DEPTH}: {TOO_DEEP}"]


def test_issue9_08_nesting_the_data_needs_is_accepted(tmp_path: Path) -> None:
    """Negative control: MAX_DEPTH levels (top mapping included) still load as YAML."""
    from macros.yaml_source import parse

    text = "x: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    data = parse(text).data["x"]
    for _ in range(MAX_DEPTH - 2):
        data = data[0]
    assert data == []


@pytest.mark.parametrize(
    ("old", "new", "tag"),
    [
        ("  examples: [", "  examples: !!python/object/apply:os.system [", "!!python/object/apply:os.system"),
        ("rate: 19}", "rate: !!str 19}", "!!str"),
        ("    extras: []\n", "    extras: !Ref []\n", "!Ref"),
    ],
    ids=["python-object-on-a-list", "str-on-a-rate", "local-tag"],
)
def test_issue9_09_explicit_tags_refused(tmp_path: Path, old: str, new: str, tag: str) -> None:
    edited = REAL_TEXT.replace(old, new, 1)
    line, column = position_of(edited, tag + " ")
    assert refusal(tmp_path, edited) == [f'data/plans.yaml:{line}:{column}: Tag "{tag}" {NO_TAGS}']


@pytest.mark.parametrize(
    ("old", "new", "path", "written", "dotted"),
    [
        ("rate: 19}", "rate: 19,5}", "plans[1].price.bands[0].rate", "19,5", "19.5"),
        ("      base: 1500\n", "      base: 1.500,50\n", "plans[1].price.base", "1.500,50", "1500.50"),
    ],
    ids=["flow-mapping", "block-with-thousands"],
)
def test_issue9_10_decimal_comma_named(tmp_path: Path, old: str, new: str, path: str,
                                      written: str, dotted: str) -> None:
    """Not 'unknown field "5"': the comma is named and the dotted number given."""
    edited = REAL_TEXT.replace(old, new, 1)
    line, column = position_of(edited, written)
    assert refusal(tmp_path, edited) == [
        f"data/plans.yaml:{line}:{column}: {path}: Dezimalkomma in {written} gefunden; "
        f"die Daten schreiben Dezimalzahlen mit Punkt und ohne Tausenderpunkt: {dotted}"]


def test_issue9_10_nul_byte_names_the_field(tmp_path: Path) -> None:
    edited = REAL_TEXT.replace("    name: Advanced\n", "    name: Adv\x00anced\n", 1)
    line, column = position_of(edited, "\x00")
    assert refusal(tmp_path, edited) == [
        f"data/plans.yaml:{line}:{column}: plans[1].name: unzulässiges Steuerzeichen U+0000; bitte entfernen"]


def test_issue9_huge_file_refused_before_reading(tmp_path: Path) -> None:
    text = REAL_TEXT + "#" * (MAX_BYTES + 1 - len(REAL_TEXT.encode("utf-8"))) + "\n"
    assert refusal(tmp_path, text) == [
        "data/plans.yaml:1:1: die Datei ist 1.000.002 Bytes groß; erlaubt sind höchstens 1.000.000 Bytes (1 MB)"]


def test_negative_control_the_real_file_is_far_below_the_limit() -> None:
    assert len(REAL_TEXT.encode("utf-8")) < MAX_BYTES // 20


# ─── The same files through a real build ───────────────────────────────────

MISSING_PAGE = "plaene/advanced.md"
HOSTILE = {
    "alias-bomb": laughs(6),
    "deep-nesting": "x: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "tag": REAL_TEXT.replace("  examples: [", "  examples: !!python/object [", 1),
    "decimal-comma": REAL_TEXT.replace("rate: 19}", "rate: 19,5}", 1),
    "nul": REAL_TEXT.replace("    name: Advanced\n", "    name: Adv\x00anced\n", 1),
    "missing-page": REAL_TEXT,
}


@pytest.fixture(scope="module")
def hostile_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    root = tmp_path_factory.mktemp("hostile")

    def build(name: str) -> Build:
        if name == "missing-page":
            return build_with(root / name, HOSTILE[name], remove=MISSING_PAGE)
        return build_with(root / name, HOSTILE[name])

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return dict(zip(HOSTILE, pool.map(build, HOSTILE)))


@pytest.mark.parametrize("name", list(HOSTILE))
def test_issue9_hostile_files_fail_the_build_without_traceback(
        name: str, hostile_builds: dict[str, Build], tmp_path: Path) -> None:
    """Exit 1, no traceback, and exactly the line load_plans gives (or, for a
    missing page, the data line of the plan that needs it)."""
    build = hostile_builds[name]
    output = build.proc.stdout + build.proc.stderr
    assert build.proc.returncode == 1, build_output(build.proc)
    assert "Traceback" not in output and "Error:" not in output.replace("BuildError", ""), output
    if name == "missing-page":
        line, column = position_of(REAL_TEXT, "advanced\n    name: Advanced")
        wanted = [f"data/plans.yaml:{line}:{column}: plans[1].id: keine Seite docs/{MISSING_PAGE}: "
                  "anlegen (eine Nachbarseite kopieren und die Id ändern)"]
    else:
        wanted = refusal(tmp_path, HOSTILE[name])
    for problem in wanted:
        assert problem in output.splitlines(), f"missing line:\n{problem}\n{build_output(build.proc)}"
    assert not build.site.exists()


# ─── make build's site swap ────────────────────────────────────────────────

POLLER = textwrap.dedent("""
    import os, sys, time
    site, stop = sys.argv[1], sys.argv[2]
    looks, missing = 0, 0
    while not os.path.exists(stop):
        looks += 1
        if not os.path.isfile(os.path.join(site, "index.html")):
            missing += 1
    print(looks, missing)
""")


def test_issue9_11_site_never_missing_during_the_swap(tmp_path: Path) -> None:
    """Another process polls site/index.html while `make publish` (the swap of
    `make build`) replaces site/ forty times: it is never missing, and each
    swap leaves the new site and no site.tmp/."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("build 0", encoding="utf-8")
    stop = tmp_path / "stop"
    poller = subprocess.Popen([sys.executable, "-c", POLLER, str(site), str(stop)],
                              stdout=subprocess.PIPE, text=True)
    try:
        for number in range(1, 41):
            fresh = tmp_path / "site.tmp"
            fresh.mkdir()
            (fresh / "index.html").write_text(f"build {number}", encoding="utf-8")
            swap = subprocess.run(
                ["make", "-s", "-f", str(REPO_ROOT / "Makefile"), "-C", str(tmp_path), "publish",
                 f"VPY={sys.executable}"], capture_output=True, text=True, timeout=120, check=False)
            assert swap.returncode == 0, swap.stderr
            assert (site / "index.html").read_text(encoding="utf-8") == f"build {number}"
            assert sorted(p.name for p in tmp_path.iterdir() if p.name != "stop") == ["site"]
    finally:
        stop.touch()
        looks, missing = map(int, poller.communicate(timeout=60)[0].split())
    assert looks > 40 and missing == 0, (looks, missing)


def test_issue9_11_swap_killed_at_any_moment_leaves_a_whole_site(tmp_path: Path) -> None:
    """`make publish` killed (SIGKILL, whole process group) after 0 to 60 ms,
    thirty times: site/ is always there, holding either the old or the new
    build; the leftover site.tmp/ is what the next `make build` removes."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("build 0", encoding="utf-8")
    fresh = tmp_path / "site.tmp"
    for number in range(1, 31):
        shutil.rmtree(fresh, ignore_errors=True)  # as `make build` does first
        fresh.mkdir()
        (fresh / "index.html").write_text(f"build {number}", encoding="utf-8")
        before = (site / "index.html").read_text(encoding="utf-8")
        swap = subprocess.Popen(["make", "-s", "-f", str(REPO_ROOT / "Makefile"), "-C", str(tmp_path),
                                 "publish", f"VPY={sys.executable}"], start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(number * 0.002)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(swap.pid, signal.SIGKILL)
        swap.wait(timeout=60)
        assert (site / "index.html").read_text(encoding="utf-8") in (before, f"build {number}")


def test_issue9_11_first_publish_creates_site(tmp_path: Path) -> None:
    """Negative control for the swap: without an old site/, site.tmp/ becomes site/."""
    fresh = tmp_path / "site.tmp"
    fresh.mkdir()
    (fresh / "index.html").write_text("first", encoding="utf-8")
    swap = subprocess.run(["make", "-s", "-f", str(REPO_ROOT / "Makefile"), "-C", str(tmp_path), "publish",
                           f"VPY={sys.executable}"], capture_output=True, text=True, timeout=120, check=False)
    assert swap.returncode == 0, swap.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "first"
