"""A session's whole world as a data set: JSON, NDJSON, CSV (zip) or XML.

Exports read the same records the endpoints show, fully materialised, and
are byte-for-byte deterministic (fixed zip timestamps, stable column order).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any, Protocol

from pymockapi.industries.base import Record
from pymockapi.render.schemas import json_type
from pymockapi.render.serialize import to_json, to_xml
from pymockapi.world.world import World

EXPORT_FORMATS = ("json", "ndjson", "csv", "xml")
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


class Exportable(Protocol):
    id: str
    seed: int
    world: World

    @property
    def compiled(self) -> Any: ...


def dataset(story_id: str, seed: int, world: World) -> dict[str, Any]:
    """The data set as one value; the session id is left out so equal worlds export equal bytes."""
    return {"story": story_id, "industry": world.pack.name, "seed": seed,
            "anchor_date": world.anchor.isoformat(), "records": world.snapshot()}


def export_world(session: Exportable, fmt: str) -> tuple[str, bytes, str]:
    """(content type, body, file name) of a session's world in ``fmt``."""
    data = dataset(session.compiled.id, session.seed, session.world)
    name = f"{session.compiled.id}-seed{session.seed}"
    if fmt == "json":
        return "application/json; charset=UTF-8", to_json(data), f"{name}.json"
    if fmt == "ndjson":
        lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for records in data["records"].values()
                 for r in records]
        return "application/x-ndjson; charset=UTF-8", ("\n".join(lines) + "\n").encode(), f"{name}.ndjson"
    if fmt == "xml":
        return "application/xml; charset=UTF-8", to_xml(data, root="dataset"), f"{name}.xml"
    return "application/zip", _csv_zip(data), f"{name}.zip"


#: The file in a csv bundle that says what the data set is and what JSON type each column held,
#: so ``pymockapi validate`` reads the bundle back as the records it came from.
MANIFEST = "dataset.json"
#: Extensions of the files an export writes, by format (csv: a zip of one CSV file per record type).
EXTENSIONS = {"json": ".json", "ndjson": ".ndjson", "csv": ".zip", "xml": ".xml"}




def flatten(record: Record, prefix: str = "", kinds: dict[str, set[str]] | None = None) -> dict[str, Any]:
    """Nested objects as dotted columns; lists as JSON text in one cell (``kinds`` collects each column's types)."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, f"{name}.", kinds))
            continue
        if kinds is not None:
            kinds.setdefault(name, set()).add(json_type(value))
        if isinstance(value, list):
            out[name] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        else:
            out[name] = "" if value is None else value
    return out


def _csv_zip(data: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    manifest: dict[str, Any] = {k: v for k, v in data.items() if k != "records"}
    manifest["columns"] = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for record_type, rows in data["records"].items():
            kinds: dict[str, set[str]] = {}
            flat = [flatten(r, kinds=kinds) for r in rows]
            columns: list[str] = []
            for row in flat:
                columns.extend(k for k in row if k not in columns)
            for row in flat:
                for column in columns:
                    if column not in row:
                        kinds[column].add("absent")
            manifest["columns"][record_type] = {c: sorted(kinds[c]) for c in columns}
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=columns or ["id"], lineterminator="\n")
            writer.writeheader()
            writer.writerows(flat)
            info = zipfile.ZipInfo(f"{record_type}.csv", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.getvalue())
        info = zipfile.ZipInfo(MANIFEST, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
    return buffer.getvalue()


def unflatten(row: dict[str, str], kinds: dict[str, list[str]]) -> Record:
    """A record from one CSV row of a bundle, each cell read back as the JSON type its column held."""
    values = {column: _cell(cell or "", kinds.get(column, ["string"])) for column, cell in row.items()
              if column is not None}
    present = {column for column, value in values.items() if value is not _ABSENT and value is not None}
    record: dict[str, Any] = {}
    for column, value in values.items():
        if value is _ABSENT:
            continue
        if value is None and any(c.startswith(column + ".") for c in present):
            continue  # an empty object's own cell beside the cells of its fields: the fields win
        target = record
        *parents, leaf = column.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = value
    return record


_ABSENT = object()


def _cell(cell: str, kinds: list[str]) -> Any:
    if cell == "":
        if "null" in kinds:
            return None
        return _ABSENT if "absent" in kinds or "string" not in kinds else ""
    if "boolean" in kinds and cell in ("true", "false"):
        return cell == "true"
    try:
        if "integer" in kinds and cell.lstrip("-").isdigit():
            return int(cell)
        if "number" in kinds:
            return float(cell)
        if "array" in kinds and cell.startswith("["):
            return json.loads(cell)
    except ValueError:
        pass
    return cell
