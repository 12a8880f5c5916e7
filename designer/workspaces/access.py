"""Who may do what in a workspace. Every API call and websocket goes through `require_role`."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from designer.workspaces.models import ROLE_RANK, Membership, Role, Workspace


class AccessDenied(Exception):
    """The user may not do this; `hidden` means they may not even know the thing exists."""

    def __init__(self, message: str, hidden: bool = False) -> None:
        super().__init__(message)
        self.hidden = hidden


class MembershipError(ValueError):
    """A membership change that would break the workspace (e.g. removing its last owner)."""


User = AbstractBaseUser | AnonymousUser


def role_of(user: User, workspace: Workspace) -> Role | None:
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(workspace=workspace, user_id=user.pk).first()
    return Role(membership.role) if membership else None


def require_role(user: User, workspace: Workspace, minimum: Role) -> Role:
    """The user's role, if it is at least `minimum`; otherwise AccessDenied."""
    role = role_of(user, workspace)
    if role is None:
        raise AccessDenied("not a member of this workspace", hidden=True)
    if ROLE_RANK[role] < ROLE_RANK[minimum]:
        raise AccessDenied(f"a {role.label.lower()} cannot do this; it needs the {minimum.label.lower()} role")
    return role


def workspaces_of(user: User) -> list[tuple[Workspace, Role]]:
    memberships = Membership.objects.filter(user_id=user.pk).select_related("workspace").order_by("workspace__name")
    return [(m.workspace, Role(m.role)) for m in memberships]


@transaction.atomic
def workspace_create(name: str, owner: AbstractBaseUser) -> Workspace:
    workspace = Workspace.objects.create(name=name)
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    return workspace


@transaction.atomic
def membership_set(workspace: Workspace, user: AbstractBaseUser, role: Role) -> Membership:
    """Add `user` with `role`, or change their role; the last owner cannot step down."""
    membership, created = Membership.objects.get_or_create(workspace=workspace, user=user, defaults={"role": role})
    if not created and membership.role != role:
        if membership.role == Role.OWNER:
            _keep_an_owner(workspace)
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(workspace: Workspace, user: AbstractBaseUser) -> None:
    membership = Membership.objects.filter(workspace=workspace, user=user).first()
    if membership is None:
        return
    if membership.role == Role.OWNER:
        _keep_an_owner(workspace)
    membership.delete()


def _keep_an_owner(workspace: Workspace) -> None:
    if Membership.objects.filter(workspace=workspace, role=Role.OWNER).count() <= 1:
        raise MembershipError("a workspace needs at least one owner")
