"""The transcript store: SQLite (stdlib), WAL, ordered migrations. Nothing here imports Textual."""

from reasonchat.store.transcripts import ConversationSummary, SearchHit, StoredMessage, TranscriptStore

__all__ = ["ConversationSummary", "SearchHit", "StoredMessage", "TranscriptStore"]
