"""The simulator: one seeded call center (world*.py) served in each vendor's wire format.

`world.World` is the living call center (its queue life, operators' commands and hosted systems'
operations in `world_queue_life`, `world_commands` and `world_hosted`); `world_pbx` is its PBX side
(phones, SIP registrations, channels, blacklist, and the typed event log of `world_events`; calls,
channel work and queue-call legs in `world_pbx_calls`, `world_pbx_channels` and
`world_pbx_queue_calls`). The hosted phone systems' SIP accounts (`world_sip_accounts`), numbers
and caller IDs (`world_numbers`), SMS inboxes (`world_sms`), campaigns (`world_campaigns`) and
accounts, sessions and MFA (`world_auth`, with its records and seed in `world_auth_records` and
`world_auth_seed`) live beside it. `yemot_facade` (with `yemot_mfa`, `yemot_sip`, `yemot_campaigns`
and `yemot_sms`, on the machinery of `yemot_common`) and `coocenter_facade` speak each vendor's API
over that one world, `coocenter_pusher` pushes its events the way a CooCenter PBX does, and
`server` mounts the facades on one Starlette app and runs it with uvicorn. Nothing here imports
Textual.
"""
