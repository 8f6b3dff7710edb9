"""A throwaway redis-server on 127.0.0.1 for tests of shared rate limits. Nothing persisted."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time

from .net import free_port


def redis_server_path() -> str | None:
    return shutil.which("redis-server") or (
        "/usr/bin/redis-server" if shutil.which("/usr/bin/redis-server") else None
    )


class RedisServer:
    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self._dir: tempfile.TemporaryDirectory | None = None

    def start(self) -> str:
        binary = redis_server_path()
        if binary is None:
            raise RuntimeError("redis-server not found")
        self._dir = tempfile.TemporaryDirectory(prefix="eventhub-redis-")
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self._dir.name,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return f"redis://127.0.0.1:{self.port}/0"
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("redis-server did not start within 10 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None
