"""The hosted pages' words, templates and assets."""
