"""Issue 11: the production headers, under a real nginx with the generated
configuration (``_deploy/nginx.conf`` of the built site).

Debian's nginx runs as a foreground child process on a free loopback port
(``macros.local_nginx``). The expected header values are written out here,
and the inline-script hashes are computed here independently of
``macros.deploy``, so a wrong definition fails.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import brotli
import pytest
from playwright.sync_api import Browser, Page, expect

from macros import local_nginx
from tests.helpers import PageLog, log_problems, origin, record_page
from tests.test_calculator_page import INITIAL_INPUT, enter, open_calculator, view_of
from tests.test_response_page import (
    BOOT_TIMEOUT_MS,
    CALCULATOR as RESPONSE_PAGE,
    FIXED_NOW,
    ISSUE,
    view_of as response_view_of,
    wait_for_view,
)

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
SECURITY_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Strict-Transport-Security": "max-age=63072000",
}
POLICY_TAIL = (
    "connect-src 'self'; worker-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
# What the site uses none of; each must be denied.
DENIED = ("camera", "microphone", "geolocation", "payment", "usb")
WORKER = "assets/calculator/worker.mjs"

# Reports every CSP violation of every document (also after reloads).
REPORT_VIOLATIONS_JS = """() => document.addEventListener("securitypolicyviolation",
    (e) => window.__cspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`))"""


# ─── Fixtures ──────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def nginx(built_site: Path) -> Iterator[str]:
    """Base URL of nginx serving the built site with its configuration."""
    with local_nginx.serve(built_site) as base_url:
        yield base_url


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """GET ``url``: status, headers (last value per name), body as sent."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


def script_hashes(site: Path) -> set[str]:
    """``sha256-…`` of every distinct inline <script> without a type."""
    found = set()
    for html in site.rglob("*.html"):
        for body in re.findall(r"<script>(.*?)</script>", html.read_text(encoding="utf-8"), re.S):
            found.add("sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode())
    return found


def page_policy(site: Path, wasm: bool = False) -> str:
    sources = ["'self'", *(f"'{h}'" for h in sorted(script_hashes(site)))]
    if wasm:
        sources.append("'wasm-unsafe-eval'")
    return f"default-src 'none'; script-src {' '.join(sources)}; {POLICY_TAIL}"


def site_files(site: Path) -> list[str]:
    """Site-relative URL paths of every file the site serves (not the .br
    and .gz twins, not the config)."""
    return sorted(
        path.relative_to(site).as_posix()
        for path in site.rglob("*")
        if path.is_file() and path.suffix not in (".gz", ".br")
        and not path.relative_to(site).as_posix().startswith(("_deploy/", "_headers"))
    )


def expected_cache(path: str) -> str:
    if re.match(r"assets/(pyodide/[^/]+|calculator/[0-9a-f]{16})/", path):
        return IMMUTABLE
    if re.match(r"assets/(javascripts|stylesheets)/.*\.[0-9a-f]{8}\.min\.(js|css)(\.map)?$", path):
        return IMMUTABLE
    return REVALIDATE


# ─── Headers and compression (plain HTTP) ──────────────────────────────────


def test_issue11_policy_has_few_hashes(built_site: Path) -> None:
    """Only depth-independent inline scripts are left: Material's two and
    the calculators' mark of a link before the first paint (_parts.html)."""
    assert len(script_hashes(built_site)) == 3
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 10
    assert [p for p in pages if "__md_scope=new URL(" in p.read_text(encoding="utf-8")] == []


def test_issue11_scripts_carry_their_integrity(built_site: Path) -> None:
    """Every <script src> names a file of the site and carries its SHA-384."""
    tags = 0
    for html in built_site.rglob("*.html"):
        for src, integrity in re.findall(r'<script src="([^"]+)"(?: integrity="([^"]*)")?',
                                         html.read_text(encoding="utf-8")):
            target = built_site / src.lstrip("/") if src.startswith("/") else html.parent / src
            digest = base64.b64encode(hashlib.sha384(target.read_bytes()).digest()).decode()
            assert integrity == f"sha384-{digest}", f"{html}: {src}"
            tags += 1
    assert tags >= 3 * 17


def test_issue11_every_response_has_the_headers(built_site: Path, nginx: str) -> None:
    policy = page_policy(built_site)
    problems = []
    files = site_files(built_site)
    for path in files:
        status, headers, _ = fetch(nginx + path)
        expected = {
            **SECURITY_HEADERS,
            "Cache-Control": expected_cache(path),
            "Content-Security-Policy": page_policy(built_site, wasm=True) if path == WORKER else policy,
        }
        got = {name: headers.get(name) for name in expected}
        if status != 200 or got != expected:
            problems.append(f"{path}: {status} {got}")
        permissions = headers.get("Permissions-Policy", "")
        if any(f"{feature}=()" not in permissions for feature in DENIED):
            problems.append(f"{path}: Permissions-Policy {permissions!r}")
    assert not problems, "\n".join(problems[:10])
    # The kinds the issue names are among the files checked.
    assert {"index.html", "rechner/index.html", "sitemap.xml", "search/search_index.json", WORKER} <= set(files)
    assert len(files) > 50
    assert "wasm-unsafe-eval" not in policy


def test_issue11_pages_sitemap_and_index_revalidate(built_site: Path, nginx: str) -> None:
    for path in ("", "rechner/", "sitemap.xml", "search/search_index.json", "404.html"):
        status, headers, _ = fetch(nginx + path)
        assert (status, headers["Cache-Control"]) == (200, REVALIDATE), path
    status, headers, _ = fetch(nginx + "nicht-da/")
    assert status == 404 and headers["Content-Security-Policy"] == page_policy(built_site)


def test_issue11_hashed_assets_are_immutable(built_site: Path, nginx: str) -> None:
    runtime = next((built_site / "assets" / "pyodide").iterdir()).name
    bundle = next(p.name for p in (built_site / "assets" / "calculator").iterdir() if p.is_dir())
    material = next((built_site / "assets" / "javascripts").glob("bundle.*.min.js")).name
    for path in (f"assets/pyodide/{runtime}/pyodide.asm.wasm", f"assets/calculator/{bundle}/catalog.json",
                 f"assets/javascripts/{material}"):
        status, headers, _ = fetch(nginx + path)
        assert (status, headers["Cache-Control"]) == (200, IMMUTABLE), path
    # Not content-hashed: revalidated.
    for path in (WORKER, "assets/site.css", "assets/site_root.js"):
        assert fetch(nginx + path)[1]["Cache-Control"] == REVALIDATE, path


# ─── Precompressed twins (.br, .gz) ────────────────────────────────────────

# What the build compresses, by suffix (archives too: a zip storing its
# members uncompressed shrinks a lot), and the rule for writing a twin: it
# is at least 1 KiB smaller than its file.
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".map", ".wasm", ".zip", ".whl"}
MIN_SAVING = 1024
DECOMPRESS = {"br": brotli.decompress, "gzip": gzip.decompress}


def downloaded_kinds(site: Path) -> list[str]:
    """One file of each kind a calculator visit downloads: a page, the
    runtime's wasm and stdlib archive, a script of ours and Material's."""
    runtime = next((site / "assets" / "pyodide").iterdir()).name
    material = next((site / "assets" / "javascripts").glob("bundle.*.min.js")).name
    return ["rechner/index.html", f"assets/pyodide/{runtime}/pyodide.asm.wasm",
            stdlib_archive(site).relative_to(site).as_posix(), WORKER, f"assets/javascripts/{material}",
            "search/search_index.json"]


def stdlib_archive(site: Path) -> Path:
    """The trimmed standard library, which lives in the calculator bundle."""
    return next((site / "assets" / "calculator").glob("*/python_stdlib.zip"))


@pytest.mark.parametrize(("accept", "encoding"), [
    ("br", "br"),
    ("gzip", "gzip"),
    ("gzip, deflate, br, zstd", "br"),  # what Chromium sends: brotli wins
])
def test_issue11_precompressed_files_are_served(built_site: Path, nginx: str, accept: str, encoding: str) -> None:
    for path in downloaded_kinds(built_site):
        original = (built_site / path).read_bytes()
        status, headers, body = fetch(nginx + path, **{"Accept-Encoding": accept})
        assert status == 200, path
        assert headers.get("Content-Encoding") == encoding, path
        assert headers.get("Vary") == "Accept-Encoding", path
        assert headers.get("Cache-Control") == expected_cache(path), path
        assert len(body) <= len(original) - MIN_SAVING, path
        assert DECOMPRESS[encoding](body) == original, path


def test_issue11_without_accept_encoding_the_file_itself(built_site: Path, nginx: str) -> None:
    for path in downloaded_kinds(built_site):
        status, headers, body = fetch(nginx + path)
        assert status == 200 and "Content-Encoding" not in headers, path
        # Caches must not hand this answer to a client that accepts brotli.
        assert headers.get("Vary") == "Accept-Encoding", path
        assert body == (built_site / path).read_bytes(), path


def test_issue11_without_the_brotli_module_gzip_only(built_site: Path) -> None:
    """nginx-gzip-only.conf, on an nginx that has not loaded the module:
    brotli clients get gzip, the rest the file itself."""
    page = "rechner/index.html"
    original = (built_site / page).read_bytes()
    with local_nginx.serve(built_site, brotli=False) as base_url:
        status, headers, body = fetch(base_url + page, **{"Accept-Encoding": "gzip, deflate, br"})
        assert (status, headers.get("Content-Encoding")) == (200, "gzip")
        assert gzip.decompress(body) == original
        status, headers, body = fetch(base_url + page, **{"Accept-Encoding": "br"})
        assert (status, headers.get("Content-Encoding"), body) == (200, None, original)
    directives = {
        name: [line for line in (built_site / "_deploy" / name).read_text(encoding="utf-8").splitlines()
               if not line.startswith("#")]
        for name in ("nginx.conf", "nginx-gzip-only.conf")
    }
    assert [line for line in directives["nginx.conf"] if line not in directives["nginx-gzip-only.conf"]] == [
        "brotli_static on;"]
    assert "gzip_static on;" in directives["nginx-gzip-only.conf"]


def test_issue11_nginx_without_the_module_refuses_the_brotli_configuration(built_site: Path, tmp_path: Path) -> None:
    """What the README tells admins: nginx.conf needs the module loaded in
    the main configuration; nginx-gzip-only.conf does not."""
    results = {}
    for name in ("nginx.conf", "nginx-gzip-only.conf"):
        main = tmp_path / f"main-{name}"
        main.write_text(
            f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
            f"http {{ server {{ listen 127.0.0.1:{local_nginx.free_port()}; root {built_site};"
            f" include {built_site}/_deploy/{name}; }} }}\n", encoding="utf-8")
        proc = subprocess.run(
            [local_nginx.NGINX, "-t", "-p", str(tmp_path), "-c", str(main), "-e", str(tmp_path / "error.log")],
            capture_output=True, text=True, check=False,
        )
        results[name] = (proc.returncode, 'unknown directive "brotli_static"' in proc.stderr)
    assert results == {"nginx.conf": (1, True), "nginx-gzip-only.conf": (0, False)}


def test_issue11_incompressible_files_have_no_twins(built_site: Path, nginx: str) -> None:
    """Negative control: the PNG, and the twins themselves, are sent as they are."""
    twins = [p for p in built_site.rglob("*") if p.suffix in (".br", ".gz")]
    assert len(twins) > 100
    assert sorted({Path(p.stem).suffix for p in twins} - COMPRESSIBLE) == []
    pngs = list(built_site.rglob("*.png"))
    assert pngs
    for png in pngs:
        assert not png.with_name(png.name + ".br").exists() and not png.with_name(png.name + ".gz").exists()
        status, headers, body = fetch(nginx + png.relative_to(built_site).as_posix(),
                                      **{"Accept-Encoding": "gzip, br"})
        assert (status, "Content-Encoding" in headers, body) == (200, False, png.read_bytes())


def test_issue11_every_compressible_file_has_both_twins(built_site: Path) -> None:
    """Each compressible file has a .br and a .gz twin that decompress to it,
    or that twin would save less than MIN_SAVING (computed here, with
    brotli quality 11 and gzip level 9)."""
    compress = {".br": lambda data: brotli.compress(data, quality=11),
                ".gz": lambda data: gzip.compress(data, compresslevel=9)}
    decompress = {".br": brotli.decompress, ".gz": gzip.decompress}
    problems, both = [], []
    for path in sorted(built_site.rglob("*")):
        if not path.is_file() or path.suffix not in COMPRESSIBLE:
            continue
        data = path.read_bytes()
        present = []
        for suffix in (".br", ".gz"):
            twin = path.with_name(path.name + suffix)
            if twin.exists():
                packed = twin.read_bytes()
                if decompress[suffix](packed) != data or len(data) - len(packed) < MIN_SAVING:
                    problems.append(f"{twin}: {len(packed)} bytes for {len(data)}, or other content")
                present.append(suffix)
            elif len(data) - len(compress[suffix](data)) >= MIN_SAVING:
                problems.append(f"{twin} is missing")
        if len(present) == 2:
            both.append(path.relative_to(built_site).as_posix())
    assert problems == []
    assert set(downloaded_kinds(built_site)) | {"sw.js", "index.html", "sitemap.xml"} <= set(both)
    assert len(both) > 60


def test_issue10_runtime_twins_come_from_the_shared_cache(built_site: Path, repo_root: Path) -> None:
    """The runtime's .br (quality 11 takes ~20 s on the wasm) is kept by
    content hash in the project's .cache, which the tests' project copies
    link: later builds read it instead of compressing again."""
    for path in (next((built_site / "assets" / "pyodide").glob("*/pyodide.asm.wasm")), stdlib_archive(built_site)):
        entry = repo_root / ".cache" / "precompress" / (hashlib.sha256(path.read_bytes()).hexdigest() + ".br11")
        assert entry.read_bytes() == path.with_name(path.name + ".br").read_bytes(), path.name


def test_issue10_precompression_reuses_a_cached_result(tmp_path: Path) -> None:
    """A cache entry named after the content hash and settings is used as
    the twin as it is (here a marker that no compressor would produce)."""
    from macros import deploy

    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    data = ("<p>Preis</p>\n" * 2000).encode()
    (site / "index.html").write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    cache.mkdir()
    (cache / f"{digest}.br11").write_bytes(b"cached brotli")
    assert deploy.precompress(site, cache) == {".gz": 1, ".br": 1}
    assert (site / "index.html.br").read_bytes() == b"cached brotli"
    assert gzip.decompress((site / "index.html.gz").read_bytes()) == data
    assert (cache / f"{digest}.gz9").read_bytes() == (site / "index.html.gz").read_bytes()
    # Too small to save 1 KiB: no twins.
    (site / "small.html").write_bytes(b"<p>Preis</p>\n" * 40)
    assert deploy.precompress(site, cache, [site / "small.html"]) == {".gz": 0, ".br": 0}
    assert sorted(p.name for p in site.iterdir()) == ["index.html", "index.html.br", "index.html.gz", "small.html"]


def test_issue11_module_and_wasm_types(built_site: Path, nginx: str) -> None:
    runtime = next((built_site / "assets" / "pyodide").iterdir()).name
    assert fetch(nginx + WORKER)[1]["Content-Type"] == "text/javascript; charset=utf-8"
    wasm = fetch(nginx + f"assets/pyodide/{runtime}/pyodide.asm.wasm")[1]
    assert wasm["Content-Type"] == "application/wasm"
    assert fetch(nginx + "rechner/")[1]["Content-Type"] == "text/html; charset=utf-8"


def test_issue11_service_worker_may_control_the_site(built_site: Path, tmp_path: Path) -> None:
    """Hook for the offline service worker: a sw.js at the root is
    revalidated and allowed to control every page."""
    site = tmp_path / "site"
    shutil.copytree(built_site / "_deploy", site / "_deploy")
    (site / "sw.js").write_text("// service worker\n", encoding="utf-8")
    with local_nginx.serve(site) as base_url:
        status, headers, body = fetch(base_url + "sw.js")
    assert (status, body) == (200, b"// service worker\n")
    assert headers.get("Service-Worker-Allowed") == "/"
    assert headers.get("Cache-Control") == REVALIDATE
    assert headers.get("Content-Type") == "text/javascript; charset=utf-8"
    assert "worker-src 'self'" in headers["Content-Security-Policy"]


def test_issue11_server_configuration_is_not_served(nginx: str) -> None:
    for path in ("_headers", "_deploy/nginx.conf"):
        assert fetch(nginx + path)[0] == 404, path


# ─── In Chromium, under the policy ─────────────────────────────────────────


def policed_page(browser: Browser, base_url: str) -> tuple[Page, PageLog, list[str]]:
    """A recorded page (like the ``page`` fixture's) that also collects CSP
    violations of every document it shows."""
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin", service_workers="block")
    context.set_default_timeout(30_000)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin(base_url))
    page = context.new_page()
    log = record_page(context, page)
    violations: list[str] = []
    page.expose_function("__cspViolation", lambda text: violations.append(text))
    page.add_init_script(f"({REPORT_VIOLATIONS_JS})()")
    return page, log, violations


def assert_clean(log: PageLog, violations: list[str], base_url: str) -> None:
    problems = log_problems(log, base_url)
    if violations:
        problems.append("CSP violations:\n" + "\n".join(f"    {v}" for v in violations))
    assert not problems, "\n".join(problems)


def test_issue11_every_page_loads_under_the_policy(site_page: str | None, browser: Browser, nginx: str) -> None:
    """Each page, in a fresh context: HTTP 200 with the policy, then no
    violation, console error, failed or foreign request once it is idle."""
    assert site_page is not None, "no pages built"
    page, log, violations = policed_page(browser, nginx)
    try:
        response = page.goto(nginx + site_page)
        assert response is not None and response.status == 200
        assert response.headers["content-security-policy"].startswith("default-src 'none'")
        page.wait_for_load_state("networkidle")
        assert_clean(log, violations, nginx)
    finally:
        page.context.close()


def test_issue11_a_violation_is_caught(browser: Browser, nginx: str) -> None:
    """Negative control: an inline script the build did not emit is refused
    and reported."""
    page, log, violations = policed_page(browser, nginx)
    try:
        page.goto(nginx)
        page.evaluate("""() => { const s = document.createElement("script");
            s.textContent = "window.__ran = 1"; document.body.append(s); }""")
        page.wait_for_timeout(200)
        assert page.evaluate("() => window.__ran") is None
        assert any(v.startswith("script-src-elem inline") for v in violations), violations
        assert any("Content Security Policy" in e for e in log.console_errors), log.console_errors
    finally:
        page.context.close()


def test_issue11_calculators_search_copy_and_print_under_the_policy(
    browser: Browser, nginx: str
) -> None:
    page, log, violations = policed_page(browser, nginx)
    try:
        open_calculator(page, nginx)  # waits for the first answer
        enter(page, "20.000,01")
        page.locator('[data-action="copy-link"]').click()
        expect(page.locator('[data-slot="copied"]')).to_have_text("Link kopiert.")
        assert page.evaluate("() => navigator.clipboard.readText()") == page.evaluate("() => location.href")
        page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
        page.locator('[data-action="print"]').click()
        assert page.evaluate("() => window.__printed") == 1
        assert page.pdf().startswith(b"%PDF-")  # print media under the policy

        page.goto(nginx)
        page.locator("input.md-search__input").click()
        page.locator("input.md-search__input").press_sequentially("Reaktionszeit")  # Material reads key events
        expect(page.locator(".md-search-result__item").first).to_be_visible()
        assert page.locator(".md-search-result__item").count() >= 3

        # Last: a fixed clock stops Material's timers (search).
        page.clock.set_fixed_time(FIXED_NOW)
        page.goto(nginx + RESPONSE_PAGE + ISSUE)
        wait_for_view(page, response_view_of("basic", 3, "2026-11-27T17:30"), ISSUE, BOOT_TIMEOUT_MS)
        assert_clean(log, violations, nginx)
    finally:
        page.context.close()


# ─── MDN HTTP Observatory ──────────────────────────────────────────────────

OBSERVATORY = Path(__file__).with_name("observatory.mjs")
# All 145 points but the two the site cannot earn: cookies (it sets none)
# and HSTS preloading (a property of the domain, not of the headers).
TOP_SCORE = 135


def observatory(site: local_nginx.TlsSite, repo_root: Path) -> dict[str, Any]:
    """The analyzer's JSON for the local HTTPS server."""
    if not (repo_root / "node_modules" / "@mdn" / "mdn-http-observatory").is_dir():
        pytest.fail("@mdn/mdn-http-observatory is missing: run `make test` (npm ci)", pytrace=False)
    http_port, https_port = (urlsplit(url).port for url in (site.http_url, site.https_url))
    proc = subprocess.run(
        ["node", str(OBSERVATORY), "127.0.0.1", str(http_port), str(https_port)],
        cwd=repo_root, env=dict(os.environ, NODE_EXTRA_CA_CERTS=str(site.certificate)),
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout)


def test_issue11_observatory_top_grade(built_site: Path, repo_root: Path) -> None:
    """Over HTTPS (self-signed, trusted for the scan), with HTTP redirecting
    to it, as documented for production: every check passes."""
    with local_nginx.serve_tls(built_site) as site:
        result = observatory(site, repo_root)
    failed = {name: test["result"] for name, test in result["tests"].items() if not test["pass"]}
    assert failed == {}
    assert result["tests"]["strict-transport-security"]["result"] == "hsts-implemented-max-age-at-least-six-months"
    assert result["tests"]["redirection"]["result"] == "redirection-to-https"
    assert result["tests"]["content-security-policy"]["result"] == "csp-implemented-with-no-unsafe-default-src-none"
    assert result["tests"]["subresource-integrity"]["result"] == "sri-implemented-and-all-scripts-loaded-securely"
    assert (result["score"], result["grade"]) == (TOP_SCORE, "A+")


def test_issue11_observatory_can_fail(built_site: Path, repo_root: Path, tmp_path: Path) -> None:
    """Negative control: the same site without its security headers scores low."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site, ignore=shutil.ignore_patterns("pyodide"))
    conf = site / "_deploy" / "nginx.conf"
    conf.write_text(re.sub(r"    add_header (?!Cache-Control).*\n", "", conf.read_text()), encoding="utf-8")
    with local_nginx.serve_tls(site) as served:
        result = observatory(served, repo_root)
    assert result["score"] < 100
    assert result["tests"]["content-security-policy"]["pass"] is False
