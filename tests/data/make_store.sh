#!/bin/sh
# Make a counter's store with the `odsc` of an old checkout, for the upgrade tests.
#   tests/data/make_store.sh CHECKOUT DATA_DIR    (PYTHON: the venv's python, by default python3)
# The checkout's own modules are used (run from inside it, so not the installed odsc_desk).
set -eu
SRC=$(cd "$1" && pwd)
mkdir -p "$2"
DATA=$(cd "$2" && pwd)
PY=${PYTHON:-python3}
odsc() { (cd "$SRC" && PYTHONPATH="$SRC" "$PY" -m ui.cli.main --data-dir "$DATA" "$@"); }
field() { "$PY" -c "import json, sys; print(json.load(sys.stdin)['$1'])"; }
export ODSC_NEW_PASSWORD=fixture-pass-1 ODSC_PASSWORD=fixture-pass-1
export ODSC_SUPERVISOR_PASSWORD=fixture-pass-1
odsc init --office-code VTE-SST --office-name "ຫ້ອງການບໍລິການປະຕູດຽວ ເມືອງສີສັດຕະນາກ" \
    --counter 1 --admin admin --demo-catalog
odsc --user admin user add somchai --role supervisor
odsc --user admin user add noy --role clerk
export ODSC_USER=noy
odsc session open --float 100000
T1=$(odsc --json request new --service MOHA-BIRTH --citizen-name "ນາງ ນ້ອຍ ສີສຸວັນ" \
    --phone 020-5555-1234 --village "ບ້ານ ໂພນໄຊ" | field tracking)
T2=$(odsc --json request new --service MOIC-ENT-REG --citizen-name "ທ້າວ ເກດ ວົງສາ" | field tracking)
T3=$(odsc --json request new --service MPWT-VEH-REG --citizen-name "ນາງ ແກ້ວ" \
    --id-number 0123456 | field tracking)
odsc request status "$T1" in_process
odsc request status "$T2" incomplete --reason "ຂາດສຳເນົາບັດປະຈຳຕົວ"
R1=$(odsc --json pay "$T1" | field receipt)
R2=$(odsc --json pay "$T2" | field receipt)
odsc pay "$T3" --method transfer
odsc void "$R2" --reason "ປ້ອນບໍລິການຜິດ" --supervisor somchai
odsc request status "$T1" ready
odsc feedback "$T1" --rating 5
# Receipts with a printed record and a signing key came with m002.
if odsc receipt --help >/dev/null 2>&1; then
    odsc receipt "$R1" --out "$DATA/../receipt.pdf"
fi
odsc session close --counted 110000
odsc check
