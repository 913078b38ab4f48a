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
    "KAFKA_ADMIN_PASSWORD": "kafka-admin-11aa",
    "KAFKA_WEB_PASSWORD": "kafka-web-22bb",
    "KAFKA_RELAY_PASSWORD": "kafka-relay-33cc",
    "KAFKA_PROJECTION_PASSWORD": "kafka-projection-44dd",
    "KAFKA_TRANSFERS_PASSWORD": "kafka-transfers-55ee",
    "KAFKA_USERS_PASSWORD": "kafka-users-66ff",
}
APP_SERVICES = {"migrate", "web", "worker", "transfers", "users", "relay"}
ONE_SHOT = {"migrate", "kafka-users"}
BACKING = {"mysql", "mongodb", "kafka"}
SETUP = {"kafka-users"}
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
    mysql, mongodb = services["mysql"]["environment"], services["mongodb"]["environment"]
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
    kafka = project_of(load(compose_check, tmp_path, SECRETS, COMPOSE, KAFKA_HOST))["services"][
        "kafka"
    ]
    assert [(p["host_ip"], p["target"]) for p in kafka["ports"]] == [("127.0.0.1", 9094)]
    advertised = dict(
        item.split("://") for item in kafka["environment"]["KAFKA_ADVERTISED_LISTENERS"].split(",")
    )
    # The host reaches the broker where it was published; the containers where they look.
    assert advertised["EXTERNAL"] == f"127.0.0.1:{kafka['ports'][0]['published']}"
    bound = dict(item.split("://") for item in kafka["environment"]["KAFKA_LISTENERS"].split(","))
    assert bound["EXTERNAL"].endswith(":9094")
    for name in APP_SERVICES:
        env = project["services"][name]["environment"]
        assert env["KAFKA_BOOTSTRAP_SERVERS"] == advertised["INTERNAL"] == "kafka:9092"


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
    healthy = {name: {"condition": "service_healthy", "required": True} for name in BACKING}
    migrated = {"migrate": {"condition": "service_completed_successfully", "required": True}}
    users = {"kafka-users": {"condition": "service_completed_successfully", "required": True}}
    assert services["kafka-users"]["depends_on"] == {"kafka": healthy["kafka"]}
    assert services["migrate"]["depends_on"] == healthy | users
    assert services["worker"]["depends_on"] == healthy | migrated
    assert services["transfers"]["depends_on"] == healthy | migrated
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
    kafka = project["services"]["kafka"]
    volumes = [v["target"] for v in kafka["volumes"] if v["type"] == "volume"]
    log_dirs = kafka["environment"]["KAFKA_LOG_DIRS"].split(",")
    for log_dir in log_dirs:
        assert any(Path(log_dir).is_relative_to(target) for target in volumes), log_dir
    assert "kafka_data" in project["volumes"]


def test_mongodb_requires_a_login_and_the_app_is_not_root(project):
    mongodb = project["services"]["mongodb"]
    assert "--auth" in mongodb["command"]
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
    kafka = services["kafka"]["environment"]
    protocols = dict(p.split(":") for p in kafka["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    # The listeners other containers or the host reach need a login; PLAINTEXT ones are loopback.
    assert protocols["INTERNAL"] == protocols["EXTERNAL"] == "SASL_PLAINTEXT"
    bound = dict(item.split("://") for item in kafka["KAFKA_LISTENERS"].split(","))
    for name, protocol in protocols.items():
        if protocol == "PLAINTEXT":
            assert bound[name].startswith("localhost:"), name
    assert kafka["KAFKA_SASL_ENABLED_MECHANISMS"] == "SCRAM-SHA-512"
    assert kafka["KAFKA_AUTHORIZER_CLASS_NAME"].endswith("StandardAuthorizer")
    assert kafka["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
    for name, (user, secret) in KAFKA_USERS.items():
        env = services[name]["environment"]
        assert env["KAFKA_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT", name
        assert env["KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512", name
        assert (env["KAFKA_SASL_USERNAME"], env["KAFKA_SASL_PASSWORD"]) == (user, SECRETS[secret])
    users = services["kafka-users"]
    assert users["network_mode"] == "service:kafka"  # the only one that reaches LOCAL
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
