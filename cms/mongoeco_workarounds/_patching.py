"""One replaced attribute of mongoeco: where it lives, what replaces it, what it was."""

from dataclasses import dataclass, field


@dataclass
class Patch:
    """Replace `owner.name` with `replacement`; the original is read at import, so a renamed attribute fails loudly."""

    owner: type
    name: str
    replacement: object
    original: object = field(init=False)

    def __post_init__(self):
        # AttributeError here means mongoeco changed its private API: re-check every workaround.
        self.original = self.owner.__dict__[self.name]

    def apply(self) -> None:
        """Install the replacement."""
        setattr(self.owner, self.name, self.replacement)

    def remove(self) -> None:
        """Restore mongoeco's own attribute."""
        setattr(self.owner, self.name, self.original)

    @property
    def applied(self) -> bool:
        """Whether the replacement is installed."""
        return self.owner.__dict__[self.name] is self.replacement
