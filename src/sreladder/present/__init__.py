"""Everything a reader sees: labels, escaping per medium, terminal and document views."""
