"""Runs the three processes of the product under one supervisor with prefixed logs.

    python -m bot.supervisor            # Rasa 5005, action server 5055, API 8000

Ctrl-C (or SIGTERM) stops all three, each by its process id; if one dies, the others are
stopped too. Tests use the same ServiceSpec/Supervisor to start the product on free ports.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO

from bot.settings import PROJECT_ROOT

VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
RASA_BIN = PROJECT_ROOT / ".venv-rasa" / "bin"
MODEL_PATH = PROJECT_ROOT / "models" / "kefu.tar.gz"
COLOURS = {"rasa": "\033[35m", "actions": "\033[36m", "api": "\033[32m"}


@dataclass
class ServiceSpec:
    name: str
    command: list[str]
    health_url: str
    env: dict[str, str] = field(default_factory=dict)
    start_timeout: float = 180.0


@dataclass(frozen=True)
class Ports:
    rasa: int = 5005
    actions: int = 5055
    api: int = 8000


def product_services(ports: Ports, extra_env: Mapping[str, str] | None = None) -> list[ServiceSpec]:
    """Rasa, the action server and the API, wired to each other on these ports."""
    env = {
        "ACTION_SERVER_URL": f"http://127.0.0.1:{ports.actions}/webhook",
        "KEFU_RASA_URL": f"http://127.0.0.1:{ports.rasa}",
        "PYTHONPATH": str(PROJECT_ROOT),
        # Rasa's trackers (endpoints.yml): half-done flows survive a restart.
        "RASA_TRACKER_DIALECT": os.environ.get("RASA_TRACKER_DIALECT", "sqlite"),
        "RASA_TRACKER_DB": os.environ.get(
            "RASA_TRACKER_DB", str(PROJECT_ROOT / "var" / "rasa-trackers.db")
        ),
        **(extra_env or {}),
    }
    return [
        ServiceSpec(
            "rasa",
            [
                str(RASA_BIN / "rasa"),
                "run",
                "--enable-api",
                "--interface",
                "127.0.0.1",
                "--port",
                str(ports.rasa),
                "--model",
                str(MODEL_PATH),
                "--endpoints",
                str(PROJECT_ROOT / "endpoints.yml"),
                "--credentials",
                str(PROJECT_ROOT / "credentials.yml"),
            ],
            f"http://127.0.0.1:{ports.rasa}/status",
            env,
        ),
        ServiceSpec(
            "actions",
            [
                str(VENV_BIN / "python"),
                "-m",
                "rasa_sdk",
                "--actions",
                "actions",
                "--port",
                str(ports.actions),
            ],
            f"http://127.0.0.1:{ports.actions}/health",
            # The action server has no auth of its own: listen on loopback only.
            {**env, "SANIC_HOST": "127.0.0.1"},
        ),
        ServiceSpec(
            "api",
            [
                str(VENV_BIN / "uvicorn"),
                "api.main:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(ports.api),
            ],
            f"http://127.0.0.1:{ports.api}/healthz",
            env,
        ),
    ]


class Supervisor:
    def __init__(self, services: list[ServiceSpec], log: IO[str] | None = None) -> None:
        self.services = services
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self._log = log or sys.stdout
        self._log_lock = threading.Lock()

    def start(self) -> None:
        """Starts every service and waits until each answers its health URL."""
        for spec in self.services:
            self._launch(spec)
        for spec in self.services:
            self._wait_healthy(spec)

    def restart(self, name: str) -> None:
        """Stops one service by its process id and starts it again (e.g. Rasa after a retrain)."""
        [spec] = [spec for spec in self.services if spec.name == name]
        process = self.processes[name]
        self._emit("supervisor", f"restarting {name} (pid {process.pid})")
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait()
        self._launch(spec)
        self._wait_healthy(spec)

    def _launch(self, spec: ServiceSpec) -> None:
        process = subprocess.Popen(
            spec.command,
            cwd=PROJECT_ROOT,
            env={**os.environ, **spec.env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as a whole
        )
        self.processes[spec.name] = process
        threading.Thread(target=self._pump, args=(spec.name, process), daemon=True).start()

    def stop(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is None:
                self._emit("supervisor", f"stopping {name} (pid {process.pid})")
                _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()

    def wait(self) -> int:
        """Blocks until a service exits; returns its exit code."""
        while True:
            for name, process in self.processes.items():
                code = process.poll()
                if code is not None:
                    self._emit("supervisor", f"{name} exited with {code}")
                    return code or 1
            time.sleep(0.5)

    def _wait_healthy(self, spec: ServiceSpec) -> None:
        deadline = time.monotonic() + spec.start_timeout
        process = self.processes[spec.name]
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{spec.name} exited with {process.returncode} while starting")
            try:
                with urllib.request.urlopen(spec.health_url, timeout=2) as response:
                    if response.status == 200:
                        self._emit("supervisor", f"{spec.name} is up ({spec.health_url})")
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{spec.name} did not answer {spec.health_url} in {spec.start_timeout}s")

    def _pump(self, name: str, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            self._emit(name, raw.decode("utf-8", errors="replace").rstrip())

    def _emit(self, name: str, line: str) -> None:
        colour = COLOURS.get(name, "") if self._log.isatty() else ""
        reset = "\033[0m" if colour else ""
        with self._log_lock:
            self._log.write(f"{colour}{name:>10} |{reset} {line}\n")
            self._log.flush()


def free_port() -> int:
    """A loopback port nobody listens on now (for tests and benchmarks on free ports)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def main() -> int:
    ports = Ports(
        rasa=int(os.environ.get("RASA_PORT", 5005)),
        actions=int(os.environ.get("ACTIONS_PORT", 5055)),
        api=int(os.environ.get("API_PORT", 8000)),
    )
    if not MODEL_PATH.is_file():
        print(f"no trained model at {MODEL_PATH}: run `make train` first", file=sys.stderr)
        return 1
    supervisor = Supervisor(product_services(ports))
    # Ctrl-C and SIGTERM both stop everything, even when started in the background.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        supervisor.start()
        base = f"http://127.0.0.1:{ports.api}"
        print(
            "\n  店铺智能客服 is running:\n"
            f"    demo shop + chat widget  {base}/demo\n"
            f"    anonymous visitor        {base}/demo?buyer=anonymous\n"
            f"    API docs (OpenAPI)       {base}/docs\n"
            f"    Rasa server              http://127.0.0.1:{ports.rasa}\n"
            f"    action server            http://127.0.0.1:{ports.actions}\n"
            "  Ctrl-C stops everything.\n",
            flush=True,
        )
        return supervisor.wait()
    except KeyboardInterrupt:
        return 0
    except RuntimeError as error:
        print(f"supervisor: {error}", file=sys.stderr)
        return 1
    finally:
        supervisor.stop()


if __name__ == "__main__":
    raise SystemExit(main())
