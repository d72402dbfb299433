"""The ``pymockapi`` command line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from pymockapi import bench, present
from pymockapi import loop as event_loop
from pymockapi.errors import PyMockAPIError, StoryError, UsageError
from pymockapi.industries import shipped_industries
from pymockapi.paths import shipped_stories, shipped_templates
from pymockapi.render.environment import TemplateSet
from pymockapi.story.loader import check_stories, load_stories, story_files


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive whole number")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pymockapi", description="Mock API server for product demos.")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve every story found")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--stories", type=Path)
    serve.add_argument("--templates", type=Path)
    state = serve.add_mutually_exclusive_group()
    state.add_argument("--state", type=Path, default=Path(".pymockapi/state.sqlite3"))
    state.add_argument("--memory", action="store_true", help="keep state in memory only")
    state.add_argument("--store", help="sqlite:PATH (what --state means), memory, or redis://HOST:PORT/DB")
    serve.add_argument("--recorder", help="obs://host:port?password=… or webhook+http://…")
    serve.add_argument("--token", help="the bearer token for /_api and the WebSocket (never empty)")
    serve.add_argument("--allow-origin", action="append", default=[], metavar="ORIGIN",
                       help="a browser origin allowed to use /_api and the WebSocket (repeatable)")
    serve.add_argument("--recorder-hosts", action="append", default=[], metavar="H,…",
                       help="hosts a session's own recorder URL may name, besides loopback and --recorder's")
    serve.add_argument("--max-body", type=_positive_int, default=1024 * 1024)
    serve.add_argument("--openapi", type=Path, help="serve this API description (OpenAPI 3.x or Swagger 2.0)")
    serve.add_argument("--industry", help="whose personas fill the --openapi description: finance, healthcare, retail")
    serve.add_argument("--reload", action="store_true",
                       help="watch story files, templates and the API description; serve a saved change within 1 s")

    imports = sub.add_parser("import", help="write an editable story built on an API description")
    imports.add_argument("file", type=Path)
    imports.add_argument("--industry", required=True)
    imports.add_argument("--out", type=Path, required=True)

    stories = sub.add_parser("stories", help="list stories")
    stories.add_argument("--stories", type=Path)
    stories.add_argument("--json", action="store_true")

    check = sub.add_parser("check", help="load and validate stories and their templates")
    check.add_argument("files", nargs="*", type=Path)
    check.add_argument("--templates", type=Path)

    export = sub.add_parser("export", help="export a story's world as a data set")
    export.add_argument("story")
    export.add_argument("--format", choices=("json", "ndjson", "csv", "xml"), default="json")
    export.add_argument("--seed", type=int, default=0)
    export.add_argument("--anchor-date", default=None)
    export.add_argument("--stories", type=Path)
    export.add_argument("--out", type=Path, required=True)

    validate = sub.add_parser("validate", help="run every industry check over an exported data set")
    validate.add_argument("path", type=Path)

    present.add_parser(sub)
    bench.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        handler = {"serve": cmd_serve, "import": cmd_import, "stories": cmd_stories, "check": cmd_check,
                   "export": cmd_export,
                   "validate": cmd_validate, "present": present.run, "bench": bench.run}[args.command]
        return handler(args)
    except PyMockAPIError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"hint: {exc.hint}", file=sys.stderr)
        return 2 if isinstance(exc, UsageError) else 1
    except Exception as exc:  # code we did not write (a story's pack, a plug-in) broke: say where, no traceback
        where = _outermost_user_frame(exc)
        print(f"error: {type(exc).__name__}: {exc}{f' ({where})' if where else ''}", file=sys.stderr)
        print("hint: Fix that line and run the command again; `pymockapi check FILE` names story mistakes "
              "by file and waypoint.", file=sys.stderr)
        return 2


def _outermost_user_frame(exc: BaseException) -> str | None:
    """``file:line`` of the deepest frame outside PyMockAPI and the standard library (the user's own code)."""
    import traceback

    ours = str(Path(__file__).resolve().parent)
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if not f.filename.startswith(ours) and "/lib/python" not in f.filename and "<" not in f.filename]
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else None


def cmd_serve(args: argparse.Namespace) -> int:
    from pymockapi.server import Server, Settings, build_context

    if (args.openapi is None) != (args.industry is None):
        raise UsageError("--openapi and --industry go together.",
                         "Say whose personas fill the description: --openapi FILE --industry finance.")
    if args.recorder:
        _recorder_url_parses(args.recorder)
    settings = Settings(host=args.host, port=args.port, stories=args.stories, templates=args.templates,
                        state=None if args.memory else args.state, store=args.store, recorder=args.recorder,
                        token=args.token,
                        max_body=args.max_body, openapi=args.openapi, industry=args.industry,
                        allow_origins=tuple(args.allow_origin), recorder_hosts=tuple(args.recorder_hosts))

    async def run() -> None:
        ctx = build_context(settings)
        server = Server(ctx)
        port = server.listen(settings.port, settings.host)
        names = ", ".join(ctx.sessions.stories)
        print(f"PyMockAPI serving {names} on http://{settings.host}:{port}", flush=True)
        stop = asyncio.Event()
        watching = None
        if args.reload:
            from pymockapi.reload import Reloader

            reloader = Reloader(ctx, settings)
            watching = asyncio.ensure_future(reloader.run(stop))
            print(f"watching {', '.join(map(str, reloader.watched()))} for changes", flush=True)
        await event_loop.until_signalled()
        stop.set()
        if watching is not None:
            with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(watching, 2.0)
        await server.stop()

    event_loop.run(run())
    return 0


