"""The interactive session of ``sreladder assess``."""
