"""Permissions and the OpenAPI schema's conventions."""

from __future__ import annotations

import threading
from typing import Any, ClassVar

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import Direction, OpenApiResponse
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.api.errors import ERRORS
from tracker.api.serializers import ErrorSerializer

# -- Permissions and the schema ----------------------------------------------------------------


class ReadAnyoneWriteEditors(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """Anyone reads; writing needs the model's add/change/delete permission (the Editors group).

    An article is written with its attributions, so adding one needs both permissions.
    """

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "POST": ["%(app_label)s.add_%(model_name)s", "tracker.add_attribution"],
    }

    def has_permission(self, request: Request, view: APIView) -> bool:
        # A method the endpoint does not have is a 405 for everyone, before any 401 or 403.
        # Every request that reaches a view has a method (the stubs allow None).
        method = request.method or ""
        if not hasattr(view, method.lower()):
            raise exceptions.MethodNotAllowed(method)
        return super().has_permission(request, view)


class TokenScheme(OpenApiAuthenticationExtension):
    """The API's token (tracker/api/auth.py) in the schema, under the name DRF's tokens had."""

    target_class = "tracker.api.auth.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        scheme = build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
        scheme["description"] = (
            "An editor's API token, sent as `Authorization: Token <key>` (`manage.py "
            "create_api_token`). Tokens expire; too many wrong ones from one address are "
            "answered 429 for a while."
        )
        return scheme


class ApiSchema(AutoSchema):
    """drf-spectacular's schema, plus: reading needs no credentials, and every error documented."""

    def get_auth(self) -> list[dict[str, Any]]:
        """An open read lists no security (no padlock in the docs); a write lists the token,
        which it needs (the session cookie is the admin's, not the API clients')."""
        reads_openly = any(
            isinstance(p, permissions.DjangoModelPermissionsOrAnonReadOnly)
            for p in self.view.get_permissions()
        )
        if reads_openly and self.method in permissions.SAFE_METHODS:
            return []
        auths = super().get_auth()
        return [auth for auth in auths if TokenScheme.name in auth] or auths

    def _get_response_bodies(self, direction: Direction = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        codes = [401, 429]  # 429: too many wrong tokens from the client's address
        if self.method == "POST":
            codes += [400, 403, 415]
        elif getattr(self.view, "action", None) == "list":
            codes += [400, 404]
        else:
            codes += [404]
        for code in sorted(codes):
            if str(code) not in responses:
                error = OpenApiResponse(ErrorSerializer, description=ERRORS[code])
                responses[str(code)] = self._get_response_for_code(error, str(code))
        return responses


# -- Serving the schema ----------------------------------------------------------------------


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, generated once per process and served from there.

    drf-spectacular's generator keeps state while it walks the views, so two threads generating
    at once (the image runs threaded workers) broke each other with 500s; and each generation
    costs about half a second. The schema is made from code, so it cannot change while the
    process runs: one generation under a lock, then the same document for every request.
    """

    _lock = threading.Lock()
    _schemas: ClassVar[dict[str | None, dict[str, Any]]] = {}

    def _get_schema_response(self, request: Request) -> Response:
        version = self.api_version or request.version or self._get_version_parameter(request)
        with self._lock:
            if version not in self._schemas:
                generator = self.generator_class(
                    urlconf=self.urlconf, api_version=version, patterns=self.patterns
                )
                self._schemas[version] = generator.get_schema(request=None, public=True)
        filename = self._get_filename(request, version)
        return Response(
            data=self._schemas[version],
            headers={"Content-Disposition": f'inline; filename="{filename}"'},
        )
