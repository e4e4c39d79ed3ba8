"""Issue 12, finding 4: the centre stores only facts a counter of that office could have written.

Each attack of the finding is replayed from a valid device token (the honest counter's own, a
second counter of its office, or another office's) against a centre that holds an honest day:
every forged op is refused with its reason, kept among the ops its device has parked
(`refused_ops`, the operations figure's "facts parked"), and the centre's other rows and its
figures are exactly as before. The honest counter's ops still go through, in any batch, and a
resent batch is all duplicates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from sqlalchemy import select

from odsc_desk.domain import cash, feedback, payments, service_requests
from odsc_desk.shared.facts import AMOUNT_MAX, FACTS, INT_MAX
from sync import protocol
from sync.protocol import Op
from sync.server.db import refused_ops
from tests.conftest import Counter, FakeClock
from tests.sync.conftest import (
    LiveServer,
    count_rows,
    enroll_counter,
    get,
    make_office_counter,
    outbox_ops,
    push,
    visit,
)

AT = "2026-11-26T03:00:00.000000Z"
DAY = "2026-11-26"
FIGURES = ("requests", "payments", "gross", "voided", "refunded", "fee_total")
DAY_FIGURES = (*FIGURES, "voids", "refunds")


@dataclass
class Scene:
    """An honest VTE-SST counter 1 synced to the centre; tokens of it, of VTE-SST counter 2 and
    of LPB-CHO counter 1; the honest facts forged ops point at."""

    server: LiveServer
    honest: Counter
    tokens: dict[str, str]  # "self", "neighbour", "stranger"
    devices: dict[str, str]
    request: dict[str, Any]  # a request with its payment untouched
    paid: dict[str, Any]  # that payment
    voided: dict[str, Any]  # a payment voided
    refunded: dict[str, Any]  # a payment refunded 1,000 kip
    session: str  # the honest counter's cash session (closed)
    viewer: str


def _counter(tmp: Any, office: str, number: int) -> Counter:
    c = make_office_counter(tmp / f"{office}-{number}", FakeClock(), office, number)
    cash.open_cash(c.store, c.clerk, 50_000)
    return c


def honest_day(server: LiveServer, tmp: Any) -> Iterator[Scene]:
    honest = _counter(tmp, "VTE-SST", 1)
    s = honest.store
    paid = visit(honest)
    request = service_requests.change_status(s, honest.clerk, _tracking(honest, paid), "in_process")
    feedback.record_feedback(s, honest.clerk, request["tracking"], 4)
    voided = visit(honest, name="ທ້າວ ເກດ")
    payments.void_payment(s, honest.clerk, voided["receipt"], "typo", honest.supervisor)
    refunded = visit(honest, name="ນາງ ດາ")
    payments.refund_payment(s, honest.clerk, refunded["receipt"], 1000, "over", honest.supervisor)
    session = cash.open_session(s)
    assert session is not None
    cash.close_cash(s, honest.clerk, cash.expected_cash(s, session["id"]))
    tokens = {"self": enroll_counter(server, honest)}
    reply = push(server.url, tokens["self"], s.office["device_id"], outbox_ops(honest))
    assert reply.status_code == 200 and not reply.json()["rejected"], reply.text
    others = {"neighbour": _counter(tmp, "VTE-SST", 2), "stranger": _counter(tmp, "LPB-CHO", 1)}
    devices = {"self": s.office["device_id"]}
    for name, other in others.items():
        tokens[name] = enroll_counter(server, other)
        devices[name] = other.store.office["device_id"]
    yield Scene(
        server, honest, tokens, devices, request, paid, voided, refunded, session["id"],
        server.viewer_token(),
    )  # fmt: skip
    for c in (honest, *others.values()):
        c.store.close()


def _tracking(c: Counter, payment: dict[str, Any]) -> str:
    return str(
        c.store.scalar("SELECT tracking FROM requests WHERE id = ?", (payment["request_id"],))
    )


@pytest.fixture(scope="module")
def scene(shared_server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    """On a server this module's tests leave as they found it (each checks so)."""
    yield from honest_day(shared_server, tmp_path_factory.mktemp("forged"))


