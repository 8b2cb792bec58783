"""Vitamin B12 deficiency decision support (placeholder while the core lands)."""
