"""Tools for the model: MCP servers (toolbox), the call loop, and their settings. No Textual here."""
