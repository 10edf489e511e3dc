"""Reading delivery status notifications (RFC 3464) and feedback reports (RFC 5965) as real
servers write them, and damaged ones without an exception.

The builders here make reports the way the servers that send most of them do: Postfix's
bounce daemon for DSNs, and the ARF layout of the large mailbox providers' feedback loops
(Yahoo/AOL CFL, Gmail's and Outlook's ARF-format reports) for complaints.
"""

import base64
from email.message import Message
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

from hypothesis import given
from hypothesis import strategies as st

from hostpact.core.inbound import parse
from hostpact.marketing.feedback import classify, parse_arf, parse_dsn

DATE = "Wed, 2 Dec 2026 05:00:00 +0000"


def _fields(**values) -> Message:
    block = Message()
    for name, value in values.items():
        block[name.replace("_", "-")] = value
    return block


def _original_headers(to: str, return_path: str, message_id: str) -> str:
    return (f"Return-Path: <{return_path}>\nFrom: Hostpact <noreply@hostpact.test>\n"
            f"To: {to}\nSubject: Our December newsletter\nDate: {DATE}\n"
            f"Message-ID: {message_id}\nMIME-Version: 1.0\n")


def postfix_dsn(to: str, return_path: str, *, action: str = "failed", status: str = "5.1.1",
                diagnostic: str | None = None,
                message_id: str = "<c1@hostpact.test>") -> bytes:
    """Return a DSN as Postfix's bounce daemon writes it for one recipient."""
    diagnostic = diagnostic or (
        f"smtp; 550 {status} <{to}>: Recipient address rejected: User unknown in virtual "
        "mailbox table")
    delayed = action == "delayed"
    report = MIMEMultipart("report", report_type="delivery-status")
    report["Return-Path"] = "<>"
    report["From"] = "MAILER-DAEMON@mx.example.test (Mail Delivery System)"
    report["To"] = return_path
    report["Subject"] = ("Delayed Mail (still being retried)" if delayed
                         else "Undelivered Mail Returned to Sender")
    report["Auto-Submitted"] = "auto-replied"
    report["Date"] = DATE
    report["Message-Id"] = "<20261202050000.3F1A2@mx.example.test>"
    notice = MIMEText("This is the mail system at host mx.example.test.\n\n"
                      "I'm sorry to have to inform you that your message could not\n"
                      "be delivered to one or more recipients.\n")
    notice["Content-Description"] = "Notification"
    report.attach(notice)
    status_part = Message()
    status_part["Content-Description"] = "Delivery report"
    status_part["Content-Type"] = "message/delivery-status"
    per_recipient = _fields(Final_Recipient=f"rfc822; {to}", Original_Recipient=f"rfc822;{to}",
                            Action=action, Status=status,
                            Remote_MTA="dns; mx2.example.test", Diagnostic_Code=diagnostic)
    if delayed:
        per_recipient["Will-Retry-Until"] = "Sat, 5 Dec 2026 05:00:00 +0000"
    status_part.set_payload([
        _fields(Reporting_MTA="dns; mx.example.test", X_Postfix_Queue_ID="3F1A2",
                X_Postfix_Sender=f"rfc822; {return_path}", Arrival_Date=DATE),
        per_recipient,
    ])
    report.attach(status_part)
    headers = MIMEText(_original_headers(to, return_path, message_id), "rfc822-headers")
    headers["Content-Description"] = "Undelivered Message Headers"
    report.attach(headers)
    return report.as_bytes()


def provider_arf(to: str, return_path: str | None, *, message_id: str = "<c1@hostpact.test>",
                 feedback_type: str = "abuse", report_mail_from: bool = True,
                 headers_only: bool = False) -> bytes:
    """Return a feedback report in the providers' layout: notice, fields, original message.

    ``return_path`` None makes an original whose return path the provider redacted;
    ``headers_only`` sends the original's headers (text/rfc822-headers) instead of all of it.
    """
    report = MIMEMultipart("report", report_type="feedback-report")
    report["From"] = "Mail Abuse Desk <feedback@fbl.example.test>"
    report["To"] = "feedback@hostpact.test"
    report["Subject"] = "Email Feedback Report for IP 192.0.2.25"
    report["Date"] = DATE
    report["Message-ID"] = "<fbl-20261202-1@fbl.example.test>"
    report.attach(MIMEText("This is an email abuse report for an email message received "
                           f"from IP 192.0.2.25 on {DATE}.\n"))
    fields = Message()
    fields["Content-Type"] = "message/feedback-report"
    values = {"Feedback_Type": feedback_type, "User_Agent": "ExampleFBL/1.0", "Version": "1"}
    if report_mail_from and return_path:
        values["Original_Mail_From"] = f"<{return_path}>"
    values.update(Original_Rcpt_To=f"<{to}>", Arrival_Date=DATE,
                  Reporting_MTA="dns; mail.fbl.example.test", Source_IP="192.0.2.25",
                  Authentication_Results="mail.fbl.example.test; dkim=pass "
                                         "header.d=hostpact.test",
                  Reported_Domain="hostpact.test")
    fields.set_payload([_fields(**values)])
    report.attach(fields)
    headers = _original_headers(to, return_path or "redacted@fbl.example.test", message_id)
    if return_path is None:
        headers = headers.split("\n", 1)[1]
    if headers_only:
        report.attach(MIMEText(headers, "rfc822-headers"))
    else:
        original = Message()
        for line in headers.strip().splitlines():
            name, _, value = line.partition(": ")
            original[name] = value
        original.set_payload("Read our newsletter online.\n")
        report.attach(MIMEMessage(original))
    return report.as_bytes()


