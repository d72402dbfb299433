"""Run a real, headless OBS Studio for the recorder tests.

OBS needs an X display and a configuration that exists before its first
start (otherwise it opens a first-run wizard and leaves the websocket off),
so this module starts Xvfb on a free display and OBS with a throw-away HOME
holding ``global.ini`` and a ``Demo`` profile that records MKV into a temp
folder.  Both processes are stopped by their own PIDs.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, ClassVar

import pytest

GLOBAL_INI = """\
[General]
FirstRun=true
LastVersion=486539266
EnableAutoUpdates=false
ConfirmOnExit=false
[BasicWindow]
SysTrayEnabled=false
SysTrayWhenStarted=false
[Basic]
Profile=Demo
ProfileDir=Demo
SceneCollection=Demo
SceneCollectionFile=Demo
[OBSWebSocket]
FirstLoad=false
ServerEnabled=true
ServerPort={port}
AlertsEnabled=false
AuthRequired=true
ServerPassword={password}
"""

PROFILE_INI = """\
[General]
Name=Demo
[Video]
BaseCX=1280
BaseCY=720
OutputCX=1280
OutputCY=720
FPSType=0
FPSCommon=30
[Output]
Mode=Simple
[SimpleOutput]
FilePath={recordings}
RecFormat=mkv
RecQuality=Small
RecEncoder=x264
VBitrate=2500
ABitrate=160
Preset=veryfast
FileNameWithoutSpace=true
"""


class Tools:
    """The programs the OBS tests need, and what to do when one is missing."""

    OBS: ClassVar[tuple[str, ...]] = ("obs", "Xvfb", "ffprobe")
    INSTALL: ClassVar[str] = ".ci/install-system-packages.sh"

    @staticmethod
    def missing(names: tuple[str, ...]) -> list[str]:
        return [name for name in names if shutil.which(name) is None]

    @classmethod
    def require(cls, names: tuple[str, ...] = OBS) -> None:
        """Fail in CI (a missing tool there is a broken pipeline), skip elsewhere."""
        absent = cls.missing(names)
        if not absent:
            return
        message = f"missing {', '.join(absent)}: run {cls.INSTALL}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def free_display(first: int = 90, last: int = 400) -> int:
    """An X display number with neither a socket nor a lock file."""
    for number in range(first, last):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError(f"no free X display between :{first} and :{last}")


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


@dataclass
class Process:
    """A child process, its log, and how to stop it by PID."""

    popen: subprocess.Popen[bytes]
    log_path: Path
    log_file: IO[bytes]

    @classmethod
    def spawn(cls, argv: list[str], env: dict[str, str], log_path: Path) -> Process:
        log_file = log_path.open("wb")
        popen = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=log_file,
                                 stderr=subprocess.STDOUT, start_new_session=True)
        return cls(popen, log_path, log_file)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def tail(self, lines: int = 30) -> str:
        self.log_file.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, grace_s: float = 10.0) -> None:
        if self.alive():
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.popen.wait(grace_s)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.popen.wait(5)
        self.log_file.close()


@dataclass
class ObsInstance:
    """A running headless OBS and everything needed to talk to it and clean up."""

    root: Path
    port: int
    password: str
    display: int
    xvfb: Process
    obs: Process | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def recordings(self) -> Path:
        return self.root / "recordings"

    @property
    def url(self) -> str:
        return f"obs://127.0.0.1:{self.port}?password={self.password}"

    def start_obs(self, timeout_s: float = 30.0) -> None:
        """(Re)start OBS and wait until its websocket port answers."""
        self.obs = Process.spawn(["obs", "--multi", "--minimize-to-tray", "--disable-missing-files-check",
                                  "--websocket_port", str(self.port), "--websocket_password", self.password],
                                 self.env, self.root / "obs.log")
        deadline = time.monotonic() + timeout_s
        while not port_answers(self.port):
            if not self.obs.alive():
                raise RuntimeError(f"OBS exited with {self.obs.popen.returncode}:\n{self.obs.tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"OBS websocket not answering after {timeout_s:g} s:\n{self.obs.tail()}")
            time.sleep(0.1)

    def stop_obs(self) -> None:
        if self.obs is not None:
            self.obs.stop()

    def stop(self) -> None:
        self.stop_obs()
        self.xvfb.stop()


def write_config(home: Path, port: int, password: str, recordings: Path) -> None:
    config = home / ".config" / "obs-studio"
    profile = config / "basic" / "profiles" / "Demo"
    profile.mkdir(parents=True)
    (config / "global.ini").write_text(GLOBAL_INI.format(port=port, password=password))
    (profile / "basic.ini").write_text(PROFILE_INI.format(recordings=recordings))


def start(root: Path, timeout_s: float = 30.0) -> ObsInstance:
    """Xvfb on a free display, then OBS with a fresh HOME under ``root``; both bounded by ``timeout_s``."""
    home, runtime, recordings = root / "home", root / "runtime", root / "recordings"
    for folder in (home, runtime, recordings):
        folder.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    port, password = free_port(), secrets.token_urlsafe(12)
    write_config(home, port, password, recordings)
    display = free_display()
    env = {key: value for key, value in os.environ.items() if key in ("PATH", "LANG", "LC_ALL", "TZ")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_RUNTIME_DIR=str(runtime),
               DISPLAY=f":{display}", LIBGL_ALWAYS_SOFTWARE="1", QT_QPA_PLATFORM="xcb")
    xvfb = Process.spawn(["Xvfb", f":{display}", "-screen", "0", "1280x720x24", "-nolisten", "tcp"],
                         env, root / "xvfb.log")
    instance = ObsInstance(root, port, password, display, xvfb, env=env)
    try:
        deadline = time.monotonic() + timeout_s
        while not Path(f"/tmp/.X11-unix/X{display}").exists():
            if not xvfb.alive() or time.monotonic() > deadline:
                raise RuntimeError(f"Xvfb :{display} did not start:\n{xvfb.tail()}")
            time.sleep(0.05)
        instance.start_obs(max(deadline - time.monotonic(), 1.0))
    except BaseException:
        instance.stop()
        raise
    return instance


def media_duration_s(path: Path) -> float:
    """The container duration ffprobe reads from ``path``."""
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", str(path)],
                         capture_output=True, check=True, timeout=30)
    return float(json.loads(out.stdout)["format"]["duration"])
