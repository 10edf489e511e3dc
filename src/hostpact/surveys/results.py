"""Survey results as staff see and share them (C25): counts per question with any cell under
11 suppressed (with complementary suppression), and free text only once staff approved it.

``share`` hands the same aggregates to the corporate family or a third party, only after the
disclosure gate accepted ``system.aggregate`` for ``analytics.reporting``; the file holds no
id, no token and no unapproved text.
"""

import csv
import io
import json
from collections import Counter

from django.db import transaction

from hostpact.core import audit
from hostpact.privacy import aggregates, disclose
from hostpact.privacy.disclosures.services import DisclosureRefused
from hostpact.surveys.models import Answer, Question, Survey, TextReview
from hostpact.surveys.services import SurveyRefused


def _counts(question: Question) -> dict[str, int]:
    answers = Answer.objects.filter(question=question)
    if question.kind == Question.Kind.SCALE:
        seen = Counter(answers.values_list("scale", flat=True))
        return {str(n): seen.get(n, 0) for n in range(question.scale_min,
                                                       question.scale_max + 1)}
    seen = Counter(v for values in answers.values_list("values", flat=True) for v in values)
    return {choice: seen.get(choice, 0) for choice in question.choices}


def results(survey: Survey) -> dict:
    """Return the survey's suppressed results: responses (None under the threshold) and, per
    question, its cells and total, or the approved texts."""
    threshold = aggregates.SURVEY
    out = []
    for question in survey.questions.all():
        if question.kind == Question.Kind.TEXT:
            texts = list(Answer.objects.filter(question=question,
                                               review__decision=TextReview.Decision.APPROVED)
                         .order_by("text").values_list("text", flat=True))
            pending = Answer.objects.filter(question=question, review__isnull=True).count()
            out.append({"question": question.text, "kind": question.kind, "texts": texts,
                        "pending": pending})
            continue
        cells, total = aggregates.suppress(_counts(question), threshold)
        out.append({"question": question.text, "kind": question.kind,
                    "cells": [(c.label, c.count) for c in cells], "total": total})
    return {"survey": survey.title, "threshold": threshold,
            "responses": aggregates.suppressed(survey.responses.count(), threshold),
            "questions": out}


def review_text(answer_id, decision: str, *, actor: str) -> TextReview:
    """Mark a free-text answer approved for sharing or withheld."""
    if decision not in TextReview.Decision.values:
        raise SurveyRefused("Choose approved or withheld.", "decision")
    with transaction.atomic():
        answer = Answer.objects.filter(pk=answer_id, question__kind=Question.Kind.TEXT).first()
        if answer is None:
            raise SurveyRefused("There is no such free-text answer.", "answer")
        review, _ = TextReview.objects.update_or_create(
            answer=answer, defaults={"decision": decision, "reviewed_by": actor[:64]})
        audit.record(actor, "survey.review", None, ["decision"],
                     f"survey:{answer.question.survey_id}")
    return review


def render(data: dict, fmt: str) -> tuple[bytes, str]:
    """Return the results as a file (``json`` or ``csv``) and its content type."""
    if fmt == "json":
        return json.dumps(data, indent=2).encode(), "application/json"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["question", "answer", "count"])
    for q in data["questions"]:
        for label, n in q.get("cells", []):
            writer.writerow([q["question"], label, "suppressed" if n is None else n])
        if "total" in q:
            writer.writerow([q["question"], "total",
                             "withheld" if q["total"] is None else q["total"]])
        for text in q.get("texts", []):
            writer.writerow([q["question"], text, ""])
    return out.getvalue().encode(), "text/csv"


def share(survey_id, recipient: str, fmt: str, *, actor: str) -> tuple[bytes, str]:
    """Return the results file for ``recipient`` after the gate accepted the disclosure of
    aggregates; ``SurveyRefused`` (nothing handed over) when it refused."""
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        raise SurveyRefused(f"There is no survey {survey_id}.", "survey")
    if fmt not in ("json", "csv"):
        raise SurveyRefused("Choose JSON or CSV.", "fmt")
    data = results(survey)
    for q in data["questions"]:
        q.pop("pending", None)  # how many texts await review is staff's business
    try:
        disclose(recipient, [], ["system.aggregate"], "analytics.reporting", "", actor=actor,
                 reference=f"survey:{survey.pk}")
    except DisclosureRefused as exc:
        raise SurveyRefused(f"The disclosure gate refused: {exc}", "recipient") from None
    return render(data, fmt)
