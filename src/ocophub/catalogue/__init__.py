"""Producers, the product taxonomy, OCOP products and their star certificates (who decides which
stars, expiry notices), search that ignores diacritics, Excel import and export, QR and trace pages."""
