"""The production server configuration, written into the site after the build.

A MkDocs hook (``hooks:`` in mkdocs.yml), run after every other step of the
build has written its files. From one definition of the HTTP headers
(``site_rules``) it writes

* ``_deploy/nginx.conf``: to be included in an nginx ``server`` block whose
  ``root`` is the folder holding the site (see README, "Veröffentlichen");
  it serves the ``.br`` twins and needs nginx's brotli_static module
  (Debian: libnginx-mod-http-brotli-static);
* ``_deploy/nginx-gzip-only.conf``: the same without brotli, for an nginx
  without that module;
* ``_headers``: the same rules for hosts that read such a file (Cloudflare
  Pages syntax: ``! Name`` detaches a header set by an earlier rule; such
  hosts compress by themselves, the file cannot name precompressed twins);
* ``<file>.gz`` and ``<file>.br`` beside every compressible file, for
  nginx's ``gzip_static`` and ``brotli_static``;

and it gives every ``<script src>`` an ``integrity`` attribute
(Subresource Integrity, which the MDN HTTP Observatory rewards).

Both configurations live inside the site on purpose: the policy lists the
SHA-256 hashes of the inline scripts of exactly these HTML files, so it must
be deployed together with them. nginx refuses to serve them.

Paths in the rules start with the path of ``site_url`` (``/`` unless the site
is published under a sub-path).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import repeat
from pathlib import Path
from typing import Callable, Iterable, Mapping
from urllib.parse import urlsplit

import brotli
from mkdocs.plugins import event_priority

DEPLOY_DIR = "_deploy"
# Precompressed results by content hash, in the project (shared by the
# tests' project copies, which link .cache).
CACHE_DIR = Path(".cache") / "precompress"
NGINX_FILE = f"{DEPLOY_DIR}/nginx.conf"
NGINX_GZIP_ONLY_FILE = f"{DEPLOY_DIR}/nginx-gzip-only.conf"
HEADERS_FILE = "_headers"
# The calculator's worker runs WebAssembly (Pyodide); its own response's
# policy is the only one that allows compiling it.
WORKER = "assets/calculator/worker.mjs"
# The offline service worker, if the site has one: served from the root so
# that it may control every page.
SERVICE_WORKER = "sw.js"

CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
CACHE_REVALIDATE = "no-cache"
# Content-hashed, so never changed under the same name: Material's bundle
# and styles (name.<8 hex>.min.js/.css), the calculator bundle
# (assets/calculator/<16 hex>/) and the versioned runtime (assets/pyodide/<v>/).
IMMUTABLE_FILES = re.compile(r"^assets/(javascripts|stylesheets)/.*\.[0-9a-f]{8}\.min\.(js|css)(\.map)?$")
IMMUTABLE_DIRS = re.compile(r"^assets/(calculator/[0-9a-f]{16}|pyodide/[^/]+)$")

# What the site does not use (Chromium knows each of these names; an
# unknown one is a console error).
DENIED_FEATURES = (
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
    "fullscreen", "geolocation", "gyroscope", "hid", "magnetometer", "microphone",
    "midi", "payment", "picture-in-picture", "publickey-credentials-get",
    "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
)
# Sent over HTTPS only by browsers' rules; harmless on plain HTTP.
HSTS = "max-age=63072000"

# Precompressed twins beside the original: <file>.gz for nginx's
# gzip_static, <file>.br for brotli_static. Archives are listed too: a zip
# that stores its members uncompressed (the runtime's stdlib) shrinks to a
# sixth with brotli, an already deflated one by ~2 % (the saving rule below
# decides whether that is worth a twin).
COMPRESSIBLE = frozenset({
    ".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".map", ".wasm", ".zip", ".whl",
})
# A twin is written only when it is at least this many bytes smaller than
# its file: a smaller saving is less than one network packet (~1.4 kB).
MIN_SAVING_BYTES = 1024
# The densest settings of both formats, for every file: browsers decode
# every level equally fast, and the price is paid once per content because
# results are cached by content hash (below). Brotli 11 against 9 saves
# 12 % on the runtime's wasm (2.74 against 3.10 MB) and 8 % on the pages;
# it takes ~20 s on that 9.6 MB wasm, once per machine, ~30 ms on a page.
GZIP_LEVEL = 9
BROTLI_QUALITY = 11
MIME_TYPES = {
    "text/html": "html",
    "text/css": "css",
    "text/javascript": "js mjs",
    "application/json": "json map",
    "text/xml": "xml",
    "image/svg+xml": "svg",
    "image/png": "png",
    "image/x-icon": "ico",
    "font/woff2": "woff2",
    "text/plain": "txt",
    "application/wasm": "wasm",
    "application/zip": "zip whl",
}


# ─── One definition of the headers ─────────────────────────────────────────


def content_security_policy(script_hashes: Iterable[str], wasm: bool = False) -> str:
    """The policy: scripts from the site itself and the given inline-script
    hashes (``sha256-…``), everything else from the site or nowhere.
    ``wasm`` allows compiling WebAssembly (the calculator's worker only)."""
    script = ["'self'", *(f"'{h}'" for h in script_hashes)]
    if wasm:
        script.append("'wasm-unsafe-eval'")
    directives = [
        ("default-src", "'none'"),
        ("script-src", " ".join(script)),
        ("connect-src", "'self'"),
        ("worker-src", "'self'"),
        ("style-src", "'self'"),
        # Material's stylesheet draws its icons from data: SVGs.
        ("img-src", "'self' data:"),
        ("font-src", "'self'"),
        ("manifest-src", "'self'"),
        ("base-uri", "'none'"),
        ("form-action", "'none'"),
        ("frame-ancestors", "'none'"),
        # No `require-trusted-types-for 'script'`: Material's bundle assigns
        # strings to innerHTML and script.src, and the calculator starts its
        # worker from a string URL (violations on every page, tried with
        # Material 9.8.2).
    ]
    return "; ".join(f"{name} {value}" for name, value in directives)


def common_headers(policy: str, cache: str) -> dict[str, str]:
    """Every response's headers, with ``policy`` and ``cache`` (Cache-Control)."""
    return {
        "Content-Security-Policy": policy,
        "Cache-Control": cache,
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Permissions-Policy": ", ".join(f"{name}=()" for name in DENIED_FEATURES),
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Strict-Transport-Security": HSTS,
    }


@dataclass(frozen=True)
class Rule:
    """Headers for the URL ``path`` (exactly, or everything under it)."""

    path: str
    exact: bool
    headers: Mapping[str, str]


def site_rules(site: Path, prefix: str) -> list[Rule]:
    """The header rules of the built ``site`` published at URL path ``prefix``
    (ends with ``/``); the first rule covers everything, later ones override
    it for their paths."""
    hashes = inline_script_hashes(site)
    page = content_security_policy(hashes)
    rules = [
        Rule(prefix, False, common_headers(page, CACHE_REVALIDATE)),
        Rule(prefix + WORKER, True,
             common_headers(content_security_policy(hashes, wasm=True), CACHE_REVALIDATE)),
        Rule(prefix + SERVICE_WORKER, True,
             {**common_headers(page, CACHE_REVALIDATE), "Service-Worker-Allowed": prefix}),
    ]
    immutable = common_headers(page, CACHE_IMMUTABLE)
    for path in immutable_paths(site):
        is_dir = (site / path).is_dir()
        rules.append(Rule(prefix + path + ("/" if is_dir else ""), not is_dir, immutable))
    return rules


def immutable_paths(site: Path) -> list[str]:
    """Site-relative paths (POSIX) of the content-hashed files and folders."""
    found = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_dir() and IMMUTABLE_DIRS.match(rel):
            found.append(rel)
        elif path.is_file() and IMMUTABLE_FILES.match(rel):
            found.append(rel)
    return found


class _InlineScripts(HTMLParser):
    """Collects the text of every inline, executable ``<script>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        attributes = dict(attrs)
        kind = (attributes.get("type") or "text/javascript").lower()
        if "src" not in attributes and kind in {"text/javascript", "module", "application/javascript"}:
            self._current = []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.scripts.append("".join(self._current))
            self._current = None


# A script element as the HTML tokenizer sees it: its text ends at the first
# "</script". Only these stretches go through the parser (whole pages took
# 70 ms a build); one inside a comment would at worst add an unused hash.
_SCRIPT_ELEMENT = re.compile(r"<script\b.*?</script", re.S | re.I)


def inline_script_hashes(site: Path) -> list[str]:
    """``sha256-<base64>`` of each distinct inline script in the site's HTML, sorted."""
    hashes = set()
    for html in site.rglob("*.html"):
        parser = _InlineScripts()
        for element in _SCRIPT_ELEMENT.finditer(html.read_text(encoding="utf-8")):
            parser.feed(element[0] + ">")
        for script in parser.scripts:
            digest = hashlib.sha256(script.encode("utf-8")).digest()
            hashes.add("sha256-" + base64.b64encode(digest).decode("ascii"))
    return sorted(hashes)


# ─── The two renderings ────────────────────────────────────────────────────


def render_nginx(rules: list[Rule], prefix: str, brotli_static: bool = True) -> str:
    """nginx directives for a ``server`` block whose ``root`` holds the site;
    ``brotli_static`` serves the ``.br`` twins (needs nginx's module)."""
    types = "".join(f"    {mime} {exts};\n" for mime, exts in MIME_TYPES.items())
    lines = [
        "# Generated by macros/deploy.py with the site it belongs to; do not edit.",
        "# Include in a server block whose root is the folder serving the site.",
        *(["# Needs ngx_http_brotli_static_module, loaded in the main configuration",
            "# (Debian: libnginx-mod-http-brotli-static); without it use nginx-gzip-only.conf."]
          if brotli_static else
          ["# Without brotli: for an nginx lacking ngx_http_brotli_static_module."]),
        "types {", types.rstrip("\n"), "}",
        "default_type application/octet-stream;",
        "charset utf-8;",
        "charset_types text/css text/javascript application/json text/xml image/svg+xml text/plain;",
        "index index.html;",
        "absolute_redirect off;",
        "server_tokens off;",
        # Precompressed twins: <file>.br, else <file>.gz, else the file.
        *(["brotli_static on;"] if brotli_static else []),
        "gzip_static on;",
        "gzip_vary on;",
        f"error_page 404 {prefix}404.html;",
        "",
        "# The server configuration itself is not part of the site.",
        f"location ^~ {prefix}{DEPLOY_DIR}/ {{ return 404; }}",
        f"location = {prefix}{HEADERS_FILE} {{ return 404; }}",
    ]
    for rule in rules:
        match = f"= {rule.path}" if rule.exact else f"^~ {rule.path}" if rule.path != prefix else rule.path
        lines += ["", f"location {match} {{"]
        lines += [f'    add_header {name} "{value}" always;' for name, value in rule.headers.items()]
        lines += ["    try_files $uri $uri/ =404;", "}"]
    return "\n".join(lines) + "\n"


def render_headers_file(rules: list[Rule]) -> str:
    """The rules as a ``_headers`` file: the first rule for every path, each
    later one replacing (``! Name``) only the headers it changes."""
    base = rules[0].headers
    blocks = [_headers_block(rules[0].path + "*", [], base)]
    for rule in rules[1:]:
        changed = {k: v for k, v in rule.headers.items() if base.get(k) != v}
        pattern = rule.path if rule.exact else rule.path + "*"
        blocks.append(_headers_block(pattern, [k for k in changed if k in base], changed))
    return "# Generated by macros/deploy.py with the site it belongs to; do not edit.\n" + "".join(blocks)


def _headers_block(pattern: str, detached: list[str], headers: Mapping[str, str]) -> str:
    lines = [pattern, *(f"  ! {name}" for name in detached), *(f"  {k}: {v}" for k, v in headers.items())]
    return "\n".join(lines) + "\n"


# ─── Subresource integrity ────────────────────────────────────────────────

SCRIPT_SRC = re.compile(r'<script src="(?P<src>[^"]+)"')


def add_script_integrity(site: Path, prefix: str) -> int:
    """Give every ``<script src>`` of the site's HTML that names one of its
    own files an ``integrity="sha384-…"`` of that file, so a changed or
    damaged script is refused. Returns the number of tags changed."""
    changed = 0
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")

        def with_integrity(match: re.Match[str]) -> str:
            nonlocal changed
            target = _local_file(site, html, match["src"], prefix)
            if target is None:
                return match[0]
            changed += 1
            digest = base64.b64encode(hashlib.sha384(target.read_bytes()).digest()).decode("ascii")
            return f'{match[0]} integrity="sha384-{digest}"'

        html.write_text(SCRIPT_SRC.sub(with_integrity, text), encoding="utf-8")
    return changed


def _local_file(site: Path, html: Path, src: str, prefix: str) -> Path | None:
    """The site's file that ``src`` (relative, or absolute under ``prefix``)
    in ``html`` names, or None for anything else."""
    if "//" in src or src.startswith(("data:", "blob:")):
        return None
    path = src.split("?")[0].split("#")[0]
    if path.startswith("/"):
        if not path.startswith(prefix):
            return None
        target = site / path[len(prefix):]
    else:
        target = html.parent / path
    target = target.resolve()
    return target if target.is_file() and target.is_relative_to(site.resolve()) else None


# ─── Precompression ────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Twin:
    """One precompressed format: the twin's suffix and its compressor."""

    suffix: str
    compress: Callable[[bytes], bytes]
    cache_tag: str
    """Names the settings in cache file names, so other settings miss."""


GZIP = Twin(".gz", lambda data: gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0), f"gz{GZIP_LEVEL}")
BROTLI = Twin(".br", lambda data: brotli.compress(data, quality=BROTLI_QUALITY), f"br{BROTLI_QUALITY}")
TWINS = (GZIP, BROTLI)
PRECOMPRESS_THREADS = 4


