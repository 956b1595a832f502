"""Screens own behaviour: the chat, history, the preset picker, help."""
