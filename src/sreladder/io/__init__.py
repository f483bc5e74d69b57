"""Files in and out: strict YAML, rubric discovery, assessment files, atomic writes,
diagnostics, the JSON Schema export. Imports core only."""
