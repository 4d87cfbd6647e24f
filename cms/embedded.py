"""The embedded database: mongoeco's MongoDB wire server on a SQLite file.

One process per data directory owns the server (an exclusive `flock` on a lock
file); every other process of the same installation — further WSGI workers, a
`cms` command beside a running `cms serve` — finds the owner's port in the port
file and connects to it like any MongoDB client. Only the owner opens the
SQLite file, so two writers never share it.

Only the CMS's own user may use it: the data directory is 0700 and its files
0600, and the wire server asks for a user name and password (SCRAM-SHA-256)
generated once into the data directory, which every process of the
installation reads and nobody else can.
"""

import asyncio
import fcntl
import os
import secrets
import socket
import threading
import time
from pathlib import Path

# Imported at module load on purpose: mongoeco registers an atexit hook that
# shuts its SQLite executors down. Importing it before we register our own
# close() makes ours run first (atexit is last-in, first-out), so the server
# closes its engine cleanly at interpreter exit.
from mongoeco.engines.memory import MemoryEngine
from mongoeco.engines.sqlite import SQLiteEngine
from mongoeco.wire import AsyncMongoEcoProxyServer
from mongoeco.wire.auth import WireAuthUser

from cms import mongoeco_workarounds  # noqa: F401  (installs them)

DATABASE_FILE = "alliance.sqlite"
LOCK_FILE = "embedded-mongodb.lock"
PORT_FILE = "embedded-mongodb.port"
CREDENTIALS_FILE = "embedded-mongodb.credentials"
USER = "cms"


class EmbeddedDatabaseError(RuntimeError):
    """The embedded database could not be started or reached."""


class EmbeddedServer:
    """A mongoeco wire server running in a daemon thread with its own event loop."""

    def __init__(self, engine_factory, host: str = "127.0.0.1", port: int = 0, password: str | None = None):
        self._engine_factory = engine_factory
        self._host = host
        self._port = port
        # With a password, every client must log in as USER (SCRAM-SHA-256) before any command.
        self._users = (WireAuthUser(USER, password, roles=({"role": "root", "db": "admin"},)),) if password else ()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stop: asyncio.Event | None = None
        self.address: tuple[str, int] | None = None

    def start(self, timeout: float = 30) -> tuple[str, int]:
        """Start serving and return (host, port) once the server accepts connections."""
        ready = threading.Event()
        failure: list[BaseException] = []

        async def serve():
            self._stop = asyncio.Event()
            try:
                server = AsyncMongoEcoProxyServer(
                    engine=self._engine_factory(), host=self._host, port=self._port, auth_users=self._users
                )
                bound = await server.start()
            except BaseException as error:  # reported to the starting thread
                failure.append(error)
                ready.set()
                return
            self.address = (bound.host, bound.port)
            ready.set()
            try:
                await self._stop.wait()
            finally:
                await server.close()

        def run():
            self._loop = asyncio.new_event_loop()
            try:
                self._loop.run_until_complete(serve())
            finally:
                self._loop.close()

        self._thread = threading.Thread(target=run, name="embedded-mongodb", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise EmbeddedDatabaseError("the embedded database did not start in time")
        if failure:
            raise EmbeddedDatabaseError(f"the embedded database failed to start: {failure[0]}")
        return self.address

    def stop(self, timeout: float = 30) -> None:
        """Stop serving and close the storage engine (flushes the SQLite file)."""
        if self._loop is not None and self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(timeout)
        self._thread = None
        self.address = None


def sqlite_server(path: Path, password: str | None = None) -> EmbeddedServer:
    """Return an (unstarted) server keeping its data in the SQLite file `path`; clients log in if a password is set."""
    return EmbeddedServer(lambda: SQLiteEngine(path=str(path)), password=password)


def memory_server() -> EmbeddedServer:
    """Return an (unstarted) embedded server keeping its data in memory (tests)."""
    return EmbeddedServer(MemoryEngine)


def _port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _password(path: Path) -> str:
    # Generated once per installation, readable by its user only (O_EXCL: two starting processes agree on one).
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _attempt in range(50):  # the other process may still be writing it
            if text := path.read_text().strip():
                return text
            time.sleep(0.02)
        raise EmbeddedDatabaseError(f"{path} is empty") from None
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


class EmbeddedDatabase:
    """The embedded database of one data directory, owned by one process."""

    def __init__(self, data_dir: str | os.PathLike):
        self.data_dir = Path(data_dir)
        self._lock_fd: int | None = None
        self._server: EmbeddedServer | None = None
        self.port: int | None = None
        self.password: str | None = None

    @property
    def owner(self) -> bool:
        """Whether this process runs the server (rather than connecting to another's)."""
        return self._server is not None

    def open(self, wait: float = 30) -> int:
        """Start the server (or find the owner's) and return the port to connect to."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.data_dir, 0o700)
        self.password = _password(self.data_dir / CREDENTIALS_FILE)
        lock_fd = os.open(self.data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(lock_fd)
            self.port = self._wait_for_owner(wait)
            return self.port
        self._lock_fd = lock_fd
        database_file = self.data_dir / DATABASE_FILE
        # SQLite gives its WAL and shared-memory files the database file's mode: create it 0600 first.
        os.close(os.open(database_file, os.O_RDWR | os.O_CREAT, 0o600))
        for existing in self.data_dir.glob(DATABASE_FILE + "*"):
            os.chmod(existing, 0o600)
        self._server = sqlite_server(database_file, self.password)
        _, self.port = self._server.start()
        port_file = self.data_dir / PORT_FILE
        temporary = port_file.with_suffix(".tmp")
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        temporary.write_text(str(self.port))
        temporary.replace(port_file)
        return self.port

    def uri(self, database: str) -> str:
        """Return the address a client connects to `database` with, credentials included."""
        return f"mongodb://{USER}:{self.password}@127.0.0.1:{self.port}/{database}?authSource=admin&authMechanism=SCRAM-SHA-256"

    def _wait_for_owner(self, wait: float) -> int:
        deadline = time.monotonic() + wait
        port_file = self.data_dir / PORT_FILE
        while time.monotonic() < deadline:
            try:
                port = int(port_file.read_text().strip())
            except (OSError, ValueError):
                port = None
            if port and _port_answers(port):
                return port
            time.sleep(0.1)
        raise EmbeddedDatabaseError(
            f"another process holds {self.data_dir / LOCK_FILE} but its database does not answer"
        )

    def close(self) -> None:
        """Stop the server if this process owns it, and release the lock."""
        if self._server is not None:
            self._server.stop()
            self._server = None
            (self.data_dir / PORT_FILE).unlink(missing_ok=True)
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None
