"""The resellers app's writes, one module per noun; each write is a named function in a
transaction that records its audit entry."""
