"""Browser tests: a real Chromium driven through the public pages."""
