"""The simulator: one seeded call center (world*.py) served in each vendor's wire format.

`world.World` is the living call center; `yemot_facade` speaks Yemot's API over it; `server`
mounts the facades on one Starlette app and runs it with uvicorn. Nothing here imports Textual.
"""
