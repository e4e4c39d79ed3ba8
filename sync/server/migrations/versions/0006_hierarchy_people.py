"""The hierarchy and the people: provinces, districts and offices; accounts, their scopes and the
log of reads of personal data; and the record of chain flags an admin cleared.

The 18 provinces are written into `provinces`, and every office a counter was enrolled for (or a
code was made for) is registered, placed in the province its code's prefix names (VTE-SST in
LA-VT), or in none when the prefix names none (`odsc-server office add --province` places it).
The provinces and the prefixes are written out here, not read from sync/server/data/
provinces.json: a migration must build the same thing whenever it runs, and the file may change
in a later release (a later migration then brings the table along). A test checks that the two
agree today.

Every viewer token becomes an account of its own (kind "token", role "viewer", scope the nation)
with the same id, token hash, creation and revocation times, so an old token keeps working as
before, and `viewer revoke ID` still names the same token. Account names are unique: a viewer
name used more than once is kept by the first, and the others get their id after it
("Ministry audit (3)"). Then `viewers` goes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-14
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

STAMP = sa.String(32)
NAME_MAX = 100

# (ISO 3166-2 code, English name, Lao name, prefixes of office codes) as of this revision.
PROVINCES = (
    ("LA-AT", "Attapeu", "ແຂວງອັດຕະປື", ("AT", "ATP", "ATT")),
    ("LA-BK", "Bokeo", "ແຂວງບໍ່ແກ້ວ", ("BK", "BKO", "BOK")),
    ("LA-BL", "Bolikhamxay", "ແຂວງບໍລິຄຳໄຊ", ("BL", "BLX", "BLK")),
    ("LA-CH", "Champasak", "ແຂວງຈຳປາສັກ", ("CH", "CPS", "CHP")),
    ("LA-HO", "Houaphanh", "ແຂວງຫົວພັນ", ("HO", "HPN", "HPH")),
    ("LA-KH", "Khammouane", "ແຂວງຄຳມ່ວນ", ("KH", "KMN", "KHM")),
    ("LA-LM", "Luang Namtha", "ແຂວງຫຼວງນ້ຳທາ", ("LM", "LNT", "LNM")),
    ("LA-LP", "Luang Prabang", "ແຂວງຫຼວງພະບາງ", ("LP", "LPB", "LPQ")),
    ("LA-OU", "Oudomxay", "ແຂວງອຸດົມໄຊ", ("OU", "ODX", "OUD")),
    ("LA-PH", "Phongsaly", "ແຂວງຜົ້ງສາລີ", ("PH", "PSL", "PHS")),
    ("LA-SL", "Salavan", "ແຂວງສາລະວັນ", ("SL", "SLV", "SRV")),
    ("LA-SV", "Savannakhet", "ແຂວງສະຫວັນນະເຂດ", ("SV", "SVK", "SVN")),
    ("LA-VI", "Vientiane Province", "ແຂວງວຽງຈັນ", ("VI", "VTP", "VTN")),
    ("LA-VT", "Vientiane Capital", "ນະຄອນຫຼວງວຽງຈັນ", ("VT", "VTE", "VTC")),
    ("LA-XA", "Xayaboury", "ແຂວງໄຊຍະບູລີ", ("XA", "XYB", "SYB")),
    ("LA-XE", "Sekong", "ແຂວງເຊກອງ", ("XE", "SEK", "XEK")),
    ("LA-XI", "Xiengkhouang", "ແຂວງຊຽງຂວາງ", ("XI", "XKH", "XKW")),
    ("LA-XS", "Xaisomboun", "ແຂວງໄຊສົມບູນ", ("XS", "XSB", "XSM")),
)


def _create_tables() -> None:
    op.create_table(
        "provinces",
        sa.Column("code", sa.String(8), primary_key=True),
        sa.Column("name_en", sa.Text, nullable=False),
        sa.Column("name_lo", sa.Text, nullable=False),
    )
    op.create_table(
        "districts",
        sa.Column("code", sa.String(20), primary_key=True),
        sa.Column("province", sa.String(8), nullable=False),
        sa.Column("name_en", sa.Text, nullable=False),
        sa.Column("name_lo", sa.Text, nullable=False),
    )
    op.create_index("districts_province", "districts", ["province"])
    op.create_table(
        "offices",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("province", sa.String(8)),
        sa.Column("district", sa.String(20)),
        sa.Column("name_en", sa.Text),
        sa.Column("name_lo", sa.Text),
        sa.Column("registered_at", STAMP, nullable=False),
    )
    op.create_index("offices_province", "offices", ["province"])
    op.create_index("offices_district", "offices", ["district"])
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(NAME_MAX), nullable=False, unique=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.Text),
        sa.Column("token_sha256", sa.LargeBinary(32), unique=True),
        sa.Column("personal_data", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("revoked_at", STAMP),
    )
    op.create_table(
        "account_scopes",
        sa.Column("account_id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("code", sa.String(40), primary_key=True),
    )
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("account_id", sa.Integer, nullable=False),
        sa.Column("at", STAMP, nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("records", sa.Integer, nullable=False),
    )
    op.create_index("access_log_account", "access_log", ["account_id", "at"])
    op.create_table(
        "chain_clears",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("device_id", sa.String(100), nullable=False),
        sa.Column("head_id", sa.Integer, nullable=False),
        sa.Column("cleared_at", STAMP, nullable=False),
        sa.Column("cleared_by", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_index("chain_clears_device", "chain_clears", ["device_id", "head_id"])


def _register_offices(conn: sa.Connection) -> None:
    """Every office of a device or an enrollment code, first seen when its first was made."""
    province_of = {prefix: code for code, _, _, prefixes in PROVINCES for prefix in prefixes}
    first: dict[str, str] = {}
    for office, at in conn.execute(
        sa.text(
            "SELECT office, MIN(enrolled_at) FROM devices GROUP BY office"
            " UNION ALL SELECT office, MIN(created_at) FROM enroll_codes GROUP BY office"
        )
    ):
        first[office] = min(at, first.get(office, at))
    offices = sa.table(
        "offices", sa.column("code"), sa.column("province"), sa.column("registered_at")
    )
    rows = [
        {"code": code, "province": province_of.get(code.split("-", 1)[0]), "registered_at": at}
        for code, at in sorted(first.items())
    ]
    if rows:
        conn.execute(offices.insert(), rows)


def _unique(name: str, viewer_id: int, taken: set[str]) -> str:
    """The viewer's name, or with its id after it when another account has it."""
    base = " ".join(name.split())[:NAME_MAX] or f"viewer {viewer_id}"
    wanted, n = base, 0
    while wanted in taken:  # a second "(id)" only if a viewer was named so by hand
        n += 1
        suffix = f" ({viewer_id})" if n == 1 else f" ({viewer_id}-{n})"
        wanted = base[: NAME_MAX - len(suffix)] + suffix
    taken.add(wanted)
    return wanted


