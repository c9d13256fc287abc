"""``wirefeed``: the command line. Sub-commands are thin: they read input, call the core or
start the Kafka edge, and print JSON lines (events on stdout, problems on stderr).

Exit codes: 0 when all input was handled (rejected inputs included, for ``process``), 1 when
``parse`` rejected an input or a Kafka command failed, 2 for usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime

from streams.inputs import UsageError, check_paths, iter_inputs
from streams.settings import SettingsError, load_settings


def _format_names() -> list[str]:
    from streams.formats.registry import default_parsers

    return sorted(default_parsers())


def _emit_error(name: str, code: str, message: str, stage: str) -> None:
    line = {"input": name, "code": code, "message": message, "stage": stage}
    print(json.dumps(line, ensure_ascii=False), file=sys.stderr, flush=True)


def cmd_process(args: argparse.Namespace) -> int:
    from streams.core import Origin
    from streams.pipeline import pipeline_for

    settings = load_settings()
    paths = check_paths(args.paths)
    pipeline = pipeline_for(settings, args.ninjs_version)
    out = sys.stdout
    for message in iter_inputs(paths):
        if message.error:
            _emit_error(message.name, "bad_input_line", message.error, "read")
            continue
        origin = Origin(received_at=message.received_at or datetime.now(UTC), format_hint=args.format)
        outcome = pipeline.process(message.payload, origin)
        if outcome.rejection is not None:
            error = outcome.rejection
            _emit_error(message.name, error.code, error.message, error.stage)
        for event in outcome.events:
            out.write(event.model_dump_json() + "\n")
    out.flush()
    return 0


def cmd_parse(args: argparse.Namespace) -> int:
    from streams.errors import WirefeedError
    from streams.formats.registry import default_parsers, parse_message

    settings = load_settings()
    parsers = default_parsers()
    failed = False
    for message in iter_inputs(check_paths(args.paths)):
        if message.error:
            _emit_error(message.name, "bad_input_line", message.error, "read")
            failed = True
            continue
        try:
            items = parse_message(
                message.payload, parsers, hint=args.format, max_bytes=settings.max_message_bytes
            )
        except WirefeedError as exc:
            _emit_error(message.name, exc.code, exc.message, exc.stage)
            failed = True
            continue
        for item in items:
            sys.stdout.write(item.model_dump_json() + "\n")
    return 1 if failed else 0


def cmd_worker(args: argparse.Namespace) -> int:
    from streams.worker import run_worker

    overrides = {"web_port": args.web_port} if args.web_port else {}
    return run_worker(load_settings(**overrides))


def cmd_produce(args: argparse.Namespace) -> int:
    from streams.kafka_cli import produce

    return produce(load_settings(), check_paths(args.paths), args.format, args.feed, args.topic)


def cmd_tail(args: argparse.Namespace) -> int:
    from streams.kafka_cli import tail

    return tail(load_settings(), args.from_beginning, args.limit, args.timeout, args.json, args.topic)


def cmd_topics(args: argparse.Namespace) -> int:
    import asyncio

    from streams.topics import ensure_topics

    created = asyncio.run(ensure_topics(load_settings()))
    print(json.dumps({"created": created}))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from streams.demo import run_demo

    return run_demo(load_settings(), check_paths(args.paths), args.timeout)


def cmd_eval_linking(args: argparse.Namespace) -> int:
    from streams.evaluate import run_eval

    return run_eval(load_settings(), check_paths(args.paths))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wirefeed", description="News-agency wire feed processor.")
    sub = parser.add_subparsers(dest="command", required=True)
    formats = _format_names()

    p = sub.add_parser("process", help="run the whole pipeline in-process (no Kafka) and print events")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--format", choices=formats, help="the input format (overrides detection)")
    p.add_argument("--ninjs-version", choices=["2.1", "3.1"], help="ninjs version of the event item")
    p.set_defaults(func=cmd_process)

    p = sub.add_parser("parse", help="print the parsed item of each input (no linking)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--format", choices=formats)
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("worker", help="run the Faust worker")
    p.add_argument("--web-port", type=int, help="port of /metrics and /health")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("produce", help="post raw messages to the input topic")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--format", choices=formats, help="set the wire-format header")
    p.add_argument("--feed", default="default", help="wire-feed header and partition key (keeps order)")
    p.add_argument("--topic", help="topic (default: the input topic)")
    p.set_defaults(func=cmd_produce)

    p = sub.add_parser("tail", help="print story events as they arrive")
    p.add_argument("--from-beginning", action="store_true")
    p.add_argument("--limit", type=int, help="stop after this many events")
    p.add_argument("--timeout", type=float, help="stop after this many idle seconds")
    p.add_argument("--json", action="store_true", help="print raw JSON events")
    p.add_argument("--topic", help="topic (default: the events topic)")
    p.set_defaults(func=cmd_tail)

    p = sub.add_parser("topics", help="create wirefeed's topics if missing")
    p.set_defaults(func=cmd_topics)

    p = sub.add_parser("demo", help="broker must run: start a worker, post the sample feed, show events")
    p.add_argument("paths", nargs="*", metavar="PATH", default=["examples/feed"])
    p.add_argument("--timeout", type=float, default=90.0)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("eval-linking", help="score linking against labelled JSONL streams")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=cmd_eval_linking)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except UsageError as exc:
        print(f"wirefeed: {exc}", file=sys.stderr)
        return 2
    except SettingsError as exc:
        print(f"wirefeed: configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
