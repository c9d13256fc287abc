"""The in-process pipeline behind ``wirefeed process``: the agents' core, without Kafka.

It runs exactly the functions the agents run (``core.ingest``, ``Linker.decide``/``commit``,
``core.build_event``) over an in-memory store, so a test can hold both shells to the same output.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from schemas.events import StoryEvent
from streams.core import Enrich, Origin, build_events, ingest
from streams.errors import WirefeedError
from streams.formats.base import Parser
from streams.formats.registry import DEFAULT_MAX_BYTES
from streams.linking.linker import Linker, LinkerConfig
from streams.linking.store import MemoryStore
from streams.ninjs import NinjsVersion
from streams.settings import Settings


@dataclass
class Outcome:
    events: list[StoryEvent] = field(default_factory=list)
    rejection: WirefeedError | None = None
    link_outcomes: list[str] = field(default_factory=list)
    story_ids: list[str] = field(default_factory=list)


class Pipeline:
    def __init__(
        self,
        parsers: Mapping[str, Parser],
        enrich: Enrich,
        linker_config: LinkerConfig | None = None,
        ninjs_version: NinjsVersion = "2.1",
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.parsers = parsers
        self.enrich = enrich
        self.store = MemoryStore()
        self.linker = Linker(self.store, linker_config)
        self.ninjs_version: NinjsVersion = ninjs_version
        self.max_bytes = max_bytes

    def process(self, raw: bytes, origin: Origin) -> Outcome:
        outcome = Outcome()
        try:
            wires = ingest(raw, origin, self.parsers, self.enrich, self.max_bytes)
        except WirefeedError as exc:
            outcome.rejection = exc
            return outcome
        for wire in wires:
            result = self.linker.decide(wire)
            outcome.link_outcomes.append(result.outcome)
            outcome.events.extend(build_events(result, self.ninjs_version))
            outcome.story_ids.append(result.state.story_id)
            self.linker.commit(result)
        return outcome


def pipeline_for(settings: Settings, ninjs_version: NinjsVersion | None = None) -> Pipeline:
    """The in-process pipeline configured like a worker."""
    from streams.enrich import Enricher
    from streams.formats.registry import default_parsers

    return Pipeline(
        default_parsers(),
        Enricher().enrich,
        settings.linker_config(),
        ninjs_version or settings.ninjs_version,
        settings.max_message_bytes,
    )
