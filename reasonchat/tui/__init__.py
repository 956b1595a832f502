"""The Textual TUI. Imported only when `reasonchat` starts without a sub-command."""
