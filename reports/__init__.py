"""Pure renderers: plain data in → PDF/XLSX bytes out. No Flask, no SQLAlchemy, no assets_app."""
