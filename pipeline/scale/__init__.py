"""Scaling out: the same per-file pipeline scheduled by Ray, writing to a shared DuckLake.

- `lake.py`: the DuckLake store (catalog in PostgreSQL, data as Parquet under a data path),
  with the tables and columns of the embedded schema; one document per transaction, keyed by
  sha256, safe under many concurrent writers.
- `ray_engine.py`: `import_with_ray(paths, lake)`, Ray Data running `process_bytes`.
- `cli.py`: the typer commands `vanban import --engine ray` and `vanban query --lake` call.

Everything here needs the optional `scale` extra (`pip install -e ".[scale]"`); nothing in the
core package imports this package.
"""
