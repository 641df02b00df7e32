"""Pictures drawn on the server: accessible inline SVG, each with its numbers in a table."""
