"""Generate a large synthetic catalogue (producers, products and OCOP certificates) for benchmarks.

Every row is marked as synthetic (`is_illustrative`, source "Sinh tự động (generate)"). A run adds
more rows; slugs carry a running number, so running it again never collides.
"""

import datetime as dt
import math
import random
import time
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from ocophub.catalogue import search
from ocophub.catalogue.models import (
    CERTIFICATE_MONTHS,
    Certificate,
    Producer,
    ProducerKind,
    Product,
    ProductEvent,
    ProductStatus,
    RuleSet,
    StarDecider,
    TaxonomyNode,
    add_months,
)
from ocophub.catalogue.services import catalogue_version_bump, search_text_for, stars_refresh
from ocophub.common.dates import local_today
from ocophub.common.progress import ProgressPrinter
from ocophub.common.text import fold, slug
from ocophub.places.models import AdministrativeUnit, CraftVillage, Era, Level

SOURCE = "Sinh tự động (generate)"
RULE_SET = "148"
PRODUCTS_PER_PRODUCER = 25
BATCH = 2000
VILLAGE_SHARE = 0.35  # producers that belong to a craft village
OWN_CATEGORY_SHARE = 0.8  # products in the producer's own line of work (a village's producers: always)
CERTIFIED_SHARE = 0.35  # products with an OCOP certificate (some of them expired by now)
STAR_WEIGHTS = {3: 60, 4: 32, 5: 8}
FIRST_DECISION = dt.date(2023, 3, 1)  # under rule set 148 (from 24/02/2023)
ISSUERS = {
    "district": "UBND cấp huyện",
    "province": "UBND thành phố Hà Nội",
    "central": "Hội đồng OCOP Trung ương",
}


@dataclass(frozen=True)
class Category:
    taxonomy: str  # TaxonomyNode code under rule set 148
    activity: str  # as in a producer's name: "Hợp tác xã gốm sứ Bát Tràng"
    crafts: tuple[str, ...]  # craft slugs of the villages that make it
    bases: tuple[str, ...]  # a product name is a base, a modifier and sometimes the place
    modifiers: tuple[str, ...]
    prices: tuple[int, int]  # đồng
    units: tuple[str, ...]


def _split(text: str) -> tuple[str, ...]:
    """Split "a | b | c" into ("a", "b", "c"), so that the vocabulary below stays compact."""
    return tuple(part.strip() for part in text.split("|") if part.strip())


def _category(
    taxonomy: str, activity: str, crafts: str, bases: str, modifiers: str, prices: tuple[int, int], units: str
) -> Category:
    return Category(
        taxonomy, activity, _split(crafts), _split(bases), _split(modifiers), prices, _split(units)
    )


