"""Quoting for the SQL the program builds. User values never go through these: they are bound
as parameters."""


def qi(name: str) -> str:
    """Quote an SQL identifier."""
    return '"' + str(name).replace('"', '""') + '"'


def ql(value: str) -> str:
    """Quote an SQL string literal (for values the program itself produced, never user text)."""
    return "'" + str(value).replace("'", "''") + "'"
