"""An install that works anywhere: the wheel carries the shipped stories and templates.

The slow test builds a wheel from a copy of the checkout, installs it with ``--no-deps`` into a fresh
venv (dependencies come from the project's venv through a ``.pth`` path line, which adds that folder
to ``sys.path`` without running its ``.pth`` files, so the editable install's finder stays out), and
runs the installed ``pymockapi`` from a folder outside the checkout.  The fast test keeps the explicit
package list of pyproject.toml in step with the folders on disk.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: What a wheel is built from (everything else in the checkout stays out of the copy).
SOURCES = ("pyproject.toml", "README.md", "MANIFEST.in", "LICENSE", "pymockapi", "stories", "templates")
SHIPPED = {"stories": "pymockapi._shipped.stories", "templates": "pymockapi._shipped.templates"}


def _folders(top: Path) -> list[Path]:
    return [top, *(p for p in sorted(top.rglob("*")) if p.is_dir() and p.name != "__pycache__"
                   and not any(part.startswith(".") for part in p.relative_to(top).parts))]


def test_the_package_list_names_every_folder_the_wheel_needs() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert config["package-dir"] == {package: folder for folder, package in SHIPPED.items()}
    wanted = {".".join(p.relative_to(ROOT).parts) for p in _folders(ROOT / "pymockapi")}
    for folder, package in SHIPPED.items():
        wanted |= {".".join((package, *p.relative_to(ROOT / folder).parts)) for p in _folders(ROOT / folder)}
    listed = set(config["packages"])
    assert not wanted - listed, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(wanted - listed)}"
    assert not listed - wanted, f"no such folder any more: {sorted(listed - wanted)}"


def test_a_checkout_uses_the_folders_beside_the_package() -> None:
    from pymockapi.paths import shipped_stories, shipped_templates

    if (ROOT / "pymockapi" / "_shipped").exists():  # pragma: no cover - only a stray build leaves one
        pytest.skip("pymockapi/_shipped exists in the checkout")
    assert shipped_stories() == ROOT / "stories"
    assert shipped_templates() == ROOT / "templates"


@dataclass
class Install:
    venv: Path
    bin: Path
    cwd: Path
    env: dict[str, str]

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.bin / "pymockapi"), *args], cwd=self.cwd, env=self.env,
                              capture_output=True, text=True, timeout=timeout, check=False)


def _check(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, f"{proc.args} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def _build_wheel(out: Path, work: Path) -> Path:
    src = work / "src"
    src.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
        elif path.exists():
            shutil.copy2(path, src / name)
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(src)]
    if int(importlib.metadata.version("setuptools").split(".")[0]) >= 77:
        command.insert(-1, "--no-build-isolation")  # pyproject.toml needs setuptools>=77 to build
    _check(subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=300, check=False))
    (wheel,) = out.glob("pymockapi-*.whl")
    return wheel


def _clean_env(venv: Path) -> dict[str, str]:
    drop = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "PYTHONUSERBASE"}
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("COVERAGE_")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONNOUSERSITE"] = "1"
    return env


@pytest.fixture(scope="module")
def install(tmp_path_factory: pytest.TempPathFactory) -> Install:
    base = tmp_path_factory.mktemp("wheel-install")
    assert not base.resolve().is_relative_to(ROOT), "the install must be tried outside the checkout"
    wheel = _build_wheel(base / "dist", base)
    venv = base / "venv"
    _check(subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)],
                          capture_output=True, text=True, timeout=120, check=False))
    python = venv / "bin" / "python"
    env = _clean_env(venv)
    site = Path(_check(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                      env=env, capture_output=True, text=True, timeout=60, check=False)).strip())
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site / "zz_project_dependencies.pth").write_text("".join(f"{p}\n" for p in sorted(ours)), encoding="utf-8")
    _check(subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                           "--no-index", "--quiet", str(wheel)],
                          env=env, capture_output=True, text=True, timeout=300, check=False))
    cwd = base / "elsewhere"
    cwd.mkdir()
    return Install(venv, venv / "bin", cwd, env)


def _get(port: int, path: str, timeout: float = 5) -> tuple[int, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as reply:
        return reply.status, json.loads(reply.read())


@pytest.fixture
def served(install: Install) -> Iterator[int]:
    proc = subprocess.Popen([str(install.bin / "pymockapi"), "serve", "--host", "127.0.0.1", "--port", "0",
                             "--memory"], cwd=install.cwd, env=install.env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        port = None
        while port is None:
            # The banner is the first line; a child that dies closes stdout, so readline cannot hang past it.
            line = proc.stdout.readline()
            if not line or time.monotonic() > deadline:
                raise AssertionError(f"no banner from the server (exit {proc.poll()}): {line!r}")
            if line.startswith("PyMockAPI serving"):
                port = int(line.rsplit(":", 1)[1])
        while True:
            try:
                if _get(port, "/_api/health", timeout=1)[0] == 200:
                    break
            except (OSError, urllib.error.URLError):
                pass
            assert proc.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "the server did not answer within 60 s"
            time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()


def _installed_paths(install: Install) -> dict[str, str]:
    code = ("import json, pymockapi; from pymockapi.paths import shipped_stories, shipped_templates; "
            "print(json.dumps({'package': pymockapi.__file__, 'stories': str(shipped_stories()), "
            "'templates': str(shipped_templates())}))")
    out = _check(subprocess.run([str(install.bin / "python"), "-c", code], cwd=install.cwd, env=install.env,
                                capture_output=True, text=True, timeout=60, check=False))
    found: dict[str, str] = json.loads(out)
    return found


@pytest.mark.slow
def test_the_wheel_ships_its_stories_and_templates(install: Install) -> None:
    found = _installed_paths(install)
    venv = install.venv.resolve()
    for key in ("package", "stories", "templates"):
        assert Path(found[key]).resolve().is_relative_to(venv), f"{key} not from the installed wheel: {found}"
    stories = Path(found["stories"])
    assert stories.parts[-3:] == ("pymockapi", "_shipped", "stories")
    assert sorted(p.name for p in stories.glob("*.py")) == sorted(p.name for p in (ROOT / "stories").glob("*.py"))
    assert sorted(p.name for p in (stories / "specs").iterdir()) == sorted(
        p.name for p in (ROOT / "stories" / "specs").iterdir())
    templates = Path(found["templates"])
    assert sorted(str(p.relative_to(templates)) for p in templates.rglob("*.j2")) == sorted(
        str(p.relative_to(ROOT / "templates")) for p in (ROOT / "templates").rglob("*.j2"))


@pytest.mark.slow
def test_the_installed_commands_work_outside_the_checkout(install: Install) -> None:
    listing = json.loads(_check(install.run("stories", "--json")))
    ids = [s["id"] for s in listing["stories"]]
    assert len(ids) == len(list((ROOT / "stories").glob("[!_]*.py")))
    assert {"orbit-saas", "aisle-commerce", "harbor-bank"} <= set(ids)
    text = _check(install.run("stories"))
    assert all(story in text for story in ids)

    checked = _check(install.run("check", timeout=300))
    assert checked.splitlines()[-1].startswith(f"ok: {len(ids)} stories checked")

    out = install.cwd / "harbor.json"
    _check(install.run("export", "harbor-bank", "--seed", "1", "--anchor-date", "2026-03-12", "--out", str(out)))
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["story"] == "harbor-bank" and exported["seed"] == 1 and exported["records"]
    assert _check(install.run("validate", str(out))).strip() == "ok: no violations"


@pytest.mark.slow
def test_the_installed_server_serves_the_shipped_stories(install: Install, served: int) -> None:
    status, listing = _get(served, "/_api/stories")
    assert status == 200
    assert {"orbit-saas", "aisle-commerce"} <= {s["id"] for s in listing["stories"]}
    status, workspaces = _get(served, "/demo/orbit-saas/workspaces")  # a template story
    assert status == 200 and workspaces
    status, products = _get(served, "/demo/aisle-commerce/storefront/v3/products")  # an OpenAPI story
    assert status == 200 and products


def test_an_installed_package_serves_its_own_folders_and_a_zipped_one_is_refused(tmp_path: Path) -> None:
    import zipfile

    from pymockapi.errors import PyMockAPIError
    from pymockapi.paths import _shipped

    unpacked = tmp_path / "site" / "pymockapi"
    (unpacked / "_shipped" / "stories").mkdir(parents=True)
    assert _shipped("stories", unpacked) == unpacked / "_shipped" / "stories"
    assert _shipped("templates", unpacked).name == "templates"  # not in that package: the checkout's
    archive = tmp_path / "pymockapi.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        packed.writestr("pymockapi/_shipped/stories/pilot.py", "story = None\n")
    with pytest.raises(PyMockAPIError, match="inside a zip file"):
        _shipped("stories", zipfile.Path(archive, "pymockapi/"))
