"""The benchmark: the CMS beside its anchors (nginx, a minimal Flask app, Wagtail), side by side on loopback.

Run: .venv/bin/python bench/run.py [--sizes 1000] [--rounds 3] [--seconds 10] [--cities 30] [--made 100]
     [--op-count 30]

For each size it generates a realistic archive in a fresh data directory
(bench/archive.py), captures the CMS's anonymous published page (about 5 KB) and
uses it, with the archive's 200 KB PDF, as the anchors' page and file:

- nginx (Debian's package) serving both as static files,
- a minimal Flask app under gunicorn (bench/anchors/flask_floor.py: the page as a
  template, the file with send_file),
- Wagtail on SQLite under gunicorn (bench/anchors/wagtail_site.py), in its own
  virtual environment bench/.wagtail-venv, made with `pip install wagtail` when
  missing; left out, and said so, if that fails,
- the CMS under gunicorn on wsgi:app, and under `cms serve` (waitress), each
  owning its own copy of the data directory (its embedded database),
- the documented reverse proxy: nginx with deploy/nginx.conf (rendered for a
  free port, deploy/local_nginx.py) in front of the CMS under gunicorn, asked
  for a public published version's 200 KB file (its cache answers after the
  first request), compared with nginx serving the same file statically.

Then wrk (Debian's package) loads each target in turn — 2 threads, 32
connections, --seconds each — for --rounds rounds, interleaved (every target
once per round), and the medians go into one table (req/s, p50, p99, ratio to
each anchor) printed and written to bench/results/<date>.md, with the issue's
targets and whether they are met. A target that does not answer 200 before the
load is reported, not measured. Last, as they write, the operations are timed
through the API of the CMS under gunicorn, one call after the other (--op-count
of each, p50/p99): create, list, search `?q=`, worklist, save and submit, each
read asking for another page, filter or word, and following a write. Needs: `apt-get install wrk nginx-light` and
`.venv/bin/pip install -e ".[bench]"` (gunicorn). Not part of the test run.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from deploy import local_nginx  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV_BIN = Path(sys.executable).parent
WAGTAIL_VENV = HERE / ".wagtail-venv"
WRK = ["wrk", "--threads", "2", "--connections", "32", "--latency"]
WORKERS = "2"  # one per core here; the same for every gunicorn server

# (work, server, target name); each CMS target is compared with the anchors' page, the download with their file.
CMS_TARGETS = (
    ("anonymous published page", "public_page", "page", None),
    ("member's document page", "member_page", "page", "cookie"),
    ("member's download of a published 200 KB PDF", "download", "file", "cookie"),
    ("API item (token)", "api_item", "page", "token"),
    ("API list, 20 items (token)", "api_list", "page", "token"),
)
# A public published 200 KB file through deploy/nginx.conf (its cache) in front of the CMS under gunicorn.
PROXY_WORK = "public 200 KB file of a published version, behind deploy/nginx.conf"
# The targets: (work, anchor server, anchor target, least ratio).
GOALS = (
    ("anonymous published page", "Flask", "page", 0.5),
    ("member's document page", "Flask", "page", 0.25),
    ("member's document page", "Wagtail", "page", 5.0),
    ("member's download of a published 200 KB PDF", "Flask", "file", 0.5),
    ("API item (token)", "Flask", "page", 0.25),
    ("API list, 20 items (token)", "Flask", "page", 0.25),
    (PROXY_WORK, "nginx", "file", 0.5),
)
# Sequential operations through the API (one client): the issue wants each p99 below this at 5,000 items.
OPERATION_P99_MS = 100


def free_port() -> int:
    """Return a loopback port that is free now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 120) -> None:
    """Wait until `url` answers at all (any status), or raise."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=5, allow_redirects=False)
            return
        except requests.RequestException:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


class Servers:
    """The processes this run started; each is ended by its own process group at the end."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.processes: list[subprocess.Popen] = []

    def start(self, name: str, command: list[str], env: dict | None = None, cwd: Path | None = None) -> None:
        """Start `command` in its own process group, its output in logs/<name>.log."""
        log = open(self.logs / f"{name}.log", "wb")
        self.processes.append(
            subprocess.Popen(
                command,
                env={**os.environ, **(env or {})},
                cwd=cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )

    def stop(self) -> None:
        """End every started server (SIGTERM to its group, then SIGKILL after 20 s)."""
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def anchor_files(folder: Path, page_html: str, file_bytes: bytes) -> None:
    """Write the anchors' page (the CMS's page as a template with a title variable) and file."""
    template = "{% raw %}" + re.sub(
        r"<title>.*?</title>", "<title>{% endraw %}{{ title }}{% raw %}</title>", page_html, count=1
    )
    (folder / "page.jinja").write_text(template + "{% endraw %}")
    (folder / "www").mkdir()
    (folder / "www" / "page.html").write_text(page_html)
    (folder / "www" / "file.pdf").write_bytes(file_bytes)
    (folder / "file.pdf").write_bytes(file_bytes)


def nginx_config(folder: Path, port: int) -> Path:
    """Write an nginx configuration serving folder/www on `port` (static files, no access log)."""
    config = folder / "nginx.conf"
    config.write_text(
        f"""user root;
worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    client_body_temp_path {folder}/nginx-tmp;
    proxy_temp_path {folder}/nginx-tmp;
    fastcgi_temp_path {folder}/nginx-tmp;
    uwsgi_temp_path {folder}/nginx-tmp;
    scgi_temp_path {folder}/nginx-tmp;
    server {{
        listen 127.0.0.1:{port};
        root {folder}/www;
        location = /page {{ try_files /page.html =404; default_type text/html; }}
        location = /file {{ try_files /file.pdf =404; }}
    }}
}}
"""
    )
    (folder / "nginx-tmp").mkdir()
    return config


def wagtail_ready(logs: Path) -> str | None:
    """Make bench/.wagtail-venv if missing (pip install wagtail gunicorn); return why not, or None."""
    python = WAGTAIL_VENV / "bin" / "python"
    if (WAGTAIL_VENV / "bin" / "gunicorn").exists():
        return None
    try:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(WAGTAIL_VENV)], check=True)
        with open(logs / "wagtail-install.log", "wb") as log:
            subprocess.run(
                [str(python), "-m", "pip", "install", "--quiet", "wagtail", "gunicorn"],
                check=True,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=600,
            )
    except (subprocess.SubprocessError, OSError) as error:
        return f"Wagtail could not be installed ({error}); see {logs / 'wagtail-install.log'}"
    return None


