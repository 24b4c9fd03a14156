"""Who may see and do what: the one place that decides.

Every page narrows its querysets with `scope()`, looks objects up with `get_object_or_404()` (an
object outside the user's scope is a 404, never a 403 that confirms it exists) and guards its
actions with `can()` / `@require_action`. Models say how they relate to a town, a village, a deputy
or a department by declaring an `AccessRule` (congress.roles); the decisions themselves live here.

The roles (congress.models.Role):
- staff, chairman: every row of their town;
- village cadre: rows of their village (models without a village read town-wide only if the rule allows);
- deputy: rows linked to their own Deputy record (or town-wide where the rule allows);
- department: rows assigned to their department (or town-wide where the rule allows);
- district: read every town of their district;
- superuser: everything (the Django admin is theirs alone).

Uploaded files (Attachment) are served only to users who may see both the attachment and the record
it is attached to: `get_attachment_or_404()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import urlsplit

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.urls import Resolver404, resolve

from congress import params
from congress.models import Attachment, Deputy, Town, User
from congress.roles import EVERY_TOWN_ROLE, AccessRule, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

M = TypeVar("M", bound=Model)


READERS = frozenset({Role.STAFF, Role.CHAIRMAN, Role.DISTRICT})

# What each role may do. Scope still applies: an action on an object outside the scope is a 404.
PERMISSIONS: dict[str, frozenset[str]] = {
    # Reference data of a town: villages, constituencies, deputies, departments, venues, the plan.
    "congress.view_reference": EVERY_TOWN_ROLE,
    "congress.manage_reference": frozenset({Role.STAFF}),
    "congress.manage_accounts": frozenset({Role.STAFF}),
    "congress.view_plan": frozenset({Role.STAFF, Role.CHAIRMAN, Role.DISTRICT}),
    "congress.upload_file": frozenset({Role.STAFF, Role.CHAIRMAN, Role.VILLAGE_CADRE, Role.DEPUTY, Role.DEPARTMENT}),
    "congress.download_file": EVERY_TOWN_ROLE,
    "congress.view_inbox": EVERY_TOWN_ROLE,
    # Deliveries whose arrival is not known (未确认的发送): the office checks and resolves its town's.
    "congress.resolve_deliveries": frozenset({Role.STAFF}),
    # The audit trail (审计记录): sign-ins, refused requests, exports and reveals of personal data.
    "audit.view": frozenset({Role.STAFF, Role.CHAIRMAN}),
    # A person's requests to see, correct or delete their personal data (PIPL), and the office's answers.
    "privacy.view_requests": frozenset({Role.STAFF, Role.CHAIRMAN}),
    "privacy.record_requests": frozenset({Role.STAFF}),
    # Deputies' suggestions (代表建议) and their handling.
    "suggestions.view": frozenset({Role.STAFF, Role.CHAIRMAN, Role.DEPUTY, Role.DEPARTMENT, Role.DISTRICT}),
    "suggestions.submit": frozenset({Role.DEPUTY, Role.STAFF}),
    "suggestions.handle": frozenset({Role.STAFF}),
    "suggestions.answer": frozenset({Role.DEPARTMENT, Role.STAFF}),
    "suggestions.rate": frozenset({Role.DEPUTY, Role.STAFF}),
    "suggestions.supervise": frozenset({Role.CHAIRMAN}),
    "suggestions.statistics": frozenset({Role.STAFF, Role.CHAIRMAN, Role.DISTRICT}),
    # Congress sessions (人代会).
    "sessions.view": frozenset({Role.STAFF, Role.CHAIRMAN, Role.DEPUTY, Role.DEPARTMENT, Role.DISTRICT}),
    "sessions.manage": frozenset({Role.STAFF}),
    # Visits (大走访): recording, the ledger, the register, quotas, triage, pairs and mediations.
    "visits.record": frozenset({Role.STAFF, Role.VILLAGE_CADRE, Role.DEPUTY}),
    "visits.view_ledger": frozenset({Role.STAFF, Role.CHAIRMAN, Role.VILLAGE_CADRE, Role.DEPUTY, Role.DISTRICT}),
    "visits.export_ledger": frozenset({Role.STAFF, Role.CHAIRMAN, Role.VILLAGE_CADRE, Role.DISTRICT}),
    "visits.view_households": frozenset({Role.STAFF, Role.CHAIRMAN, Role.VILLAGE_CADRE, Role.DEPUTY, Role.DISTRICT}),
    "visits.manage_households": frozenset({Role.STAFF, Role.VILLAGE_CADRE}),
    "visits.import_households": frozenset({Role.STAFF}),
    "visits.export_full": frozenset({Role.STAFF}),
    "visits.view_quota": frozenset({Role.STAFF, Role.CHAIRMAN, Role.DISTRICT}),
    "visits.view_own_duty": frozenset({Role.DEPUTY}),
    "visits.triage_opinions": frozenset({Role.STAFF}),
    "visits.manage_categories": frozenset({Role.STAFF}),
    "visits.view_summaries": frozenset({Role.STAFF, Role.CHAIRMAN, Role.DEPUTY, Role.DEPARTMENT, Role.DISTRICT}),
    "visits.manage_pairings": frozenset({Role.STAFF}),
    "visits.view_pairings": frozenset({Role.STAFF, Role.CHAIRMAN, Role.VILLAGE_CADRE, Role.DEPUTY, Role.DISTRICT}),
    "visits.record_mediation": frozenset({Role.STAFF, Role.VILLAGE_CADRE, Role.DEPUTY}),
    "visits.view_mediations": frozenset({Role.STAFF, Role.CHAIRMAN, Role.VILLAGE_CADRE, Role.DEPUTY, Role.DISTRICT}),
    # Livelihood projects (民生实事项目): scope narrows deputies to the projects they supervise and
    # departments to the projects they lead or cooperate on.
    "supervision.view": frozenset({Role.STAFF, Role.CHAIRMAN, Role.DISTRICT, Role.DEPUTY, Role.DEPARTMENT}),
    "supervision.manage_projects": frozenset({Role.STAFF}),
    "supervision.report_progress": frozenset({Role.STAFF, Role.DEPARTMENT}),
    "supervision.review": frozenset({Role.STAFF}),
    "supervision.draft_circular": frozenset({Role.STAFF}),
    "supervision.publish_circular": frozenset({Role.CHAIRMAN}),
    "supervision.add_note": frozenset({Role.DEPUTY}),
    "supervision.manage_problems": frozenset({Role.STAFF}),
    "supervision.manage_votes": frozenset({Role.STAFF}),
    # Whole-process supervision (全过程监督): key projects, inspections, rectification and look-back,
    # department evaluations and law inspections. Scope narrows deputies to the key projects they are
    # assigned to and departments to the items they are responsible for.
    "supervision.view_keyworks": frozenset({Role.STAFF, Role.CHAIRMAN, Role.DISTRICT, Role.DEPUTY, Role.DEPARTMENT}),
    "supervision.manage_keyworks": frozenset({Role.STAFF}),
    "supervision.record_inspection": frozenset({Role.STAFF, Role.DEPUTY}),
    "supervision.record_look_back": frozenset({Role.STAFF, Role.DEPUTY}),
    "supervision.answer_rectification": frozenset({Role.STAFF, Role.DEPARTMENT}),
    # Dashboards (duty.dashboard): the town overview and its wall display; the district's comparison.
    "dashboard.town": frozenset({Role.STAFF, Role.CHAIRMAN, Role.DISTRICT}),
    "dashboard.district": frozenset({Role.DISTRICT}),
    "dashboard.manage_display_links": frozenset({Role.STAFF}),
    # The deputies' year: activities (履职活动), reception days (接待日), the record of duty (履职档案),
    # the annual work checklist (年度工作清单) and the turn of the year and the term.
    "activities.view": frozenset({Role.STAFF, Role.CHAIRMAN, Role.DEPUTY, Role.DISTRICT}),
    "activities.manage": frozenset({Role.STAFF}),
    "activities.view_roster": frozenset({Role.STAFF, Role.CHAIRMAN, Role.VILLAGE_CADRE, Role.DEPUTY, Role.DISTRICT}),
    "activities.manage_roster": frozenset({Role.STAFF}),
    "activities.record_reception": frozenset({Role.STAFF, Role.VILLAGE_CADRE, Role.DEPUTY}),
    "records.view_record": frozenset({Role.STAFF, Role.CHAIRMAN, Role.DEPUTY}),
    "records.view_checklist": frozenset({Role.STAFF, Role.CHAIRMAN, Role.DISTRICT}),
    "records.turn_year": frozenset({Role.STAFF}),
}


def role_of(user: User | AnonymousUser) -> str | None:
    """The user's role, or None for anonymous and inactive users and accounts with no role."""
    if not user.is_authenticated or not user.is_active:
        return None
    return getattr(user, "role", "") or None


