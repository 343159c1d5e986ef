"""Workshop themes, workshops and their sessions, planned by PMI facilitators (issue 5)."""