def log_in(base: str, email: str, password: str) -> str:
    """Log in through the login form; return the Cookie header of the session."""
    session = requests.Session()
    form = session.get(f"{base}/login", timeout=30).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    answer = session.post(
        f"{base}/login",
        data={"csrf_token": token, "email": email, "password": password, "next": ""},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"login at {base} answered {answer.status_code}")
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


def bearer(base: str, email: str, password: str) -> str:
    """Return an API token for the account."""
    answer = requests.post(f"{base}/api/v1/auth/token", json={"email": email, "password": password}, timeout=30)
    answer.raise_for_status()
    return answer.json()["token"]


def parse_wrk(output: str) -> dict:
    """Return req/s, p50 and p99 (ms) and the count of non-2xx/3xx answers and errors from wrk's output."""

    def milliseconds(text: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": milliseconds(re.search(r"\s50%\s+(\S+)", output).group(1)),
        "p99": milliseconds(re.search(r"\s99%\s+(\S+)", output).group(1)),
        "bad": (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0),
    }


def run_wrk(url: str, seconds: int, header: str | None) -> dict:
    """Load `url` with wrk for `seconds`; return parse_wrk()'s figures."""
    command = [*WRK, "--duration", f"{seconds}s", "--timeout", "10s"]
    if header:
        command += ["--header", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def check(url: str, header: str | None, size: int | None = None) -> str | None:
    """Return why `url` can't be measured (not 200, or not `size` bytes), or None."""
    headers = dict([header.split(": ", 1)]) if header else {}
    answer = requests.get(url, headers=headers, timeout=60, allow_redirects=False)
    if answer.status_code != 200:
        return f"answers {answer.status_code}"
    if size is not None and len(answer.content) != size:
        return f"sends {len(answer.content)} bytes, not {size}"
    return None


def measure_size(size: int, args, work: Path, servers: Servers) -> tuple[list, list[str], list]:
    """Generate the archive, start every server, load every target, time the operations; return (rows, notes, ops)."""
    sys.path.insert(0, str(HERE))
    import archive

    notes = []
    data = work / "data-gunicorn"
    print(f"generating {size:,} items in {data}", flush=True)
    started = time.monotonic()
    targets = archive.generate(data, size, args.cities, args.made)
    notes.append(f"archive of {targets['items']:,} items generated in {time.monotonic() - started:.0f} s")
    shutil.copytree(data, work / "data-serve", symlinks=True)
    file_bytes = (data / "bench-file.pdf").read_bytes()
    cms_env = {"CMS_SCHEDULER_SECONDS": "0", "CMS_MAIL_SECONDS": "0", "CMS_LOGIN_MAX_FAILURES": "1000"}
    ports = {name: free_port() for name in ("gunicorn", "serve", "nginx", "flask", "wagtail", "proxy")}
    servers.start(
        "cms-gunicorn",
        [str(VENV_BIN / "gunicorn"), "-w", WORKERS, "-b", f"127.0.0.1:{ports['gunicorn']}", "wsgi:app"],
        env=cms_env | {"CMS_DATA_DIR": str(data)},
        cwd=ROOT,
    )
    servers.start(
        "cms-serve",
        [str(VENV_BIN / "cms"), "serve", "--port", str(ports["serve"])],
        env=cms_env | {"CMS_DATA_DIR": str(work / "data-serve")},
        cwd=ROOT,
    )
    cms = {
        "CMS (gunicorn)": f"http://127.0.0.1:{ports['gunicorn']}",
        "CMS (cms serve)": f"http://127.0.0.1:{ports['serve']}",
    }
    for base in cms.values():
        wait_for(f"{base}/api/v1/health")
    page_html = requests.get(cms["CMS (gunicorn)"] + targets["public_page"], timeout=60).text
    anchors_dir = work / "anchors"
    anchors_dir.mkdir()
    anchor_files(anchors_dir, page_html, file_bytes)
    notes.append(f"page {len(page_html.encode()):,} bytes, file {len(file_bytes):,} bytes")
    servers.start("nginx", ["nginx", "-c", str(nginx_config(anchors_dir, ports["nginx"])), "-g", "daemon off;"])
    anchor_env = {"BENCH_ANCHOR_DIR": str(anchors_dir)}
    servers.start(
        "flask",
        [str(VENV_BIN / "gunicorn"), "-w", WORKERS, "-b", f"127.0.0.1:{ports['flask']}", "flask_floor:app"],
        env=anchor_env,
        cwd=HERE / "anchors",
    )
    anchors = {"nginx": f"http://127.0.0.1:{ports['nginx']}", "Flask": f"http://127.0.0.1:{ports['flask']}"}
    anchor_paths = {"nginx": {"page": "/page", "file": "/file"}, "Flask": {"page": "/page", "file": "/file"}}
    missing = None if args.no_wagtail is False else "Wagtail left out (--no-wagtail)"
    missing = missing or wagtail_ready(work)
    if missing is None:
        python = str(WAGTAIL_VENV / "bin" / "python")
        setup = subprocess.run(
            [python, "wagtail_site.py", "setup"],
            env={**os.environ, **anchor_env},
            cwd=HERE / "anchors",
            capture_output=True,
            text=True,
        )
        if setup.returncode:
            missing = f"Wagtail set-up failed: {setup.stderr.strip().splitlines()[-1:]}"
        else:
            servers.start(
                "wagtail",
                [
                    str(WAGTAIL_VENV / "bin" / "gunicorn"),
                    "-w",
                    WORKERS,
                    "-b",
                    f"127.0.0.1:{ports['wagtail']}",
                    "wagtail_site:application",
                ],
                env=anchor_env,
                cwd=HERE / "anchors",
            )
            anchors["Wagtail"] = f"http://127.0.0.1:{ports['wagtail']}"
            anchor_paths["Wagtail"] = {"page": "/", "file": (anchors_dir / "wagtail-document-url").read_text()}
    if missing:
        notes.append(missing)
    for name, base in anchors.items():
        wait_for(base + anchor_paths[name]["page"])
    # The documented reverse proxy, rendered for this run, in front of the CMS under gunicorn.
    with open(work / "proxy.log", "wb") as log:
        proxy = local_nginx.start(work / "proxy", ports["proxy"], f"127.0.0.1:{ports['gunicorn']}", 2, log)
    servers.processes.append(proxy)
    from cms.demo import DEMO_PASSWORD as password

    jobs = []  # (work, server, url, header, expected size)
    for name, base in anchors.items():
        jobs.append((f"{name} page", name, base + anchor_paths[name]["page"], None, None))
        jobs.append((f"{name} file", name, base + anchor_paths[name]["file"], None, len(file_bytes)))
    for server, base in cms.items():
        cookie = "Cookie: " + log_in(base, targets["member_email"], password)
        token = "Authorization: Bearer " + bearer(base, targets["member_email"], password)
        for work_name, key, _anchor, auth in CMS_TARGETS:
            header = {"cookie": cookie, "token": token, None: None}[auth]
            expected = len(file_bytes) if key == "download" else None
            jobs.append((work_name, server, base + targets[key], header, expected))
    proxied = f"http://127.0.0.1:{ports['proxy']}" + targets["public_download"]
    jobs.append((PROXY_WORK, "CMS (gunicorn)", proxied, None, len(file_bytes)))
    runnable = []
    for job in jobs:
        problem = check(job[2], job[3], job[4])
        if problem:
            notes.append(f"{job[1]} {job[0]} ({job[2]}) {problem}: not measured")
        else:
            runnable.append(job)
    results: dict[tuple, list] = {}
    for round_number in range(1, args.rounds + 1):
        for work_name, server, url, header, _size in runnable:
            figures = run_wrk(url, args.seconds, header)
            results.setdefault((work_name, server), []).append(figures)
            print(f"round {round_number}: {server:16} {work_name:46} {figures['rps']:9.0f} req/s", flush=True)
    rows = []
    for (work_name, server), runs in results.items():
        rows.append(
            {
                "size": size,
                "work": work_name,
                "server": server,
                "rps": statistics.median(run["rps"] for run in runs),
                "p50": statistics.median(run["p50"] for run in runs),
                "p99": statistics.median(run["p99"] for run in runs),
                "bad": sum(run["bad"] for run in runs),
            }
        )
    # Last, since they write: the operations, one client after the other, on the CMS under gunicorn.
    operations = time_operations(cms["CMS (gunicorn)"], password, args.op_count, notes)
    return rows, notes, [dict(operation, size=size) for operation in operations]


def _milliseconds(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_operations(base: str, password: str, count: int, notes: list[str]) -> list[dict]:
    """Time `count` sequential calls of each operation through the API; return [{operation, n, p50, p99}].

    One round is list, search, worklist, save, transition, so every read follows a write (which drops
    the answer caches), and each read asks for another page, filter or word than the last.
    """
    import archive

    def as_user(email: str) -> dict:
        return {"Authorization": "Bearer " + bearer(base, email, password)}

    member, editor = as_user(archive.MEMBER_EMAIL), as_user("editor@alliance.example")
    reviewer = as_user("reviewer@alliance.example")

    def call(method: str, path: str, headers: dict, **kwargs) -> dict:
        answer = requests.request(method, base + path, headers=headers, timeout=60, **kwargs)
        if answer.status_code >= 400:
            raise RuntimeError(f"{method} {path} answered {answer.status_code}: {answer.text[:200]}")
        return answer.json()

    timings: dict[str, list[float]] = {}
    try:
        drafts = []
        for number in range(count):
            # Fresh drafts of the editor's, to save and submit (their creation is timed too).
            body = {"type": "news", "title": f"Benchmark-Meldung {number}", "language": "de"}
            timings.setdefault("create (editor)", []).append(
                _milliseconds(lambda body=body: drafts.append(call("POST", "/api/v1/content", editor, json=body)))
            )
        for number, draft in enumerate(drafts):
            kind = ("news", "circular")[number % 2]
            word = archive.WORDS[number % len(archive.WORDS)]
            steps = {
                "list, 20 items (member)": lambda: call(
                    "GET", f"/api/v1/content?per_page=20&page={1 + number // 2}&type={kind}", member
                ),
                "search ?q= (member)": lambda: call("GET", f"/api/v1/content?q={word}&type={kind}", member),
                "worklist (reviewer)": lambda: call("GET", f"/api/v1/worklist?per_page={5 + number}", reviewer),
                "save (editor, PATCH with its revision)": lambda: draft.update(
                    call(
                        "PATCH",
                        f"/api/v1/content/{draft['id']}",
                        editor,
                        json={"revision": draft["revision"], "title": f"Benchmark-Meldung {number}, geändert"},
                    )
                ),
                "transition: submit (editor)": lambda: call(
                    "POST", f"/api/v1/content/{draft['id']}/workflow/submit", editor, json={}
                ),
            }
            for name, step in steps.items():
                timings.setdefault(name, []).append(_milliseconds(step))
    except (RuntimeError, requests.RequestException) as error:
        notes.append(f"operation timings stopped: {error}")
    return [
        {
            "operation": name,
            "n": len(values),
            "p50": _percentile(values, 0.5),
            "p99": _percentile(values, 0.99),
        }
        for name, values in timings.items()
    ]


def anchor_rps(rows: list, size: int, server: str, target: str) -> float | None:
    """Return the median req/s of an anchor's page or file at `size`."""
    for row in rows:
        if row["size"] == size and row["server"] == server and row["work"] == f"{server} {target}":
            return row["rps"]
    return None


def _rate(rps: float) -> str:
    # A slow target keeps its first decimal (0.6 req/s is not 0).
    return f"{rps:,.0f}" if rps >= 10 else f"{rps:.1f}"


def _ratio(ratio: float) -> str:
    return f"{ratio:.0f}" if ratio >= 10 else f"{ratio:.2f}" if ratio >= 0.1 else f"{ratio:.3f}"


def render(rows: list, notes: list[str], args, operations: list | None = None) -> str:
    """Return the Markdown report: the table, the targets and how far each is met, and the notes."""
    anchors = [name for name in ("nginx", "Flask", "Wagtail") if any(row["server"] == name for row in rows)]
    lines = [
        f"# Benchmark {datetime.datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"wrk, 2 threads, 32 connections, {args.seconds} s per target, {args.rounds} interleaved round(s), medians; "
        f"gunicorn with {WORKERS} sync workers; all on loopback on this machine ({os.cpu_count()} cores, shared).",
        "",
        "| items | work | server | req/s | p50 ms | p99 ms | " + " | ".join(f"× {name}" for name in anchors) + " |",
        "|---:|---|---|---:|---:|---:|" + "---:|" * len(anchors),
    ]
    anchor_kind = {work: kind for work, _key, kind, _auth in CMS_TARGETS} | {PROXY_WORK: "file"}
    for row in rows:
        kind = anchor_kind.get(row["work"]) or row["work"].rsplit(" ", 1)[1]
        ratios = []
        for name in anchors:
            floor = anchor_rps(rows, row["size"], name, kind)
            ratios.append(_ratio(row["rps"] / floor) if floor else "—")
        flag = f" ({row['bad']} failed)" if row["bad"] else ""
        if not row["rps"] and not row["p50"]:
            flag += " (no answer within wrk's 10 s timeout)"
        lines.append(
            f"| {row['size']:,} | {row['work']}{flag} | {row['server']} | {_rate(row['rps'])} | {row['p50']:.1f} | "
            f"{row['p99']:.1f} | " + " | ".join(ratios) + " |"
        )
    lines += [
        "",
        "Targets (issue 14), CMS under gunicorn:",
        "",
        "| items | work | target | measured | met |",
        "|---:|---|---|---:|---|",
    ]
    for size in sorted({row["size"] for row in rows}):
        for work_name, anchor, kind, least in GOALS:
            floor = anchor_rps(rows, size, anchor, kind)
            mine = next(
                (
                    r["rps"]
                    for r in rows
                    if r["size"] == size and r["work"] == work_name and r["server"] == "CMS (gunicorn)"
                ),
                None,
            )
            if floor is None or mine is None:
                lines.append(f"| {size:,} | {work_name} | ≥ {least}× {anchor} {kind} | not measured | — |")
                continue
            ratio = mine / floor
            verdict = "yes" if ratio >= least else f"no: {ratio / least:.0%} of the target"
            lines.append(f"| {size:,} | {work_name} | ≥ {least}× {anchor} {kind} | {_ratio(ratio)}× | {verdict} |")
    lines += [
        "",
        f"Operations through the API of the CMS under gunicorn, one client, sequential calls (--op-count each; "
        f"target p99 < {OPERATION_P99_MS} ms at 5,000 items):",
        "",
        "| items | operation | calls | p50 ms | p99 ms | p99 < 100 ms |",
        "|---:|---|---:|---:|---:|---|",
    ]
    for operation in operations or []:
        met = "yes" if operation["p99"] < OPERATION_P99_MS else f"no: {operation['p99'] / OPERATION_P99_MS:.1f}× it"
        lines.append(
            f"| {operation['size']:,} | {operation['operation']} | {operation['n']} | {operation['p50']:.1f} | "
            f"{operation['p99']:.1f} | {met} |"
        )
    lines += ["", "Notes:", ""] + [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run the benchmark at each size; print the table and write it to bench/results/<date>.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--cities", type=int, default=30, help="member cities (the founding 14 and more)")
    parser.add_argument("--made", type=int, default=100, help="items made through the operations; the rest copied")
    parser.add_argument("--no-wagtail", action="store_true", help="leave Wagtail out")
    parser.add_argument("--op-count", type=int, default=30, help="calls of each operation timed through the API")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (data, logs)")
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: apt-get install wrk nginx-light")
    if not (VENV_BIN / "gunicorn").exists():
        sys.exit(f"gunicorn is missing: {VENV_BIN / 'python'} -m pip install -e '.[bench]'")
    rows, notes, operations = [], [], []
    for size in args.sizes:
        work = Path(tempfile.mkdtemp(prefix=f"alliance-bench-{size}-"))
        servers = Servers(work)
        try:
            size_rows, size_notes, size_operations = measure_size(size, args, work, servers)
            rows += size_rows
            operations += size_operations
            notes += [f"{size:,} items: {note}" for note in size_notes]
        finally:
            servers.stop()
            if args.keep:
                print(f"kept {work}")
            else:
                shutil.rmtree(work, ignore_errors=True)
    report = render(rows, notes, args, operations)
    print(report)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    target = results / f"{datetime.date.today():%Y-%m-%d}.md"
    target.write_text(report)
    print(f"written to {target}")
    figures = {"rows": rows, "operations": operations}
    (results / f"{datetime.date.today():%Y-%m-%d}.json").write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