# -- forged rows, each otherwise as a counter writes it ---------------------------------------


def void(payment_id: str, n: int = 0) -> tuple[str, dict[str, Any]]:
    return "voids", {
        "id": f"forged-void-{n}", "payment_id": payment_id, "session_id": "s", "business_date": DAY,
        "reason": "x", "approved_by": "u", "at": AT, "by": "u",
    }  # fmt: skip


def refund(payment_id: str, amount: int, n: int = 0) -> tuple[str, dict[str, Any]]:
    return "refunds", {
        "id": f"forged-refund-{n}", "payment_id": payment_id, "session_id": "s",
        "business_date": DAY, "amount": amount, "reason": "x", "approved_by": "u", "at": AT,
        "by": "u",
    }  # fmt: skip


def close(session_id: str, counted: int, expected: int, difference: int, n: int = 0) -> Any:
    return "cash_closes", {
        "id": f"forged-close-{n}", "session_id": session_id, "closed_at": AT, "closed_by": "u",
        "counted": counted, "expected": expected, "difference": difference,
        "approved_by": "u",
    }  # fmt: skip


def rating(request_id: str, value: int, n: int = 0) -> tuple[str, dict[str, Any]]:
    return "feedback", {
        "id": f"forged-feedback-{n}", "request_id": request_id, "rating": value,
        "comment": None, "at": AT, "by": "u",
    }  # fmt: skip


def status(request_id: str, seq: int) -> tuple[str, dict[str, Any]]:
    return "status_events", {
        "request_id": request_id, "seq": seq, "status": "collected", "reason": None, "at": AT,
        "by": "u",
    }  # fmt: skip


def opening(amount: int, n: int = 0) -> tuple[str, dict[str, Any]]:
    return "cash_sessions", {
        "id": f"forged-session-{n}", "business_date": DAY, "opened_at": AT, "opened_by": "u",
        "float_amount": amount,
    }  # fmt: skip


def payment(prefix: str, amount: int, n: int = 0) -> tuple[str, dict[str, Any]]:
    return "payments", {
        "id": f"forged-payment-{n}", "receipt": f"{prefix}-2026-{900000 + n}",
        "receipt_year": 2026, "receipt_seq": 900000 + n, "request_id": "r", "session_id": "s",
        "business_date": DAY, "amount": amount, "method": "cash", "at": AT, "by": "u",
    }  # fmt: skip


def request(prefix: str, fee: int, n: int = 0) -> tuple[str, dict[str, Any]]:
    return "requests", {
        "id": f"forged-request-{n}", "tracking": f"{prefix}-261126-{9000 + n}",
        "business_date": DAY, "daily_seq": 9000 + n, "created_at": AT, "created_by": "u",
        "citizen_name": "x", "name_key": "x", "phone": None, "id_number": None,
        "village": None, "service_code": "MOHA-BIRTH", "catalog_version": 1, "fee": fee,
        "promised_date": DAY, "documents": "[]",
    }  # fmt: skip


def printed(payment_id: str, n: int = 0) -> tuple[str, dict[str, Any]]:
    return "receipt_prints", {
        "id": f"forged-print-{n}", "payment_id": payment_id, "seq": 1, "copy": 1,
        "format": "80mm", "at": AT, "by": "u",
    }  # fmt: skip


def closure(op_id: str) -> tuple[str, dict[str, Any]]:
    return "closures", {
        "id": op_id, "date": DAY, "reason": "x", "created_at": AT, "created_by": "u",
    }  # fmt: skip


Forgery = Callable[[Scene, int], tuple[str, dict[str, Any]]]