# taxonomy, activity, crafts, bases, modifiers, price range, units
CATEGORIES = (
    _category(
        "148-gom-su", "gốm sứ", "gom-su",
        "Bình gốm | Bình hút lộc gốm sứ | Ấm chén gốm | Bộ ấm trà gốm | Lọ hoa gốm | Đĩa gốm | Bát gốm"
        " | Chum gốm | Đèn gốm | Tượng gốm | Cốc gốm",
        "men lam | men rạn | men ngọc | men nâu | men lam vẽ tay | men hoa biến | vẽ sen | đắp nổi | dáng tỏi"
        " | men trắng vẽ lam",
        (60_000, 6_000_000), "chiếc | bộ | đôi",
    ),
    _category(
        "148-son-mai", "sơn mài", "son-mai",
        "Hộp sơn mài | Tranh sơn mài | Khay sơn mài | Bình sơn mài | Đĩa sơn mài | Lọ sơn mài | Bát sơn mài"
        " | Hộp trang sức sơn mài",
        "khảm trứng | vẽ vàng | dát bạc | cẩn ốc | phong cảnh làng quê | hoa sen | tứ quý | đỏ son",
        (150_000, 15_000_000), "chiếc | bộ",
    ),
    _category(
        "148-kham-trai", "khảm trai", "kham-trai",
        "Tranh khảm trai | Hộp khảm trai | Khay khảm trai | Tráp khảm trai | Hộp bút khảm trai"
        " | Đĩa khảm trai | Bộ bàn ghế khảm trai",
        "tứ quý | phong cảnh | chữ Phúc | hoa điểu | Văn Miếu | cửu ngư | thuận buồm xuôi gió",
        (200_000, 40_000_000), "chiếc | bộ",
    ),
    _category(
        "148-may-tre-dan", "mây tre đan", "may-tre-dan",
        "Giỏ | Làn | Khay | Hộp | Đèn | Lẵng hoa | Mành | Ghế | Túi xách",
        "mây đan | tre đan | cói đan | giang đan | lục bình đan | mây tre đan",
        (40_000, 2_500_000), "chiếc | bộ",
    ),
    _category(
        "148-do-go", "đồ gỗ mỹ nghệ", "tuong-go-do-tho | cham-khac-go",
        "Tượng Phật | Tượng Di Lặc | Hoành phi | Câu đối | Lục bình | Hộp trà | Tượng Quan Âm | Đôi hạc thờ",
        "gỗ mít | gỗ hương | gỗ gụ | sơn son thếp vàng | chạm khắc | gỗ vàng tâm",
        (300_000, 50_000_000), "chiếc | bộ | đôi",
    ),
    _category(
        "148-det-may", "dệt lụa", "det-lua | may-mac",
        "Khăn lụa | Áo dài lụa | Cà vạt lụa | Vải lụa | Túi lụa | Khăn quàng lụa | Áo sơ mi | Váy lụa",
        "tơ tằm | hoa văn truyền thống | thêu tay | vân quế | đũi | in hoa sen",
        (120_000, 4_000_000), "chiếc | mét | bộ",
    ),
    _category(
        "148-banh-mut-keo", "bánh truyền thống", "banh-chung",
        "Bánh chưng | Bánh giầy | Bánh cốm | Chè lam | Kẹo lạc | Ô mai | Mứt sen | Bánh tẻ | Bánh khúc",
        "Tranh Khúc | Quán Gánh | Thạch Xá | Hàng Than | truyền thống | lá dong | gấc | mơ gừng",
        (20_000, 350_000), "chiếc | hộp 500 g | hộp 300 g | gói",
    ),
    _category(
        "148-thuc-pham-khac", "chế biến thực phẩm", "che-bien-nong-san",
        "Giò lụa | Chả cá | Miến dong | Mật ong | Nem chua | Tương | Ruốc | Chả quế | Mắm tép",
        "Ước Lễ | Cự Đà | Phùng | Minh Hồng | Ba Vì | làng Vòng | truyền thống | hộp 500 g",
        (30_000, 600_000), "kg | hộp 500 g | chai | gói",
    ),
    _category(
        "148-nong-san-tuoi", "nông sản", "",
        "Bưởi Diễn | Cam Canh | Nhãn chín muộn | Gạo nếp cái hoa vàng | Gạo tám thơm | Ổi lê"
        " | Chuối tiêu hồng | Rau an toàn | Sữa bò tươi | Trứng gà",
        "Phú Diễn | Đông Dư | Sơn Tây | Mê Linh | Ba Vì | hữu cơ | VietGAP | loại 1",
        (15_000, 400_000), "kg | quả | túi 5 kg | hộp",
    ),
    _category(
        "148-che-tra", "chè", "",
        "Chè Shan tuyết | Trà sen | Trà hoa nhài | Chè xanh | Trà búp | Trà hoa cúc | Trà túi lọc",
        "Ba Vì | Tây Hồ | Quảng An | hộp 100 g | thượng hạng | ướp sen Bách Diệp",
        (50_000, 3_000_000), "hộp 100 g | hộp 200 g | gói 500 g",
    ),
    _category(
        "148-do-uong-khac", "đồ uống", "",
        "Rượu nếp cái | Rượu làng Vân | Nước mơ | Rượu chuối hột | Nước cốt gừng | Sữa chua nếp cẩm",
        "chai 500 ml | truyền thống | Vân Hà | Phú Lộc | hũ sành",
        (25_000, 900_000), "chai | hũ | thùng",
    ),
    _category(
        "148-duoc-lieu", "dược liệu", "",
        "Cao ích mẫu | Tinh dầu sả chanh | Trà đinh lăng | Cao cà gai leo | Trà xạ đen | Dầu gừng"
        " | Hà thủ ô | Cao atiso",
        "Ba Vì | người Dao | hộp 200 g | nguyên chất | Quảng Phú Cầu",
        (40_000, 1_500_000), "hộp | lọ | chai",
    ),
    _category(
        "148-sinh-vat-canh", "sinh vật cảnh", "",
        "Đào thế | Quất cảnh | Lan hồ điệp | Cây bonsai | Đào cành | Cây cảnh",
        "Nhật Tân | Tứ Liên | Quảng Bá | mini | dáng trực | chậu gốm",
        (100_000, 20_000_000), "cây | chậu",
    ),
    _category(
        "148-du-lich", "du lịch cộng đồng", "",
        "Tour trải nghiệm | Điểm du lịch | Homestay | Tour một ngày",
        "làng cổ | làng nghề | sinh thái | nông nghiệp | đồng quê",
        (150_000, 2_000_000), "người | đêm | đoàn",
    ),
)  # fmt: skip