def precompress(site: Path, cache: Path, paths: Iterable[Path] | None = None) -> dict[str, int]:
    """Write ``<file>.gz`` and ``<file>.br`` beside each compressible file
    of ``site`` (or of ``paths`` only) where the twin saves at least
    ``MIN_SAVING_BYTES``; results are reused from ``cache`` by content
    hash, so a build compresses only what changed. Returns the number of twins
    written per suffix."""
    files = [path for path in sorted(site.rglob("*") if paths is None else paths)
             if path.is_file() and path.suffix in COMPRESSIBLE]
    # Threads: creating the files is most of the time on some disks (0.3 ms
    # each), and the work releases the GIL (files, hashing, compressors).
    with ThreadPoolExecutor(max_workers=PRECOMPRESS_THREADS) as pool:
        written = [suffix for suffixes in pool.map(_write_twins, files, repeat(cache)) for suffix in suffixes]
    return {twin.suffix: written.count(twin.suffix) for twin in TWINS}


def _write_twins(path: Path, cache: Path) -> list[str]:
    """Write the twins of the file at ``path`` (see precompress); their suffixes."""
    data = path.read_bytes()
    written = []
    for twin in TWINS:
        packed = twin_of(twin, data, cache)
        if packed is not None:
            path.with_name(path.name + twin.suffix).write_bytes(packed)
            written.append(twin.suffix)
    return written


