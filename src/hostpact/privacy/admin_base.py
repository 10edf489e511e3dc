"""The back office's bases: which fields a staff member sees comes from the data map and roles.

``DataMapAdmin`` (and ``DataMapInline`` for rows shown on another's page) builds every page from
the model's data map instead of hand-written field lists:

* list pages show the customer ID (``__str__``) and non-personal fields only, never names;
* a change page shows the personal fields whose category one of the viewer's roles covers
  (``hostpact.privacy.roles``), decrypted and read-only; the others are left out entirely;
  credentials and gateway tokens appear only as "set" / "not set";
* opening a change page of a subject's row is a staff read, written to the audit ledger with
  the names of the personal fields shown;
* nothing personal is written here: personal fields are read-only, adding and deleting are off
  (erasure goes through the rights engine), and a change of non-personal fields saves only
  those columns, with its audit event.

``ReadOnlyAdmin`` is the base of pages whose rows only services write (ledgers, jobs, reports):
staff read them, and nobody adds, changes or deletes one by hand.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models, transaction

from hostpact.core import audit, crypto
from hostpact.core.customer_ids import pk_from_customer_id
from hostpact.privacy import registry, roles
from hostpact.privacy.subject_data import subject_path

NO_VALUE = "user.financial.credit_card.token"
SEARCH_HELP = "A customer ID (HP-000123), a row number, or an exact email address."


def _status_only(category: str) -> bool:
    return roles.is_credential(category) or category == NO_VALUE


def _is_set(value) -> bool:
    if isinstance(value, str) and value.startswith("!"):  # Django's unusable password
        return False
    return bool(value)


def _walk(obj, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


class _DataMapFields:
    """Field selection shared by the page admin and the inline admin."""

    def _declared(self) -> dict:
        try:
            return registry.for_model(self.model).fields
        except KeyError:
            return {}

    def _status_fn(self, name: str, label: str):
        cache = self.__dict__.setdefault("_status_fns", {})
        if name not in cache:
            def status(obj, _name=name):
                return "Set (not shown)" if _is_set(getattr(obj, _name, None)) else "Not set"

            status.short_description = label
            status.__name__ = f"{name}_status"
            cache[name] = status
        return cache[name]

    def _plan(self, request):
        """(field entries in page order, read-only entries, visible personal field names)."""
        declared = self._declared()
        personal = {n: d for n, d in declared.items() if d.personal}
        user = request.user
        shown, readonly, visible = [], [], []
        meta = self.model._meta
        for f in [*meta.concrete_fields, *meta.local_many_to_many]:
            name, decl = f.name, declared.get(f.name)
            if f.primary_key:
                continue
            if decl is not None and decl.personal:
                if name.endswith("_index") and name[: -len("_index")] in personal:
                    continue  # a keyed hash of another field: nothing to read in it
                if not roles.may_see(user, decl.category):
                    continue
                if _status_only(decl.category):
                    fn = self._status_fn(name, decl.label or f.verbose_name.capitalize())
                    shown.append(fn)
                    readonly.append(fn)
                    continue
                shown.append(name)
                readonly.append(name)
                visible.append(name)
            elif f.many_to_many:
                if f.name != "user_permissions":  # roles are groups, not single permissions
                    shown.append(name)
            else:
                shown.append(name)
                if f.is_relation or not f.editable:
                    readonly.append(name)
        return shown, readonly, visible

    def visible_personal_fields(self, request) -> list[str]:
        return self._plan(request)[2]

    def get_fields(self, request, obj=None):
        return self._plan(request)[0]

    def get_readonly_fields(self, request, obj=None):
        return self._plan(request)[1]

    def get_exclude(self, request, obj=None):
        shown = set(self._plan(request)[0])
        meta = self.model._meta
        return [f.name for f in [*meta.concrete_fields, *meta.local_many_to_many]
                if f.name not in shown]

    def has_view_permission(self, request, obj=None):
        return roles.may_open(request.user, self.model) or super().has_view_permission(
            request, obj)

    def has_add_permission(self, request, *args):
        return False  # rows are created by services (sign-up, orders), never by hand

    def has_delete_permission(self, request, obj=None):
        return False  # erasure goes through the rights engine, which keeps what the law needs


class DataMapInline(_DataMapFields, admin.StackedInline):
    """A read-only block of a related row (a user's profile, cards) on its owner's page."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # A block of personal data none of which the viewer may see is left off the page.
        declared = self._declared()
        hidden = (any(d.personal for d in declared.values())
                  and not self.visible_personal_fields(request))
        return not hidden and super().has_view_permission(request, obj)


class DataMapAdmin(_DataMapFields, admin.ModelAdmin):
    """A model's back-office pages, derived from its data map and the viewer's roles."""

    actions = None
    list_per_page = 50
    show_full_result_count = False
    search_fields = ("pk",)  # shows the search box; the search itself is get_search_results
    search_help_text = SEARCH_HELP

    def has_module_permission(self, request):
        return roles.may_open(request.user, self.model) or super().has_module_permission(request)

    # --- list page: customer IDs and non-personal fields only ------------------------------

    # The first column; a model whose ``__str__`` shows a personal field (an invoice number)
    # names another, such as "id".
    list_head = ("__str__",)

    def get_list_display(self, request):
        declared = self._declared()
        cols = list(self.list_head)
        user_path = self._user_path()
        if user_path and "__" not in user_path:
            cols.append(user_path)  # shown as the customer ID
        for f in self.model._meta.concrete_fields:
            decl = declared.get(f.name)
            if f.primary_key or f.is_relation or decl is None or decl.personal:
                continue
            cols.append(f.name)
        return cols[:8]

    def get_list_filter(self, request):
        declared = self._declared()
        return [f.name for f in self.model._meta.concrete_fields
                if (isinstance(f, models.BooleanField) or f.choices)
                and f.name in declared and not declared[f.name].personal][:4]

    def get_list_select_related(self, request):
        return [p for p in [self._user_path()] if p and "__" not in p] or False

    # --- search: by customer ID or exact email, through the blind index ---------------------

    def _user_path(self) -> str | None:
        """ORM path from this model to its User ("" for User itself), or None."""
        User = get_user_model()
        if self.model is User:
            return ""
        for f in self.model._meta.concrete_fields:
            if f.is_relation and f.related_model is User:
                return f.name
        path = subject_path(self.model)
        return f"{path}__user" if path else None

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        path = self._user_path()
        prefix = f"{path}__" if path else ""
        pk = pk_from_customer_id(term)
        if pk is not None and path is not None:
            return queryset.filter(**{f"{prefix}pk": pk}), False
        if "@" in term and path is not None:
            index = crypto.blind_index("email", term)
            return queryset.filter(**{f"{prefix}email_index": index}), False
        if term.isdigit():
            return queryset.filter(pk=int(term)), False
        return queryset.none(), False

    # --- change page: opening it is a logged read -------------------------------------------

    def subject_id_of(self, obj):
        if obj is None:
            return None
        if getattr(obj, "subject_id", None):
            return obj.subject_id
        path = subject_path(self.model)
        subject = _walk(obj, path) if path else None
        return getattr(subject, "pk", None)

    def object_ref(self, obj) -> str:
        return getattr(obj, "customer_id", None) or f"{self.model._meta.model_name}:{obj.pk}"

    def fields_read(self, request, obj) -> list[str]:
        names = list(self.visible_personal_fields(request))
        for inline in self.get_inline_instances(request, obj):
            if isinstance(inline, _DataMapFields):
                names.extend(inline.visible_personal_fields(request))
        return sorted(set(names))

    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        subject_id = self.subject_id_of(obj) if change else None
        if subject_id is not None:
            audit.record(audit.actor_of(request.user), "staff.read", subject_id,
                         self.fields_read(request, obj), self.object_ref(obj))
        return response

    # --- saving: non-personal columns only, through one audited write -----------------------

    def save_model(self, request, obj, form, change):
        if change and not form.changed_data:
            return
        changed = [n for n in form.changed_data
                   if not self.model._meta.get_field(n).many_to_many]
        with transaction.atomic():
            if changed:
                obj.save(update_fields=changed)
            audit.record(audit.actor_of(request.user), "staff.change",
                         self.subject_id_of(obj), form.changed_data, self.object_ref(obj))

    def save_related(self, request, form, formsets, change):
        form.save_m2m()
        for formset in formsets:  # the inlines are read-only: nothing of theirs is saved
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class ReadOnlyAdmin(admin.ModelAdmin):
    """Pages of rows only services write: readable by ``roles_allowed`` (and superusers), or,
    when it is empty, by the roles the app registered for the model (``registry.back_office``).

    A page whose add form runs a service (flagging a child, placing a hold, publishing a policy
    version) opens ``has_add_permission`` to ``may_view``.
    """

    roles_allowed: tuple[str, ...] = ()
    actions = None
    list_per_page = 50
    show_full_result_count = False

    def may_view(self, request) -> bool:
        if self.roles_allowed:
            return roles.has_role(request.user, *self.roles_allowed)
        return roles.may_open(request.user, self.model) or super().has_view_permission(request)

    def has_module_permission(self, request):
        return self.may_view(request)

    def has_view_permission(self, request, obj=None):
        return self.may_view(request)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
