"""The design app fills the hooks of lower apps: the center page's panel of its portfolio designs and
the product page's panel of its current label, package and portfolio designs."""

CENTER_PANEL = "design/_center_portfolio.html"
PRODUCT_PANEL = "design/_product_designs.html"


def install() -> None:
    from ocophub.catalogue import selectors as catalogue
    from ocophub.centers import selectors as centers

    from . import selectors_portfolio

    panel = (CENTER_PANEL, selectors_portfolio.center_portfolio)
    if panel not in centers.CENTER_PANELS:
        centers.CENTER_PANELS.append(panel)
    if PRODUCT_PANEL not in catalogue.PRODUCT_PANELS:
        catalogue.PRODUCT_PANELS.append(PRODUCT_PANEL)
