"""The steering committee's figures: one function each, for any area (nation, province,
district, office; optionally one ministry's services) and any period, with the previous period
beside it. The API, the CLI and the dashboard all call them through FIGURES
(sync/server/figures/registry.py).

Every figure is `fn(conn, area, period, by=None) -> dict` (figure.answer gives the shape) and
reads the roll-ups kept in the push's transaction (sync/server/rollups.py) or an indexed slice
of the typed tables, never a scan of the history.
"""
