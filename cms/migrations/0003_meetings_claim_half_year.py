"""Give every stored meeting its `half_year` claim ("2026/1"), kept unique by an index: one meeting per half-year.

Meetings stored before the claim existed have only `year` and `half`. Each gets
the claim unless another meeting holds it already (an old duplicate stays
unclaimed, and visible to the secretariat, rather than failing the migration).
Translations of a meeting never claim: their original does.
"""

from pymongo.database import Database

MEETING = "Content.Meeting"


def apply(db: Database) -> None:
    """Set `half_year` on the original meetings that lack it, where that half-year is free."""
    content = db["content"]
    unclaimed = {"_cls": MEETING, "half_year": {"$exists": False}, "translation_of": {"$exists": False}}
    for stored in content.find(unclaimed, {"year": 1, "half": 1}):
        claim = f"{stored.get('year')}/{stored.get('half')}"
        if content.count_documents({"half_year": claim}, limit=1) == 0:
            content.update_one({"_id": stored["_id"], "half_year": {"$exists": False}}, {"$set": {"half_year": claim}})
