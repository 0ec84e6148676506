"""The panes of the main screen, one per place in the sidebar."""
