"""Every setting TechBank reads is documented: in .env.example and in the README's table."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ = re.compile(r'env\.(?:str|int|bool|float|list|db_url)\(\s*"([A-Z_]+)"')


def settings_read() -> set[str]:
    modules = (ROOT / "techbank" / "settings").glob("*.py")
    return {name for module in modules for name in READ.findall(module.read_text())}


def test_every_setting_is_in_env_example():
    assert len(settings_read()) > 30  # the pattern still finds what settings.py reads
    listed = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert settings_read() - listed == set()


def test_every_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    assert {name for name in settings_read() if f"`{name}`" not in readme} == set()