def can(user: User | AnonymousUser, action: str) -> bool:
    """Whether the user's role may perform `action` (a key of PERMISSIONS) at all."""
    if action not in PERMISSIONS:
        raise KeyError(f"Unknown action {action!r}: add it to congress.access.PERMISSIONS")
    if user.is_authenticated and user.is_active and user.is_superuser:
        return True
    role = role_of(user)
    return role is not None and role in PERMISSIONS[action]


def rule_for(model: type[Model]) -> AccessRule:
    rule = getattr(model, "access_rule", None)
    if not isinstance(rule, AccessRule):
        raise TypeError(f"{model.__name__} declares no AccessRule: it cannot be shown on a page")
    return rule


def own_deputy(user: User | AnonymousUser) -> Deputy | None:
    """The Deputy record linked to a deputy's login, if any."""
    if role_of(user) != Role.DEPUTY:
        return None
    return getattr(user, "deputy", None)


def scope_filter(user: User | AnonymousUser, model: type[Model]) -> Q | None:
    """The condition on `model`'s rows that the user may read; None means everything."""
    nothing = Q(pk__in=[])
    if not isinstance(user, User) or not user.is_active:  # anonymous, or an account switched off
        return nothing
    if user.is_superuser:
        return None
    rule = rule_for(model)
    role = role_of(user)
    if role == Role.DISTRICT:
        if not user.district_id:
            return nothing
        return Q(**{_lookup(rule.town, "district_id"): user.district_id})
    town_id = user.town_id
    if role is None or town_id is None:
        return nothing
    in_town = Q(**{_lookup(rule.town, "id"): town_id})
    if role in (Role.STAFF, Role.CHAIRMAN) or role in rule.town_wide:
        return in_town
    if role == Role.VILLAGE_CADRE and rule.village:
        return in_town & Q(**{_lookup(rule.village, "id"): user.village_id})
    if role == Role.DEPUTY and rule.deputy:
        deputy = own_deputy(user)
        return in_town & Q(**{_lookup(rule.deputy, "id"): deputy.pk}) if deputy else nothing
    if role == Role.DEPARTMENT and rule.department:
        department_id = user.department_id
        any_path = Q()
        for path in _paths(rule.department):
            any_path |= Q(**{_lookup(path, "id"): department_id})
        return in_town & any_path
    return nothing


