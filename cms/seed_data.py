"""The founding member cities, as the 2016 work concept (shared/seed) lists them."""

# (German, Chinese, English, country, initiator, status). The seed: the first six
# Chinese and the first three German cities are the initiators; eight German
# cities were "angefragt" (requested), not yet members.
FOUNDING_CITIES = (
    ("Foshan", "佛山", "Foshan", "CN", True, "member"),
    ("Jiangmen", "江门", "Jiangmen", "CN", True, "member"),
    ("Zhaoqing", "肇庆", "Zhaoqing", "CN", True, "member"),
    ("Jieyang", "揭阳", "Jieyang", "CN", True, "member"),
    ("Yunfu", "云浮", "Yunfu", "CN", True, "member"),
    ("Zhuzhou", "株洲", "Zhuzhou", "CN", True, "member"),
    ("Hefei", "合肥", "Hefei", "CN", False, "member"),
    ("Nanning", "南宁", "Nanning", "CN", False, "member"),
    ("Guiyang", "贵阳", "Guiyang", "CN", False, "member"),
    ("Liuzhou", "柳州", "Liuzhou", "CN", False, "member"),
    ("Jiaozuo", "焦作", "Jiaozuo", "CN", False, "member"),
    ("Aachen", "亚琛", "Aachen", "DE", True, "member"),
    ("Osnabrück", "奥斯纳布吕克", "Osnabrück", "DE", True, "member"),
    ("Wuppertal", "伍珀塔尔", "Wuppertal", "DE", True, "member"),
    ("Dortmund", "多特蒙德", "Dortmund", "DE", False, "requested"),
    ("Ingolstadt", "英戈尔施塔特", "Ingolstadt", "DE", False, "requested"),
    ("Kassel", "卡塞尔", "Kassel", "DE", False, "requested"),
    ("Wolfsburg", "沃尔夫斯堡", "Wolfsburg", "DE", False, "requested"),
    ("Bonn", "波恩", "Bonn", "DE", False, "requested"),
    ("Magdeburg", "马格德堡", "Magdeburg", "DE", False, "requested"),
    ("Duisburg", "杜伊斯堡", "Duisburg", "DE", False, "requested"),
    ("Mannheim", "曼海姆", "Mannheim", "DE", False, "requested"),
)

# The founding conference: the MoU was signed on 25 April 2016 (seed, MoU annex).
FOUNDED = (2016, 4, 25)


def seed_cities() -> int:
    """Insert the founding cities that are missing (never overwriting edits); return how many."""
    from datetime import datetime

    from content_types import MemberCity

    existing = set(MemberCity.objects.scalar("name_de"))
    missing = [
        MemberCity(
            name_de=name_de,
            name_zh=name_zh,
            name_en=name_en,
            country=country,
            initiator=initiator,
            status=status,
            joined=datetime(*FOUNDED) if status == "member" else None,
        )
        for name_de, name_zh, name_en, country, initiator, status in FOUNDING_CITIES
        if name_de not in existing
    ]
    for city in missing:
        city.validate()
    if missing:
        MemberCity.objects.insert(missing)
    return len(missing)
