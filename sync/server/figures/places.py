"""Where each office sits (its district and province) and the names of places, from the
centre's hierarchy tables: small tables, read whole once per figure."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from sync.server.db import districts, offices, provinces


@dataclass(frozen=True)
class Named:
    code: str
    name_en: str | None
    name_lo: str | None


@dataclass(frozen=True)
class Office(Named):
    province: str | None
    district: str | None


@dataclass(frozen=True)
class Places:
    offices: dict[str, Office]
    districts: dict[str, Named]
    provinces: dict[str, Named]

    def office(self, code: str) -> Office:
        """An office the registry does not hold yet (a counter pushed before an admin placed
        it) is in no district or province."""
        return self.offices.get(code) or Office(code, None, None, None, None)


def read_places(conn: Connection) -> Places:
    return Places(
        offices={
            r.code: Office(r.code, r.name_en, r.name_lo, r.province, r.district)
            for r in conn.execute(
                select(
                    offices.c.code,
                    offices.c.name_en,
                    offices.c.name_lo,
                    offices.c.province,
                    offices.c.district,
                )
            )
        },
        districts={
            r.code: Named(r.code, r.name_en, r.name_lo)
            for r in conn.execute(
                select(districts.c.code, districts.c.name_en, districts.c.name_lo)
            )
        },
        provinces={
            r.code: Named(r.code, r.name_en, r.name_lo)
            for r in conn.execute(
                select(provinces.c.code, provinces.c.name_en, provinces.c.name_lo)
            )
        },
    )