def scope(user: User | AnonymousUser, queryset: QuerySet[M] | type[M]) -> QuerySet[M]:
    """The rows of `queryset` (or of a model's default manager) the user may read."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    condition = scope_filter(user, qs.model)
    if condition is None:
        return qs
    qs = qs.filter(condition)
    # A condition through a to-many relation (a deputy's visits) could repeat rows. Only the paths the
    # user's own condition follows count: DISTINCT on a town-wide list makes PostgreSQL sort every row.
    if any(_crosses_many(qs.model, path) for path in _condition_paths(user, rule_for(qs.model))):
        qs = qs.distinct()
    return qs


def _condition_paths(user: User | AnonymousUser, rule: AccessRule) -> tuple[str, ...]:
    """The paths scope_filter's condition for this user follows besides the town."""
    role = role_of(user)
    if role in (Role.DISTRICT, Role.STAFF, Role.CHAIRMAN) or role in rule.town_wide:
        return ()
    if role == Role.VILLAGE_CADRE:
        return _paths(rule.village)
    if role == Role.DEPUTY:
        return _paths(rule.deputy)
    if role == Role.DEPARTMENT:
        return _paths(rule.department)
    return ()


class OutOfScope(Http404):
    """A 404 for a record that exists but lies outside the user's scope: it looks the same as a missing
    one to the user, and the audit trail records it as a denied access (congress.audit)."""

    def __init__(self, target: str) -> None:
        super().__init__()
        self.target = target


