"""docker-compose.yml as `docker compose` reads it, without a Docker engine.

scripts/compose-check.sh runs compose-go, the library `docker compose config` is built on: it
validates against the Compose schema, interpolates `${VAR:?}`, merges -f files and prints the
normalized project as JSON. These tests assert on that output, not on the YAML text (except for
the one check that must read what the author wrote: that no password has a default).
"""

import json
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
KAFKA_HOST = ROOT / "docker-compose.kafka-host.yml"
DOCKERFILE = ROOT / "Dockerfile"

# Each required secret gets a value of its own, so the tests can tell where each one ends up.
SECRETS = {
    "SECRET_KEY": "secret-key-7f3a",
    "MYSQL_PASSWORD": "mysql-app-91c2",
    "MYSQL_ROOT_PASSWORD": "mysql-root-4be8",
    "MYSQL_MIGRATION_PASSWORD": "mysql-ddl-5a90",
    "MONGODB_PASSWORD": "mongo-app-0d57",
    "MONGODB_ROOT_PASSWORD": "mongo-root-c6e1",
    "MONGODB_KEYFILE_SECRET": "mongo-keyfile-9b3f",
    "KAFKA_ADMIN_PASSWORD": "kafka-admin-11aa",
    "KAFKA_WEB_PASSWORD": "kafka-web-22bb",
    "KAFKA_RELAY_PASSWORD": "kafka-relay-33cc",
    "KAFKA_PROJECTION_PASSWORD": "kafka-projection-44dd",
    "KAFKA_TRANSFERS_PASSWORD": "kafka-transfers-55ee",
    "KAFKA_USERS_PASSWORD": "kafka-users-66ff",
    "KAFKA_BROKER_PASSWORD": "kafka-broker-77aa",
}
APP_SERVICES = {"migrate", "web", "worker", "transfers", "users", "relay"}
ONE_SHOT = {"migrate", "kafka-users", "mongo-init"}
MONGO = ("mongo1", "mongo2", "mongo3")
BROKERS = ("kafka1", "kafka2", "kafka3")
BACKING = {"mysql", *MONGO, *BROKERS}
SETUP = {"kafka-users", "mongo-init"}
ACLS = ROOT / "services" / "kafka" / "acls.conf"
# The Kafka user of each app service, and the secret that is its password.
KAFKA_USERS = {
    "migrate": ("techbank-admin", "KAFKA_ADMIN_PASSWORD"),
    "web": ("techbank-web", "KAFKA_WEB_PASSWORD"),
    "relay": ("techbank-relay", "KAFKA_RELAY_PASSWORD"),
    "worker": ("techbank-projection", "KAFKA_PROJECTION_PASSWORD"),
    "transfers": ("techbank-transfers", "KAFKA_TRANSFERS_PASSWORD"),
    "users": ("techbank-users", "KAFKA_USERS_PASSWORD"),
}


