"""Who walks up to the counter: citizens with the names, phones, ID numbers and villages a
Vientiane district office really sees, in the shapes clerks really type them.

The size figure is only honest if the text is: Lao script is three UTF-8 bytes a character, names
repeat the way real names do (a few very common, a long tail), and optional fields are sometimes
left empty.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import accumulate


def _words(text: str) -> list[str]:
    return text.split()


# Weighted by how common they are: the first names in each list are the ones everybody has.
LAO_GIVEN = _words(
    "ສົມຊາຍ ສົມພອນ ສົມສັກ ສົມບັດ ບຸນມີ ບຸນທັນ ບຸນເພັງ ຄຳພອນ ຄຳແພງ ຄຳສຸກ ທອງດີ ທອງສຸກ ທອງລາ"
    " ແສງຈັນ ແສງເດືອນ ພອນສະຫວັນ ສຸກສະຫວັນ ວັນນະສອນ ບົວພັນ ບົວລະພາ ນ້ອຍ ຈັນທອນ ມະນີວອນ ອານຸສອນ"
    " ສີສຸພັນ ພູວົງ ວິໄລພອນ ດາວເຮືອງ ອຳພອນ ຄຳມະນີ ສຸລິຍາ ເພັດສະໝອນ ໄຊສົມບູນ ລັດສະໝີ ຕຸ້ຍ ນາລີ"
    " ວຽງສະຫວັນ ອຸດອນ ພຸດທະສອນ ສີລິພອນ"
)
LAO_FAMILY = _words(
    "ພົມມະວົງ ສີສຸລາດ ວົງສະຫວັດ ແກ້ວມະນີວົງ ສຸວັນນະວົງ ພິລາວົງ ຈັນທະວົງ ໄຊຍະວົງ ອິນທະວົງ ສີຫາລາດ"
    " ແສງສຸລິຍາ ດວງມະນີ ພົມມະຈັນ ສີພັນດອນ ວໍລະຈິດ ສິດທິລາດ ຄຳວົງສາ ໄຊຍະສານ ບຸບຜາ ລາດຊະວົງ ທຳມະວົງ"
    " ພູມມາ ແກ້ວວົງສາ ສີສົມພອນ ຈັນທະລາ ໄຊສົງຄາມ ສຸລິວົງ ພົງສະຫວັນ ຫຼວງລາດ ມະນີວົງ ບຸນຍະວົງ ແສງອາລຸນ"
)
LATIN_GIVEN = _words(
    "Somsay Somphone Somsack Bounmy Bounthanh Khamphone Khamphaeng Thongdy Thongsouk Sengchanh"
    " Phonsavanh Souksavanh Vannasone Bouaphanh Noy Chanthone Manivone Anousone Phouvong"
    " Vilayphone Daovieng Amphone Souliya Phetsamone Latsamy Viengsavanh Oudone Phoutthasone"
)
LATIN_FAMILY = _words(
    "Phommavong Sisoulath Vongsavath Keomanivong Souvannavong Philavong Chanthavong Xayavong"
    " Inthavong Sihalath Sengsouliya Douangmany Phommachanh Siphandone Vorachith Sitthilath"
    " Khamvongsa Xayasane Boupha Latsavong Thammavong Phoumma Keovongsa Sisomphone Chanthala"
)
# Investors and spouses from abroad register firms and marriages too.
FOREIGN = (
    "Zhang Wei",
    "Li Na",
    "Wang Fang",
    "Nguyen Van An",
    "Tran Thi Mai",
    "Kim Min-jun",
    "Somchai Jaidee",
    "Sato Takeshi",
    "John Smith",
    "Marie Dubois",
)
LAO_TITLES = ("ທ້າວ ", "ນາງ ")
LAO_VILLAGES = _words(
    "ໂພນສະອາດ ໜອງບອນ ສີສັດຕະນາກ ທົ່ງກາງ ໂພນທັນ ຫາຍໂສກ ວັດນາກ ທາດຂາວ ຈອມແຈ້ງ ໂພນປ່າເປົ້າ ສະພັງເມິກ"
    " ດົງປ່າລານ ທ່າເດື່ອ ນາໄຮ ໂພນສີນວນ ສີບຸນເຮືອງ ຊຽງດາ ບຶງຂະຫຍອງ ໂຊກນ້ອຍ ດອນກອຍ ສີເມືອງ ທົ່ງພານທອງ"
)
LATIN_VILLAGES = _words(
    "Phonsaath Nongbone Sisattanak Thongkang Phonthan Haysok Watnak Thatkhao Chomchaeng"
    " Phonpapao Saphangmeuk Dongpalane Thadeua Nahai Phonsinuan Sibounheuang Xiengda"
)
DISTRICT_LO = ", ເມືອງ ສີສັດຕະນາກ"

# (code, share of the counter's requests): ID cards and family books dominate a district office.
SERVICE_MIX = (
    ("MPS-ID-CARD", 25),
    ("MOHA-FAM-BK", 20),
    ("MOHA-BIRTH", 15),
    ("MPWT-VEH-REG", 15),
    ("MOHA-MARR", 6),
    ("MOIC-ENT-REG", 6),
    ("MOIC-BIZ-LIC", 6),
    ("MPWT-BLD-PRM", 4),
    ("MONRE-LAND", 3),
)


@dataclass(frozen=True)
class Citizen:
    """What the clerk types at intake."""

    name: str
    phone: str | None
    id_number: str | None
    village: str | None


class Weighted:
    """A list to draw from with fixed weights (cumulative, as random.choices wants them)."""

    def __init__(self, items: list[str], weights: list[float]) -> None:
        self.items = items
        self.cum = list(accumulate(weights))

    @classmethod
    def zipf(cls, items: list[str]) -> Weighted:
        # Name frequencies fall off roughly as a power of their rank.
        return cls(items, [1.0 / (rank + 1) ** 0.8 for rank in range(len(items))])

    def pick(self, rng: random.Random) -> str:
        return rng.choices(self.items, cum_weights=self.cum)[0]


class People:
    """Draws citizens and services from one seeded generator, so a history is reproducible."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lao_given = Weighted.zipf(LAO_GIVEN)
        self.lao_family = Weighted.zipf(LAO_FAMILY)
        self.latin_given = Weighted.zipf(LATIN_GIVEN)
        self.latin_family = Weighted.zipf(LATIN_FAMILY)
        self.services = Weighted([c for c, _ in SERVICE_MIX], [s for _, s in SERVICE_MIX])

    def service_code(self) -> str:
        return self.services.pick(self.rng)

    def name(self) -> str:
        roll = self.rng.random()
        if roll < 0.75:
            name = f"{self.lao_given.pick(self.rng)} {self.lao_family.pick(self.rng)}"
            if self.rng.random() < 0.10:
                name = self.rng.choice(LAO_TITLES) + name
            return name
        if roll < 0.98:
            name = f"{self.latin_given.pick(self.rng)} {self.latin_family.pick(self.rng)}"
            # Clerks type transliterations as they come: some in capitals, a few lower case.
            case = self.rng.random()
            return name.upper() if case < 0.15 else name.lower() if case < 0.20 else name
        return self.rng.choice(FOREIGN)

    def phone(self) -> str | None:
        roll = self.rng.random()
        digits = "".join(self.rng.choices("0123456789", k=7))
        prefix = self.rng.choice("2579")
        if roll < 0.40:
            return f"020 {prefix}{digits[:3]} {digits[3:]}"
        if roll < 0.70:
            return f"020{prefix}{digits}"
        if roll < 0.82:
            return f"+856 20 {prefix}{digits[:3]} {digits[3:]}"
        if roll < 0.92:
            return f"030 {digits[:3]} {digits[3:]}"
        return None

    def id_number(self) -> str | None:
        roll = self.rng.random()
        if roll < 0.50:
            return "".join(self.rng.choices("0123456789", k=10))
        if roll < 0.60:
            return f"{self.rng.randrange(10_000):04d}/{self.rng.randrange(100):02d}"
        if roll < 0.65:
            return f"P{self.rng.randrange(10**7):07d}"
        return None

    def village(self, lao: bool) -> str | None:
        roll = self.rng.random()
        if roll < 0.15:
            return None
        if lao:
            village = f"ບ້ານ {self.rng.choice(LAO_VILLAGES)}"
            return village + DISTRICT_LO if roll < 0.35 else village
        return f"Ban {self.rng.choice(LATIN_VILLAGES)}"

    def citizen(self) -> Citizen:
        name = self.name()
        lao = not name.isascii()
        return Citizen(name, self.phone(), self.id_number(), self.village(lao))