def get_object_or_404(user: User | AnonymousUser, queryset: QuerySet[M] | type[M], **lookup: Any) -> M:
    """One object the user may read, or 404 whether it is missing or outside their scope."""
    try:
        return scope(user, queryset).get(**lookup)
    except ObjectDoesNotExist as exc:
        model = queryset if isinstance(queryset, type) else queryset.model
        found = list(model._base_manager.filter(**lookup).values_list("pk", flat=True)[:1])
        if found and user.is_authenticated:
            raise OutOfScope(f"{model._meta.label_lower}:{found[0]}") from exc
        raise Http404 from exc


def may_see(user: User | AnonymousUser, obj: Model) -> bool:
    """Whether `obj` is inside the user's scope."""
    return scope(user, type(obj)).filter(pk=obj.pk).exists()


def may_follow(user: User | AnonymousUser, url: str) -> bool:
    """Whether the view behind `url` lets the user's role in (the action its `require_action` names).

    Templates ask this before showing a link (the `may_follow` filter), so a page never offers what its
    target would refuse. An address outside the portal's URLs is not followed."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False
    action = getattr(match.func, "access_action", None)
    return action is None or can(user, action)


def openable(user: User | AnonymousUser, objects: Iterable[M]) -> set[Any]:
    """The primary keys of those `objects` whose own page the user may open, in one query: the view behind
    their address lets the role in (`may_follow`) and each is in the user's scope. For a list of records
    that links each one only where the link would let the user in."""
    objects = list(objects)
    if not objects or not hasattr(objects[0], "get_absolute_url"):
        return set()
    if not may_follow(user, objects[0].get_absolute_url()):
        return set()
    model = type(objects[0])
    return set(scope(user, model).filter(pk__in=[o.pk for o in objects]).values_list("pk", flat=True))


def in_town(obj: Model, town: Town) -> bool:
    """Whether `obj` belongs to `town`, by its model's AccessRule."""
    rule = rule_for(type(obj))
    return type(obj)._default_manager.filter(pk=obj.pk, **{_lookup(rule.town, "id"): town.pk}).exists()


def get_attachment_or_404(user: User | AnonymousUser, **lookup: Any) -> Attachment:
    """An attachment the user may see, attached to a record they may see; else 404."""
    attachment = get_object_or_404(user, Attachment.objects.select_related("content_type"), **lookup)
    owner_model = attachment.content_type.model_class()
    if owner_model is None or not isinstance(getattr(owner_model, "access_rule", None), AccessRule):
        raise Http404
    owners = scope(user, owner_model)
    # An owner may keep some rows of the scope to fewer people (a suggestion's draft, to its proposers).
    shown_to = getattr(owners, "shown_to", None)
    if shown_to is not None:
        owners = shown_to(user)
    if not owners.filter(pk=attachment.object_id).exists():
        raise OutOfScope(f"{owner_model._meta.label_lower}:{attachment.object_id}")
    return attachment


def towns(user: User | AnonymousUser) -> QuerySet[Town]:
    """The towns whose records the user reads."""
    qs = Town.objects.select_related("district")
    if not isinstance(user, User) or not user.is_active:  # anonymous, or an account switched off
        return qs.none()
    if user.is_superuser:
        return qs.all()
    if role_of(user) == Role.DISTRICT:
        return qs.filter(district_id=user.district_id) if user.district_id else qs.none()
    town_id = user.town_id
    return qs.filter(pk=town_id) if town_id and role_of(user) else qs.none()


def display_reader(town: Town) -> User:
    """Who reads a town's figures for its meeting-room display link: the scope of the town's chairman,
    held by an unsaved user that has no account, cannot sign in and never has a session."""
    return User(role=Role.CHAIRMAN, town=town, is_active=True)