SURNAMES = _split("Nguyễn | Trần | Lê | Phạm | Hoàng | Phan | Vũ | Đặng | Bùi | Đỗ | Ngô | Dương | Lý | Đinh")
MIDDLES = _split("Văn | Thị | Đức | Minh | Thu | Quang | Hữu | Ngọc | Thanh | Xuân")
GIVEN = _split(
    "An | Bình | Cường | Dũng | Hà | Hải | Hạnh | Hùng | Hương | Lan | Linh | Long | Mai | Nam | Nga | Phúc"
    " | Quân | Sơn | Thảo | Trang | Tuấn | Vân | Yến | Đạt | Huệ"
)
BRANDS = _split(
    "Hưng Thịnh | Minh Long | Phúc An | Thành Đạt | Hoàng Gia | Tâm An | Việt Hà | Kim Ngân | An Phát"
    " | Đại Việt | Hồng Phát | Bảo Ngọc"
)
HAMLETS = _split("Thôn Đông | Thôn Đoài | Thôn Trung | Thôn Thượng | Thôn Hạ | Xóm Chợ | Xóm Đình | Thôn Mới")
KIND_WEIGHTS = {
    ProducerKind.COOPERATIVE: 30,
    ProducerKind.COOPERATIVE_GROUP: 8,
    ProducerKind.ENTERPRISE: 25,
    ProducerKind.FARM: 7,
    ProducerKind.HOUSEHOLD: 27,
    ProducerKind.ASSOCIATION: 3,
}
STATUS_WEIGHTS = {ProductStatus.PUBLISHED: 90, ProductStatus.DRAFT: 7, ProductStatus.ARCHIVED: 3}
UNIT_PREFIXES = ("Xã ", "Phường ", "Thị trấn ")


def _place(commune: AdministrativeUnit, village: CraftVillage | None) -> str:
    if village is not None:
        return village.name
    name = commune.name
    for prefix in UNIT_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVEN)}"


def _producer_name(rng: random.Random, kind: str, category: Category, place: str) -> str:
    if kind == ProducerKind.COOPERATIVE:
        return f"Hợp tác xã {category.activity} {place}"
    if kind == ProducerKind.COOPERATIVE_GROUP:
        return f"Tổ hợp tác {category.activity} {place}"
    if kind == ProducerKind.ENTERPRISE:
        return f"Công ty TNHH {category.activity.capitalize()} {rng.choice(BRANDS)}"
    if kind == ProducerKind.FARM:
        return f"Trang trại {_person(rng)}"
    if kind == ProducerKind.ASSOCIATION:
        return f"Hội {category.activity} {place}"
    return f"Hộ kinh doanh {_person(rng)}"


