"""Permissions and the OpenAPI schema's conventions."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, permissions
from rest_framework.request import Request

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

    def has_permission(self, request: Request, view) -> bool:
        # A method the endpoint does not have is a 405 for everyone, before any 401 or 403.
        if not hasattr(view, request.method.lower()):
            raise exceptions.MethodNotAllowed(request.method)
        return super().has_permission(request, view)


class ApiSchema(AutoSchema):
    """drf-spectacular's schema, plus: reading needs no credentials, and every error documented."""

    def get_auth(self) -> list[dict]:
        auths = super().get_auth()
        reads_openly = any(
            isinstance(p, permissions.DjangoModelPermissionsOrAnonReadOnly)
            for p in self.view.get_permissions()
        )
        if reads_openly and self.method in permissions.SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        codes = [401]
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
