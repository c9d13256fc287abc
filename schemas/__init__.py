"""Typed payloads of every wirefeed topic, and the JSON Schema files generated from them."""