def _product_name(rng: random.Random, category: Category, place: str) -> str:
    name = f"{rng.choice(category.bases)} {rng.choice(category.modifiers)}"
    if rng.random() < 0.3 and place not in name:
        name = f"{name} {place}"
    return name


def _price(rng: random.Random, category: Category) -> int:
    low, high = category.prices
    # log-uniform, whole thousands of đồng as shops price them
    return int(round(math.exp(rng.uniform(math.log(low), math.log(high))), -3))


class Command(BaseCommand):
    help = "Generate a large synthetic catalogue (producers, products, certificates) for benchmarks."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--products", type=int, required=True, help="How many products to add")
        parser.add_argument(
            "--producers",
            type=int,
            default=None,
            help=f"How many producers to add (default: one per {PRODUCTS_PER_PRODUCER} products)",
        )
        parser.add_argument("--seed", type=int, default=None, help="Random seed, to repeat a run's content")

    def handle(self, *args: Any, **options: Any) -> None:
        total = options["products"]
        if total < 1:
            raise CommandError("--products must be at least 1.")
        producer_count = options["producers"] or math.ceil(total / PRODUCTS_PER_PRODUCER)
        if producer_count < 1:
            raise CommandError("--producers must be at least 1.")
        seed = options["seed"] if options["seed"] is not None else random.SystemRandom().randrange(1_000_000)
        rng = random.Random(seed)  # noqa: S311 — benchmark data, not secrets
        communes = list(
            AdministrativeUnit.objects.filter(era=Era.LEGACY, level=Level.COMMUNE)
            .select_related("parent")
            .order_by("code", "valid_to")
        )
        if not communes:
            raise CommandError("No communes: run `ocophub load_places` first.")
        villages = list(
            CraftVillage.objects.select_related("commune__parent").prefetch_related("crafts").order_by("slug")
        )
        nodes = {
            node.code: node
            for node in TaxonomyNode.objects.filter(rule_set__code=RULE_SET).select_related("parent__parent")
        }
        if not nodes:
            self.stdout.write(
                self.style.WARNING("No taxonomy of rule set 148 (reference data): products get none.")
            )

        started = time.monotonic()
        progress = ProgressPrinter(self.stdout)
        self.stdout.write(f"Generating {total} products (seed {seed}) …")
        producers = self._producers(rng, producer_count, communes, villages, progress)
        self._products(rng, total, producers, nodes, progress)
        _refresh_statistics()
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {len(producers)} producers and {total} products in {time.monotonic() - started:.1f}s."
            )
        )

    def _producers(
        self,
        rng: random.Random,
        count: int,
        communes: list[AdministrativeUnit],
        villages: list[CraftVillage],
        progress: ProgressPrinter,
    ) -> list[tuple[Producer, Category]]:
        kinds, kind_weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
        number = _next_number(Producer)
        made: list[tuple[Producer, Category]] = []
        for start in range(0, count, BATCH):
            batch: list[tuple[Producer, Category]] = []
            for _ in range(min(BATCH, count - start)):
                village = rng.choice(villages) if villages and rng.random() < VILLAGE_SHARE else None
                commune = village.commune if village is not None else rng.choice(communes)
                crafts = {craft.slug for craft in village.crafts.all()} if village is not None else set()
                category = rng.choice([c for c in CATEGORIES if crafts & set(c.crafts)] or CATEGORIES)
                kind = rng.choices(kinds, kind_weights)[0]
                place = _place(commune, village)
                name = _producer_name(rng, kind, category, place)
                producer = Producer(
                    name=name,
                    folded_name=fold(name),
                    slug=f"{slug(name)}-{number}",
                    kind=kind,
                    commune=commune,
                    craft_village=village,
                    representative=_person(rng),
                    address=f"{rng.choice(HAMLETS)}, {commune.name}",
                    phone=f"09{rng.randrange(10**8):08d}",
                    is_illustrative=True,
                    source=SOURCE,
                )
                number += 1
                batch.append((producer, category))
            _unclash(Producer, [producer for producer, _category in batch])
            with transaction.atomic():
                Producer.objects.bulk_create([producer for producer, _category in batch])
            made += batch
            progress("producers", len(made), count)
        return made

    def _products(
        self,
        rng: random.Random,
        total: int,
        producers: list[tuple[Producer, Category]],
        nodes: dict[str, TaxonomyNode],
        progress: ProgressPrinter,
    ) -> None:
        statuses, status_weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
        number = _next_number(Product)
        certify = _certifier(rng)
        done = 0
        while done < total:
            batch: list[Product] = []
            for _ in range(min(BATCH, total - done)):
                producer, category = rng.choice(producers)
                if producer.craft_village is None and rng.random() > OWN_CATEGORY_SHARE:
                    category = rng.choice(CATEGORIES)
                name = _product_name(rng, category, _place(producer.commune, producer.craft_village))
                product = Product(
                    producer=producer,
                    name=name,
                    folded_name=fold(name),
                    slug=f"{slug(name)}-{number}",
                    taxonomy=nodes.get(category.taxonomy),
                    description=f"{name} của {producer.name}.",
                    unit=rng.choice(category.units),
                    list_price=_price(rng, category),
                    status=rng.choices(statuses, status_weights)[0],
                    is_illustrative=True,
                    source=SOURCE,
                )
                product.search_text = search_text_for(product)  # the relations are in memory: no query
                number += 1
                batch.append(product)
            _unclash(Product, batch)
            with transaction.atomic():
                Product.objects.bulk_create(batch)
                ProductEvent.objects.bulk_create(
                    ProductEvent(product=product, from_state="", to_state=product.status, reason=SOURCE)
                    for product in batch
                )
                search.reindex([product.pk for product in batch])
                if certify is not None:
                    Certificate.objects.bulk_create(
                        certify(product) for product in batch if rng.random() < CERTIFIED_SHARE
                    )
                    stars_refresh([product.pk for product in batch])  # one UPDATE per batch
                catalogue_version_bump()
            done += len(batch)
            progress("products", done, total)


