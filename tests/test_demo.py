"""Demo endpoints: generic changes, verbs, formats and bad input."""

from __future__ import annotations

import http.client
import json

from lxml import etree

from support import LiveServer

CLINIC = "riverside-clinic"


def test_generic_create_update_delete_and_the_endpoint_trigger(server: LiveServer) -> None:
    server.elapse(20_000)  # triage, on the timer
    server.elapse(1_000)  # a later, separate cue from the presenter:
    server.call("POST", f"/_api/sessions/{CLINIC}/advance")  # labs-back; the booking cue is next
    existing = server.call("GET", f"/demo/{CLINIC}/patients/pat-0001/appointments").json()["items"]
    body = {"patient_id": "maria", "provider_id": "prov-0002", "start": "2026-03-19T09:00:00-06:00",
            "end": "2026-03-19T09:30:00-06:00", "duration_minutes": 30, "status": "booked",
            "reason": "Cardiology follow-up after an elevated troponin"}
    created = server.call("POST", f"/demo/{CLINIC}/appointments", body)
    assert created.status == 201, created.body
    appt = created.json()
    assert appt["patient_id"] == "pat-0001" and appt["id"] not in [a["id"] for a in existing]
    assert server.call("GET", f"/_api/sessions/{CLINIC}").json()["waypoint"] == "cardiology-booked"
    patched = server.call("PATCH", f"/demo/{CLINIC}/appointments/{appt['id']}", {"reason": "Cardiology review"})
    assert patched.status == 200 and patched.json()["reason"] == "Cardiology review"
    gone = server.call("DELETE", f"/demo/{CLINIC}/appointments/{appt['id']}")
    assert gone.status == 200 and gone.json() == {"id": appt["id"], "type": "appointment", "deleted": True,
                                                  "message": f"The appointment {appt['id']} was deleted."}
    assert server.call("GET", f"/demo/{CLINIC}/appointments/{appt['id']}").status == 405
    assert server.call("DELETE", f"/demo/{CLINIC}/appointments/{appt['id']}").status == 404


def test_incomplete_create_is_422_with_violations(server: LiveServer) -> None:
    resp = server.call("POST", f"/demo/{CLINIC}/appointments", {"patient_id": "pat-0002"})
    err = resp.json()["error"]
    assert resp.status == 422 and err["violations"] and err["hint"]
    missing_owner = server.call("POST", f"/demo/{CLINIC}/appointments", {"reason": "x"})
    assert missing_owner.status == 422 and "patient_id" in missing_owner.json()["error"]["message"]


def test_verb_endpoint_needs_its_subject(server: LiveServer) -> None:
    resp = server.call("POST", "/demo/harbor-bank/accounts/acct-0001-01/deposits", {"amount": "250.00"})
    assert resp.status == 201, resp.body
    txn = resp.json()
    assert txn["direction"] == "credit" and txn["amount"]["amount"] == "250.00"
    wrong = server.call("POST", "/demo/harbor-bank/accounts/acct-0001-01/deposits", {"amount": "1", "tip": 2})
    assert wrong.status == 422 and "amount" in wrong.json()["error"]["hint"]
    orders = server.call("POST", "/demo/northwind-outfitters/orders", {"product_id": "prod-0001"})
    assert orders.status == 422 and "shopper_id" in orders.json()["error"]["message"]


def test_formats_and_negotiation(server: LiveServer) -> None:
    xml = server.call("GET", f"/demo/{CLINIC}/patients/pat-0001", headers={"Accept": "application/xml"})
    assert xml.status == 200 and xml.headers["content-type"].startswith("application/xml")
    assert xml.body.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<patient")  # xmlns:xsi when a value is null
    assert etree.fromstring(xml.body).tag == "patient"
    fhir = server.call("GET", f"/demo/{CLINIC}/patients?format=fhir")
    assert fhir.json()["resourceType"] == "Bundle"
    assert server.call("GET", f"/demo/{CLINIC}/patients/pat-0001?format=fhir").json()["resourceType"] == "Patient"
    assert server.call("GET", "/demo/harbor-bank/customers?format=fhir").status == 406
    first = server.call("GET", f"/demo/{CLINIC}/patients")
    again = server.call("GET", f"/demo/{CLINIC}/patients")
    assert first.body == again.body and first.headers["content-type"] == "application/json; charset=UTF-8"


def test_put_on_a_demo_path_is_405(server: LiveServer) -> None:
    assert server.call("PUT", f"/demo/{CLINIC}/patients", {}).status == 405


def test_chunked_oversized_body_is_413(server: LiveServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    chunk = json.dumps({"text": "x" * 600_000}).encode()
    conn.request("POST", f"/_api/sessions/{CLINIC}/annotations", body=iter([chunk, chunk]),
                 headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
                 encode_chunked=True)
    resp = conn.getresponse()
    body = json.loads(resp.read())
    conn.close()
    assert resp.status == 413 and body["error"]["code"] == "payload_too_large"


def test_empty_advance_body_is_fine_and_non_object_is_422(server: LiveServer) -> None:
    assert server.call("POST", f"/_api/sessions/{CLINIC}/advance", raw=b"").status == 200
    assert server.call("POST", f"/_api/sessions/{CLINIC}/advance", raw=b"[]").status == 422
    assert server.call("POST", f"/_api/sessions/{CLINIC}/advance", raw=b"\xff").status == 400


def test_unexpected_failures_become_spec_errors_without_tracebacks() -> None:
    import tornado.web

    from pymockapi.handlers.base import as_api_error

    crash = as_api_error(ZeroDivisionError("boom"), 500)
    assert crash.status == 500 and crash.code == "internal_error" and "boom" not in crash.message
    assert as_api_error(None, 400).status == 400
    assert as_api_error(tornado.web.HTTPError(404), 404).code == "route_not_found"
    assert as_api_error(tornado.web.HTTPError(400, "bad header"), 400).message == "bad header"


def test_empty_body_where_one_is_required(server: LiveServer) -> None:
    resp = server.call("POST", "/_api/sessions", raw=b"  ")
    assert resp.status == 400 and resp.json()["error"]["code"] == "invalid_json"