def _viewers_to_accounts(conn: sa.Connection) -> None:
    accounts = sa.table(
        "accounts",
        sa.column("id"),
        sa.column("name"),
        sa.column("kind"),
        sa.column("role"),
        sa.column("token_sha256"),
        sa.column("personal_data"),
        sa.column("created_at"),
        sa.column("revoked_at"),
    )
    scopes = sa.table(
        "account_scopes", sa.column("account_id"), sa.column("kind"), sa.column("code")
    )
    viewers = conn.execute(
        sa.text("SELECT id, name, token_sha256, created_at, revoked_at FROM viewers ORDER BY id")
    ).all()
    if not viewers:
        return
    taken: set[str] = set()
    conn.execute(
        accounts.insert(),
        [
            {
                "id": v.id,
                "name": _unique(v.name, v.id, taken),
                "kind": "token",
                "role": "viewer",
                "token_sha256": v.token_sha256,
                "personal_data": 0,
                "created_at": v.created_at,
                "revoked_at": v.revoked_at,
            }
            for v in viewers
        ],
    )
    conn.execute(
        scopes.insert(), [{"account_id": v.id, "kind": "nation", "code": ""} for v in viewers]
    )
    if conn.dialect.name == "postgresql":  # the ids were given: the next one follows them
        conn.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('accounts', 'id'),"
                " (SELECT MAX(id) FROM accounts))"
            )
        )


def upgrade() -> None:
    _create_tables()
    conn = op.get_bind()
    provinces = sa.table("provinces", sa.column("code"), sa.column("name_en"), sa.column("name_lo"))
    conn.execute(
        provinces.insert(),
        [{"code": c, "name_en": en, "name_lo": lo} for c, en, lo, _ in PROVINCES],
    )
    _register_offices(conn)
    _viewers_to_accounts(conn)
    op.drop_table("viewers")


def downgrade() -> None:
    raise NotImplementedError("the centre's schema is only ever upgraded")