def _recorder_url_parses(url: str) -> None:
    """A ``--recorder`` URL that does not parse is a usage error, shown redacted, never a traceback."""
    from pymockapi.inputs import InputRefused, parse_url
    from pymockapi.redact import redact_url

    try:
        parse_url(url, "--recorder")
    except InputRefused as exc:
        raise UsageError(f"--recorder {redact_url(url)!r} is not a URL that parses.", exc.hint) from None


def cmd_import(args: argparse.Namespace) -> int:
    """Write an editable story built on an API description, every field binding written out."""
    from pymockapi.story.compiler import compile_story
    from pymockapi.story.described import story_from_description, story_module

    compiled = compile_story(story_from_description(args.file, args.industry), str(args.file), shipped_industries())
    assert compiled.api is not None
    text = story_module(args.file, args.industry, args.out, compiled.api.record_pins())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    summary = compiled.api.bindings.summary()
    print(f"wrote {args.out}: story {compiled.id!r}, {len(compiled.api.operations)} operations, "
          f"{summary.get('record', 0)} properties bound to records, {summary.get('unbound', 0)} unbound")
    return 0


def _templates(user: Path | None = None) -> TemplateSet:
    from pymockapi.server import RENDER_LIMIT_MS, template_dirs

    return TemplateSet(template_dirs(user), trusted=[shipped_templates()], max_render_ms=RENDER_LIMIT_MS)


def cmd_stories(args: argparse.Namespace) -> int:
    templates = _templates()
    compiled = load_stories(story_files(args.stories or shipped_stories()), shipped_industries(), templates.exists)
    if args.json:
        print(json.dumps({"stories": [c.summary() for c in compiled]}, indent=2))
        return 0
    for c in compiled:
        print(f"{c.id}  [{c.pack.name}]  {c.story.title}")
        for name in c.order:
            wp = c.waypoints[name]
            how = {"after": f"after {wp.after_ms} ms", "when": f"when {wp.when}"}.get(wp.trigger.value,
                                                                                     wp.trigger.value)
            print(f"    {name:<18} {how:<28} {wp.narration}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Load every story and rehearse it with session seeds 1, 2 and 3, so a typo fails here, not on stage."""
    from pymockapi.story.rehearsal import CHECK_SEEDS, rehearse

    templates = _templates(args.templates)
    files = args.files or story_files(shipped_stories())
    good, bad = check_stories(files, shipped_industries(), templates.exists)
    problems: list[PyMockAPIError] = list(bad)
    for compiled in good:
        problems.extend(rehearse(compiled, templates, seeds=CHECK_SEEDS))
        if compiled.api is not None:
            _print_bindings(compiled.id, compiled.api.table())
    for problem in problems:
        print(f"error: {problem.message}", file=sys.stderr)
        if problem.hint:
            print(f"  hint: {problem.hint}", file=sys.stderr)
    if problems:
        return 1
    print(f"ok: {len(good)} stories checked ({', '.join(c.id for c in good)})")
    return 0


def _print_bindings(story: str, rows: list[dict[str, str]]) -> None:
    """What fills each response property of an API story, unbound ones listed so they can be pinned."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["source"]] = counts.get(row["source"], 0) + 1
    print(f"{story}: " + ", ".join(f"{n} {source}" for source, n in sorted(counts.items())))
    for row in rows:
        mark = "  (unbound: pin it with bind=)" if row["source"] == "unbound" else ""
        print(f"    {row['schema']}.{row['property']:<32} {row['source']:<9} {row['detail']}{mark}")


def cmd_export(args: argparse.Namespace) -> int:
    from pymockapi.story.rehearsal import offline_session
    from pymockapi.world.export import EXTENSIONS, export_world

    compiled = load_stories(story_files(args.stories or shipped_stories()), shipped_industries())
    by_id = {c.id: c for c in compiled}
    if args.story not in by_id:
        raise StoryError(str(args.stories or shipped_stories()), None, f"no story {args.story!r}",
                         f"Stories: {', '.join(by_id)}.")
    anchor = args.anchor_date or date.today().isoformat()
    session = offline_session(by_id[args.story], args.seed, anchor)
    _, body, _ = export_world(session, args.format)
    out = args.out.with_suffix(EXTENSIONS[args.format]) if args.out.suffix != EXTENSIONS[args.format] else args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(body)
    what = " (a zip of one CSV file per record type)" if args.format == "csv" else ""
    print(f"wrote {out} ({len(body)} bytes){what}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from pymockapi.validate import validate_path

    violations = validate_path(args.path, shipped_industries())
    for v in violations:
        print(f"{v.record_type} {v.record_id} {v.field}: {v.problem}")
    if violations:
        print(f"{len(violations)} violation(s)", file=sys.stderr)
        return 1
    print("ok: no violations")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
