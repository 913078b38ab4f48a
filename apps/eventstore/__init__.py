"""The append-only event store on a MongoDB-protocol server, and its publishing to Kafka."""