@pytest.fixture(scope="module")
def compose_check() -> Path:
    built = subprocess.run(
        [str(ROOT / "scripts" / "compose-check.sh"), "--build"],
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    return Path(built.stdout.strip().splitlines()[-1])


def load(
    binary: Path, tmp_path: Path, env: dict[str, str], *files: Path
) -> subprocess.CompletedProcess[str]:
    env_file = tmp_path / "docker.env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in env.items()))
    args = [str(binary)]
    for f in files or (COMPOSE,):
        args += ["-f", str(f)]
    # Only this env file and PATH: neither the developer's .env nor the shell's variables count.
    return subprocess.run(
        [*args, "--env-file", str(env_file)],
        env={"PATH": os.environ["PATH"]},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def project_of(result: subprocess.CompletedProcess[str]) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def project(compose_check: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    return project_of(load(compose_check, tmp_path_factory.mktemp("compose"), SECRETS))


def test_the_file_is_valid_with_the_required_variables_set(project):
    assert set(project["services"]) == APP_SERVICES | BACKING | SETUP
    assert project["name"] == "techbank"


def test_the_checker_rejects_what_the_compose_schema_rejects(compose_check, tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(COMPOSE.read_text().replace("    healthcheck:\n", "    healthchek:\n", 1))
    result = load(compose_check, tmp_path, SECRETS, broken)
    assert result.returncode != 0
    assert "healthchek" in result.stderr


@pytest.mark.parametrize("name", sorted(SECRETS))
@pytest.mark.parametrize("how", ["unset", "empty"])
def test_each_secret_must_be_given(compose_check, tmp_path, name, how):
    env = {k: v for k, v in SECRETS.items() if k != name}
    if how == "empty":
        env[name] = ""
    result = load(compose_check, tmp_path, env)
    assert result.returncode != 0
    assert f"required variable {name} is missing a value" in result.stderr


def test_no_password_has_a_default_in_the_file():
    written = re.findall(r"\$\{(\w*(?:PASSWORD|SECRET)\w*)(\W{0,2})", COMPOSE.read_text())
    assert {name for name, _ in written} == set(SECRETS)
    assert all(op == ":?" for _, op in written), written


def test_every_password_in_the_config_comes_from_the_environment(project):
    services = project["services"]
    for service in services.values():
        for key, value in (service.get("environment") or {}).items():
            if re.search("PASSWORD|SECRET", key):
                assert value in SECRETS.values(), (key, value)
    mysql, mongodb = services["mysql"]["environment"], services["mongo1"]["environment"]
    assert mysql["MARIADB_ROOT_PASSWORD"] == SECRETS["MYSQL_ROOT_PASSWORD"]
    assert mongodb["MONGO_INITDB_ROOT_PASSWORD"] == SECRETS["MONGODB_ROOT_PASSWORD"]
    for name in APP_SERVICES:
        env = services[name]["environment"]
        database, events = urlsplit(env["DATABASE_URL"]), urlsplit(env["MONGODB_URL"])
        assert (database.username, database.password) == ("techbank", SECRETS["MYSQL_PASSWORD"])
        assert (events.username, events.password) == ("techbank", SECRETS["MONGODB_PASSWORD"])
        assert env["SECRET_KEY"] == SECRETS["SECRET_KEY"]


def test_only_the_web_port_is_published_and_on_loopback(project):
    published = {name: s["ports"] for name, s in project["services"].items() if s.get("ports")}
    assert set(published) == {"web"}
    assert [(p["host_ip"], p["published"], p["target"]) for p in published["web"]] == [
        ("127.0.0.1", "8000", 8000)
    ]


def test_the_kafka_host_listener_is_published_only_on_request_and_on_loopback(
    compose_check, tmp_path, project
):
    services = project_of(load(compose_check, tmp_path, SECRETS, COMPOSE, KAFKA_HOST))["services"]
    internal, published = [], set()
    for name in BROKERS:
        kafka = services[name]
        assert [(p["host_ip"], p["target"]) for p in kafka["ports"]] == [("127.0.0.1", 9094)]
        advertised = dict(
            item.split("://")
            for item in kafka["environment"]["KAFKA_ADVERTISED_LISTENERS"].split(",")
        )
        # The host reaches each broker where it was published; the containers where they look.
        assert advertised["EXTERNAL"] == f"127.0.0.1:{kafka['ports'][0]['published']}"
        published.add(kafka["ports"][0]["published"])
        bound = dict(
            item.split("://") for item in kafka["environment"]["KAFKA_LISTENERS"].split(",")
        )
        assert bound["EXTERNAL"].endswith(":9094")
        internal.append(advertised["INTERNAL"])
    assert len(published) == 3  # one host port per broker
    assert internal == ["kafka1:9092", "kafka2:9092", "kafka3:9092"]
    for name in APP_SERVICES:
        env = project["services"][name]["environment"]
        assert env["KAFKA_BOOTSTRAP_SERVERS"] == ",".join(internal)


def test_long_running_services_restart_and_have_a_healthcheck(project):
    for name, service in project["services"].items():
        if name in ONE_SHOT:
            assert service["restart"] == "no"
            continue
        assert service.get("restart") in {"always", "unless-stopped"}, name
        check = service.get("healthcheck") or {}
        assert check.get("test") and not check.get("disable"), name


def test_app_healthchecks_ask_readyz_on_each_process_port(project):
    services = project["services"]
    assert "http://127.0.0.1:8000/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    port = services["worker"]["environment"]["WORKER_HTTP_PORT"]
    assert f"http://127.0.0.1:{port}/readyz" in " ".join(services["worker"]["healthcheck"]["test"])
    # run_transfers answers 503 on /healthz when one of its threads ended: restart it.
    port = services["transfers"]["environment"]["TRANSFERS_HEALTH_PORT"]
    check = " ".join(services["transfers"]["healthcheck"]["test"])
    assert f"http://127.0.0.1:{port}/healthz" in check


def test_the_transfers_process_runs_run_transfers_and_restarts(project):
    transfers = project["services"]["transfers"]
    assert transfers["command"] == ["python", "manage.py", "run_transfers"]
    assert transfers["restart"] == "unless-stopped"
    assert transfers["stop_signal"] == "SIGTERM"


def test_start_order_waits_for_healthy_servers_and_migrations(project):
    services = project["services"]
    done = {"condition": "service_completed_successfully", "required": True}
    healthy = {name: {"condition": "service_healthy", "required": True} for name in BACKING}
    brokers = {name: healthy[name] for name in BROKERS}
    # The event store is ready once its replica set is formed, not when one member answers.
    stores = {name: healthy[name] for name in ("mysql", *BROKERS)} | {"mongo-init": done}
    migrated = {"migrate": done}
    users = {"kafka-users": done}
    assert services["kafka-users"]["depends_on"] == brokers
    assert services["mongo-init"]["depends_on"] == {name: healthy[name] for name in MONGO}
    assert services["migrate"]["depends_on"] == stores | users
    for name in ("worker", "transfers", "users", "relay"):
        assert services[name]["depends_on"] == stores | migrated, name
    assert services["web"]["depends_on"] == migrated


def test_the_app_image_runs_as_a_non_root_user(project):
    users = [
        line.split(None, 1)[1].strip()
        for line in DOCKERFILE.read_text().splitlines()
        if line.upper().startswith("USER ")
    ]
    assert users, "the Dockerfile sets no USER"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) > 0, users[-1]
    for name in APP_SERVICES:
        service = project["services"][name]
        assert service["build"]["dockerfile"] == DOCKERFILE.name
        assert service.get("user") in (None, users[-1]), name
        assert service["cap_drop"] == ["ALL"]


def test_kafka_keeps_its_log_dirs_on_its_volume(project):
    sources = set()
    for name in BROKERS:
        kafka = project["services"][name]
        volumes = [v for v in kafka["volumes"] if v["type"] == "volume"]
        log_dirs = kafka["environment"]["KAFKA_LOG_DIRS"].split(",")
        for log_dir in log_dirs:
            assert any(Path(log_dir).is_relative_to(v["target"]) for v in volumes), log_dir
        sources |= {v["source"] for v in volumes}
    assert sources == {"kafka1_data", "kafka2_data", "kafka3_data"} <= set(project["volumes"])


def test_mongodb_requires_a_login_and_the_app_is_not_root(project):
    for name in MONGO:
        assert "--auth" in project["services"][name]["command"], name
    mongodb = project["services"]["mongo1"]
    init = [v for v in mongodb["volumes"] if v["target"].startswith("/docker-entrypoint-initdb.d/")]
    assert len(init) == 1 and init[0]["read_only"] and Path(init[0]["source"]).is_file()
    assert "createUser" in Path(init[0]["source"]).read_text()
    url = urlsplit(project["services"]["web"]["environment"]["MONGODB_URL"])
    assert url.username == mongodb["environment"]["MONGODB_USER"]
    assert url.username != mongodb["environment"]["MONGO_INITDB_ROOT_USERNAME"]
    assert f"authSource={mongodb['environment']['MONGODB_DATABASE']}" in url.query


def test_the_example_env_file_names_every_required_secret_and_gives_none(compose_check, tmp_path):
    example = ROOT / "docker.env.example"
    values = dict(
        line.split("=", 1)
        for line in example.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )
    assert {name for name, value in values.items() if value == ""} == set(SECRETS)
    result = load(compose_check, tmp_path, values)
    assert result.returncode != 0
    for name in SECRETS:
        assert f"required variable {name} is missing a value" in result.stderr
    filled = project_of(load(compose_check, tmp_path, values | SECRETS))
    assert filled["services"]["web"]["ports"][0]["host_ip"] == values["WEB_BIND"] == "127.0.0.1"
    # That port is plain HTTP: no redirect to an HTTPS nobody serves, until a proxy is there.
    assert filled["services"]["web"]["environment"]["HTTPS_ONLY"] == values["HTTPS_ONLY"]
    assert values["HTTPS_ONLY"] == "false"
    behind_a_proxy = project_of(
        load(compose_check, tmp_path, values | SECRETS | {"HTTPS_ONLY": "true"})
    )
    for name in ("web", "worker", "transfers"):
        assert behind_a_proxy["services"][name]["environment"]["HTTPS_ONLY"] == "true"


def acl_rows() -> list[list[str]]:
    rows = (line.split() for line in ACLS.read_text().splitlines())
    return [row for row in rows if row and not row[0].startswith("#")]


def test_every_kafka_client_logs_in_as_its_service_user(project):
    services = project["services"]
    for broker in BROKERS:
        kafka = services[broker]["environment"]
        protocols = dict(
            p.split(":") for p in kafka["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(",")
        )
        # The listeners other containers or the host reach need a login (the brokers' own
        # replication and quorum too); PLAINTEXT ones are loopback.
        for listener in ("INTERNAL", "EXTERNAL", "BROKER", "CONTROLLER"):
            assert protocols[listener] == "SASL_PLAINTEXT", (broker, listener)
        bound = dict(item.split("://") for item in kafka["KAFKA_LISTENERS"].split(","))
        for name, protocol in protocols.items():
            if protocol == "PLAINTEXT":
                assert bound[name].startswith("localhost:"), name
        assert kafka["KAFKA_SASL_ENABLED_MECHANISMS"] == "SCRAM-SHA-512"
        assert kafka["KAFKA_AUTHORIZER_CLASS_NAME"].endswith("StandardAuthorizer")
        assert kafka["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
        for listener in ("BROKER", "CONTROLLER"):
            jaas = kafka[f"KAFKA_LISTENER_NAME_{listener}_PLAIN_SASL_JAAS_CONFIG"]
            assert f'user_broker="{SECRETS["KAFKA_BROKER_PASSWORD"]}"' in jaas
        assert "User:broker" in kafka["KAFKA_SUPER_USERS"].split(";")
    for name, (user, secret) in KAFKA_USERS.items():
        env = services[name]["environment"]
        assert env["KAFKA_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT", name
        assert env["KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512", name
        assert (env["KAFKA_SASL_USERNAME"], env["KAFKA_SASL_PASSWORD"]) == (user, SECRETS[secret])
    users = services["kafka-users"]
    assert users["network_mode"] == "service:kafka1"  # the only one that reaches LOCAL
    assert {k: v for k, v in users["environment"].items()} == {
        secret: SECRETS[secret] for _, secret in KAFKA_USERS.values()
    }
    mounted = {v["target"]: Path(v["source"]) for v in users["volumes"]}
    assert mounted["/opt/techbank/acls.conf"] == ACLS


def test_only_the_web_relay_and_transfers_may_write_the_events_topics(project):
    events = {"techbank.account-events", "techbank.transfer-events"}
    writers = {
        row[0]
        for row in acl_rows()
        if row[1:3] in (["TOPIC", t] for t in events) and row[4] == "WRITE"
    }
    assert writers == {"techbank-web", "techbank-relay", "techbank-transfers"}
    projection = [row for row in acl_rows() if row[0] == "techbank-projection"]
    assert ["TOPIC", "techbank.account-events", "LITERAL", "READ"] in [r[1:] for r in projection]
    assert {tuple(r[1:3]) for r in projection if r[4] == "WRITE"} == {
        ("TOPIC", "techbank.account-events.dead-letter")
    }
    worker = project["services"]["worker"]
    assert "--no-relay" in worker["command"]  # so it never publishes
    assert project["services"]["relay"]["command"] == ["python", "manage.py", "relay_events"]


def test_migrations_run_as_the_ddl_user_and_the_app_as_the_rows_only_user(project):
    services = project["services"]
    mysql = services["mysql"]
    assert mysql["environment"]["MARIADB_USER"] == "techbank_migrate"
    assert mysql["environment"]["TECHBANK_APP_USER"] == "techbank"
    init = {v["target"]: Path(v["source"]) for v in mysql["volumes"] if v["type"] == "bind"}
    script = init["/docker-entrypoint-initdb.d/create-app-user.sh"].read_text()
    assert "GRANT SELECT, INSERT, UPDATE, DELETE ON" in script
    url = urlsplit(services["migrate"]["environment"]["MIGRATION_DATABASE_URL"])
    assert (url.username, url.password) == ("techbank_migrate", SECRETS["MYSQL_MIGRATION_PASSWORD"])
    for name in APP_SERVICES - {"migrate"}:
        assert "MIGRATION_DATABASE_URL" not in services[name]["environment"], name


# --- The production topology (issue 21): replica set, three brokers, tools -------------------
MONGO_INIT = ROOT / "services" / "mongodb" / "init-replica-set.js"


def test_the_event_store_is_a_three_member_replica_set_formed_once(project):
    services = project["services"]
    for name in MONGO:
        member = services[name]
        args = member["command"]
        assert args[args.index("--replSet") + 1] == "rs0", name
        # The members authenticate each other with one key, from the environment.
        assert args[args.index("--keyFile") + 1] == "/tmp/rs0.key", name
        assert member["environment"]["MONGODB_KEYFILE_SECRET"] == SECRETS["MONGODB_KEYFILE_SECRET"]
        assert (
            "/tmp/rs0.key" in member["entrypoint"][2]
            and "docker-entrypoint.sh" in member["entrypoint"][2]
        )
        assert any(v["type"] == "volume" and v["target"] == "/data/db" for v in member["volumes"])
    # Only mongo1 creates users (on its first start); the others copy them when they join.
    assert "MONGO_INITDB_ROOT_USERNAME" not in services["mongo2"]["environment"]
    init = services["mongo-init"]
    assert init["restart"] == "no"
    assert (
        "mongo1:27017" in init["entrypoint"][2] and "directConnection=true" in init["entrypoint"][2]
    )
    mounted = {v["target"]: Path(v["source"]) for v in init["volumes"]}
    script = mounted["/opt/techbank/init-replica-set.js"]
    assert script == MONGO_INIT
    text = script.read_text()
    # Idempotent: rs.initiate only when the set is not yet initiated, with all three members.
    assert "NotYetInitialized" in text and text.count("rs.initiate(") == 1
    assert all(f'"{name}:27017"' in text for name in MONGO)


def test_the_app_writes_with_majority_and_reads_from_the_primary(project):
    for name in APP_SERVICES:
        url = urlsplit(project["services"][name]["environment"]["MONGODB_URL"])
        assert url.netloc.split("@")[1] == "mongo1:27017,mongo2:27017,mongo3:27017", name
        query = dict(item.split("=") for item in url.query.split("&"))
        assert query["replicaSet"] == "rs0"
        assert query["w"] == "majority" and query["journal"] == "true"
        assert query["readPreference"] == "primary"


def test_three_kafka_brokers_keep_three_replicas_and_need_two_in_sync(project):
    services = project["services"]
    voters = "1@kafka1:9093,2@kafka2:9093,3@kafka3:9093"
    for node, name in enumerate(BROKERS, start=1):
        env = services[name]["environment"]
        assert env["KAFKA_NODE_ID"] == str(node)
        assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
        assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == voters
        assert env["KAFKA_DEFAULT_REPLICATION_FACTOR"] == "3"
        assert env["KAFKA_MIN_INSYNC_REPLICAS"] == "2"
        assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "3"
        assert env["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] == "3"
        assert env["KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"] == "2"
        assert env["KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE"] == "false"
        assert env["CLUSTER_ID"] == services["kafka1"]["environment"]["CLUSTER_ID"]
    # ensure_topics creates each topic with the cluster's default replication factor (3 here),
    # and every producer waits for all in-sync replicas (at least 2).
    assert "replication_factor=-1" in (ROOT / "apps" / "eventstore" / "topics.py").read_text()
    assert '"acks": "all"' in (ROOT / "kernel" / "kafka_config.py").read_text()


def test_run_transfers_and_project_users_run_as_services(project):
    services = project["services"]
    assert services["transfers"]["command"] == ["python", "manage.py", "run_transfers"]
    assert services["users"]["command"] == ["python", "manage.py", "project_users"]
    for name in ("transfers", "users"):
        assert services[name]["restart"] == "unless-stopped"


def test_adminer_runs_only_with_the_tools_profile_and_on_loopback(compose_check, tmp_path, project):
    assert "adminer" not in project["services"]
    env_file = tmp_path / "docker.env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in SECRETS.items()))
    result = subprocess.run(
        [str(compose_check), "-f", str(COMPOSE), "--env-file", str(env_file), "--profile", "tools"],
        env={"PATH": os.environ["PATH"]},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    adminer = project_of(result)["services"]["adminer"]
    assert adminer["profiles"] == ["tools"]
    assert [(p["host_ip"], p["published"], p["target"]) for p in adminer["ports"]] == [
        ("127.0.0.1", "8080", 8080)
    ]
    assert adminer["environment"]["ADMINER_DEFAULT_SERVER"] == "mysql"
