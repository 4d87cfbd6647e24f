"""Signals the engine sends after a transition, for listeners whose order can't matter (the audit log, mail)."""

from blinker import Namespace

_signals = Namespace()

# Sent after a transition was written: sender is the item (as stored afterwards);
# keyword arguments: transition (the definition), entry (the HistoryEntry), actor.
transition_fired = _signals.signal("transition-fired")

# Sent when the engine refuses a transition to a user who may not fire it.
transition_refused = _signals.signal("transition-refused")
