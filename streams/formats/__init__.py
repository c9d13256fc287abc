"""Format parsers: bytes in, ``ParsedItem`` out. Pure: no I/O, no state between calls."""