def _read(raw: bytes):
    return parse("", "bounces+x@hostpact.test", raw).message


def test_postfix_hard_bounce_reads_as_one_failed_recipient():
    """A Postfix DSN yields the recipient's Final-Recipient, Action, Status and diagnostic."""
    raw = postfix_dsn("asha@example.test", "bounces+ab-cd@hostpact.test")
    [status] = parse_dsn(_read(raw))
    assert status.final_recipient == "asha@example.test"
    assert (status.action, status.status) == ("failed", "5.1.1")
    assert status.diagnostic.startswith("smtp; 550 5.1.1")
    assert classify([status]) == ("hard", "5.1.1")


def test_failed_after_retrying_a_transient_error_is_soft():
    """'failed' with a 4.x.x status (a server that gave up retrying) is a soft bounce."""
    raw = postfix_dsn("asha@example.test", "bounces+ab-cd@hostpact.test", status="4.4.7",
                      diagnostic="smtp; 451 4.4.7 Message expired")
    assert classify(parse_dsn(_read(raw))) == ("soft", "4.4.7")


def test_delayed_delivered_and_relayed_are_no_bounce():
    """'delayed', 'delivered' and 'relayed' report mail on its way: no verdict."""
    for action, status in (("delayed", "4.4.1"), ("delivered", "2.0.0"),
                           ("relayed", "2.0.0")):
        raw = postfix_dsn("asha@example.test", "bounces+ab-cd@hostpact.test", action=action,
                          status=status, diagnostic="smtp; 421 4.4.1 try later")
        statuses = parse_dsn(_read(raw))
        assert [s.action for s in statuses] == [action]
        assert classify(statuses) is None


def test_odd_case_and_a_status_only_in_the_diagnostic_are_read():
    """Field names and types in any case, and a Status only found in Diagnostic-Code, read."""
    raw = (b"Content-Type: MULTIPART/REPORT; Report-Type=Delivery-Status; boundary=b\r\n"
           b"\r\n--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n"
           b"--b\r\nContent-Type: Message/Delivery-Status\r\n\r\n"
           b"reporting-mta: dns; mx.example.test\r\n\r\n"
           b"FINAL-RECIPIENT: RFC822; <Asha@Example.TEST>\r\nACTION: Failed (permanent)\r\n"
           b"status: \r\ndiagnostic-code: smtp; 550 5.2.1\r\n  mailbox disabled\r\n--b--\r\n")
    [status] = parse_dsn(_read(raw))
    assert status == ("Asha@Example.TEST", "failed", "5.2.1",
                      "smtp; 550 5.2.1 mailbox disabled")


def test_a_base64_encoded_status_part_and_8bit_bytes_are_read():
    """An encoded status part is decoded; raw 8-bit bytes become U+FFFD, not an exception."""
    fields = (b"Reporting-MTA: dns; mx.example.test\n\n"
              b"Final-Recipient: rfc822; a@example.test\nAction: failed\nStatus: 5.7.1\n")
    raw = (b"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
           b"--b\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n"
           + base64.encodebytes(fields) + b"--b--\n")
    assert classify(parse_dsn(_read(raw))) == ("hard", "5.7.1")
    eight_bit = postfix_dsn("a@example.test", "bounces+ab-cd@hostpact.test",
                            diagnostic="smtp; 550 5.1.1 Benutzer unbekannt").replace(
        b"unbekannt", b"unbek\xe4nnt \xff")
    [status] = parse_dsn(_read(eight_bit))
    assert status.status == "5.1.1" and "\ufffd" in status.diagnostic


