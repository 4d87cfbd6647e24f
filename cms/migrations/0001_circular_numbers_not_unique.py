"""Drop the unique index on circular numbers: a circular's translations share its number.

Before translations came, `content.number_1` was unique (sparse). Translations
of a circular carry the original's number, so that index would refuse them; the
current model has no index on the number.
"""

from pymongo.database import Database


def apply(db: Database) -> None:
    """Drop `content.number_1` if it is the old unique one."""
    collection = db["content"]
    if collection.index_information().get("number_1", {}).get("unique"):
        collection.drop_index("number_1")
