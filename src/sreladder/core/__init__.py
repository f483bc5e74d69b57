"""Pure logic: models, checks, scoring, the interview plan, compare, team, packet.

No I/O, no printing, no clock; imports nothing from io, present, tty or cli.
"""
