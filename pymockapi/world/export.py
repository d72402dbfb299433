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
    return "application/zip", _csv_zip(data["records"]), f"{name}.zip"


def flatten(record: Record, prefix: str = "") -> dict[str, Any]:
    """Nested objects as dotted columns; lists as JSON text in one cell."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, f"{name}."))
        elif isinstance(value, list):
            out[name] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        else:
            out[name] = "" if value is None else value
    return out


def _csv_zip(records: dict[str, list[Record]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for record_type, rows in records.items():
            flat = [flatten(r) for r in rows]
            columns: list[str] = []
            for row in flat:
                columns.extend(k for k in row if k not in columns)
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=columns or ["id"], lineterminator="\n")
            writer.writeheader()
            writer.writerows(flat)
            info = zipfile.ZipInfo(f"{record_type}.csv", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.getvalue())
    return buffer.getvalue()
