from ninja import Field, Schema

from ocophub.common.api import IsoDateTime


class GrantOut(Schema):
    role: str
    role_label: str
    unit_code: int | None
    unit_name: str | None
    scope_id: int | None


class MeOut(Schema):
    id: int
    full_name: str
    email: str | None
    phone: str | None
    roles: list[GrantOut]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: IsoDateTime
    last_used_at: IsoDateTime | None
    revoked_at: IsoDateTime | None


class TokenCreated(TokenOut):
    token: str = Field(description="The token itself; shown only this once")


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=80)