def twin_of(twin: Twin, data: bytes, cache: Path) -> bytes | None:
    """The ``twin`` of a compressible file holding ``data``, or None where
    it would save less than ``MIN_SAVING_BYTES`` (no twin is written);
    results are reused from ``cache`` (brotli 11 takes ~2 ms even on a
    2 kB file, and a build has dozens of them)."""
    if len(data) <= MIN_SAVING_BYTES:
        return None
    packed = _compress_cached(twin, data, cache / f"{hashlib.sha256(data).hexdigest()}.{twin.cache_tag}")
    return packed if len(data) - len(packed) >= MIN_SAVING_BYTES else None


def served_bytes(data: bytes, cache: Path) -> int:
    """Bytes of the body a browser that accepts brotli receives for a
    compressible file holding ``data`` (``_deploy/nginx.conf``): its
    ``.br`` twin, or the file itself where it has none."""
    packed = twin_of(BROTLI, data, cache)
    return len(data) if packed is None else len(packed)


def _compress_cached(twin: Twin, data: bytes, entry: Path) -> bytes:
    """``twin.compress(data)``, read from ``entry`` if an earlier build
    wrote it there. Written under a unique name, then renamed: concurrent
    builds sharing the cache never read half a file."""
    if entry.is_file():
        return entry.read_bytes()
    packed = twin.compress(data)
    entry.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=entry.parent, prefix=entry.name, suffix=".tmp", delete=False) as scratch:
        scratch.write(packed)
    os.replace(scratch.name, entry)
    return packed


