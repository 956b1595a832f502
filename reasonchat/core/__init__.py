"""The streaming engine: provider-neutral, no UI. Nothing here imports Textual."""
