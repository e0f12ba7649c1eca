"""Excel import and export of OCOP product lists, in the layout the city publishes.

One row per product: the product, its producer (chủ thể) and the product's latest valid certificate.
An import is all-or-nothing: every row is checked first, and only a file without a single error is
written, in one transaction, through the catalogue's services. Importing an exported file changes nothing.

The rules the city's lists leave open:
- the header row is found by its titles among the first ten rows of the first sheet that has one, so a
  title line above it, another column order and extra columns are accepted; empty rows are skipped;
- a producer is the one with the row's registration (tax) number, else the one of the same folded name
  in the same commune, else a new one; its details come from the first row that names it (a matched
  producer takes that row's non-blank values);
- a product is the producer's product of the same folded name (updated) or a new one (published);
  a blank cell never clears a stored value; one product appears on one row only;
- a certificate is recorded when the row has a decision, unless the product already has a certificate
  with that decision number; its issuer follows from the deciding level;
- a commune is looked up in its district (Quận/huyện), or without one among today's communes first,
  then the former communes when the name is unique;
- a unit officer may only import rows of communes their units cover; a city administrator any.
"""

from .export import can_import, products_export, products_for
from .importer import products_import
from .layout import COLUMNS, NOT_EXCEL, XLSX_CONTENT_TYPE, ImportReport, PreviewRow, RowError

__all__ = [
    "COLUMNS",
    "NOT_EXCEL",
    "ImportReport",
    "PreviewRow",
    "RowError",
    "XLSX_CONTENT_TYPE",
    "can_import",
    "products_export",
    "products_for",
    "products_import",
]