# ─── Build step ────────────────────────────────────────────────────────────


def url_prefix(site_url: str | None) -> str:
    """The URL path the site is published under, ending with ``/``."""
    path = urlsplit(site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def write_server_config(site: Path, site_url: str | None, cache: Path) -> None:
    """Add script integrity to ``site``, write its nginx configurations and
    ``_headers``, then precompress it (last: the HTML changed), reusing
    results from the ``cache`` folder."""
    prefix = url_prefix(site_url)
    add_script_integrity(site, prefix)
    rules = site_rules(site, prefix)
    (site / DEPLOY_DIR).mkdir(exist_ok=True)
    (site / NGINX_FILE).write_text(render_nginx(rules, prefix), encoding="utf-8")
    (site / NGINX_GZIP_ONLY_FILE).write_text(render_nginx(rules, prefix, brotli_static=False), encoding="utf-8")
    (site / HEADERS_FILE).write_text(render_headers_file(rules), encoding="utf-8")
    precompress(site, cache)


@event_priority(-100)  # last: after the pages, the sitemap and the browser bundle
def on_post_build(config) -> None:
    """MkDocs hook: write the server configuration into the built site."""
    project = Path(config.config_file_path).parent
    write_server_config(Path(config.site_dir), config.site_url, project / CACHE_DIR)
