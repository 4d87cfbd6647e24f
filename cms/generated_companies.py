"""Realistic generated companies for the company database: German and Chinese names and products, NACE sectors,
size classes and cooperation interests, spread over the member cities.

`generate(n, seed, cities)` returns field dicts (deterministic for a seed); `insert(companies, owner)` stores
them as published companies straight into the collection (a benchmark's or a demo's bulk load: the
secretariat's review of 20,000 companies one by one is not what is measured).
"""

import random

from content_types.company import INTERESTS, SIZES
from content_types.search import fold_for_search

# Sector code: (German name parts, German products, Chinese name parts, Chinese products).
SECTOR_WORDS = {
    "C29.3": (
        ["Zulieferer", "Autoteile", "Fahrzeugtechnik", "Antriebstechnik", "Karosserieteile"],
        ["Bremssysteme", "Getriebe", "Kabelbäume", "Sitzgestelle", "Scheinwerfer", "Batteriegehäuse"],
        ["汽车零部件", "汽配", "动力总成", "车身部件"],
        ["制动系统", "变速箱", "线束", "座椅骨架", "车灯", "电池壳体"],
    ),
    "C29.1": (
        ["Fahrzeugbau", "Nutzfahrzeuge"],
        ["Elektrobusse", "Transporter", "Sonderfahrzeuge"],
        ["汽车制造", "新能源汽车"],
        ["电动客车", "轻型货车", "专用车"],
    ),
    "C28": (
        ["Maschinenbau", "Anlagenbau", "Werkzeugmaschinen"],
        ["Fräsmaschinen", "Pumpen", "Verpackungsmaschinen", "Industrieroboter"],
        ["机械制造", "装备制造", "机床"],
        ["数控机床", "水泵", "包装机械", "工业机器人"],
    ),
    "C27": (
        ["Elektrotechnik", "Energietechnik"],
        ["Transformatoren", "Schaltanlagen", "Elektromotoren"],
        ["电气设备", "电力设备"],
        ["变压器", "开关柜", "电动机"],
    ),
    "C26": (
        ["Elektronik", "Sensorik", "Optik"],
        ["Leiterplatten", "Sensoren", "Steuergeräte"],
        ["电子科技", "光电", "传感器"],
        ["印刷电路板", "传感器", "控制器"],
    ),
    "C22": (
        ["Kunststofftechnik", "Gummiwerke"],
        ["Spritzgussteile", "Dichtungen", "Folien"],
        ["塑料制品", "橡胶制品"],
        ["注塑件", "密封件", "薄膜"],
    ),
    "C20": (["Chemie", "Lacke"], ["Beschichtungen", "Klebstoffe"], ["化工", "涂料"], ["涂层", "胶粘剂"]),
    "C25": (["Metallbau", "Stanztechnik"], ["Stanzteile", "Schrauben"], ["金属制品", "五金"], ["冲压件", "螺丝"]),
    "C10": (["Lebensmittel", "Feinkost"], ["Backwaren", "Soßen"], ["食品", "调味品"], ["烘焙食品", "酱料"]),
    "H": (["Logistik", "Spedition"], ["Seefracht", "Bahnfracht"], ["物流", "货运"], ["海运", "中欧班列"]),
    "M": (["Ingenieurbüro", "Beratung"], ["Planung", "Prüfung"], ["工程咨询", "检测"], ["设计", "检验"]),
}
GERMAN_FORMS = ["GmbH", "AG", "GmbH & Co. KG", "KG", "SE"]
GERMAN_FAMILIES = ["Müller", "Schröder", "Weiß", "Köhler", "Groß", "Becker", "Hoffmann", "Krüger", "Lang", "Vogt"]
CHINESE_FORMS = ["有限公司", "股份有限公司", "集团有限公司"]
CHINESE_BRANDS = ["华", "盛", "宏", "德", "信", "恒", "瑞", "新", "远", "佳"]


def generate(n: int = 20_000, seed: int = 15, cities=None) -> list[dict]:
    """Return `n` companies' fields (title, names, city id, sector, size, products, interests, contact)."""
    from content_types import MemberCity

    rng = random.Random(seed)
    cities = list(cities if cities is not None else MemberCity.objects(status="member"))
    sectors = list(SECTOR_WORDS)
    companies = []
    for number in range(n):
        city = cities[number % len(cities)]
        # A quarter are automotive suppliers: the alliance's cities are industrial.
        sector = "C29.3" if rng.random() < 0.25 else rng.choice(sectors)
        de_names, de_products, zh_names, zh_products = SECTOR_WORDS[sector]
        if city.country == "DE":
            title = f"{rng.choice(GERMAN_FAMILIES)} {rng.choice(de_names)} {city.name_de} {rng.choice(GERMAN_FORMS)}"
            products = rng.sample(de_products, min(2, len(de_products)))
            language = "de"
        else:
            title = f"{city.name_zh}{rng.choice(CHINESE_BRANDS)}{rng.choice(CHINESE_BRANDS)}{rng.choice(zh_names)}"
            title += rng.choice(CHINESE_FORMS)
            products = rng.sample(zh_products, min(2, len(zh_products)))
            language = "zh"
        companies.append(
            {
                "title": f"{title} {number}",
                "language": language,
                "name_en": f"{city.name_en} {sector} Company {number}",
                "city": city.pk,
                "country": city.country,
                "sector": sector,
                "size": rng.choice(SIZES),
                "products": products,
                "interests": sorted(rng.sample(INTERESTS, rng.randint(1, 3)), key=INTERESTS.index),
                # Most agree to be listed on the public site; the rest only for the member cities.
                "public": rng.random() < 0.7,
                "contact_person": f"Kontakt {number}",
                "contact_mail": f"kontakt{number}@firma.example",
            }
        )
    return companies


def insert(companies: list[dict], owner=None, state: str | None = None, batch: int = 100) -> int:
    """Store `companies` as `state` items (default: published) of their own; return how many."""
    from content_types import Company
    from workflows.definitions import flagged_states

    # The state a company is published in: released and with a frozen version (not archived).
    state = state or flagged_states(Company.type_name, "released", "versioned")[0]

    stored = 0
    for start in range(0, len(companies), batch):
        documents = []
        for fields in companies[start : start + batch]:
            company = Company(owner=owner, state=state, revision=1, **fields)
            # What clean() would fold (it is not called: that would look up each company's city again).
            company.search_text = fold_for_search(company.title)
            document = company.to_mongo()
            documents.append(document)
        Company._get_collection().insert_many(documents)
        stored += len(documents)
    return stored


# What marks a generated company (its English name, "Aachen C28 Company 17"): the demo's own have other names.
_GENERATED = " Company "


def add_generated_companies(count: int, seed: int = 15) -> int:
    """Store generated companies until there are `count` of them (the same ones for a seed); return how many."""
    from content_types import Company

    present = Company.objects(name_en__contains=_GENERATED).count()
    if present >= count:
        return 0
    return insert(generate(count, seed)[present:])
