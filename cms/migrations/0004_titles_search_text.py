"""Fill every item's `search_text`: its title folded for search (umlauts, case, accents), which search matches.

Items saved before search folding have no `search_text` (or an empty one) and
would never be found. The folding is the current `fold_for_search`; should it
change, a later migration recomputes the field.
"""

from pymongo.database import Database

from content_types.search import fold_for_search


def apply(db: Database) -> None:
    """Set `search_text` from the title where it is missing or empty."""
    content = db["content"]
    for stored in content.find({"$or": [{"search_text": {"$exists": False}}, {"search_text": ""}]}, {"title": 1}):
        content.update_one(
            {"_id": stored["_id"]}, {"$set": {"search_text": fold_for_search(stored.get("title") or "")}}
        )
