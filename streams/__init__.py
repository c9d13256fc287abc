"""wirefeed: parse, link, enrich and publish news-agency wire messages.

The package splits into a pure core (``formats``, ``linking``, ``enrich``, ``core``) that knows
nothing of Kafka, and thin edges (``app``, ``agents``, ``cli``) that move bytes in and out.
"""
