"""The simulator: one seeded call center (world*.py) served in each vendor's wire format.

`world.World` is the living call center; `world_pbx` is its PBX side (phones, SIP registrations,
channels, blacklist, and the typed event log of `world_events`). `yemot_facade` and
`coocenter_facade` speak each vendor's API over that one world, `coocenter_pusher` pushes its
events the way a CooCenter PBX does, and `server` mounts the facades on one Starlette app and runs
it with uvicorn. Nothing here imports Textual.
"""
