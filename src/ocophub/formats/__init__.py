"""Date and number formats that Django's own locale files leave to the defaults (FORMAT_MODULE_PATH)."""