def _certifier(rng: random.Random) -> Any:
    """A maker of one certificate per product under rule set 148, decided by the level the rule set
    gives its stars, on a day from 01/03/2023 to yesterday (those older than 36 months have expired);
    None without the rule set or its deciders."""
    rule_set = RuleSet.objects.filter(code=RULE_SET).first()
    if rule_set is None:
        return None
    levels = dict(StarDecider.objects.filter(rule_set=rule_set).values_list("stars", "level"))
    stars_choices = [stars for stars in STAR_WEIGHTS if stars in levels]
    if not stars_choices:
        return None
    weights = [STAR_WEIGHTS[stars] for stars in stars_choices]
    span = (local_today() - dt.timedelta(days=1) - FIRST_DECISION).days

    def certificate(product: Product) -> Certificate:
        stars = rng.choices(stars_choices, weights)[0]
        decided = FIRST_DECISION + dt.timedelta(days=rng.randrange(max(span, 1)))
        return Certificate(
            product=product,
            rule_set=rule_set,
            deciding_level=levels[stars],
            stars=stars,
            decision_number=f"{rng.randrange(1, 9999)}/QĐ-UBND",
            decision_date=decided,
            issuer=ISSUERS.get(levels[stars], "UBND thành phố Hà Nội"),
            valid_until=add_months(decided, CERTIFICATE_MONTHS),
            is_illustrative=True,
            source=SOURCE,
        )

    return certificate


def _refresh_statistics() -> None:
    """Let the query planner see the new rows (PostgreSQL would otherwise keep its estimate of an
    empty table and scan instead of using the search indexes)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE catalogue_producer, catalogue_product, catalogue_certificate")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")


def _next_number(model: Any) -> int:
    """A running number for slugs, above every id so far (re-runs add, never collide)."""
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _unclash(model: Any, rows: list[Any]) -> None:
    """Make slugs unique against rows already stored (a name that happens to end in a number)."""
    taken = set(model.objects.filter(slug__in=[row.slug for row in rows]).values_list("slug", flat=True))
    for row in rows:
        while row.slug in taken:
            row.slug = f"{row.slug}-x"
        taken.add(row.slug)