def in_chosen_town(request: HttpRequest, queryset: QuerySet[M]) -> QuerySet[M]:
    """The rows of `queryset` in the town a list is narrowed to with ?town=<id> (a district user's lists
    reached from one town's dashboard); every row when the parameter is absent or not a number. Apply it
    to a scoped queryset: a town outside the user's scope then lists nothing."""
    town_id = params.chosen_id(request, "town")
    if town_id is None:
        return queryset
    return queryset.filter(**{_lookup(rule_for(queryset.model).town, "id"): town_id})


def has_role(user: User | AnonymousUser, roles: Iterable[str]) -> bool:
    """Whether the user's role is one of `roles`: a page or panel offered to those roles."""
    role = role_of(user)
    return role is not None and role in roles


def is_deputy(user: User | AnonymousUser) -> bool:
    """Whether the user signs in as a deputy: pages then narrow to the deputy's own records."""
    return role_of(user) == Role.DEPUTY


def is_office_staff(user: User | AnonymousUser) -> bool:
    """Whether the user works for the congress office (staff, or the superuser standing in for them)."""
    return user.is_authenticated and (user.is_superuser or role_of(user) == Role.STAFF)


def is_department_of(user: User | AnonymousUser, department_id: int | None) -> bool:
    """Whether the user is an account of the department `department_id`."""
    return (
        department_id is not None
        and role_of(user) == Role.DEPARTMENT
        and getattr(user, "department_id", None) == department_id
    )


def home_panel(user: User | AnonymousUser) -> Literal["deputy", "staff", "chairman"] | None:
    """Which panel the home page shows above the tiles: the deputy's, the staff's, the chairman's or none."""
    role = role_of(user)
    if role == Role.DEPUTY:
        return "deputy"
    if role == Role.STAFF:
        return "staff"
    if role == Role.CHAIRMAN:
        return "chairman"
    return None


def household_phone_reach(user: User | AnonymousUser) -> Literal["every", "village", "paired", "none"]:
    """Whose households' phone numbers the user reads in full: every one of the town (the office), the
    own village's (a village cadre), the paired households' (a deputy), or none (masked)."""
    if is_office_staff(user):
        return "every"
    role = role_of(user)
    if role == Role.VILLAGE_CADRE:
        return "village"
    if role == Role.DEPUTY:
        return "paired"
    return "none"


def reads_several_towns(user: User | AnonymousUser) -> bool:
    """Whether the user reads the records of more than one town (a list then names each row's town)."""
    return user.is_authenticated and (user.is_superuser or role_of(user) == Role.DISTRICT)


def may_reveal_deputy_phone(user: User | AnonymousUser, deputy: Deputy) -> bool:
    """Whether the user may see a deputy's full mobile number: the office, or the deputy themselves."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or role_of(user) in (Role.STAFF, Role.CHAIRMAN):
        return True
    own = own_deputy(user)
    return own is not None and own.pk == deputy.pk


def account(request: HttpRequest) -> User:
    """The signed-in account behind a request that passed `@require_action` or `@login_required`."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def home_town(user: User | AnonymousUser) -> Town:
    """The town new records of this user belong to; users without one cannot create town records."""
    town = getattr(user, "town", None)
    if town is None:
        raise PermissionDenied
    return town


def require_action(action: str) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """View decorator: anonymous users go to the login page; a role without `action` gets 403."""
    if action not in PERMISSIONS:
        raise KeyError(f"Unknown action {action!r}: add it to congress.access.PERMISSIONS")

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access_action = action  # type: ignore[attr-defined]  # read by the permission matrix test
        return wrapped

    return decorator


def _paths(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if not value:
        return ()
    return (value,) if isinstance(value, str) else value


def _lookup(path: str, attr: str) -> str:
    return attr if path == "self" else f"{path}__{attr}"


def _crosses_many(model: type[Model], path: str) -> bool:
    if path == "self":
        return False
    current: Any = model
    for part in path.split("__"):
        try:
            f = current._meta.get_field(part)
        except Exception:
            return False
        if f.many_to_many or f.one_to_many:
            return True
        if not f.is_relation or f.related_model is None:
            return False
        current = f.related_model
    return False
