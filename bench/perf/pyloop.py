"""The Python ceiling: a plain aiokafka consume-and-produce loop, no parsing.

``python -m bench.perf.pyloop --source A --target B --group G [--acked]`` copies every record of
topic A to topic B (same key, value and headers) until SIGTERM. Default mode pipelines the sends
(one wait per fetched batch); ``--acked`` waits for every send's acknowledgement before the next
record, as wirefeed's agents do. Prints ``ready`` once the consumer has its partitions.
"""

from __future__ import annotations

import argparse
import asyncio
import signal

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer


async def loop(args: argparse.Namespace) -> None:
    consumer = AIOKafkaConsumer(
        args.source,
        bootstrap_servers=args.bootstrap,
        group_id=args.group,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=5,
        max_partition_fetch_bytes=4 * 1024 * 1024,
    )
    producer = AIOKafkaProducer(
        bootstrap_servers=args.bootstrap, acks="all", max_request_size=8 * 1024 * 1024, linger_ms=1
    )
    await producer.start()
    await consumer.start()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    announced = False
    try:
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=100, max_records=1000)
            if not announced and consumer.assignment():
                print("ready", flush=True)
                announced = True
            futures = []
            for records in batch.values():
                for record in records:
                    if args.acked:
                        await producer.send_and_wait(
                            args.target, record.value, key=record.key, headers=list(record.headers)
                        )
                    else:
                        futures.append(
                            await producer.send(
                                args.target, record.value, key=record.key, headers=list(record.headers)
                            )
                        )
            if futures:
                await asyncio.gather(*futures)
            if batch:
                await consumer.commit()
    finally:
        await consumer.stop()
        await producer.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bootstrap", default="127.0.0.1:9092")
    ap.add_argument("--source", required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--group", required=True)
    ap.add_argument("--acked", action="store_true")
    asyncio.run(loop(ap.parse_args()))


if __name__ == "__main__":
    main()
