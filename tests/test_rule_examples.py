"""Every rule has examples it must flag and examples it must not (proselint's way).

A rule without examples fails the suite, so a new rule cannot land untested.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

import clarity
from clarity.rules import REGISTRY

# code -> (must flag: [(text, the span text that must be reported)], must not flag: [text])
EXAMPLES: dict[str, tuple[list[tuple[str, str]], list[str]]] = {
    "J001": (
        [
            ("Please flush your DNS cache and try again.", "DNS cache"),
            ("We noticed high latency on your connection.", "latency"),
            ("Your request was escalated to the network team.", "escalated"),
            ("Sign in with SSO to reach the portal.", "SSO"),
            ("Your AD account is locked, so we will unlock it.", "AD"),
            ("Clear your browser cookies, then sign in again.", "browser cookies"),
        ],
        [
            "It will be fixed tomorrow, and it should work after that. I saw the ad.",
            "Please restart your computer and try again.",
            "Sign in with one login (SSO): after that, SSO opens every app.",
            "Thanks for your patience while we sort this out.",
        ],
    ),
    "J002": (
        [
            ("Your order is in the CRM now.", "CRM"),
            ("We use MDM and CASB for this; CASB keeps it safe.", "CASB"),
            ("The XQZ tool will open when you sign in.", "XQZ"),
        ],
        [
            "Please send the PDF to me by USB stick, OK?",
            "Your order is in our customer records system (CRM), so the CRM has it.",
            "CRM (customer relationship management) is where we keep orders.",
            "Email support@example.com or visit https://example.com/HELP today.",
            "THIS IS NOT WORKING AT ALL.",
            "Please do NOT click the link in that message.",
            "Your request INC0048213 is open.",
        ],
    ),
    "J003": (
        [
            ("The failover was idempotent, so nothing changed.", "idempotent"),
        ],
        [
            "Please call Anastasiya Wrzesniewski at the office.",
            "Open C:\\Users\\maria\\AppData\\Roaming\\frobnicator.ini in Notepad.",
            "Run `kubectl get pods` and send me what it prints.",
            "Send it to xqzzyfrob@example.com when you can.",
            "Thanks for your message, I will call you later today.",
        ],
    ),
    "W001": (
        [
            ("In order to reset your password, open the link.", "In order to"),
            ("Please utilize the new printer.", "utilize"),
            ("We utilized the backup to restore your files.", "utilized"),
            ("Prior to the update, save your work.", "Prior to"),
        ],
        [
            "To reset your password, open the link.",
            "Please use the new printer before noon.",
        ],
    ),
    "R001": (
        [
            (
                "To fix this you need to open Settings and then go to Accounts where you will "
                "find the option to remove the old profile, after which you should restart the "
                "laptop and sign in again with your new password.",
                "To fix this you need to open Settings and then go to Accounts where you will "
                "find the option to remove the old profile, after which you should restart the "
                "laptop and sign in again with your new password.",
            ),
        ],
        [
            "Open Settings and go to Accounts. Remove the old profile. Then restart the laptop.",
        ],
    ),
    "R002": (
        [
            (
                "Subsequent authentication verification necessitates additional organizational "
                "configuration modifications.",
                "Subsequent authentication verification necessitates additional organizational "
                "configuration modifications.",
            ),
        ],
        [
            "You will need to change one more setting before you can sign in.",
            "Thanks a lot.",
        ],
    ),
    "R003": (
        [
            (
                "The server was restarted by the admin last night.",
                "The server was restarted by the admin",
            ),
            ("Your laptop was restarted last night.", "was restarted"),
            ("Your account has been locked.", "been locked"),
        ],
        [
            "We restarted the server last night.",
            "You are logged in now.",
            "The office is located on the second floor.",
        ],
    ),
    "R004": (
        [
            (
                "Subsequent to the implementation of the organizational modification, "
                "authentication necessitates re-verification utilizing the organizational "
                "credentials previously communicated. Consequently, individuals experiencing "
                "authentication difficulties should contact the departmental representative "
                "immediately for additional clarification regarding procedural requirements. "
                "Authorization verification subsequently necessitates documentation.",
                "Subsequent to the implementation of the organizational modification, "
                "authentication necessitates re-verification utilizing the organizational "
                "credentials previously communicated. Consequently, individuals experiencing "
                "authentication difficulties should contact the departmental representative "
                "immediately for additional clarification regarding procedural requirements. "
                "Authorization verification subsequently necessitates documentation.",
            ),
        ],
        [
            "Hi Sam, thanks for your message. I am sorry the printer is not working. Please "
            "turn it off, wait ten seconds, and turn it on again. If it still does not print, "
            "reply to this email and I will call you. We will get it working today.",
            "Subsequent authentication necessitates re-verification.",  # too short to judge
        ],
    ),
}


# Tone rules (T): phrases, commands, shouting, greetings and sign-offs.
EXAMPLES.update(
    {
        "T001": (
            [
                ("You failed to install the update, so the issue is on your end.", "You failed to"),
                ("The issue is on your end, not ours.", "The issue is on your end"),
                ("This was caused by user error.", "user error"),
            ],
            [
                "The update did not install on your laptop. Let's run it together.",
                "Thanks for your patience; we found the cause on our side and fixed it.",
            ],
        ),
        "T002": (
            [
                ("As I already told you twice, read the FAQ.", "As I already told you"),
                ("Obviously, the cable must be plugged in.", "Obviously"),
                ("As per my last email, the form is attached.", "As per my last email"),
            ],
            [
                "Here are the steps again, in short.",
                "Please read the FAQ: it has pictures of each step.",
            ],
        ),
        "T003": (
            [("Simply click Save and close the window.", "Simply")],
            ["Click Save and close the window."],
        ),
        "T004": (
            [("Read the FAQ.", "Read the FAQ."), ("Check the manual.", "Check the manual.")],
            [
                "Please read the FAQ, it has pictures.",
                "Click Save, then close the window.",
                "Check the cable if the light is off.",
                "Could you check the cable?",
            ],
        ),
        "T005": (
            [
                ("PLEASE DO NOT reply to this email.", "PLEASE DO NOT"),
                ("Call us now!!", "!!"),
                ("Why is it broken again??", "??"),
            ],
            ["Your VPN and PDF files are fine, OK?", "Please send the PDF by USB stick!"],
        ),
        "T006": (
            [
                ("That's not our problem.", "not our problem"),
                ("There is nothing we can do about it.", "There is nothing we can do"),
                ("Whatever. It works for us.", "Whatever."),
            ],
            [
                "We can help with whatever you need.",
                "This app is run by its maker, so here is how to reach their support.",
            ],
        ),
        "T007": (
            [
                ("You never restart your laptop.", "You never"),
                ("You always forget the attachment.", "You always"),
            ],
            ["The log was not attached this time; could you send it?"],
        ),
        "T008": (
            [("We cannot restore files older than 30 days.", "We cannot")],
            [
                "We cannot restore files older than 30 days, but we can restore anything newer.",
                "If you can't sign in, call us on 555-0100.",
                "Thanks for letting us know you can't sign in.",
            ],
        ),
        "T009": (
            [
                (
                    "Your new laptop is ready for you at the front desk. We copied your files and "
                    "your bookmarks across, and your printer is set up. Bring your old laptop "
                    "when you come. It takes about ten minutes to swap.\n\nKind regards,\nSam",
                    "Your new laptop is ready for you at the front desk.",
                ),
            ],
            [
                "Hi Maria,\n\nYour new laptop is ready for you at the front desk. We copied "
                "your files and your bookmarks across, and your printer is set up. Bring your old "
                "laptop when you come. It takes about ten minutes.\n\nKind regards,\nSam",
                "Your laptop is ready.",  # too short to be judged as an e-mail
            ],
        ),
        "T010": (
            [
                (
                    "Hi Maria,\n\nYour new laptop is ready for you at the front desk. We copied "
                    "your files and your bookmarks across, and your printer is set up. Bring your "
                    "old laptop when you come. It takes about ten minutes to swap.",
                    "It takes about ten minutes to swap.",
                ),
            ],
            [
                "Hi Maria,\n\nYour new laptop is ready for you at the front desk. We copied "
                "your files and your bookmarks across, and your printer is set up. Bring your old "
                "laptop when you come. It takes about ten minutes.\n\nSee you soon,\nSam",
            ],
        ),
    }
)


# Rules that read the customer's message: "reply" + INCOMING + "customer's message".
INCOMING = "\n<<< the customer wrote:\n"
EXAMPLES.update(
    {
        "T011": (
            [
                (
                    "Why didn't you send the log like I asked?",
                    "Why didn't you send the log like I asked?",
                )
            ],
            ["Could you send the log when you have a moment? Thanks!"],
        ),
        "T012": (
            [
                (
                    "Please restart Outlook." + INCOMING + "This is the THIRD time my email "
                    "stopped working!! Nobody has fixed it.",
                    "Please restart Outlook.",
                )
            ],
            [
                "I'm sorry it stopped working again. Please restart Outlook." + INCOMING + "This "
                "is the THIRD time my email stopped working!! Nobody has fixed it.",
                "Please restart Outlook." + INCOMING + "My email stopped working this morning.",
            ],
        ),
        "T013": (
            [
                (
                    "Your laptop will be ready on Friday." + INCOMING + "Will I lose my files? "
                    "When will the laptop be ready?",
                    "Your laptop will be ready on Friday.",
                )
            ],
            [
                "Your laptop will be ready on Friday, and you will not lose any files."
                + INCOMING
                + "Will I lose my files? When will the laptop be ready?",
            ],
        ),
    }
)


# The S rules read their examples as subject lines (see _found below).
EXAMPLES.update(
    {
        "S001": (
            [
                (
                    "Update regarding your recent request for a replacement laptop and delivery",
                    "Update regarding your recent request for a replacement laptop and delivery",
                ),
                (
                    "Re: Information about the scheduled maintenance of the VPN gateway tonight",
                    "Information about the scheduled maintenance of the VPN gateway tonight",
                ),
            ],
            ["Your new laptop arrives on Friday", "Re: Re: Printer on the 2nd floor"],
        ),
        "S002": (
            [
                ("URGENT: YOUR PASSWORD EXPIRES TODAY", "URGENT: YOUR PASSWORD EXPIRES TODAY"),
                ("RE: PRINTER NOT WORKING", "PRINTER NOT WORKING"),
            ],
            [
                "Your password expires today",
                "VPN DNS",
                "Re: VPN and MFA set-up for the new starters",
                "RE: FW: Printer on floor 2",
            ],
        ),
        "S003": (
            [
                ("Re: Re: Fwd: Printer on the 2nd floor", "Re: Re: Fwd:"),
                ("RE: AW: Laptop swap", "RE: AW:"),
                ("[EXTERNAL] Re: RE: VPN", "Re: RE:"),
            ],
            ["Re: Printer on the 2nd floor", "Fwd: Laptop swap", "Resetting your password"],
        ),
    }
)


def _found(
    checker: clarity.Checker,
    findings: Callable[..., list[clarity.Finding]],
    code: str,
    text: str,
) -> list[clarity.Finding]:
    """A rule's findings in ``text``; subject rules read it as a subject line."""
    if REGISTRY[code].target == "subject":
        report = checker.check("", subject=text)
        return [f for f in report.subject_findings if f.code == code]
    if INCOMING in text:
        reply, incoming = text.split(INCOMING)
        return [f for f in checker.check(reply, incoming=incoming).findings if f.code == code]
    return findings(text, code)


def test_every_rule_has_examples() -> None:
    missing = [code for code in REGISTRY if code not in EXAMPLES]
    assert not missing, f"rules without examples: {missing}"
    for code, (bad, good) in EXAMPLES.items():
        assert bad and good, f"{code} needs examples to flag and not to flag"


CASES_FLAG = [(code, text, span) for code, (bad, _) in EXAMPLES.items() for text, span in bad]
CASES_PASS = [(code, text) for code, (_, good) in EXAMPLES.items() for text in good]


@pytest.mark.parametrize(("code", "text", "span"), CASES_FLAG)
def test_flags(
    checker: clarity.Checker,
    findings: Callable[..., list[clarity.Finding]],
    code: str,
    text: str,
    span: str,
) -> None:
    got = _found(checker, findings, code, text)
    assert span in [f.text for f in got], f"{code} should flag {span!r}; got {got}"


@pytest.mark.parametrize(("code", "text"), CASES_PASS)
def test_does_not_flag(
    checker: clarity.Checker, findings: Callable[..., list[clarity.Finding]], code: str, text: str
) -> None:
    got = _found(checker, findings, code, text)
    assert not got, f"{code} should not flag anything in {text!r}; got {[f.text for f in got]}"
