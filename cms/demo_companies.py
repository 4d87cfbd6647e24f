"""Demo data for the company database: companies of member cities and cooperation projects between them."""

from datetime import date, datetime

from cms.operations import content
from content_types import Company, CooperationProject, MemberCity, User
from content_types.company import StageChange
from workflows import engine

# (title, other names, city, sector, size, products, interests, description)
COMPANIES = (
    (
        "Aachener Antriebstechnik GmbH",
        {"name_zh": "亚琛驱动技术有限公司"},
        "Aachen",
        "C29.3",
        "medium",
        ["Elektrische Antriebe", "Getriebe für E-Fahrzeuge"],
        ["sales_partners", "joint_venture"],
        "Zulieferer von Antriebssträngen für Elektrofahrzeuge; sucht Partner in China für eine gemeinsame Fertigung.",
    ),
    (
        "Wuppertaler Bremssysteme AG",
        {"name_zh": "伍珀塔尔制动系统股份公司"},
        "Wuppertal",
        "C29.3",
        "large",
        ["Bremsscheiben", "Bremssättel"],
        ["sales_partners", "technology_offered"],
        "Automobilzulieferer für Bremssysteme, Lizenzfertigung in Südchina geplant.",
    ),
    (
        "Osnabrücker Karosseriebau KG",
        {"name_zh": "奥斯纳布吕克车身制造公司"},
        "Osnabrück",
        "C29.2",
        "medium",
        ["Karosserieteile", "Leichtbau-Aufbauten"],
        ["technology_offered", "investment_sought"],
        "Karosserie- und Leichtbau für Nutzfahrzeuge.",
    ),
    (
        "Aachen Sensorik GmbH",
        {"name_en": "Aachen Sensor Systems"},
        "Aachen",
        "C26",
        "small",
        ["Radarsensoren", "Lidar-Module"],
        ["research", "sales_partners"],
        "Ausgründung der RWTH Aachen für Sensorik im autonomen Fahren.",
    ),
    (
        "Wuppertal Maschinenbau GmbH",
        {},
        "Wuppertal",
        "C28",
        "medium",
        ["Werkzeugmaschinen", "Spannsysteme"],
        ["sales_partners", "suppliers"],
        "Werkzeugmaschinen für die Metallbearbeitung.",
    ),
    (
        "Osnabrück Logistik Service GmbH",
        {},
        "Osnabrück",
        "H",
        "small",
        ["Kontraktlogistik", "Seefracht China–Europa"],
        ["sales_partners"],
        "Logistik für Exporte nach Südchina über die Bahnverbindung.",
    ),
    (
        "Köln-Aachen Kunststofftechnik GmbH",
        {},
        "Aachen",
        "C22",
        "medium",
        ["Spritzguss", "Kunststoffteile für Fahrzeuginnenräume"],
        ["joint_venture", "sales_partners"],
        "Spritzgussteile für Automobilinnenräume; Straße der Industrie 12, Aachen.",
    ),
    (
        "佛山汽车零部件有限公司",
        {"name_de": "Foshan Automobilteile GmbH", "name_en": "Foshan Auto Parts Co., Ltd."},
        "Foshan",
        "C29.3",
        "large",
        ["车灯", "内饰件"],
        ["suppliers", "technology_sought"],
        "佛山汽车零部件供应商，寻求德国技术合作伙伴，开展中德合作项目。",
    ),
    (
        "佛山机械装备集团",
        {"name_de": "Foshan Maschinen- und Anlagenbau", "name_en": "Foshan Machinery Group"},
        "Foshan",
        "C28",
        "large",
        ["注塑机", "数控机床"],
        ["technology_sought", "investment_offered"],
        "注塑机和数控机床制造商，希望与德国企业在技术方面合作。",
    ),
    (
        "江门新能源汽车有限公司",
        {"name_de": "Jiangmen Neue-Energie-Fahrzeuge", "name_en": "Jiangmen NEV Co."},
        "Jiangmen",
        "C29.1",
        "large",
        ["电动客车", "电动物流车"],
        ["suppliers", "technology_sought"],
        "新能源汽车整车制造，寻找德国汽车供应商。",
    ),
    (
        "株洲轨道交通装备有限公司",
        {"name_de": "Zhuzhou Schienenfahrzeugtechnik", "name_en": "Zhuzhou Rail Equipment"},
        "Zhuzhou",
        "C30",
        "large",
        ["轨道车辆", "牵引系统"],
        ["research", "investment_offered"],
        "轨道交通装备制造，与德国研究机构合作研发。",
    ),
    (
        "肇庆电子科技有限公司",
        {"name_de": "Zhaoqing Elektronik", "name_en": "Zhaoqing Electronics"},
        "Zhaoqing",
        "C26",
        "medium",
        ["传感器", "汽车电子"],
        ["research", "suppliers"],
        "汽车电子和传感器制造，寻求研发合作伙伴。",
    ),
    (
        "合肥智能制造有限公司",
        {"name_de": "Hefei Intelligente Fertigung", "name_en": "Hefei Smart Manufacturing"},
        "Hefei",
        "C28",
        "medium",
        ["工业机器人", "自动化产线"],
        ["suppliers", "joint_venture"],
        "工业机器人和自动化产线，计划与德国企业成立合资企业。",
    ),
    (
        "柳州汽车配件有限公司",
        {"name_de": "Liuzhou Kfz-Zubehör", "name_en": "Liuzhou Auto Accessories"},
        "Liuzhou",
        "C29.3",
        "medium",
        ["座椅骨架", "线束"],
        ["sales_partners", "technology_sought"],
        "汽车座椅骨架和线束供应商。",
    ),
)

