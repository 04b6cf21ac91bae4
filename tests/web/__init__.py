"""Tests of the web pages (R1, R2): CSRF, cookies, headers, escaping, pages, a real browser."""
