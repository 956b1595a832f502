"""The offline demo provider: a local OpenAI-compatible server (server.py) that streams scripted answers
(texts.py) in the wire shape of each provider, with faults on request (scenarios.py)."""
