"""Serve a built site with its generated nginx configuration, on loopback.

For the tests and ``make preview``: Debian's nginx runs as a child process
in the foreground (``daemon off``, one process) with its prefix, pid file,
logs and temp folders in a folder of its own; it binds only 127.0.0.1 and
never touches the system service.

    python -m macros.local_nginx site 8001    # make preview

``serve`` is a context manager for tests; ``main`` runs until stopped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .deploy import NGINX_FILE, NGINX_GZIP_ONLY_FILE, url_prefix

NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
# Serves the .br twins; Debian's libnginx-mod-http-brotli-static (`make nginx`).
BROTLI_MODULE = os.environ.get("NGINX_BROTLI_MODULE", "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
START_TIMEOUT_S = 30.0

MAIN_CONF = """\
# Local nginx for {site} (tests, make preview); not for production.
{load_module}daemon off;
master_process off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port}{tls};
        server_name localhost;
        root {root};
        include {conf};
    }}
{redirect}}}
"""
TLS = """ ssl;
        ssl_certificate {prefix}/cert.pem;
        ssl_certificate_key {prefix}/key.pem"""
# Plain HTTP that only sends visitors to HTTPS, as in production.
REDIRECT = """\
    server {{
        listen 127.0.0.1:{http_port};
        server_tokens off;
        return 301 https://127.0.0.1:{port}$request_uri;
    }}
"""


@dataclass(frozen=True)
class TlsSite:
    """A site served over HTTPS with a self-signed certificate for 127.0.0.1."""

    http_url: str
    """Plain HTTP, redirecting every request to ``https_url``."""
    https_url: str
    certificate: Path
    """The certificate (PEM) to trust, e.g. as ``NODE_EXTRA_CA_CERTS``."""


class NginxError(Exception):
    """nginx is missing or did not start; the message says why."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_main_conf(site: Path, port: int, prefix: Path, url_path: str = "/",
                    http_port: int | None = None, brotli: bool = True) -> Path:
    """Write the main configuration serving ``site`` at ``url_path`` (the
    path its configuration was built for) into ``prefix``; returns its path.
    With ``http_port``, ``port`` speaks HTTPS (``prefix/cert.pem``) and
    ``http_port`` redirects to it. With ``brotli`` (the default) nginx
    loads the brotli_static module and the site's ``nginx.conf``; without,
    it uses ``nginx-gzip-only.conf`` as a server lacking the module would."""
    site = site.resolve()
    root = site
    if url_path.strip("/"):
        # The server's root holds the site at url_path (a symlink).
        root = prefix / "root"
        link = root / url_path.strip("/")
        link.parent.mkdir(parents=True)
        link.symlink_to(site, target_is_directory=True)
    tls = TLS.format(prefix=prefix) if http_port else ""
    redirect = REDIRECT.format(http_port=http_port, port=port) if http_port else ""
    conf = prefix / "nginx.conf"
    conf.write_text(
        MAIN_CONF.format(site=site, prefix=prefix, port=port, root=root,
                         conf=site / (NGINX_FILE if brotli else NGINX_GZIP_ONLY_FILE),
                         load_module=f"load_module {BROTLI_MODULE};\n" if brotli else "",
                         tls=tls, redirect=redirect),
        encoding="utf-8",
    )
    return conf


@contextlib.contextmanager
def serve(site: Path, port: int | None = None, url_path: str = "/", brotli: bool = True) -> Iterator[str]:
    """Run nginx for ``site`` until the block exits; yields the base URL
    (``http://127.0.0.1:<port><url_path>``). ``brotli=False``: as an nginx
    without the brotli module (gzip only)."""
    port = port or free_port()

    def configure(prefix: Path) -> Path:
        return write_main_conf(site, port, prefix, url_path, brotli=brotli)

    with _running(site, configure, port, brotli):
        yield f"http://127.0.0.1:{port}{url_path}"


@contextlib.contextmanager
def serve_tls(site: Path) -> Iterator[TlsSite]:
    """Run nginx for ``site`` (built for ``/``) over HTTPS, with plain HTTP
    redirecting to it, until the block exits."""
    port, http_port = free_port(), free_port()

    def configure(prefix: Path) -> Path:
        _self_signed_certificate(prefix)
        return write_main_conf(site, port, prefix, "/", http_port)

    with _running(site, configure, port) as prefix:
        yield TlsSite(f"http://127.0.0.1:{http_port}/", f"https://127.0.0.1:{port}/", prefix / "cert.pem")


def _self_signed_certificate(prefix: Path) -> None:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(prefix / "key.pem"), "-out", str(prefix / "cert.pem")],
        check=True, capture_output=True,
    )


@contextlib.contextmanager
def _running(site: Path, configure: Callable[[Path], Path], port: int, brotli: bool = True) -> Iterator[Path]:
    """nginx with the configuration ``configure(prefix)`` writes, listening
    on ``port``, in a new prefix folder (yielded) that is removed after;
    ``brotli``: the configuration loads the brotli_static module."""
    if not Path(NGINX).is_file():
        raise NginxError(f"{NGINX} is missing: `make test` installs Debian's nginx (apt-get)")
    if brotli and not Path(BROTLI_MODULE).is_file():
        raise NginxError(f"{BROTLI_MODULE} is missing: `make nginx` installs Debian's"
                         " libnginx-mod-http-brotli-static (apt-get)")
    if not (site / NGINX_FILE).is_file():
        raise NginxError(f"{site / NGINX_FILE} is missing: build the site first")
    prefix = Path(tempfile.mkdtemp(prefix="cci-nginx-"))
    try:
        conf = configure(prefix)
        proc = subprocess.Popen(
            [NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
            stdout=subprocess.DEVNULL, stderr=(prefix / "stderr.log").open("w"),
        )
        try:
            _wait_until_listening(proc, port, prefix)
            yield prefix
        finally:
            proc.terminate()  # nginx: fast shutdown
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


def _wait_until_listening(proc: subprocess.Popen[bytes], port: int, prefix: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            logs = "".join(
                path.read_text(errors="replace") for path in (prefix / "stderr.log", prefix / "error.log")
                if path.exists()
            )
            raise NginxError(f"nginx exited with {proc.returncode}:\n{logs}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.05)
    raise NginxError(f"nginx did not listen on port {port} within {START_TIMEOUT_S} s")


def main(argv: list[str]) -> int:
    """``python -m macros.local_nginx SITE [PORT]``: serve until Ctrl-C or
    SIGTERM, at the path of ``$SITE_URL`` (the build's)."""
    site = Path(argv[0]) if argv else Path("site")
    port = int(argv[1]) if len(argv) > 1 else 8001
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stops nginx too (finally)
    try:
        with serve(site, port, url_prefix(os.environ.get("SITE_URL"))) as url:
            print(f"nginx serves {site}/ with {site / NGINX_FILE} at {url} (Ctrl-C stops)", flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                while True:
                    time.sleep(3600)
    except NginxError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