def test_several_recipients_the_hard_one_wins():
    """A report listing a relayed and a failed recipient gives the permanent verdict."""
    raw = (b"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
           b"--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx\n\n"
           b"Final-Recipient: rfc822; a@example.test\nAction: failed\nStatus: 4.2.2\n\n"
           b"Final-Recipient: rfc822; b@example.test\nAction: relayed\nStatus: 2.0.0\n\n"
           b"Final-Recipient: rfc822; c@example.test\nAction: failed\nStatus: 5.1.1\n"
           b"--b--\n")
    statuses = parse_dsn(_read(raw))
    assert [s.final_recipient for s in statuses] == ["a@example.test", "b@example.test",
                                                     "c@example.test"]
    assert classify(statuses) == ("hard", "5.1.1")


def test_mail_that_is_no_dsn_yields_nothing():
    """An auto-reply, a report missing its status part and a feedback report are no DSN."""
    auto_reply = (b"From: asha@example.test\nSubject: Out of office\nAuto-Submitted: "
                  b"auto-replied\n\nI am away until Monday.\n")
    no_status = (b"Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
                 b"--b\nContent-Type: text/plain\n\nYour mail failed.\n--b--\n")
    arf = provider_arf("a@example.test", "bounces+ab-cd@hostpact.test")
    for raw in (auto_reply, no_status, arf):
        assert parse_dsn(_read(raw)) == []
    assert parse_arf(_read(auto_reply)) is None
    assert parse_arf(_read(postfix_dsn("a@example.test", "bounces+a@hostpact.test"))) is None


def test_provider_arf_names_our_return_path_and_message_id():
    """A provider's report yields its type, the original's Message-ID and our VERP path."""
    raw = provider_arf("asha@example.test", "bounces+ab-cd@hostpact.test",
                       message_id="<c7@hostpact.test>")
    report = parse_arf(_read(raw))
    assert report == ("abuse", "c7@hostpact.test", "asha@example.test", "bounces+ab-cd")
    assert report.is_complaint


def test_arf_return_path_of_the_original_and_headers_only_are_read():
    """Without Original-Mail-From the original's Return-Path names the VERP path; an original
    sent as headers only still gives its Message-ID."""
    raw = provider_arf("asha@example.test", "bounces+ab-cd@hostpact.test",
                       report_mail_from=False, headers_only=True)
    report = parse_arf(_read(raw))
    assert (report.verp_local_part, report.message_id) == ("bounces+ab-cd", "c1@hostpact.test")


def test_arf_with_a_foreign_or_redacted_return_path_names_no_verp_path():
    """A return path on another domain, or none, is not taken for ours."""
    foreign = parse_arf(_read(provider_arf("a@example.test", "bounces+ab@elsewhere.example")))
    redacted = parse_arf(_read(provider_arf("a@example.test", None)))
    assert foreign.verp_local_part == "" and redacted.verp_local_part == ""
    assert redacted.message_id == "c1@hostpact.test"


def test_only_abuse_and_fraud_reports_are_complaints():
    """'not-spam', 'virus', 'auth-failure' and 'other' reports are not complaints."""
    for kind, complaint in (("abuse", True), ("Fraud", True), ("not-spam", False),
                            ("virus", False), ("auth-failure", False), ("other", False)):
        raw = provider_arf("a@example.test", "bounces+ab@hostpact.test", feedback_type=kind)
        assert parse_arf(_read(raw)).is_complaint is complaint


def test_a_report_without_feedback_type_is_no_report():
    """A feedback-report part lacking the required Feedback-Type yields nothing."""
    raw = (b"Content-Type: multipart/report; report-type=feedback-report; boundary=b\n\n"
           b"--b\nContent-Type: message/feedback-report\n\nUser-Agent: X/1\nVersion: 1\n"
           b"--b--\n")
    assert parse_arf(_read(raw)) is None


@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(raw):
    """Any bytes at all parse to no statuses or a report, never to an exception."""
    message = _read(raw)
    assert all(s.action is not None for s in parse_dsn(message))
    report = parse_arf(message)
    assert report is None or isinstance(report.feedback_type, str)


@given(st.integers(min_value=0, max_value=3000), st.binary(min_size=1, max_size=40))
def test_damaged_reports_never_raise(cut, noise):
    """A real report cut short or with bytes spliced in parses without an exception."""
    for raw in (postfix_dsn("a@example.test", "bounces+ab-cd@hostpact.test"),
                provider_arf("a@example.test", "bounces+ab-cd@hostpact.test")):
        damaged = raw[:cut] + noise + raw[cut + len(noise):]
        for message in (_read(damaged), _read(raw[:cut])):
            assert all(isinstance(s.status, str) for s in parse_dsn(message))
            report = parse_arf(message)
            assert report is None or isinstance(report.feedback_type, str)