# (attack, whose token sends it, the forged fact, the reason it is refused)
ATTACKS: list[tuple[str, str, Forgery, str]] = [
    ("void of another counter's payment", "neighbour",
     lambda s, n: void(s.paid["id"], n), "ref.owner:payment_id"),
    ("void of another office's payment", "stranger",
     lambda s, n: void(s.paid["id"], n), "ref.owner:payment_id"),
    ("void of a payment the centre does not hold", "self",
     lambda s, n: void(f"no-such-payment-{n}", n), "ref.unknown:payment_id"),
    ("second void of a payment", "self",
     lambda s, n: void(s.voided["id"], n), "payment.voided"),
    ("void of a refunded payment", "self",
     lambda s, n: void(s.refunded["id"], n), "payment.refunded"),
    ("refund of 5,000,000 against a payment that does not exist", "self",
     lambda s, n: refund(f"no-such-payment-{n}", 5_000_000, n), "ref.unknown:payment_id"),
    ("refund of more than is left of a payment", "self",
     lambda s, n: refund(s.refunded["id"], s.refunded["amount"] - 1000 + 1, n), "refund.over"),
    ("refund of a voided payment", "self",
     lambda s, n: refund(s.voided["id"], 1, n), "payment.voided"),
    ("refund of another office's payment", "stranger",
     lambda s, n: refund(s.paid["id"], 1, n), "ref.owner:payment_id"),
    ("cash close with expected -10^15", "self",
     lambda s, n: close(s.session, 0, -(10**15), 10**15, n), "row.value:expected"),
    ("cash close whose difference is not counted - expected", "self",
     lambda s, n: close(s.session, 100, 0, 5_000_000, n), "row.value:difference"),
    ("cash close of another counter's session", "neighbour",
     lambda s, n: close(s.session, 0, 0, 0, n), "ref.owner:session_id"),
    ("cash close of a session the centre does not hold", "self",
     lambda s, n: close(f"no-such-session-{n}", 0, 0, 0, n), "ref.unknown:session_id"),
    ("feedback rating of 99", "self",
     lambda s, n: rating(s.request["id"], 99, n), "row.value:rating"),
    ("feedback on another office's request", "stranger",
     lambda s, n: rating(s.request["id"], 5, n), "ref.owner:request_id"),
    ("negative float", "self", lambda s, n: opening(-1, n), "row.value:float_amount"),
    ("payment of 2^53", "self",
     lambda s, n: payment("VTE-SST-1", INT_MAX, n), "row.value:amount"),
    ("payment over the amount bound", "self",
     lambda s, n: payment("VTE-SST-1", AMOUNT_MAX + 1, n), "row.value:amount"),
    ("request with a fee no catalog holds", "self",
     lambda s, n: request("VTE-SST-1", 100_000_001, n), "row.value:fee"),
    ("status change of another office's request", "stranger",
     lambda s, n: status(s.request["id"], 100 + n), "ref.owner:request_id"),
    ("status change of another counter's request", "neighbour",
     lambda s, n: status(s.request["id"], 100 + n), "ref.owner:request_id"),
    # Another counter's of the office is a copy (docs/OFFICE_SHARING.md, D2): taken.
    ("receipt print of another office's payment", "stranger",
     lambda s, n: printed(s.paid["id"], n), "ref.owner:payment_id"),
    ("a fact under a status change's id", "self",
     lambda s, n: closure(f"{s.request['id']}/{100 + n}"), "row.value:id"),
]  # fmt: skip


def figures(scene: Scene) -> dict[str, Any]:
    """Every report's figures (not when each counter last synced: a refused push still syncs)."""
    base = f"{scene.server.url}{protocol.REPORTS}"
    out: dict[str, Any] = {}
    for path, keys in [
        ("/offices/VTE-SST", FIGURES),
        ("/offices/LPB-CHO", FIGURES),
        (f"/offices/VTE-SST/days/{DAY}", DAY_FIGURES),
        ("/provinces/VTE", FIGURES),
    ]:
        reply = get(base + path, scene.viewer)
        assert reply.status_code == 200, reply.text
        out[path] = {k: reply.json()[k] for k in keys}
    listed = get(base + "/offices", scene.viewer)
    assert listed.status_code == 200, listed.text
    out["/offices"] = [{k: r[k] for k in FIGURES} for r in listed.json()]
    return out


