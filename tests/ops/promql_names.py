"""The metric names a PromQL expression reads: a small tokenizer, enough for our dashboards
and rules (strings, label matchers, ranges, grouping label lists, functions, keywords)."""

import json
import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "ops" / "grafana" / "techbank.json"
RULES = ROOT / "ops" / "prometheus" / "rules.yml"

TOKEN = re.compile(
    r"""(?P<string>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`[^`]*`)"""
    r"|(?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?:ms|[smhdwy])*)"
    r"|(?P<name>[A-Za-z_:][A-Za-z0-9_:]*)"
    r"|(?P<punct>\S)"
)
# Aggregations may come before `by (...)`, so they are not always followed by "(".
KEYWORDS = {
    "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
    "bottomk", "topk", "quantile", "limitk", "limit_ratio", "and", "or", "unless", "offset",
    "bool", "inf", "nan", "by", "without", "on", "ignoring", "group_left", "group_right",
}  # fmt: skip
LABEL_LISTS = {"by", "without", "on", "ignoring", "group_left", "group_right"}


def metric_names(expr: str) -> set[str]:
    tokens = [(m.lastgroup, m.group()) for m in TOKEN.finditer(expr)]
    names: set[str] = set()
    braces = brackets = 0
    label_list = False  # inside the (...) after by/without/on/ignoring/group_*
    for i, (kind, text) in enumerate(tokens):
        following = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        if kind == "punct":
            braces += {"{": 1, "}": -1}.get(text, 0)
            brackets += {"[": 1, "]": -1}.get(text, 0)
            if text == ")" and label_list:
                label_list = False
            continue
        if kind != "name" or braces or brackets or label_list:
            continue
        previous = tokens[i - 1][1] if i else ""
        if text in LABEL_LISTS:
            label_list = following == "("
        elif text in KEYWORDS or following == "(" or previous == "$":
            continue  # a keyword, a function, or a Grafana variable
        else:
            names.add(text)
    return names


def dashboard_exprs(path: Path = DASHBOARD) -> list[str]:
    def panels(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [p for item in items for p in [item, *panels(item.get("panels", []))]]

    board = json.loads(path.read_text())
    return [t["expr"] for p in panels(board["panels"]) for t in p.get("targets", [])]


def rules(path: Path = RULES) -> list[dict[str, Any]]:
    return [rule for group in yaml.safe_load(path.read_text())["groups"] for rule in group["rules"]]
