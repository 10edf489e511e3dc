"""The community's pages: forums (public to read, subscribers post), testimonials, and the
removal request form (anyone). Held and removed posts answer 404 to everyone but their author
(held only) and moderators; another's testimonial or removal request answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from hostpact.community import services
from hostpact.community.forms import RemovalForm, ReplyForm, TestimonialForm, ThreadForm
from hostpact.community.models import Category, Post, RemovalRequest, State, Testimonial, Thread

THREADS_PER_PAGE = 25
POSTS_PER_PAGE = 30


def _is_subscriber(user) -> bool:
    return user.is_authenticated and not user.is_staff


def _error(form, exc: services.CommunityError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


@require_safe
def index(request):
    """The forum categories."""
    return render(request, "community/index.html", {"categories": Category.objects.all()})


def _threads(request, category):
    qs = category.threads.filter(state=State.VISIBLE)
    if request.user.is_authenticated:
        qs = category.threads.filter(Q(state=State.VISIBLE)
                                     | Q(state=State.HELD, author=request.user))
    return qs


@require_safe
def category(request, slug: str):
    """A category's threads, newest first (pinned on top), paginated."""
    found = get_object_or_404(Category, slug=slug)
    page = Paginator(_threads(request, found), THREADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "community/category.html", {
        "category": found, "page": page, "may_post": _is_subscriber(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def new_thread(request, slug: str):
    """Start a thread (subscribers)."""
    found = get_object_or_404(Category, slug=slug)
    if not _is_subscriber(request.user):
        raise Http404
    form = ThreadForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                thread, post = services.start_thread(request.user, found,
                                                     form.cleaned_data["title"],
                                                     form.cleaned_data["body"])
            except services.CommunityError as exc:
                _error(form, exc)
                status = 429 if exc.field is None else 400
            else:
                _posted(request, post)
                return redirect("community:thread", thread.pk)
    return render(request, "community/new_thread.html", {"category": found, "form": form},
                  status=status)


def _posted(request, post):
    if post.state == State.HELD:
        messages.info(request, "Thank you. Your post awaits moderation: others see it once "
                               "staff approve it.")
    else:
        messages.success(request, "Your post is published.")


def _visible_thread(request, pk: int) -> Thread:
    thread = get_object_or_404(Thread.objects.select_related("category"), pk=pk)
    if thread.state == State.VISIBLE or services.is_moderator(request.user):
        return thread
    if thread.state == State.HELD and request.user.is_authenticated \
            and thread.author_id == request.user.pk:
        return thread
    raise Http404


@require_http_methods(["GET", "POST"])
def thread(request, pk: int):
    """A thread's posts, paginated; a reply form for subscribers."""
    found = _visible_thread(request, pk)
    form = ReplyForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not _is_subscriber(request.user):
            return redirect_to_login(request.get_full_path())
        status = 400
        if form.is_valid():
            try:
                post = services.reply(request.user, found, form.cleaned_data["body"])
            except services.CommunityError as exc:
                _error(form, exc)
                status = 429 if "hour" in str(exc) else 400
            else:
                _posted(request, post)
                return redirect(reverse("community:thread", args=[found.pk])
                                + f"#post-{post.pk}")
    posts = found.posts.filter(state=State.VISIBLE)
    if request.user.is_authenticated:
        posts = found.posts.filter(Q(state=State.VISIBLE)
                                   | Q(state=State.HELD, author=request.user))
    # No join to the author: a post shows a pseudonym of its subject, and joining would
    # decrypt every author's account fields on a public page for nothing.
    page = Paginator(posts, POSTS_PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "community/thread.html", {
        "thread": found, "page": page, "form": form,
        "may_post": _is_subscriber(request.user) and not found.locked}, status=status)


@require_safe
def post_link(request, pk: int):
    """A post's permanent link: the page of its thread that shows it."""
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    if not services.may_see_post(request.user, post):
        raise Http404
    before = post.thread.posts.filter(pk__lt=post.pk, state=State.VISIBLE).count()
    page = before // POSTS_PER_PAGE + 1
    return redirect(reverse("community:thread", args=[post.thread_id])
                    + f"?page={page}#post-{post.pk}")


@require_safe
def testimonials(request):
    """Approved testimonials, each with the name its author chose."""
    items = Testimonial.objects.filter(state=Testimonial.Status.APPROVED).order_by(
        "-approved_at", "-pk")
    return render(request, "community/testimonials.html", {"testimonials": items})


@login_required
@require_http_methods(["GET", "POST"])
def my_testimonials(request):
    """Submit a testimonial; see and withdraw one's own."""
    form = TestimonialForm(None)
    status = 200
    if request.method == "POST":
        if "withdraw" in request.POST:
            try:
                services.withdraw_testimonial(request.user, int(request.POST["withdraw"]))
            except (ValueError, Testimonial.DoesNotExist):
                raise Http404 from None
            messages.success(request, "Your testimonial is withdrawn; it is no longer shown.")
            return redirect("community:my_testimonials")
        form, status = TestimonialForm(request.POST), 400
        if form.is_valid():
            try:
                services.submit_testimonial(request.user, form.cleaned_data["display_name"],
                                            form.cleaned_data["text"])
            except services.CommunityError as exc:
                _error(form, exc)
            else:
                messages.success(request, "Thank you. Staff review it before it is shown.")
                return redirect("community:my_testimonials")
    return render(request, "community/my_testimonials.html", {
        "form": form, "mine": Testimonial.objects.filter(user=request.user)}, status=status)


@require_http_methods(["GET", "POST"])
def removal(request):
    """Ask for personal information to be removed from a post or testimonial (anyone)."""
    user = request.user if _is_subscriber(request.user) else None
    initial = {"email": user.email} if user else {}
    form = RemovalForm(request.POST if request.method == "POST" else None, initial=initial)
    if user:
        form.fields["email"].disabled = True
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                req = services.request_removal(user=user, email=data["email"],
                                               url=data["url"], what=data["what"])
            except services.CommunityError as exc:
                _error(form, exc)
            else:
                return render(request, "community/removal_received.html",
                              {"request_": req}, status=201)
    return render(request, "community/removal.html", {"form": form}, status=status)


@login_required
@require_safe
def my_removals(request):
    """The subscriber's own removal requests."""
    return render(request, "community/my_removals.html", {
        "requests": RemovalRequest.objects.filter(user=request.user)})


@login_required
@require_safe
def my_removal(request, pk: int):
    """One of the subscriber's removal requests; another's answers 404."""
    req = get_object_or_404(RemovalRequest, pk=pk, user=request.user)
    return render(request, "community/my_removal.html", {"request_": req})
