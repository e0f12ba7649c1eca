"""Stock answers questions lower apps ask: which centers carry a product, what a center's OCOP share is."""


def install() -> None:
    from ocophub.catalogue import selectors as catalogue
    from ocophub.centers import selectors as centers

    from . import selectors

    if selectors.carriers not in catalogue.CARRIERS:
        catalogue.CARRIERS.append(selectors.carriers)
    if selectors.in_stock not in catalogue.IN_STOCK:
        catalogue.IN_STOCK.append(selectors.in_stock)
    if selectors.stock_centers_public not in catalogue.STOCK_CENTERS:
        catalogue.STOCK_CENTERS.append(selectors.stock_centers_public)
    panel = ("inventory/_center_goods.html", selectors.center_goods)
    if panel not in centers.CENTER_PANELS:
        centers.CENTER_PANELS.append(panel)
    if selectors.ocop_goods_share not in centers.GOODS_SHARE_PROVIDERS:
        centers.GOODS_SHARE_PROVIDERS.append(selectors.ocop_goods_share)
