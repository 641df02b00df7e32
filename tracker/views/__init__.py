"""The public pages for readers and analysts; one module a page or concern."""
