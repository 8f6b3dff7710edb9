"""A throwaway PostgreSQL 15 cluster in a temporary folder.

PostgreSQL refuses to run as root, and tests and CI run as root, so the cluster's folder
belongs to the ``postgres`` system user and every server command runs as that user through
``runuser``. Durability is switched off (no fsync, no synchronous commit): the data lives
only as long as one test session.

Lifecycle: ``start()`` -> any number of ``create_database()`` -> ``stop()``, which kills the
server and deletes the folder. A cluster left running when the interpreter exits is stopped
then, except one started by the ``start`` command below, which is meant to outlive it.

Command line, for ``.ci/run``::

    python -m tests.support.postgres start --state-file F   # prints the URL, leaves it running
    python -m tests.support.postgres stop --state-file F
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

from .net import free_port

PG_BIN = pathlib.Path("/usr/lib/postgresql/15/bin")
SUPERUSER = "postgres"
SYSTEM_USER = "postgres"
START_ATTEMPTS = 3
SERVER_SETTINGS = (
    "listen_addresses=127.0.0.1",
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
    "max_connections=200",
)


def pg_bin_dir() -> pathlib.Path | None:
    """The PostgreSQL 15 binaries folder, or None when they are not installed."""
    if all((PG_BIN / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
        return PG_BIN
    return None


def _as_server_user() -> list[str]:
    """Command prefix that runs a server command as a user PostgreSQL accepts."""
    if os.geteuid() == 0:
        return ["runuser", "-u", SYSTEM_USER, "--"]
    return []


class PostgresError(RuntimeError):
    """The cluster could not be created, started or used."""


class PostgresCluster:
    def __init__(self, bin_dir: pathlib.Path | None = None) -> None:
        self.bin_dir = bin_dir or pg_bin_dir()
        self.base_dir: pathlib.Path | None = None
        self.port: int | None = None
        self.url: str | None = None

    @property
    def data_dir(self) -> pathlib.Path:
        assert self.base_dir is not None, "cluster not started"
        return self.base_dir / "data"

    @property
    def log_file(self) -> pathlib.Path:
        assert self.base_dir is not None, "cluster not started"
        return self.base_dir / "server.log"

    def start(self) -> str:
        """Create and start the cluster; return the URL of its ``postgres`` database."""
        if self.url is not None:
            return self.url
        if self.bin_dir is None:
            raise PostgresError(f"PostgreSQL binaries not found in {PG_BIN}")
        self.base_dir = pathlib.Path(tempfile.mkdtemp(prefix="eventhub-pg-"))
        atexit.register(self.stop)
        try:
            if os.geteuid() == 0:
                shutil.chown(self.base_dir, SYSTEM_USER, SYSTEM_USER)
            self._run(
                "initdb",
                "-D",
                str(self.data_dir),
                "-A",
                "trust",
                "-U",
                SUPERUSER,
                "--no-sync",
                "--no-instructions",
                "-E",
                "UTF8",
                "--locale=C",
            )
            self._start_server()
        except BaseException:
            self.stop()
            raise
        self.url = self._url("postgres")
        return self.url

    def create_database(self, name: str) -> str:
        """Create database ``name`` and return its SQLAlchemy URL."""
        import psycopg
        from psycopg import sql

        assert self.port is not None, "cluster not started"
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self._url(name)

    def stop(self) -> None:
        """Kill the server (no checkpoint: the data is thrown away) and delete its folder."""
        atexit.unregister(self.stop)
        base_dir, self.base_dir, self.port, self.url = self.base_dir, None, None, None
        if base_dir is None:
            return
        data_dir = base_dir / "data"
        if (data_dir / "postmaster.pid").exists() and self.bin_dir is not None:
            subprocess.run(
                [
                    *_as_server_user(),
                    str(self.bin_dir / "pg_ctl"),
                    "-D",
                    str(data_dir),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ],
                cwd=base_dir,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                check=False,
            )
        shutil.rmtree(base_dir, ignore_errors=True)

    def __enter__(self) -> PostgresCluster:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _start_server(self) -> None:
        socket_dir = self.base_dir
        for attempt in range(1, START_ATTEMPTS + 1):
            port = free_port()
            options = " ".join(
                [f"-p {port}", f"-k {socket_dir}"] + [f"-c {s}" for s in SERVER_SETTINGS]
            )
            try:
                # -l sends the server's output to a file: without it the daemonized server
                # would keep our stdout pipe open and whoever reads it would wait forever.
                self._run(
                    "pg_ctl",
                    "-D",
                    str(self.data_dir),
                    "-l",
                    str(self.log_file),
                    "-o",
                    options,
                    "-w",
                    "start",
                )
            except PostgresError:
                # The likely cause is another process taking the port in between.
                if attempt == START_ATTEMPTS:
                    raise
                continue
            self.port = port
            return

    def _run(self, tool: str, *args: str) -> None:
        command = [*_as_server_user(), str(self.bin_dir / tool), *args]
        result = subprocess.run(
            command,
            cwd=self.base_dir,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            log = ""
            if self.log_file.exists():
                log = self.log_file.read_text(errors="replace")[-4000:]
            raise PostgresError(
                f"{tool} failed with exit code {result.returncode}\n"
                f"command: {' '.join(command)}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}\nserver log:\n{log}"
            )

    def _url(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.support.postgres",
        description="Start or stop a throwaway PostgreSQL cluster that outlives this command.",
    )
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument(
        "--state-file",
        required=True,
        type=pathlib.Path,
        help="JSON file where start records the cluster and stop finds it",
    )
    args = parser.parse_args(argv)

    if args.action == "start":
        cluster = PostgresCluster()
        url = cluster.start()
        atexit.unregister(cluster.stop)  # the caller stops it with the stop command
        state = {
            "base_dir": str(cluster.base_dir),
            "data_dir": str(cluster.data_dir),
            "port": cluster.port,
            "url": url,
            "bin_dir": str(cluster.bin_dir),
        }
        args.state_file.write_text(json.dumps(state, indent=2) + "\n")
        print(url)
        return 0

    if not args.state_file.exists():
        print(f"{args.state_file}: no state file, nothing to stop", file=sys.stderr)
        return 0
    state = json.loads(args.state_file.read_text())
    cluster = PostgresCluster(pathlib.Path(state["bin_dir"]))
    cluster.base_dir = pathlib.Path(state["base_dir"])
    cluster.port = state["port"]
    cluster.stop()
    args.state_file.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(_main())