def held_rows(scene: Scene) -> dict[str, int]:
    """Rows in every table but the refused ops (which a refusal adds to)."""
    rows = count_rows(scene.server.engine)
    del rows["refused_ops"]
    return rows


def parked(scene: Scene) -> dict[tuple[str, str], str]:
    """(device, op_id) -> reason, for every op the centre keeps as refused."""
    with scene.server.engine.connect() as conn:
        found = conn.execute(
            select(refused_ops.c.device_id, refused_ops.c.op_id, refused_ops.c.reason)
        )
        return {(device, op_id): reason for device, op_id, reason in found}


def send(scene: Scene, who: str, forged: list[tuple[str, dict[str, Any]]]) -> requests.Response:
    ops = [Op(seq, entity, row) for seq, (entity, row) in enumerate(forged, start=10_000)]
    return push(scene.server.url, scene.tokens[who], scene.devices[who], ops)


@pytest.mark.parametrize(("attack", "who", "forge", "reason"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_each_forged_fact_is_refused_and_changes_nothing(
    scene: Scene, attack: str, who: str, forge: Forgery, reason: str
) -> None:
    before_rows, before = held_rows(scene), figures(scene)
    entity, row = forge(scene, 0)
    reply = send(scene, who, [(entity, row)])
    assert reply.status_code == 200, reply.text
    op_id = FACTS[entity].fact_id(row)
    assert reply.json()["rejected"] == [{"seq": 10_000, "op_id": op_id, "reason": reason}]
    assert (reply.json()["stored"], reply.json()["conflicts"]) == (0, [])
    assert held_rows(scene) == before_rows
    assert parked(scene)[(scene.devices[who], op_id)] == reason
    assert figures(scene) == before


def test_the_honest_figures_are_the_counters_own(scene: Scene) -> None:
    store = scene.honest.store
    gross = store.scalar("SELECT SUM(amount) FROM payments")
    voided = store.scalar(
        "SELECT SUM(p.amount) FROM payments p JOIN voids v ON v.payment_id = p.id"
    )
    refunded = store.scalar("SELECT SUM(amount) FROM refunds")
    assert figures(scene)["/offices/VTE-SST"] == {
        "requests": 3, "payments": 3, "gross": gross, "voided": voided, "refunded": refunded,
        "fee_total": gross - voided - refunded,
    }  # fmt: skip


def test_a_thousand_of_every_forgery_leave_every_report_honest(scene: Scene) -> None:
    """The issue's proof: 1,000 forged ops of every kind from valid tokens, in full batches;
    every report still answers 200 with the honest totals, and no row was added."""
    before_rows, before = held_rows(scene), figures(scene)
    by_token: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    reasons: dict[str, str] = {}
    devices: dict[str, str] = {}
    for index, (_attack, who, forge, reason) in enumerate(ATTACKS):
        for n in range(index * 1000, (index + 1) * 1000):  # ids of their own for each attack
            entity, row = forge(scene, n)
            by_token.setdefault(who, []).append((entity, row))
            reasons[FACTS[entity].fact_id(row)] = reason
            devices[FACTS[entity].fact_id(row)] = scene.devices[who]
    assert len(reasons) == 1000 * len(ATTACKS)
    refused: dict[str, str] = {}
    for who, forged in by_token.items():
        for start in range(0, len(forged), protocol.MAX_OPS):
            reply = send(scene, who, forged[start : start + protocol.MAX_OPS])
            assert reply.status_code == 200, reply.text
            body = reply.json()
            assert (body["stored"], body["duplicates"], body["conflicts"]) == (0, 0, [])
            refused.update({r["op_id"]: r["reason"] for r in body["rejected"]})
    assert refused == reasons
    kept = parked(scene)
    assert {op_id: kept[(devices[op_id], op_id)] for op_id in reasons} == reasons
    assert held_rows(scene) == before_rows
    assert figures(scene) == before
