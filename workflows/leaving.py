"""What a city's leaving (withdrawn or excluded) does to the processes it takes part in.

A city that leaves can no longer decide on the membership applications
circulated to it while it was a member. Its open decisions fall away,
recorded, so that they don't block those applications (seed V: the consent of
all *member* cities).
"""

import logging

log = logging.getLogger(__name__)


def decisions_fall_away(city_id, item, step) -> list:
    """Record that the leaving city's open decisions on pending applications fall away; return the applications.

    `item` is the withdrawal or exclusion motion that made the city leave and
    `step` the committed step (its `follow` fires a consequent transition).

    HOOK for the merge with the membership branch (its ConsentDecision model
    and FALLEN_AWAY decision, content_types/membership.py): for every
    application in a consultation state whose frozen `consulted_cities` hold
    `city_id` and on which the city has not decided, insert
    ConsentDecision(application=…, city=city_id, decision=FALLEN_AWAY,
    comment=<names `item`>) (a Conflict means the city decided meanwhile:
    its decision stands), then, where every remaining consulted city has
    consented, `step.follow(application, "accept", {})` (the engine checks
    `all_consented` and its compare-and-set makes it happen once). Until that
    model exists there is nothing to record.
    """
    log.info(
        "city %s left through %s %s; no consent model to record fallen-away decisions in",
        city_id,
        getattr(item, "type_name", "?"),
        getattr(item, "pk", None),
    )
    return []
