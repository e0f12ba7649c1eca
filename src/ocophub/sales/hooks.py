"""The shop's answers to hooks of lower apps."""

BUY_PANEL = "sales/shop/_buy.html"


def install() -> None:
    """Offer the buy panel on the catalogue's product page (the catalogue does not know the shop)."""
    from ocophub.catalogue import selectors as catalogue

    if BUY_PANEL not in catalogue.PRODUCT_PANELS:
        catalogue.PRODUCT_PANELS.append(BUY_PANEL)
