"""`flask rollups rebuild|check`: the operator commands over every domain's daily rollup."""

from assets_app.core import rollups


def test_check_passes_after_rebuild(runner, regions):
    rebuilt = runner.invoke(args=["rollups", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    for r in rollups.rollups():
        assert f"{r.name}: " in rebuilt.output
    checked = runner.invoke(args=["rollups", "check", "--region", "35.11"])
    assert checked.exit_code == 0, checked.output
    for r in rollups.rollups():
        assert f"{r.name}: cocok" in checked.output


def test_unknown_region_is_a_clear_error(runner, regions):
    for cmd in ("rebuild", "check"):
        result = runner.invoke(args=["rollups", cmd, "--region", "99.99"])
        assert result.exit_code == 1
        assert "--region: wilayah 99.99 tidak dikenal." in result.output
