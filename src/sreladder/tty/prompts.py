"""What the interview says at its prompts, shared by the session and its helpers."""

KEYS = "Keys at any prompt: s skip · b back · ? help · q save and quit (Ctrl-C keeps answers too)"
HELP_RATING = """\
  n not-yet       does not do this yet
  p partially     sometimes, or with help
  c consistently  reliably, without being asked
  Evidence: one line on what was done, then an optional link and date.
  s skip (earns nothing) · b back · q save and quit · ? this help"""
HELP_LEVEL = """\
  Pick the level that fits the work done consistently, not the best day:
  its number or its id. The questions check that level, then move one level
  up or down until the boundary is found.
  s not sure (start at the lowest level) · b back · q save and quit"""

SKIP = object()  # what ``Session.read`` returns for ``s``
