"""factory_boy factories for the apps' own models."""

import factory

from ocophub.accounts.models import Role, RoleGrant, User

PASSWORD = "mat-khau-thu-nghiem-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    email = factory.Sequence(lambda n: f"user{n}@example.vn")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy passes the object first
        if create:
            obj.save()


class GrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleGrant

    user = factory.SubFactory(UserFactory)
    role = Role.CUSTOMER
