"""Splitting a Markdown table row the way a GFM parser does, for the escaping tests."""


def md_cells(row: str) -> list[str]:
    """The cells of a Markdown table row, as a GFM parser splits it (a backslash
    escapes the next character; an unescaped pipe ends a cell)."""
    cells, current, i = [], "", 0
    row = row.strip()
    while i < len(row):
        char = row[i]
        if char == "\\":
            current += row[i : i + 2]
            i += 2
            continue
        if char == "|":
            cells.append(current)
            current = ""
        else:
            current += char
        i += 1
    cells.append(current)
    return [c.strip() for c in cells[1:-1]]
