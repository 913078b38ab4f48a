"""ops/: promtool checks the rules and runs their unit tests (synthetic series); every
dashboard query is valid PromQL; the alerts read only recording rules that exist."""

import shutil
import subprocess
from pathlib import Path

import yaml

from tests.ops.promql_names import DASHBOARD, RULES, dashboard_exprs, metric_names, rules

PROMTOOL = shutil.which("promtool")


def promtool(*args: str, cwd: Path = RULES.parent) -> subprocess.CompletedProcess[str]:
    assert PROMTOOL, "promtool is not installed (scripts/setup.sh installs it)"
    return subprocess.run([PROMTOOL, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_promtool_checks_the_rules():
    result = promtool("check", "rules", RULES.name)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(rules())} rules found" in result.stdout


def test_promtool_unit_tests_of_the_alerts_pass():
    result = promtool("test", "rules", "rules_test.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_promtool_fails_an_alert_that_no_longer_fires(tmp_path):
    """The unit tests can fail: with a threshold no series reaches, they do."""
    broken = RULES.read_text().replace(
        "techbank:outbox_oldest_marker_age_seconds:max > 60",
        "techbank:outbox_oldest_marker_age_seconds:max > 6000",
    )
    assert broken != RULES.read_text()
    (tmp_path / RULES.name).write_text(broken)
    shutil.copy(RULES.parent / "rules_test.yml", tmp_path)
    result = promtool("test", "rules", "rules_test.yml", cwd=tmp_path)
    assert result.returncode != 0
    assert "TechBankOutboxBacklog" in result.stdout + result.stderr


def test_every_alert_is_tested_firing_and_not_firing():
    tests = yaml.safe_load((RULES.parent / "rules_test.yml").read_text())["tests"]
    cases = [case for test in tests for case in test["alert_rule_test"]]
    for alert in (r["alert"] for r in rules() if "alert" in r):
        mine = [case for case in cases if case["alertname"] == alert]
        assert any(case["exp_alerts"] for case in mine), f"{alert} is never tested firing"
        assert any(not case["exp_alerts"] for case in mine), f"{alert}: no quiet case"


def test_every_dashboard_query_is_valid_promql(tmp_path):
    # Grafana's $__rate_interval is not PromQL: a range stands in for it.
    exprs = [e.replace("$__rate_interval", "5m") for e in dashboard_exprs()]
    assert len(exprs) >= 15
    recording = [{"record": f"dashboard:query_{n}", "expr": e} for n, e in enumerate(exprs)]
    (tmp_path / "dashboard.yml").write_text(
        yaml.safe_dump({"groups": [{"name": "dashboard", "rules": recording}]})
    )
    result = promtool("check", "rules", "dashboard.yml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_alerts_read_only_recording_rules_that_exist():
    recorded = {r["record"] for r in rules() if "record" in r}
    for rule in rules():
        used = {n for n in metric_names(rule["expr"]) if ":" in n}
        assert used <= recorded, (rule.get("alert") or rule.get("record"), used - recorded)
    assert DASHBOARD.is_file()


def test_the_tokenizer_finds_metric_names_and_nothing_else():
    expr = (
        'sum by (le, outcome) (rate(a_bucket{route=~"x}y",status="5.."}[5m] offset 1h))'
        " / ignoring(outcome) group_left sum(b_total) and on () (c == 0) + $var + 0.99"
        " > bool histogram_quantile(0.5, d) unless max without (partition) (e:rule:sum)"
    )
    assert metric_names(expr) == {"a_bucket", "b_total", "c", "d", "e:rule:sum"}
