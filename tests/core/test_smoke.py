from odsc_desk.domain import payments, service_requests


def test_request_and_payment(open_counter):
    c = open_counter
    r = service_requests.record_request(
        c.store, c.clerk, service_code="MOHA-BIRTH", citizen_name="ສົມສັກ ພົມມະຈັນ"
    )
    p = payments.record_payment(c.store, c.clerk, r["tracking"])
    assert r["tracking"] == "VTE-SST-1-261126-0001"
    assert p["receipt"] == "VTE-SST-1-2026-000001"
    assert p["amount"] == 10_000