# (title, kind, stage, German city, Chinese city, German companies, Chinese companies, volume EUR, stages)
PROJECTS = (
    (
        "Gemeinsame Fertigung von E-Antrieben in Foshan",
        "joint_venture",
        "agreed",
        "Aachen",
        "Foshan",
        ["Aachener Antriebstechnik GmbH"],
        ["佛山汽车零部件有限公司"],
        12_000_000,
        [("idea", date(2025, 9, 1)), ("talks", date(2026, 1, 15)), ("agreed", date(2026, 6, 30))],
    ),
    (
        "Lizenzfertigung von Bremssystemen",
        "technology_transfer",
        "talks",
        "Wuppertal",
        "Jiangmen",
        ["Wuppertaler Bremssysteme AG"],
        ["江门新能源汽车有限公司"],
        3_500_000,
        [("idea", date(2026, 2, 1)), ("talks", date(2026, 5, 10))],
    ),
    (
        "Forschungskooperation Schienenfahrzeug-Sensorik",
        "research",
        "running",
        "Aachen",
        "Zhuzhou",
        ["Aachen Sensorik GmbH"],
        ["株洲轨道交通装备有限公司"],
        800_000,
        [
            ("idea", date(2025, 3, 1)),
            ("talks", date(2025, 6, 1)),
            ("agreed", date(2025, 10, 1)),
            ("running", date(2026, 1, 10)),
        ],
    ),
    (
        "Werkzeugmaschinen für Hefei",
        "trade",
        "completed",
        "Wuppertal",
        "Hefei",
        ["Wuppertal Maschinenbau GmbH"],
        ["合肥智能制造有限公司"],
        2_100_000,
        [
            ("talks", date(2025, 1, 20)),
            ("agreed", date(2025, 4, 1)),
            ("running", date(2025, 6, 1)),
            ("completed", date(2026, 3, 31)),
        ],
    ),
    (
        "Investition in ein Logistikzentrum Osnabrück",
        "investment",
        "idea",
        "Osnabrück",
        "Foshan",
        ["Osnabrück Logistik Service GmbH"],
        ["佛山机械装备集团"],
        6_000_000,
        [("idea", date(2026, 8, 1))],
    ),
    (
        "Karosserie-Leichtbau für Liuzhou",
        "joint_venture",
        "dropped",
        "Osnabrück",
        "Liuzhou",
        ["Osnabrücker Karosseriebau KG"],
        ["柳州汽车配件有限公司"],
        4_000_000,
        [("idea", date(2025, 5, 1)), ("talks", date(2025, 8, 1)), ("dropped", date(2026, 2, 1))],
    ),
)


def _city(name: str) -> MemberCity:
    return MemberCity.find_by_name(name)


def _publish(editor, reviewer, item):
    return engine.fire(reviewer, engine.fire(editor, item, "submit"), "publish")


def create_demo_companies(editor: User, reviewer: User, member: User | None) -> int:
    """Create the demo companies and projects once, reviewed and published by the secretariat; return how many."""
    if Company.objects(title=COMPANIES[0][0]).first() is not None:
        return 0
    made = {}
    for title, names, city, sector, size, products, interests, text in COMPANIES:
        item = content.new_item(editor, Company.type_name)
        for name, value in {
            "title": title,
            "language": "zh" if names.get("name_de") else "de",
            "city": _city(city),
            "sector": sector,
            "size": size,
            "products": products,
            "interests": interests,
            "body": f"<p>{text}</p>",
            "contact_person": "Kontakt über das Sekretariat",
            "contact_mail": "companies@alliance.example",
            "public": True,
            **names,
        }.items():
            setattr(item, name, value)
        made[title] = _publish(editor, reviewer, content.create_item(editor, item))
    for title, kind, stage, german, chinese, german_firms, chinese_firms, volume, stages in PROJECTS:
        item = content.new_item(editor, CooperationProject.type_name)
        for name, value in {
            "title": title,
            "language": "de",
            "cooperation": kind,
            "stage": stage,
            "german_city": _city(german),
            "chinese_city": _city(chinese),
            "german_companies": [made[firm] for firm in german_firms],
            "chinese_companies": [made[firm] for firm in chinese_firms],
            "volume": volume,
            "currency": "EUR",
            "started_on": stages[0][1],
            "source": "Sekretariat",
            # The pipeline's past, as the secretariat learnt it (the dashboard charts it by quarter).
            "stage_history": [
                StageChange(stage=step, since=datetime.combine(day, datetime.min.time())) for step, day in stages
            ],
        }.items():
            setattr(item, name, value)
        _publish(editor, reviewer, content.create_item(editor, item))
    if member is not None:
        # A representative's proposal waiting in the secretariat's review.
        proposal = content.new_item(member, Company.type_name)
        for name, value in {
            "title": "佛山精密模具有限公司",
            "language": "zh",
            "city": member.city,
            "sector": "C25",
            "size": "small",
            "products": ["精密模具"],
            "interests": ["sales_partners"],
            "body": "<p>精密模具制造，寻求德国客户。</p>",
        }.items():
            setattr(proposal, name, value)
        engine.fire(member, content.create_item(member, proposal), "submit")
    return len(COMPANIES) + len(PROJECTS) + (member is not None)
