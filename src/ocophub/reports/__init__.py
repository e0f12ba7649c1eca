"""Cross-domain read-only pages and exports: the audit trail reads the rows every app already writes."""
