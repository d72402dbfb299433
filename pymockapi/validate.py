"""``pymockapi validate``: every industry check over an exported data set."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pymockapi.errors import BadRequest
from pymockapi.industries.base import IndustryPack, IndustryRegistry, Record, Violation
from pymockapi.world.export import MANIFEST, unflatten

HINT = "Validate what `pymockapi export` writes: json, ndjson or the csv bundle (.zip)."


def read_dataset(path: Path) -> tuple[str | None, list[Record]]:
    """(industry if the file says, records) from a JSON, NDJSON or csv-bundle export."""
    if not path.is_file():
        raise BadRequest(f"No file at {path}.", "Export one with `pymockapi export STORY --out PATH`.",
                         code="file_not_found")
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic.startswith(b"PK"):
        return read_csv_bundle(path)
    if magic.startswith(b"<"):
        raise BadRequest(f"{path} is an XML export, which keeps no JSON types to check against.",
                         "Export the same world with --format json (or csv) and validate that.", code="invalid_dataset")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BadRequest(f"{path} is not a text file.", HINT, code="invalid_dataset") from None
    try:
        if path.suffix == ".ndjson":
            return None, [json.loads(line) for line in text.splitlines() if line.strip()]
        data = json.loads(text)
    except ValueError as exc:
        raise BadRequest(f"{path} is not JSON: {exc}.", "Validate a json or ndjson export.",
                         code="invalid_json") from None
    if isinstance(data, dict) and isinstance(data.get("records"), dict):
        records = [r for group in data["records"].values() for r in group]
        return data.get("industry"), records
    if isinstance(data, list):
        return None, data
    raise BadRequest(f"{path} is not a PyMockAPI data set.", "Validate a json or ndjson export.",
                     code="invalid_dataset")


def read_csv_bundle(path: Path) -> tuple[str | None, list[Record]]:
    """The records of a csv export: one CSV file per record type, typed by the bundle's manifest."""
    try:
        with zipfile.ZipFile(path) as bundle:
            manifest = json.loads(bundle.read(MANIFEST))
            columns = manifest.get("columns", {})
            records: list[Record] = []
            for name in bundle.namelist():
                if not name.endswith(".csv") or "/" in name:
                    continue
                record_type = name[: -len(".csv")]
                text = bundle.read(name).decode("utf-8")
                records += [unflatten(row, columns.get(record_type, {})) for row in csv.DictReader(io.StringIO(text))]
    except (zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError, AttributeError) as exc:
        raise BadRequest(f"{path} is not a PyMockAPI csv export ({exc}).", HINT, code="invalid_dataset") from None
    return manifest.get("industry"), records


def validate_records(records: Iterable[Record], pack: IndustryPack) -> list[Violation]:
    return pack.validate(list(records))


def pack_for(industry: str | None, records: list[Record], registry: IndustryRegistry) -> IndustryPack:
    if industry is not None:
        return registry.get(industry)
    types = {r.get("type") for r in records if isinstance(r, dict)}
    for name in registry.names():
        pack = registry.get(name)
        if types <= {rt.name for rt in pack.record_types}:
            return pack
    raise BadRequest("Cannot tell which industry these records belong to.",
                     f"Record types found: {', '.join(sorted(map(str, types)))}.", code="unknown_industry")


def validate_path(path: Path, registry: IndustryRegistry) -> list[Violation]:
    industry, records = read_dataset(path)
    return validate_records(records, pack_for(industry, records, registry))


def violations_json(violations: list[Violation]) -> list[dict[str, Any]]:
    return [v.as_dict() for v in violations]
