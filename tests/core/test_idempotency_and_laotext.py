from odsc_desk.domain import payments, service_requests
from odsc_desk.shared.ids import new_id
from odsc_desk.shared.laotext import ZWSP, breakable, unbreakable


def test_a_request_submitted_twice_is_recorded_once(counter):
    form_id = new_id()
    first = service_requests.record_request(
        counter.store,
        counter.clerk,
        service_code="MOHA-BIRTH",
        citizen_name="Noy",
        request_id=form_id,
    )
    again = service_requests.record_request(
        counter.store,
        counter.clerk,
        service_code="MOHA-BIRTH",
        citizen_name="Noy",
        request_id=form_id,
    )
    assert again["tracking"] == first["tracking"]
    assert counter.store.scalar("SELECT COUNT(*) FROM requests") == 1
    assert counter.store.scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'request_recorded'") == 1


def test_a_payment_submitted_twice_is_taken_once(open_counter):
    c = open_counter
    r = service_requests.record_request(
        c.store, c.clerk, service_code="MOHA-BIRTH", citizen_name="Noy"
    )
    pay_id = new_id()
    first = payments.record_payment(c.store, c.clerk, r["tracking"], payment_id=pay_id)
    again = payments.record_payment(c.store, c.clerk, r["tracking"], payment_id=pay_id)
    assert again == first
    assert c.store.scalar("SELECT COUNT(*) FROM payments") == 1


def test_lao_words_get_break_points_and_lose_them_again():
    text = "ໃບອະນຸຍາດດຳເນີນທຸລະກິດ (MOIC-BIZ-LIC)"
    marked = breakable(text)
    assert marked.split(ZWSP) == ["ໃບ", "ອະນຸຍາດ", "ດຳເນີນ", "ທຸລະກິດ (MOIC-BIZ-LIC)"]
    assert unbreakable(marked) == text


def test_break_points_never_split_a_syllable():
    # Tone marks and vowel signs stay with their consonant: no piece starts with a mark.
    import unicodedata

    marked = breakable("ຫ້ອງການບໍລິການປະຕູດຽວ ເມືອງສີສັດຕະນາກ ນະຄອນຫຼວງວຽງຈັນ")
    for piece in marked.split(ZWSP):
        assert not unicodedata.category(piece[0]).startswith("M")
