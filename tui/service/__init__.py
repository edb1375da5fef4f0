"""The service layer: feeds (timed refresh), actions (key -> vendor call) and the audit log.

Nothing here imports Textual: widgets subscribe to feeds with plain callbacks that run on the
asyncio loop the app also runs on.
"""
