"""banmian (版面): OCR'd Chinese newspaper pages → a searchable two-script digital edition."""

__version__ = "0.1.0"
