"""The JSON API under /api/: endpoints, serializers, filters, pages, errors and schema."""
