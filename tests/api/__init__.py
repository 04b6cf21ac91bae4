"""The JSON API through the ASGI app, on every test database (R1, R4–R7, R13, R15)."""
