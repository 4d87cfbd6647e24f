"""deploy/nginx.conf rendered for a loopback port and temporary folders, and nginx started on it (tests, bench).

The production file is used as it is, except for the lines marked "rendered" in it: the port, the
CMS's address, the cache folder and the logs. A missing line is an error, so the file and this
rendering can't drift apart silently.
"""

import os
import re
import socket
import subprocess
import time
from pathlib import Path

SITE = Path(__file__).resolve().parent / "nginx.conf"


def render_site(text: str, port: int, upstream: str, folder: Path) -> str:
    """Return the site file `text` listening on 127.0.0.1:`port`, proxying to `upstream`, its files in `folder`."""
    replacements = (
        (r"proxy_cache_path /var/cache/nginx/alliance-cms ", f"proxy_cache_path {folder / 'cache'} "),
        (r"server 127\.0\.0\.1:8000;", f"server {upstream};"),
        (r"listen 80;", f"listen 127.0.0.1:{port};"),
        (r"listen \[::\]:80;", ""),
        (r"access_log /var/log/nginx/alliance-cms\.access\.log;", f"access_log {folder / 'access.log'};"),
        (r"error_log /var/log/nginx/alliance-cms\.error\.log;", f"error_log {folder / 'error.log'};"),
    )
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text)
        if count != 1:
            raise ValueError(f"deploy/nginx.conf: expected one line matching {pattern!r}, found {count}")
    return text


def main_config(folder: Path, port: int, upstream: str, workers: int = 1) -> Path:
    """Write nginx's main configuration in `folder` around the rendered site file; return its path."""
    (folder / "cache").mkdir(parents=True, exist_ok=True)
    (folder / "tmp").mkdir(exist_ok=True)
    (folder / "site.conf").write_text(render_site(SITE.read_text(), port, upstream, folder))
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = "".join(f"    {kind}_temp_path {folder / 'tmp'};\n" for kind in kinds)
    config = folder / "nginx.conf"
    # Run as root (here, in containers), nginx's workers would be `nobody`, who can't write the temporary cache.
    user = "user root;\n" if os.geteuid() == 0 else ""
    config.write_text(
        f"{user}worker_processes {workers};\n"
        f"pid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'};\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        "    sendfile on;\n"
        f"{temp}"
        f"    include {folder / 'site.conf'};\n"
        "}\n"
    )
    return config


def start(folder: Path, port: int, upstream: str, workers: int = 1, log=subprocess.DEVNULL) -> subprocess.Popen:
    """Start nginx in the foreground (its own process group) on the rendered file; wait until it listens."""
    config = main_config(folder, port, upstream, workers)
    check = subprocess.run(["nginx", "-t", "-q", "-c", str(config)], capture_output=True, text=True)
    if check.returncode:
        raise RuntimeError(f"nginx refuses the rendered configuration: {check.stderr.strip()}")
    process = subprocess.Popen(
        ["nginx", "-c", str(config), "-g", "daemon off;"], stdout=log, stderr=log, start_new_session=True
    )
    deadline = time.monotonic() + 20
    while not _listens(port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"nginx did not start: see {folder / 'error.log'}")
        time.sleep(0.05)
    return process


def _listens(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False
