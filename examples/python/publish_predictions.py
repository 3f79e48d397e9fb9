"""Publish a model's predictions to Aegis with Confluent's standard Python client.

Each CSV row is one prediction: its columns are the feature values, with optional
`prediction` and `score` columns. Every row becomes one InferenceEvent (Aegis'
contract, schemas/inference-event.avsc) on aegis.inference.v1, serialized by
confluent-kafka's AvroSerializer under the default subject aegis.inference.v1-value.
Aegis monitors the model once its reference is registered
(`aegis reference --model ID --from reference.csv`).

    KAFKA_BROKERS=127.0.0.1:9092 SCHEMA_REGISTRY_URL=http://127.0.0.1:8081/apis/ccompat/v7 \
      python publish_predictions.py --model my-model --csv predictions.csv --rate 200

Exits 0 once every event is acknowledged by the broker; 2 on bad arguments; 1 when
Kafka or the registry cannot be reached or an event is not acknowledged.
"""
import argparse
import csv
import math
import os
import sys
import time
import uuid
from pathlib import Path

from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext, StringSerializer

TOPIC = "aegis.inference.v1"
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schemas" / "inference-event.avsc"
OUTPUT_COLUMNS = ("prediction", "score")


def cell(text):
    """A CSV cell as the contract's value: None when empty, a float when it is a number, a bool for true/false, else the text."""
    t = text.strip()
    if t == "":
        return None
    if t.lower() in ("true", "false"):
        return t.lower() == "true"
    try:
        x = float(t)
    except ValueError:
        return t
    return x if math.isfinite(x) else t


def fail(code, message):
    print(f"publish_predictions: {message}", file=sys.stderr)
    sys.exit(code)


def main():
    parser = argparse.ArgumentParser(description="Publish predictions from a CSV file to Aegis.")
    parser.add_argument("--model", required=True, help="the model id (as registered with `aegis reference`)")
    parser.add_argument("--csv", required=True, help="one prediction per row; columns = features, plus optional prediction and score")
    parser.add_argument("--rate", type=float, default=0, help="events per second (default: as fast as possible)")
    parser.add_argument("--version", default="1", help="the model version to put on each event")
    args = parser.parse_args()
    brokers = os.environ.get("KAFKA_BROKERS")
    registry_url = os.environ.get("SCHEMA_REGISTRY_URL")
    if not brokers or not registry_url:
        fail(2, "set KAFKA_BROKERS and SCHEMA_REGISTRY_URL (see `aegis stack up`)")
    if args.rate < 0:
        fail(2, "--rate must be >= 0")
    try:
        rows = list(csv.DictReader(open(args.csv, newline="", encoding="utf-8")))
    except OSError as err:
        fail(2, f"cannot read {args.csv}: {err.strerror}")

    registry = SchemaRegistryClient({"url": registry_url})
    serializer = AvroSerializer(registry, SCHEMA_FILE.read_text())
    keys = StringSerializer("utf_8")
    producer = Producer({"bootstrap.servers": brokers, "enable.idempotence": True, "linger.ms": 20})
    failures = []
    acked = [0]

    def delivered(err, _msg):
        if err is not None:
            failures.append(str(err))
        else:
            acked[0] += 1

    started = time.monotonic()
    context = SerializationContext(TOPIC, MessageField.VALUE)
    for i, row in enumerate(rows):
        features = {k: cell(v) for k, v in row.items() if k not in OUTPUT_COLUMNS}
        prediction = cell(row["prediction"]) if "prediction" in row else None
        score = cell(row["score"]) if "score" in row else None
        event = {
            "eventId": str(uuid.uuid4()),
            "modelId": args.model,
            "modelVersion": args.version,
            "eventTime": int(time.time() * 1000),
            "features": features,
            "prediction": prediction,
            "score": float(score) if isinstance(score, float) else None,
            "latencyMs": None,
        }
        try:
            value = serializer(event, context)
        except Exception as err:  # the registry is unreachable, or the row does not fit the contract
            fail(1, f"row {i + 1}: cannot serialize: {err}")
        while True:
            try:
                producer.produce(TOPIC, key=keys(args.model), value=value, on_delivery=delivered)
                break
            except BufferError:
                producer.poll(0.1)
        producer.poll(0)
        if args.rate > 0:
            ahead = (i + 1) / args.rate - (time.monotonic() - started)
            if ahead > 0:
                time.sleep(ahead)
    remaining = producer.flush(60)
    if remaining or failures or acked[0] != len(rows):
        fail(1, f"{acked[0]} of {len(rows)} events acknowledged; {remaining} still queued; {failures[:1]}")
    print(f"published {acked[0]} events for model {args.model} to {TOPIC}")


if __name__ == "__main__":
    main()
