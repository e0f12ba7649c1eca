"""The design app fills the hooks of lower apps (the center and product pages' panels)."""


def install() -> None:
    """Nothing yet: the portfolio's panels register here."""
