"""sreladder: leveling assessor for SRE, DevOps and Production Engineering ladders."""

__version__ = "0.1.0"
