"""Route-permission rules of the site shell's public pages (merged into tests/test_route_matrix.py)."""

from ..route_rules import PAGE, Rule, _get

PAGES: dict[str, Rule] = {
    "web:robots": Rule(_get("/robots.txt"), None, PAGE, PAGE),
    "web:sitemap": Rule(_get("/sitemap.xml"), None, PAGE, PAGE),
    "web:sitemap_section": Rule(_get("/sitemap-san-pham.xml"), None, PAGE, PAGE),
    "catalogue:producers": Rule(_get("/chu-the/?q=gom"), None, PAGE, PAGE),
    "catalogue:villages": Rule(_get("/lang-nghe/?q=bat"), None, PAGE, PAGE),
}
OPERATIONS: dict[str, Rule] = {}
