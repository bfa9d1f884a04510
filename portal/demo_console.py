"""Demo data for the staff console: officers in every region, and a few dozen cases each.

Generated, not written by hand: `random.Random(SEED)` draws every choice, and
every date is counted back from today (Europe/London), so a fresh database
always has registrations just in, some overdue against the 20-working-day
clock, and stage updates told to victims over the last weeks for the
manager's charts. The same day gives the same data.

Each record has a natural key: an officer's email address, a case's reference
(`VCS-DEMO-<region>-<n>`, `VCS-DEMO-NAT-<n>` for the national queue). Loading
again adds only what is missing, so it never changes what officers have done
with the demo since. Everything is invented: people's and offenders' names
(made-up surnames), addresses (fictional streets, ZZ99 postcodes), email
addresses at example.com and example.gov.uk, and phone numbers in Ofcom's
ranges for drama (07700 900xxx, 020 7946 0xxx).

What a victim reads on their timeline is in their language (English or Welsh,
from the fixed phrases below or the catalogue); what only officers read (the
internal notes, handovers) is in English.

Messages (`plan_messages`, drawn by a generator of their own so that the cases stay
as they were): in each region, on each officer's first few active cases, a message
waiting for a reply for more than the 5 working days (a Welsh reader's first), one
waiting a few days, one sent today, a conversation answered (the reply read) and a
thank-you marked as needing no reply, each in the victim's language.
"""

from __future__ import annotations

import base64
import hashlib
import random
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from portal import encryption
from portal.catalogue import in_language
from portal.domain.case_timeline import CONTACT_KINDS, wants_to_hear
from portal.domain.contact_times import LONDON, london_today
from portal.domain.courts import CROWN_COURTS
from portal.domain.registration_flow import ACCESSIBILITY_NEEDS
from portal.domain.working_days import add_working_days, is_working_day
from portal.models import (
    Case,
    CaseSource,
    CaseStatus,
    Channel,
    ContactDirection,
    ContactPreference,
    DatePrecision,
    DeclineReason,
    Language,
    Message,
    NotificationChannel,
    NotificationStatus,
    OfficerRole,
    OutboxNotification,
    Region,
    Sender,
    SentenceStage,
    TimelineEvent,
    TimelineEventKind,
    UpdatesWanted,
    Victim,
    VictimLiaisonOfficer,
    utcnow,
)
from portal.services import participation
from portal.services.registration import JOINED_ONLINE
from portal.services.reply_templates import ReplyTemplate
from portal.services.reply_templates import wording as reply_wording
from portal.services.timeline import standard_wording

#: The generator's seed: the same seed (and day) gives the same data.
SEED = 20261114
#: The prefix of every generated reference (the hand-written ones are VCS-DEMO-0001..3).
REFERENCE_PREFIX = "VCS-DEMO-"
#: A LIKE pattern for the generated references only (VCS-DEMO-WAL-001, VCS-DEMO-NAT-001).
GENERATED_REFERENCES = REFERENCE_PREFIX + "%-%"

#: Each region's short name in its references.
ABBREVIATIONS = {
    "wales": "WAL",
    "north-west": "NW",
    "greater-manchester": "GM",
    "north-east": "NE",
    "yorkshire-and-the-humber": "YH",
    "west-midlands": "WM",
    "east-midlands": "EM",
    "east-of-england": "EOE",
    "london": "LON",
    "south-west": "SW",
    "south-central": "SC",
    "kent-surrey-and-sussex": "KSS",
}
NATIONAL = "NAT"
#: How many registrations wait in the national queue (court not known, so no region).
NATIONAL_CASES = 4


# --- officers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoOfficer:
    region: str
    name: str
    email: str
    role: OfficerRole
    speaks_welsh: bool = False


#: The console's officers, besides the three in portal.demo.OFFICERS (Alys Prydderch, VLO in
#: Wales; Sam Okafor, manager in London; Priya Shah, admin): a manager in every region
#: without one, and one to three VLOs. Invented names, many after rivers and hills.
CONSOLE_OFFICERS: tuple[DemoOfficer, ...] = (
    DemoOfficer("wales", "Dafydd ap Emlyn", "dafydd.apemlyn@example.gov.uk",
                OfficerRole.MANAGER, True),
    DemoOfficer("wales", "Non Pencerdd", "non.pencerdd@example.gov.uk", OfficerRole.VLO, True),
    DemoOfficer("wales", "Tom Bracegirdle", "tom.bracegirdle@example.gov.uk", OfficerRole.VLO),
    DemoOfficer("london", "Ruth Adebayo-Finch", "ruth.adebayo-finch@example.gov.uk",
                OfficerRole.VLO),
    DemoOfficer("london", "Marcus Delacroix-Ibe", "marcus.delacroix-ibe@example.gov.uk",
                OfficerRole.VLO),
    DemoOfficer("london", "Gwen Thameson", "gwen.thameson@example.gov.uk", OfficerRole.VLO,
                True),
    DemoOfficer("north-west", "Helen Ashworth-Pyke", "helen.ashworth-pyke@example.gov.uk",
                OfficerRole.MANAGER),
    DemoOfficer("north-west", "Jamie Lowther", "jamie.lowther@example.gov.uk", OfficerRole.VLO),
    DemoOfficer("north-west", "Erin Ribblesdale", "erin.ribblesdale@example.gov.uk",
                OfficerRole.VLO),
    DemoOfficer("greater-manchester", "Farah Irwell-Dunn", "farah.irwell-dunn@example.gov.uk",
                OfficerRole.MANAGER),
    DemoOfficer("greater-manchester", "Liam Boothroyd", "liam.boothroyd@example.gov.uk",
                OfficerRole.VLO),
    DemoOfficer("greater-manchester", "Chloe Ardwick", "chloe.ardwick@example.gov.uk",
                OfficerRole.VLO),
    DemoOfficer("north-east", "Graham Tynedale", "graham.tynedale@example.gov.uk",
                OfficerRole.MANAGER),
    DemoOfficer("north-east", "Aisha Wearmouth", "aisha.wearmouth@example.gov.uk",
                OfficerRole.VLO),
    DemoOfficer("yorkshire-and-the-humber", "Beth Calderbank", "beth.calderbank@example.gov.uk",
                OfficerRole.MANAGER),
    DemoOfficer("yorkshire-and-the-humber", "Imran Wolds", "imran.wolds@example.gov.uk",
                OfficerRole.VLO),
    DemoOfficer("yorkshire-and-the-humber", "Kirsty Nidderdale",
                "kirsty.nidderdale@example.gov.uk", OfficerRole.VLO),
    DemoOfficer("west-midlands", "Sunita Lickey-Rai", "sunita.lickey-rai@example.gov.uk",
                OfficerRole.MANAGER),
    DemoOfficer("west-midlands", "Owen Tamebridge", "owen.tamebridge@example.gov.uk",
                OfficerRole.VLO),
    DemoOfficer("east-midlands", "Neil Trentham", "neil.trentham@example.gov.uk",
                OfficerRole.MANAGER),
    DemoOfficer("east-midlands", "Grace Soarby", "grace.soarby@example.gov.uk", OfficerRole.VLO),
    DemoOfficer("east-midlands", "Tariq Wreake", "tariq.wreake@example.gov.uk", OfficerRole.VLO),
    DemoOfficer("east-of-england", "Fiona Ouseley", "fiona.ouseley@example.gov.uk",
                OfficerRole.MANAGER),
    DemoOfficer("east-of-england", "Ben Stourmouth", "ben.stourmouth@example.gov.uk",
                OfficerRole.VLO),
    DemoOfficer("south-west", "Tamsin Polglaze", "tamsin.polglaze@example.gov.uk",
                OfficerRole.MANAGER),
    DemoOfficer("south-west", "Jago Penwarden", "jago.penwarden@example.gov.uk",
                OfficerRole.VLO),
    DemoOfficer("south-west", "Molly Exeworthy", "molly.exeworthy@example.gov.uk",
                OfficerRole.VLO),
    DemoOfficer("south-central", "Harriet Itchenor", "harriet.itchenor@example.gov.uk",
                OfficerRole.MANAGER),
    DemoOfficer("south-central", "Dev Kennetside", "dev.kennetside@example.gov.uk",
                OfficerRole.VLO),
    DemoOfficer("kent-surrey-and-sussex", "Colin Medway-Hart", "colin.medway-hart@example.gov.uk",
                OfficerRole.MANAGER),
    DemoOfficer("kent-surrey-and-sussex", "Nadia Arundel-Vos", "nadia.arundel-vos@example.gov.uk",
                OfficerRole.VLO),
    DemoOfficer("kent-surrey-and-sussex", "Ellis Weybourne", "ellis.weybourne@example.gov.uk",
                OfficerRole.VLO),
)  # fmt: skip


def demo_totp_secret(email: str) -> str:
    """A fixed authenticator app secret for a console demo officer (24 base32 letters)."""
    digest = hashlib.sha256(f"vcs-demo-totp:{email}".encode()).digest()
    return "DEMO" + base64.b32encode(digest).decode()[:20]


CONSOLE_TOTP_SECRETS = {
    officer.email: demo_totp_secret(officer.email) for officer in CONSOLE_OFFICERS
}


def load_console_officers(
    session: Session, regions: dict[str, Region], password_hash: str
) -> list[VictimLiaisonOfficer]:
    """The console's officers, each made once, with a confirmed demo authenticator app."""
    existing = {
        officer.email: officer
        for officer in session.scalars(
            select(VictimLiaisonOfficer).where(
                VictimLiaisonOfficer.email.in_([o.email for o in CONSOLE_OFFICERS])
            )
        )
    }
    officers = []
    for demo in CONSOLE_OFFICERS:
        officer = existing.get(demo.email)
        if officer is None:
            officer = VictimLiaisonOfficer(
                region=regions[demo.region],
                full_name=demo.name,
                email=demo.email,
                password_hash=password_hash,
                speaks_welsh=demo.speaks_welsh,
                role=demo.role,
            )
            session.add(officer)
        if officer.totp_confirmed_at is None:
            officer.totp_secret_sealed = encryption.encrypt(CONSOLE_TOTP_SECRETS[demo.email])
            officer.totp_confirmed_at = utcnow()
        officers.append(officer)
    session.flush()
    return officers


# --- words: what the victim reads is in their language; officers' notes are English -----

#: (English, Welsh) pairs: what a victim reads on their timeline.
Words = tuple[str, str]

SENTENCE_LENGTHS: tuple[Words, ...] = (
    ("4 years", "pedair blynedd"),
    ("5 years", "pum mlynedd"),
    ("6 years", "chwe blynedd"),
    ("8 years", "wyth mlynedd"),
    ("10 years", "deng mlynedd"),
    ("12 years", "deuddeng mlynedd"),
)
STAGE_WORDS: dict[SentenceStage, tuple[Words, ...]] = {
    SentenceStage.CUSTODY: (
        ("The offender is now in prison.", "Mae’r troseddwr yn y carchar erbyn hyn."),
        (
            "The offender is now in a secure hospital.",
            "Mae’r troseddwr mewn ysbyty diogel erbyn hyn.",
        ),
    ),
    SentenceStage.PAROLE: (
        (
            "A parole review has started. You can make a Victim Personal Statement.",
            "Mae adolygiad parôl wedi dechrau. Gallwch wneud Datganiad Personol Dioddefwr.",
        ),
    ),
    SentenceStage.RELEASE: (
        (
            "The offender has been released on licence.",
            "Mae’r troseddwr wedi cael ei ryddhau ar drwydded.",
        ),
    ),
    SentenceStage.LICENCE_CONDITIONS: (
        (
            "Licence conditions are in place, including an exclusion zone you asked for.",
            "Mae amodau trwydded ar waith, gan gynnwys parth gwahardd y gofynnoch chi amdano.",
        ),
        (
            "Licence conditions are in place, including no contact with you.",
            "Mae amodau trwydded ar waith, gan gynnwys dim cysylltiad â chi.",
        ),
    ),
    SentenceStage.RECALL: (
        ("The offender has been recalled to prison.", "Mae’r troseddwr wedi’i adalw i’r carchar."),
    ),
    SentenceStage.END_OF_SENTENCE: (("The sentence has ended.", "Mae’r ddedfryd wedi dod i ben."),),
}
FIRST_CONTACT: dict[TimelineEventKind, Words] = {
    TimelineEventKind.CALL: (
        "Phone call with your Victim Liaison Officer to explain the scheme.",
        "Galwad ffôn gyda’ch Swyddog Cyswllt Dioddefwyr i egluro’r cynllun.",
    ),
    TimelineEventKind.MEETING: (
        "First meeting with your Victim Liaison Officer, at your home.",
        "Cyfarfod cyntaf gyda’ch Swyddog Cyswllt Dioddefwyr, yn eich cartref.",
    ),
    TimelineEventKind.LETTER: (
        "Welcome letter sent, explaining the Victim Contact Scheme.",
        "Anfonwyd llythyr croeso yn egluro’r Cynllun Cyswllt â Dioddefwyr.",
    ),
}
#: Calls, letters and meetings after the first, made by the officer or asked for by the victim.
LATER_CONTACTS: tuple[tuple[TimelineEventKind, ContactDirection, Words], ...] = (
    (
        TimelineEventKind.CALL,
        ContactDirection.TO_VICTIM,
        (
            "Phone call to talk about what happens next.",
            "Galwad ffôn i siarad am beth sy’n digwydd nesaf.",
        ),
    ),
    (
        TimelineEventKind.CALL,
        ContactDirection.TO_VICTIM,
        (
            "Phone call about the parole review and your Victim Personal Statement.",
            "Galwad ffôn am yr adolygiad parôl a’ch Datganiad Personol Dioddefwr.",
        ),
    ),
    (
        TimelineEventKind.LETTER,
        ContactDirection.TO_VICTIM,
        (
            "Letter sent about the licence conditions you can ask for.",
            "Anfonwyd llythyr am yr amodau trwydded y gallwch ofyn amdanyn nhw.",
        ),
    ),
    (
        TimelineEventKind.MEETING,
        ContactDirection.TO_VICTIM,
        (
            "Meeting to help you write your Victim Personal Statement.",
            "Cyfarfod i’ch helpu i ysgrifennu eich Datganiad Personol Dioddefwr.",
        ),
    ),
    (
        TimelineEventKind.MEETING,
        ContactDirection.TO_VICTIM,
        (
            "Meeting at the Victim Liaison Unit’s office.",
            "Cyfarfod yn swyddfa’r Uned Cyswllt Dioddefwyr.",
        ),
    ),
    (
        TimelineEventKind.CALL,
        ContactDirection.FROM_VICTIM,
        (
            "You phoned to ask what happens next.",
            "Gwnaethoch chi ffonio i ofyn beth sy’n digwydd nesaf.",
        ),
    ),
    (
        TimelineEventKind.LETTER,
        ContactDirection.FROM_VICTIM,
        (
            "We received your letter about the licence conditions.",
            "Cawson ni eich llythyr am yr amodau trwydded.",
        ),
    ),
    (
        TimelineEventKind.MEETING,
        ContactDirection.FROM_VICTIM,
        (
            "The meeting you asked for, to talk about the parole review.",
            "Y cyfarfod y gofynnoch chi amdano, i siarad am yr adolygiad parôl.",
        ),
    ),
)
#: Contacts the officer records but keeps from the victim's timeline.
HIDDEN_CONTACTS: tuple[tuple[TimelineEventKind, Words, str], ...] = (
    (
        TimelineEventKind.CALL,
        ("Phone call: no answer.", "Galwad ffôn: dim ateb."),
        "No answer. No voicemail left: voicemail is not marked safe.",
    ),
    (
        TimelineEventKind.LETTER,
        ("The letter came back unopened.", "Daeth y llythyr yn ôl heb ei agor."),
        "Letter returned unopened. Check the address on the next call before writing again.",
    ),
)
REFERRED: Words = (
    "The police’s Witness Care Unit referred you to the scheme.",
    "Cyfeiriodd Uned Gofal Tystion yr heddlu chi at y cynllun.",
)
ACCEPTED: Words = (
    "Your request to join the scheme was accepted.",
    "Cafodd eich cais i ymuno â’r cynllun ei dderbyn.",
)
DECLINED: Words = (
    "We could not accept your request to join the scheme.",
    "Allen ni ddim derbyn eich cais i ymuno â’r cynllun.",
)
JOINED_TO_CASE: Words = (
    "This request was joined to your existing case.",
    "Cafodd y cais hwn ei gysylltu â’ch achos presennol.",
)
PAUSED: Words = (
    "You asked us to pause contact for now. You can ask us to start again at any time.",
    "Gofynnoch chi i ni oedi cyswllt am y tro. Gallwch ofyn i ni ailddechrau unrhyw bryd.",
)
LEFT: Words = (
    "You asked to leave the scheme. You can ask to join again at any time.",
    "Gofynnoch chi am gael gadael y cynllun. Gallwch ofyn am gael ymuno eto unrhyw bryd.",
)
ENDED: Words = (
    "The sentence has ended, so your time in the scheme has ended too.",
    "Mae’r ddedfryd wedi dod i ben, felly mae eich amser yn y cynllun wedi dod i ben hefyd.",
)
HANDED_OVER: Words = (
    "Your case has a new Victim Liaison Officer.",
    "Mae gan eich achos Swyddog Cyswllt Dioddefwyr newydd.",
)
#: What the officer wrote to the victim about a decline, in the victim's language.
DECLINE_NOTES: dict[DeclineReason, Words] = {
    DeclineReason.SENTENCE_TOO_SHORT: (
        "The sentence was under 12 months, so the scheme cannot include you. "
        "Victim Support can still help you.",
        "Roedd y ddedfryd yn llai na 12 mis, felly allwn ni ddim eich cynnwys yn y cynllun. "
        "Gall Cymorth i Ddioddefwyr eich helpu o hyd.",
    ),
    DeclineReason.OFFENCE_NOT_COVERED: (
        "The scheme is for violent and sexual offences, and this offence is not one of them. "
        "Victim Support can still help you.",
        "Mae’r cynllun ar gyfer troseddau treisgar a rhywiol, a dydy’r drosedd hon ddim yn un "
        "ohonyn nhw. Gall Cymorth i Ddioddefwyr eich helpu o hyd.",
    ),
    DeclineReason.CASE_NOT_FOUND: (
        "We could not find the sentence from the details you gave. Please contact us if you "
        "have a court or police reference.",
        "Allen ni ddim dod o hyd i’r ddedfryd o’r manylion a roesoch chi. Cysylltwch â ni os "
        "oes gennych gyfeirnod llys neu heddlu.",
    ),
    DeclineReason.NOT_ELIGIBLE_PERSON: (
        "The scheme is for victims and their close family. Victim Support can still help you.",
        "Mae’r cynllun ar gyfer dioddefwyr a’u teulu agos. Gall Cymorth i Ddioddefwyr eich "
        "helpu o hyd.",
    ),
    DeclineReason.OTHER: (
        "You are already in the scheme through another Victim Liaison Unit, who will keep in "
        "touch with you.",
        "Rydych chi eisoes yn y cynllun drwy Uned Cyswllt Dioddefwyr arall, a fydd yn cadw mewn "
        "cysylltiad â chi.",
    ),
}
#: Officers' own notes, never shown to the victim.
INTERNAL_NOTES = (
    "Victim prefers calls after 10am on weekdays.",
    "Ask the Offender Manager for the expected release month before the next call.",
    "Victim is worried about meeting the offender's family in town: discuss an exclusion zone.",
    "Victim's daughter often answers the phone: ask for the victim by first name only.",
    "Do not leave voicemails: a former partner may have access to the phone.",
    "Victim wants to make a Victim Personal Statement for the parole hearing.",
    "Sent the scheme leaflet again in large print.",
    "Checked the licence conditions with the Offender Manager: the exclusion zone is agreed.",
    "Victim asked for the contact details of the local Victim Support team.",
)
HANDOVER_NOTES = (
    "Handing over while I am on leave. The victim knows about the parole review and finds "
    "calls before noon easier. Nothing outstanding.",
    "Moving to another team. The victim has asked for an exclusion zone: the Offender Manager "
    "is checking it. Please call within the next fortnight.",
    "Rebalancing caseloads. The victim is settled and wants updates by email only.",
)
PAUSE_NOTES = (
    "Victim asked for a pause while they move house; review in 3 months.",
    "Victim asked for no contact until after a family event; they will get in touch.",
)
ENVELOPE_NAMES = ("Probation", "Victim Liaison Unit", "Ministry of Justice")


# --- invented people and places ---------------------------------------------------------

FIRST_NAMES_EN = (
    "Aaron", "Abigail", "Amir", "Beatrice", "Callum", "Chanelle", "Declan", "Deborah", "Elliot",
    "Faye", "Gareth", "Hannah", "Isaac", "Jasmine", "Kayleigh", "Kwame", "Leanne", "Marek",
    "Nadia", "Oliver", "Paige", "Rashid", "Rosa", "Shauna", "Terrence", "Uzma", "Vanessa",
    "Wesley", "Yasmin", "Zoe",
)  # fmt: skip
FIRST_NAMES_CY = (
    "Aled", "Bethan", "Cerys", "Dylan", "Eleri", "Ffion", "Gethin", "Heledd", "Iwan", "Llinos",
    "Macsen", "Nia", "Osian", "Rhian", "Siân", "Tomos", "Elin", "Guto", "Lowri", "Emyr",
)  # fmt: skip
#: Surnames made up of two halves, so that they belong to nobody real.
SURNAME_STARTS_EN = (
    "Amber",
    "Bramble",
    "Copper",
    "Dapple",
    "Elder",
    "Fennel",
    "Gorse",
    "Hazel",
    "Juniper",
    "Linden",
    "Marrow",
    "Nettle",
    "Pebble",
    "Quill",
    "Rowan",
    "Sorrel",
    "Thistle",
    "Umber",
    "Wicker",
)
SURNAME_ENDS_EN = ("combe", "field", "hurst", "ridge", "stone", "worth", "brook", "dale")
SURNAME_STARTS_CY = ("Bryn", "Cwm", "Glan", "Maes", "Nant", "Pen", "Rhos", "Tal")
SURNAME_ENDS_CY = ("helyg", "llwyd", "onnen", "derwen", "eithin", "gwenith", "fedwen")
OFFENDER_FIRST_NAMES = (
    "Carl",
    "Darren",
    "Gavin",
    "Jason",
    "Kieran",
    "Lee",
    "Mark",
    "Nathan",
    "Ryan",
    "Scott",
    "Shane",
    "Troy",
    "Wayne",
    "Dean",
    "Karen",
    "Tracey",
)
OFFENDER_SURNAME_STARTS = (
    "Brack",
    "Cald",
    "Dunn",
    "Fell",
    "Gant",
    "Hobb",
    "Kett",
    "Lomm",
    "Mott",
    "Pell",
    "Radd",
    "Sedge",
    "Tarr",
    "Vell",
    "Wrenn",
)
OFFENDER_SURNAME_ENDS = ("erby", "ington", "well", "cott", "hampton", "marsh", "wick")
STREETS_EN = ("Example Road", "Sample Street", "Fictional Lane", "Demo Close", "Placeholder Avenue")
TOWNS_EN = ("Exampleton", "Sampleford", "Fictionbury", "Demoville")
STREETS_CY = ("Heol Enghraifft", "Ffordd Ffug", "Lôn Sampl", "Stryd y Prawf")
TOWNS_CY = ("Trefenghraifft", "Llanffug", "Aberenghraifft")
#: Ofcom's numbers for drama, less the ones the tests and the hand-written demo use, and
#: the easy-to-type ones other tests may pick.
TAKEN_ENDINGS = {0, 1, 111, 123, 321, 456, 779, 789, 982, 998, 999}


def _drama_endings() -> list[int]:
    return [n for n in range(100, 1000) if n not in TAKEN_ENDINGS and n % 111 and n % 100]


# --- the plan of one case ---------------------------------------------------------------


@dataclass
class PlannedEvent:
    kind: TimelineEventKind
    occurred_on: date
    words: Words
    recorded_at: datetime
    stage: SentenceStage | None = None
    precision: DatePrecision = DatePrecision.DAY
    visible: bool = True
    internal_note: str | None = None
    recorded_by: int | None = None  # an index into the region's officers
    #: A call, letter or meeting: who made contact (the officer, unless the victim did).
    direction: ContactDirection | None = None
    #: Told to the victim: (the notification's kind, when it was sent).
    told: tuple[str, datetime] | None = None


@dataclass
class PlannedContact:
    channel: Channel
    value: str
    safe: bool = True
    voicemail_safe: bool = False
    safe_from: time | None = None
    safe_until: time | None = None
    #: Proved with a code when the victim registered online.
    verified: bool = False


@dataclass
class PlannedCase:
    reference: str
    region: str | None
    status: CaseStatus
    language: Language
    victim_name: str
    offender_name: str
    offence_type: str
    created_at: datetime
    clock_started_on: date
    contacts: list[PlannedContact]
    source: CaseSource = CaseSource.ONLINE
    relationship: str = "self"
    representative_name: str | None = None
    date_of_birth: date | None = None
    accessibility_needs: str | None = None
    envelope_name_to_avoid: str | None = None
    court_code: str | None = None
    sentenced_in: str | None = None
    sentence_description: str | None = None
    stage: SentenceStage = SentenceStage.SENTENCE
    updates_wanted: UpdatesWanted = UpdatesWanted.EVERY_STAGE
    officer: int | None = None  # an index into the region's officers
    referred_on: date | None = None
    referred_by: str | None = None
    first_contact_on: date | None = None
    triaged_at: datetime | None = None
    triaged_by: int | None = None
    decline_reason: DeclineReason | None = None
    decline_note: str | None = None
    possible_duplicate_of: str | None = None  # a reference
    merged_into: str | None = None  # a reference
    events: list[PlannedEvent] = field(default_factory=list)
    #: Sent when the registration arrived (online only).
    received_sent_at: datetime | None = None
    #: A closed case: when; and if the victim left, when, and when they asked to come back.
    closed_at: datetime | None = None
    left_at: datetime | None = None
    come_back_asked_at: datetime | None = None

    def words(self, pair: Words) -> str:
        return pair[1] if self.language == Language.WELSH else pair[0]


# --- dates ------------------------------------------------------------------------------


def working_days_before(day: date, days: int) -> date:
    """The working day `days` working days before `day` (`day` itself when 0 and working)."""
    current = day
    while not is_working_day(current):
        current -= timedelta(days=1)
    remaining = days
    while remaining:
        current -= timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def on_working_day(day: date) -> date:
    """`day`, or the next working day."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


class Plan:
    """Draws every case of the demo from one seeded generator, relative to `today`."""

    def __init__(self, today: date, now: datetime) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 (demo data, not security)
        self.today = today
        self.now = now
        self.yesterday = working_days_before(today - timedelta(days=1), 0)
        endings = _drama_endings()
        self.mobiles = iter(self.rng.sample(endings, len(endings)))
        self.landlines = iter(self.rng.sample(endings, len(endings)))
        self.emails: set[str] = set()

    # -- small draws --

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def moment(self, day: date, earliest: int = 9, latest: int = 17) -> datetime:
        """A time on `day` in office hours (London), never after now. Today, in the early
        hours: the same whenever the demo is loaded after 7 in the morning."""
        if day >= self.today:
            earliest, latest = 0, 7
        local = datetime.combine(
            day, time(self.rng.randint(earliest, latest - 1), self.rng.randrange(0, 60, 5))
        ).replace(tzinfo=LONDON)
        return min(local.astimezone(UTC), self.now)

    def days_ago(self, low: int, high: int) -> date:
        return working_days_before(self.today, self.rng.randint(low, high))

    def person(self, welsh: bool) -> tuple[str, str]:
        """An invented full name, and its plain form for an email address."""
        if welsh:
            first = self.rng.choice(FIRST_NAMES_CY)
            surname = self.rng.choice(SURNAME_STARTS_CY) + self.rng.choice(SURNAME_ENDS_CY)
        else:
            first = self.rng.choice(FIRST_NAMES_EN)
            surname = self.rng.choice(SURNAME_STARTS_EN) + self.rng.choice(SURNAME_ENDS_EN)
        name = f"{first} {surname}"
        plain = unicodedata.normalize("NFKD", name.lower())
        plain = "".join(c for c in plain if c.isascii()).replace(" ", ".")
        return name, plain

    def offender(self) -> str:
        return (
            self.rng.choice(OFFENDER_FIRST_NAMES)
            + " "
            + self.rng.choice(OFFENDER_SURNAME_STARTS)
            + self.rng.choice(OFFENDER_SURNAME_ENDS)
        )

    def email(self, plain: str) -> str:
        address = f"{plain}@example.com"
        n = 2
        while address in self.emails:
            address = f"{plain}{n}@example.com"
            n += 1
        self.emails.add(address)
        return address

    def address(self, welsh: bool) -> str:
        streets, towns = (STREETS_CY, TOWNS_CY) if welsh else (STREETS_EN, TOWNS_EN)
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        postcode = (
            f"ZZ99 {self.rng.randint(1, 9)}{self.rng.choice(letters)}{self.rng.choice(letters)}"
        )
        return (
            f"{self.rng.randint(1, 120)} {self.rng.choice(streets)}\n"
            f"{self.rng.choice(towns)}\n{postcode}"
        )

    def contacts(self, plain: str, welsh: bool) -> list[PlannedContact]:
        found = []
        if self.chance(0.85):
            found.append(PlannedContact(Channel.EMAIL, self.email(plain), safe=self.chance(0.9)))
        if self.chance(0.55):
            window = self.rng.choice(
                (
                    (None, None),
                    (None, None),
                    (time(9), time(17)),
                    (time(10), time(16)),
                    (time(18), time(20)),
                )
            )
            found.append(
                PlannedContact(
                    Channel.SMS,
                    f"+447700900{next(self.mobiles):03d}",
                    safe=self.chance(0.85),
                    safe_from=window[0],
                    safe_until=window[1],
                )
            )
        if self.chance(0.35) or not found:
            found.append(
                PlannedContact(
                    Channel.PHONE,
                    f"+442079460{next(self.landlines):03d}",
                    safe=self.chance(0.9),
                    voicemail_safe=self.chance(0.4),
                )
            )
        if self.chance(0.4):
            found.append(PlannedContact(Channel.LETTER, self.address(welsh), safe=self.chance(0.7)))
        return found

    def delay(self) -> int:
        """Working days between recording a stage and telling the victim (the aim: 0 or 1)."""
        return self.rng.choices(range(9), weights=(35, 30, 12, 8, 5, 4, 3, 2, 1))[0]

    # -- one case --

    def case(
        self,
        reference: str,
        region: str | None,
        status: CaseStatus,
        clock_started_on: date,
        welsh_share: float,
        *,
        source: CaseSource = CaseSource.ONLINE,
    ) -> PlannedCase:
        welsh = self.chance(welsh_share)
        name, plain = self.person(welsh)
        relationship, representative = "self", None
        if self.chance(0.18):
            relationship = self.rng.choice(("parent", "bereaved", "supporter"))
            representative, plain = self.person(welsh)
        courts = [court for court in CROWN_COURTS if court.region == region]
        planned = PlannedCase(
            reference=reference,
            region=region,
            status=status,
            language=Language.WELSH if welsh else Language.ENGLISH,
            victim_name=name,
            offender_name=self.offender(),
            offence_type=self.rng.choice(("violent", "violent", "sexual")),
            created_at=self.moment(clock_started_on, 0 if status == CaseStatus.TRIAGE else 8, 20),
            clock_started_on=clock_started_on,
            contacts=self.contacts(plain, welsh),
            source=source,
            relationship=relationship,
            representative_name=representative,
            court_code=self.rng.choice(courts).code if courts else None,
            updates_wanted=self.rng.choice(
                (UpdatesWanted.EVERY_STAGE,) * 4
                + (UpdatesWanted.RELEASE_ONLY, UpdatesWanted.ANNUAL)
            ),
        )
        if self.chance(0.5):
            planned.date_of_birth = date(
                self.rng.randint(1950, 2010), self.rng.randint(1, 12), self.rng.randint(1, 28)
            )
        if self.chance(0.15):
            needs = self.rng.sample(ACCESSIBILITY_NEEDS, self.rng.randint(1, 2))
            planned.accessibility_needs = ", ".join(sorted(needs))
        if self.chance(0.12):
            planned.envelope_name_to_avoid = self.rng.choice(ENVELOPE_NAMES)
        if source == CaseSource.REFERRAL:
            planned.referred_on = clock_started_on
            planned.referred_by = self.rng.choice(WITNESS_CARE_UNITS[region or ""])
            planned.events.append(
                self.event(planned, TimelineEventKind.NOTE, clock_started_on, REFERRED)
            )
        else:
            # Registering online proves an email address (or else a mobile number), kept safe.
            proved = next(
                (c for c in planned.contacts if c.channel == Channel.EMAIL),
                next((c for c in planned.contacts if c.channel == Channel.SMS), None),
            )
            if proved is None:
                proved = PlannedContact(Channel.EMAIL, self.email(plain))
                planned.contacts.insert(0, proved)
            proved.safe = proved.verified = True
            planned.events.append(
                PlannedEvent(
                    TimelineEventKind.NOTE,
                    clock_started_on,
                    (in_language("en", JOINED_ONLINE), in_language("cy", JOINED_ONLINE)),
                    recorded_at=planned.created_at,
                )
            )
            planned.received_sent_at = planned.created_at + timedelta(minutes=1)
        return planned

    def event(
        self,
        case: PlannedCase,
        kind: TimelineEventKind,
        day: date,
        words: Words,
        *,
        recorded_on: date | None = None,
        **more,
    ) -> PlannedEvent:
        return PlannedEvent(kind, day, words, recorded_at=self.moment(recorded_on or day), **more)

    def tell(self, event: PlannedEvent, kind: str, delay: int | None = None) -> None:
        """The victim was told of `event` by the outbox, `delay` working days after it was
        recorded (never later than yesterday)."""
        recorded = event.recorded_at.astimezone(LONDON).date()
        delay = self.delay() if delay is None else delay
        sent_on = add_working_days(recorded, delay)
        while sent_on > self.yesterday and sent_on > recorded:
            delay -= 1
            sent_on = add_working_days(recorded, delay)
        if delay == 0:
            sent_at = event.recorded_at + timedelta(minutes=self.rng.randint(1, 40))
        else:
            sent_at = self.moment(sent_on)
        event.told = (kind, min(sent_at, self.now))

    def triager(self, officers: Sequence[DemoOfficer]) -> int:
        """A VLO or the manager of the region, who triaged a registration."""
        return self.rng.choice(
            [i for i, o in enumerate(officers) if o.role in (OfficerRole.VLO, OfficerRole.MANAGER)]
        )

    def accept(self, case: PlannedCase, officers: Sequence[DemoOfficer], on: date) -> None:
        """Triage: accepted on `on` (yesterday at the latest) by one of the region's officers,
        and the victim told."""
        on = max(min(on, self.yesterday), case.clock_started_on)
        case.triaged_by = self.triager(officers)
        case.triaged_at = self.moment(on)
        if case.source == CaseSource.ONLINE:
            accepted = PlannedEvent(
                TimelineEventKind.TRIAGE,
                on,
                ACCEPTED,
                recorded_at=case.triaged_at,
                recorded_by=case.triaged_by,
            )
            self.tell(accepted, "registration_accepted", delay=0)
            case.events.append(accepted)

    def vlo_for(self, case: PlannedCase, officers: Sequence[DemoOfficer]) -> int:
        """A VLO of the region; a Welsh speaker for a Welsh-speaking victim where there is one."""
        vlos = [i for i, o in enumerate(officers) if o.role == OfficerRole.VLO]
        if case.language == Language.WELSH:
            vlos = [i for i in vlos if officers[i].speaks_welsh] or vlos
        return self.rng.choice(vlos)


#: An invented Witness Care Unit for each region (referrals come from the police).
WITNESS_CARE_UNITS: dict[str, tuple[str, ...]] = {
    "": ("Example Police Witness Care Unit",),
    **{
        code: (
            f"{town} Witness Care Unit (example)",
            f"{town} North Witness Care Unit (example)",
        )
        for code, town in (
            ("wales", "Glanenghraifft"),
            ("north-west", "Exampleton"),
            ("greater-manchester", "Sampleford"),
            ("north-east", "Fictionbury"),
            ("yorkshire-and-the-humber", "Demoville"),
            ("west-midlands", "Placeholder Vale"),
            ("east-midlands", "Mockbridge"),
            ("east-of-england", "Specimen Fen"),
            ("london", "Exampleham"),
            ("south-west", "Sampleport"),
            ("south-central", "Fictionfield"),
            ("kent-surrey-and-sussex", "Demohaven"),
        )
    },
}


# --- the stages a sentence went through ---------------------------------------------------

PATHS: dict[SentenceStage, tuple[SentenceStage, ...]] = {
    SentenceStage.SENTENCE: (SentenceStage.SENTENCE,),
    SentenceStage.CUSTODY: (SentenceStage.SENTENCE, SentenceStage.CUSTODY),
    SentenceStage.PAROLE: (SentenceStage.SENTENCE, SentenceStage.CUSTODY, SentenceStage.PAROLE),
    SentenceStage.RELEASE: (
        SentenceStage.SENTENCE,
        SentenceStage.CUSTODY,
        SentenceStage.PAROLE,
        SentenceStage.RELEASE,
    ),
    SentenceStage.LICENCE_CONDITIONS: (
        SentenceStage.SENTENCE,
        SentenceStage.CUSTODY,
        SentenceStage.RELEASE,
        SentenceStage.LICENCE_CONDITIONS,
    ),
    SentenceStage.RECALL: (
        SentenceStage.SENTENCE,
        SentenceStage.CUSTODY,
        SentenceStage.RELEASE,
        SentenceStage.LICENCE_CONDITIONS,
        SentenceStage.RECALL,
    ),
    SentenceStage.END_OF_SENTENCE: (
        SentenceStage.SENTENCE,
        SentenceStage.CUSTODY,
        SentenceStage.RELEASE,
        SentenceStage.LICENCE_CONDITIONS,
        SentenceStage.END_OF_SENTENCE,
    ),
}
#: Days between one stage and the next, at least and at most.
GAPS: dict[tuple[SentenceStage, SentenceStage], tuple[int, int]] = {
    (SentenceStage.SENTENCE, SentenceStage.CUSTODY): (0, 0),
    (SentenceStage.CUSTODY, SentenceStage.PAROLE): (200, 700),
    (SentenceStage.PAROLE, SentenceStage.RELEASE): (40, 200),
    (SentenceStage.CUSTODY, SentenceStage.RELEASE): (300, 1000),
    (SentenceStage.RELEASE, SentenceStage.LICENCE_CONDITIONS): (0, 3),
    (SentenceStage.LICENCE_CONDITIONS, SentenceStage.RECALL): (30, 300),
    (SentenceStage.LICENCE_CONDITIONS, SentenceStage.END_OF_SENTENCE): (150, 600),
}


def _history(
    plan: Plan,
    case: PlannedCase,
    stage: SentenceStage,
    officers,
    *,
    recent_contact: bool = False,
    latest_before: date | None = None,
) -> None:
    """A case that has had its first contact: the stages up to `stage`, told to the victim
    as they happened, and the calls, letters and meetings between."""
    rng = plan.rng
    path = PATHS[stage]
    latest_before = latest_before or plan.yesterday
    case.stage = stage
    case.officer = plan.vlo_for(case, officers)
    if recent_contact or len(path) <= 2:
        # A new member: contact made in the last four weeks (on time or not), or a while ago.
        first_contact = (
            working_days_before(plan.today, rng.randint(1, 19))
            if recent_contact
            else working_days_before(
                latest_before, rng.randint(5, 40 if stage == SentenceStage.SENTENCE else 200)
            )
        )
        waited = rng.randint(3, 20) if plan.chance(0.75) else rng.randint(21, 32)
        clock = working_days_before(first_contact, waited)
        dates = [on_working_day(clock - timedelta(days=rng.randint(5, 40)))] * len(path)
        if len(path) > 2:  # a member at a later stage (they joined late): stages before joining
            dates = _stage_dates(plan, path, clock - timedelta(days=rng.randint(5, 40)))
    else:
        latest = (
            working_days_before(latest_before, rng.randint(0, 25))
            if plan.chance(0.6)
            else latest_before - timedelta(days=rng.randint(60, 500))
        )
        dates = _stage_dates(plan, path, latest)
        clock = on_working_day(dates[0] + timedelta(days=rng.randint(7, 45)))
        # First contact on time mostly; before the next stage in any case.
        first_contact = add_working_days(
            clock, rng.randint(2, 20) if plan.chance(0.85) else rng.randint(21, 30)
        )
        if len(dates) > 2 and first_contact >= dates[2]:
            first_contact = working_days_before(dates[2] - timedelta(days=1), 0)
            clock = min(clock, working_days_before(first_contact, 2))
    case.clock_started_on = clock
    case.created_at = plan.moment(clock, 8, 20)
    if case.source == CaseSource.REFERRAL:
        case.referred_on = clock
        case.events[0].occurred_on = clock
        case.events[0].recorded_at = case.created_at
    else:
        case.events[0].occurred_on = clock
        case.events[0].recorded_at = case.created_at
        case.received_sent_at = case.created_at + timedelta(minutes=1)
        plan.accept(
            case,
            officers,
            add_working_days(
                clock, rng.randint(1, min(5, max(1, _working_days(clock, first_contact))))
            ),
        )
    if case.source == CaseSource.REFERRAL:
        case.triaged_by, case.triaged_at = case.officer, plan.moment(clock)
    case.first_contact_on = first_contact
    case.sentenced_in = dates[0].strftime("%Y-%m")
    length = rng.choice(SENTENCE_LENGTHS)
    case.sentence_description = case.words(length)
    kind = rng.choice(
        (
            TimelineEventKind.CALL,
            TimelineEventKind.CALL,
            TimelineEventKind.MEETING,
            TimelineEventKind.LETTER,
        )
    )
    first = plan.event(
        case,
        kind,
        first_contact,
        FIRST_CONTACT[kind],
        recorded_by=case.officer,
        internal_note=rng.choice(INTERNAL_NOTES) if plan.chance(0.4) else None,
    )
    case.events.append(first)
    for step, (when, this) in enumerate(zip(dates, path, strict=True), start=1):
        if this == SentenceStage.SENTENCE:
            words = (
                f"The offender was sentenced to {length[0]} in custody.",
                f"Cafodd y troseddwr ddedfryd o {length[1]} o garchar.",
            )
        else:
            words = rng.choice(STAGE_WORDS[this])
        if plan.chance(0.4):  # the console's standard wording, as the officer found it
            words = (standard_wording(this, "en"), standard_wording(this, "cy"))
        recorded = (
            first_contact
            if when <= first_contact
            else min(add_working_days(when, rng.randint(0, 2)), plan.yesterday)
        )
        event = plan.event(
            case,
            TimelineEventKind.STAGE,
            when,
            words,
            recorded_on=recorded,
            stage=this,
            precision=DatePrecision.MONTH if this == SentenceStage.RELEASE else DatePrecision.DAY,
            recorded_by=case.officer,
            internal_note=rng.choice(INTERNAL_NOTES) if plan.chance(0.25) else None,
        )
        if when <= first_contact:
            # Caught up at the first contact: written down just after it, not told again.
            event.recorded_at = min(first.recorded_at + timedelta(minutes=5 * step), plan.now)
        elif wants_to_hear(case.updates_wanted, this) and _notifiable(case):
            plan.tell(event, "new_stage")
        case.events.append(event)
    # Calls, letters and meetings since the first contact; some kept from the victim.
    span = (latest_before - first_contact).days
    for _ in range(rng.randint(0, 3) if span > 10 else 0):
        day = on_working_day(first_contact + timedelta(days=rng.randint(5, span)))
        if day > latest_before:
            continue
        if plan.chance(0.3):
            kind, words, note = rng.choice(HIDDEN_CONTACTS)
            case.events.append(
                plan.event(
                    case,
                    kind,
                    day,
                    words,
                    visible=False,
                    internal_note=note,
                    recorded_by=case.officer,
                )
            )
        else:
            kind, direction, words = rng.choice(LATER_CONTACTS)
            case.events.append(
                plan.event(
                    case,
                    kind,
                    day,
                    words,
                    direction=direction,
                    recorded_by=case.officer,
                    internal_note=rng.choice(INTERNAL_NOTES) if plan.chance(0.3) else None,
                )
            )
    others = [i for i, o in enumerate(officers) if o.role == OfficerRole.VLO and i != case.officer]
    if span > 30 and others and plan.chance(0.15):
        # The case changed hands: the note is for the new officer, never the victim.
        day = on_working_day(first_contact + timedelta(days=rng.randint(10, span)))
        if day <= latest_before:
            before, case.officer = case.officer, rng.choice(others)
            for event in case.events:
                if event.recorded_by == before and event.occurred_on > day:
                    event.recorded_by = case.officer
            case.events.append(
                plan.event(
                    case,
                    TimelineEventKind.HANDOVER,
                    day,
                    HANDED_OVER,
                    visible=False,
                    recorded_by=before,
                    internal_note=rng.choice(HANDOVER_NOTES),
                )
            )


def _working_days(start: date, end: date) -> int:
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        count += is_working_day(current)
    return count


def _stage_dates(plan: Plan, path: Sequence[SentenceStage], latest: date) -> list[date]:
    """The day of each stage on `path`, the last on `latest`, the others before it."""
    dates = [latest]
    for earlier, later in zip(reversed(path[:-1]), reversed(path[1:]), strict=True):
        low, high = GAPS[(earlier, later)]
        dates.insert(0, dates[0] - timedelta(days=plan.rng.randint(low, high)))
    return [on_working_day(day) if day < latest else day for day in dates]


def _notifiable(case: PlannedCase) -> bool:
    return any(c.safe and c.channel != Channel.PHONE for c in case.contacts)


# --- a region's cases -----------------------------------------------------------------------

#: The stages a region's members are at, one of each, then more drawn at random.
EVERY_STAGE = tuple(SentenceStage)
DECLINE_ORDER = tuple(DeclineReason)


def plan_region(
    plan: Plan, code: str, officers: Sequence[DemoOfficer], index: int
) -> list[PlannedCase]:
    """A few dozen cases of the region `code`, in every state."""
    rng = plan.rng
    welsh_share = 0.55 if code == "wales" else 0.03
    abbreviation = ABBREVIATIONS[code]
    cases: list[PlannedCase] = []

    def new(status: CaseStatus, clock: date, source=CaseSource.ONLINE) -> PlannedCase:
        case = plan.case(
            f"{REFERENCE_PREFIX}{abbreviation}-{len(cases) + 1:03d}",
            code,
            status,
            clock,
            welsh_share,
            source=source,
        )
        cases.append(case)
        return case

    def source() -> CaseSource:
        return CaseSource.REFERRAL if plan.chance(0.6) else CaseSource.ONLINE

    # Members with contact made, at every stage of the sentence and more.
    members = []
    stages = list(EVERY_STAGE) + [rng.choice(EVERY_STAGE) for _ in range(rng.randint(4, 7))]
    for stage in stages:
        case = new(CaseStatus.ACTIVE, plan.today, source())
        _history(plan, case, stage, officers)
        members.append(case)
    # New members whose first contact was in the last four weeks (the manager's chart).
    for _ in range(rng.randint(3, 5)):
        case = new(CaseStatus.ACTIVE, plan.today, source())
        _history(
            plan,
            case,
            rng.choice(
                (
                    SentenceStage.CUSTODY,
                    SentenceStage.CUSTODY,
                    SentenceStage.PAROLE,
                    SentenceStage.LICENCE_CONDITIONS,
                )
            ),
            officers,
            recent_contact=True,
        )
        members.append(case)
    # Accepted, waiting for their first contact: some well within the clock, some overdue.
    for waited in (rng.randint(1, 8), rng.randint(9, 18), rng.randint(21, 30), rng.randint(22, 40)):
        case = new(CaseStatus.ACTIVE, plan.days_ago(waited, waited), source())
        case.stage = rng.choice((SentenceStage.SENTENCE, SentenceStage.CUSTODY))
        case.officer = plan.vlo_for(case, officers)
        if case.source == CaseSource.ONLINE:
            plan.accept(
                case,
                officers,
                add_working_days(case.clock_started_on, min(waited, rng.randint(1, 3))),
            )
        else:
            case.triaged_by, case.triaged_at = case.officer, case.created_at
    # Registrations to triage: fresh, due soon, overdue.
    for waited in (
        0,
        0,
        1,
        rng.randint(2, 5),
        rng.randint(6, 12),
        rng.randint(13, 19),
        rng.randint(21, 26),
        rng.randint(27, 45),
    ):
        new(CaseStatus.TRIAGE, plan.days_ago(waited, waited))
    # Second registrations by members already in the scheme: flagged, or joined to the case.
    originals = rng.sample(members, 4)
    for status, original in zip(
        (CaseStatus.TRIAGE, CaseStatus.TRIAGE, CaseStatus.MERGED, CaseStatus.MERGED),
        originals,
        strict=True,
    ):
        waited = rng.randint(1, 24)
        case = new(status, plan.days_ago(waited, waited))
        _same_person(case, original)
        if status == CaseStatus.TRIAGE:
            case.possible_duplicate_of = original.reference
        else:
            case.merged_into = original.reference
            triaged_on = min(
                add_working_days(case.clock_started_on, min(waited, rng.randint(0, 3))),
                plan.yesterday,
            )
            case.triaged_by = plan.triager(officers)
            case.triaged_at = plan.moment(triaged_on)
            case.events.append(
                PlannedEvent(
                    TimelineEventKind.TRIAGE,
                    triaged_on,
                    JOINED_TO_CASE,
                    recorded_at=case.triaged_at,
                    visible=False,
                    recorded_by=case.triaged_by,
                    internal_note=f"Same victim and offender as {original.reference}: joined.",
                )
            )
    # Declined, with a reason and the officer's words to the victim.
    for n in range(2):
        reason = DECLINE_ORDER[(index * 2 + n) % len(DECLINE_ORDER)]
        waited = rng.randint(5, 60)
        case = new(CaseStatus.DECLINED, plan.days_ago(waited, waited))
        if reason == DeclineReason.OFFENCE_NOT_COVERED:
            case.offence_type = "other"
        if reason == DeclineReason.NOT_ELIGIBLE_PERSON:
            case.relationship = "supporter"
            case.representative_name = case.representative_name or plan.person(False)[0]
        case.decline_reason = reason
        case.decline_note = case.words(DECLINE_NOTES[reason])
        triaged_on = min(
            add_working_days(case.clock_started_on, rng.randint(1, min(waited, 10))),
            plan.yesterday,
        )
        case.triaged_by = plan.triager(officers)
        case.triaged_at = plan.moment(triaged_on)
        declined = PlannedEvent(
            TimelineEventKind.TRIAGE,
            triaged_on,
            DECLINED,
            recorded_at=case.triaged_at,
            recorded_by=case.triaged_by,
        )
        plan.tell(declined, "registration_declined", delay=0)
        case.events.append(declined)
    # Paused at the victim's request.
    for _ in range(2):
        case = new(CaseStatus.PAUSED, plan.today, source())
        _history(plan, case, rng.choice((SentenceStage.CUSTODY, SentenceStage.PAROLE)), officers)
        day = max(event.occurred_on for event in case.events)
        day = min(on_working_day(day + timedelta(days=rng.randint(3, 60))), plan.yesterday)
        case.events.append(
            plan.event(
                case,
                TimelineEventKind.NOTE,
                day,
                PAUSED,
                recorded_by=case.officer,
                internal_note=rng.choice(PAUSE_NOTES),
            )
        )
    # Closed: the sentence ended, or the victim left.
    for ended in (True, False):
        case = new(CaseStatus.CLOSED, plan.today, source())
        if ended:
            _history(plan, case, SentenceStage.END_OF_SENTENCE, officers)
            words = ENDED
            day = max(event.occurred_on for event in case.events)
        else:
            _history(
                plan, case, rng.choice((SentenceStage.CUSTODY, SentenceStage.RELEASE)), officers
            )
            words = LEFT
            day = max(event.occurred_on for event in case.events)
            day = min(on_working_day(day + timedelta(days=rng.randint(5, 90))), plan.yesterday)
        closing = plan.event(case, TimelineEventKind.NOTE, day, words, recorded_by=case.officer)
        case.events.append(closing)
        case.closed_at = closing.recorded_at
        if not ended:
            case.left_at = closing.recorded_at
            left_case = case
    for case in cases:
        for event in case.events:
            if event.recorded_by is None and event.kind != TimelineEventKind.NOTE:
                event.recorded_by = case.officer
            if event.recorded_by is None and case.source == CaseSource.REFERRAL:
                event.recorded_by = case.triaged_by
    # In every other region the victim who left has asked, online, to come back (their
    # officer's "What needs you first" lists them). No draw from the generator: the rest
    # of the plan stays as it was.
    if index % 2 == 0:
        _asked_to_come_back(plan, left_case)
    return cases


def _asked_to_come_back(plan: Plan, case: PlannedCase) -> None:
    left_day = case.left_at.astimezone(LONDON).date()
    # A week later, or (left yesterday) that evening: after leaving, in office hours.
    asked_day = max(min(on_working_day(left_day + timedelta(days=7)), plan.yesterday), left_day)
    asked = min(datetime.combine(asked_day, time(20, 30), tzinfo=LONDON).astimezone(UTC), plan.now)
    case.come_back_asked_at = asked
    case.events.append(
        PlannedEvent(TimelineEventKind.NOTE, asked_day, come_back_words(), recorded_at=asked)
    )


def come_back_words() -> Words:
    """What a victim who asks to come back reads (portal.services.participation's words)."""
    return (
        in_language("en", participation.ASKED_TO_COME_BACK),
        in_language("cy", participation.ASKED_TO_COME_BACK),
    )


def _same_person(case: PlannedCase, original: PlannedCase) -> None:
    """`case` is a second registration by `original`'s victim, about the same offender, from
    an email address the original holds, marked safe."""
    case.language = original.language
    case.victim_name = original.victim_name
    case.offender_name = original.offender_name
    case.offence_type = original.offence_type
    case.relationship = original.relationship
    case.representative_name = original.representative_name
    case.court_code = original.court_code
    email = next((c.value for c in original.contacts if c.channel == Channel.EMAIL), None)
    if email is None:
        email = f"{original.reference.lower()}@example.com"
        original.contacts.append(PlannedContact(Channel.EMAIL, email))
    for contact in original.contacts:
        if contact.value == email:
            contact.safe = True
    case.contacts = [PlannedContact(Channel.EMAIL, email, verified=True)]


def plan_national(plan: Plan) -> list[PlannedCase]:
    """Registrations whose court is not known: the national queue, for an admin."""
    cases = []
    for n, waited in enumerate((0, 3, 17, 28), start=1):
        case = plan.case(
            f"{REFERENCE_PREFIX}{NATIONAL}-{n:03d}",
            None,
            CaseStatus.TRIAGE,
            plan.days_ago(waited, waited),
            0.1,
        )
        cases.append(case)
    return cases


def plan_everything(
    today: date, now: datetime, officers_by_region: dict[str, list[DemoOfficer]]
) -> list[PlannedCase]:
    """Every generated case, in the same order every time."""
    plan = Plan(today, now)
    cases = []
    for index, code in enumerate(ABBREVIATIONS):
        cases += plan_region(plan, code, officers_by_region[code], index)
    return cases + plan_national(plan)


# --- messages -----------------------------------------------------------------------------

#: What victims write (English, Welsh), and the standard reply that answers each.
VICTIM_MESSAGES = (
    (
        (
            "Is there any news about the parole review? I have not slept well since your letter.",
            "Oes unrhyw newyddion am yr adolygiad parôl? Dydw i ddim wedi cysgu’n dda ers "
            "eich llythyr.",
        ),
        ReplyTemplate.PAROLE,
    ),
    (
        (
            "What are his licence conditions? I want to know if he can come to our town.",
            "Beth yw amodau ei drwydded? Rydw i eisiau gwybod a all ddod i’n tref ni.",
        ),
        ReplyTemplate.LICENCE_CONDITIONS,
    ),
    (
        (
            "Will I be told before he is released? I would like to know the month.",
            "Fydda i’n cael gwybod cyn iddo gael ei ryddhau? Hoffwn i wybod y mis.",
        ),
        ReplyTemplate.FIND_OUT,
    ),
    (
        (
            "I have moved house. Can I give you my new address over the phone?",
            "Rydw i wedi symud tŷ. Ga i roi fy nghyfeiriad newydd i chi dros y ffôn?",
        ),
        ReplyTemplate.PLEASE_CALL,
    ),
)
THANKS = ("Thank you for calling me yesterday.", "Diolch am fy ffonio ddoe.")
#: What each officer's first cases hold, in order: waiting (overdue, a few days, today),
#: answered, and a thank-you that needs no reply.
CONVERSATIONS = ("overdue", "waiting", "today", "answered", "thanks")


@dataclass
class PlannedMessage:
    from_victim: bool
    words: Words
    written_at: datetime
    read_at: datetime | None = None
    #: A victim's message: when the officer answered it (or marked it as needing no reply).
    answered_at: datetime | None = None
    no_reply_needed: bool = False


def _at(day: date, hour: int, minute: int, now: datetime) -> datetime:
    """`day` at hour:minute in London, never after now."""
    moment = datetime.combine(day, time(hour, minute), tzinfo=LONDON).astimezone(UTC)
    return min(moment, now - timedelta(minutes=1))


def _conversation(
    kind: str, rng: random.Random, today: date, now: datetime
) -> list[PlannedMessage]:
    words, template = rng.choice(VICTIM_MESSAGES)
    reply = (reply_wording(template, "en"), reply_wording(template, "cy"))
    minute = rng.randrange(0, 60, 5)
    if kind == "overdue":
        day = working_days_before(today, rng.randint(7, 11))
        return [PlannedMessage(True, words, _at(day, rng.randint(9, 16), minute, now))]
    if kind == "waiting":
        day = working_days_before(today, rng.randint(1, 4))
        return [
            PlannedMessage(True, words, _at(day, 10, minute, now)),
            PlannedMessage(True, THANKS, _at(day, 15, minute, now)),
        ][: rng.randint(1, 2)]
    if kind == "today":
        return [PlannedMessage(True, words, _at(today, 6, minute, now))]
    asked_on = working_days_before(today, rng.randint(12, 25))
    asked = _at(asked_on, rng.randint(9, 12), minute, now)
    replied = _at(on_working_day(asked_on + timedelta(days=1)), 14, minute, now)
    conversation = [
        PlannedMessage(True, words, asked, answered_at=replied),
        PlannedMessage(False, reply, replied, read_at=replied + timedelta(hours=5)),
    ]
    if kind == "thanks":
        thanked = replied + timedelta(days=1)
        conversation.append(
            PlannedMessage(
                True, THANKS, thanked, answered_at=thanked + timedelta(hours=2),
                no_reply_needed=True,
            )
        )  # fmt: skip
    return conversation


def plan_messages(
    planned: Sequence[PlannedCase], today: date, now: datetime
) -> dict[str, list[PlannedMessage]]:
    """Conversations on each officer's first active cases with contact made at least
    three weeks ago (a Welsh reader's first), by reference; a generator of their own."""
    rng = random.Random(SEED + 15)  # noqa: S311 (demo data, not security)
    settled = working_days_before(today, 15)
    by_officer: dict[tuple[str, int], list[PlannedCase]] = {}
    for case in planned:
        if (
            case.status == CaseStatus.ACTIVE
            and case.region is not None
            and case.officer is not None
            and case.first_contact_on is not None
            and case.first_contact_on <= settled
        ):
            by_officer.setdefault((case.region, case.officer), []).append(case)
    found: dict[str, list[PlannedMessage]] = {}
    for cases in by_officer.values():
        cases.sort(key=lambda c: (c.language != Language.WELSH, c.reference))
        for kind, case in zip(CONVERSATIONS, cases, strict=False):
            found[case.reference] = _conversation(kind, rng, today, now)
    return found


# --- writing it ---------------------------------------------------------------------------


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _insert(session: Session, model, rows: list[dict], returning=None) -> list:
    """Bulk INSERT `rows` (one statement per batch); the new ids, in order, with `returning`."""
    if not rows:
        return []
    if returning is None:
        session.execute(insert(model), rows)
        return []
    return list(
        session.scalars(insert(model).returning(returning, sort_by_parameter_order=True), rows)
    )


def load_console_cases(
    session: Session,
    regions: dict[str, Region],
    officers: Iterable[VictimLiaisonOfficer],
    sign_in_url: str,
    now: datetime | None = None,
) -> int:
    """Write every generated case not already in the database; returns how many were new.

    The demo's officers (`officers`) are found by their place in their region's list, in
    order of email address, so the plan does not depend on anything else in the database.
    """
    now = now or utcnow()
    by_region: dict[str, list[VictimLiaisonOfficer]] = {}
    for officer in officers:
        by_region.setdefault(officer.region.code, []).append(officer)
    for officers_here in by_region.values():
        officers_here.sort(key=lambda o: o.email)
    demo_officers = {
        code: [
            DemoOfficer(code, o.full_name, o.email, o.role, o.speaks_welsh) for o in officers_here
        ]
        for code, officers_here in by_region.items()
    }
    planned = plan_everything(london_today(now), now, demo_officers)
    existing = dict(
        session.execute(
            select(Case.reference, Case.id).where(Case.reference.like(GENERATED_REFERENCES))
        ).all()
    )
    # Outbox ids are drawn for every planned row, made or not, so they never change.
    ids = random.Random(SEED)  # noqa: S311 (demo data: deterministic ids for the outbox)
    outbox_ids = {
        (plan.reference, n): _uuid(ids)
        for plan in planned
        for n in range(1 + sum(event.told is not None for event in plan.events))
    }
    missing = [plan for plan in planned if plan.reference not in existing]
    if not missing:
        return 0

    def officer_id(plan: PlannedCase, index: int | None) -> int | None:
        if index is None or plan.region is None:
            return None
        return by_region[plan.region][index].id

    victim_ids = _insert(
        session,
        Victim,
        [
            {
                "full_name": plan.victim_name,
                "date_of_birth": plan.date_of_birth,
                "relationship_to_victim": plan.relationship,
                "representative_name": plan.representative_name,
                "language": plan.language,
                "accessibility_needs": plan.accessibility_needs,
                "envelope_name_to_avoid": plan.envelope_name_to_avoid,
                "created_at": plan.created_at,
            }
            for plan in missing
        ],
        returning=Victim.id,
    )
    _insert(
        session,
        ContactPreference,
        [
            {
                "victim_id": victim_id,
                "channel": contact.channel,
                "value": contact.value,
                "is_safe": contact.safe,
                "voicemail_safe": contact.voicemail_safe,
                "safe_from": contact.safe_from,
                "safe_until": contact.safe_until,
                # Proved when registering online, or confirmed by the officer at the first
                # contact: the victim signs in with it.
                "verified_at": (
                    plan.created_at
                    if contact.verified
                    or (plan.first_contact_on and contact.safe and contact.channel == Channel.EMAIL)
                    else None
                ),
            }
            for plan, victim_id in zip(missing, victim_ids, strict=True)
            for contact in plan.contacts
        ],
    )
    outbox: list[dict] = []
    told: dict[tuple[str, int], str] = {}  # (reference, the event's place) -> outbox id
    for plan, victim_id in zip(missing, victim_ids, strict=True):
        # Notified on their first safe channel (portal.notifications.outbox.safe_channels).
        channel = next(
            (
                contact
                for kind in (Channel.EMAIL, Channel.SMS, Channel.LETTER)
                for contact in plan.contacts
                if contact.channel == kind and contact.safe
            ),
            None,
        )
        if channel is None:
            continue
        sent = [
            (
                plan.created_at,
                plan.received_sent_at,
                "registration_received",
                {"reference": plan.reference},
                None,
            )
        ]
        sent += [
            (event.recorded_at, event.told[1], event.told[0], {"url": sign_in_url}, place)
            for place, event in enumerate(plan.events)
            if event.told is not None
        ]
        for n, (created, sent_at, kind, personalisation, place) in enumerate(sent):
            if sent_at is None:
                continue
            outbox.append(
                {
                    "id": outbox_ids[(plan.reference, n)],
                    "victim_id": victim_id,
                    "recipient": channel.value,
                    "channel": NotificationChannel(channel.channel.value),
                    "template_key": kind,
                    "language": plan.language,
                    "personalisation": personalisation,
                    "status": NotificationStatus.SENT,
                    "attempts": 1,
                    "next_attempt_at": created,
                    "created_at": created,
                    "updated_at": sent_at,
                    "sent_at": sent_at,
                }
            )
            if place is not None:
                told[(plan.reference, place)] = outbox[-1]["id"]
    # The outbox rows before the timeline entries that point at them.
    _insert(session, OutboxNotification, outbox)
    # Second registrations after the cases they repeat, which they point at.
    ids_of = dict(existing)
    victim_of = dict(zip((plan.reference for plan in missing), victim_ids, strict=True))
    for repeats in (False, True):
        batch = [
            plan
            for plan in missing
            if bool(plan.possible_duplicate_of or plan.merged_into) == repeats
        ]
        made = _insert(
            session,
            Case,
            [
                {
                    "reference": plan.reference,
                    "victim_id": victim_of[plan.reference],
                    "region_id": regions[plan.region].id if plan.region else None,
                    "officer_id": officer_id(plan, plan.officer),
                    "status": plan.status,
                    "offender_name": plan.offender_name,
                    "offence_type": plan.offence_type,
                    "court_code": plan.court_code,
                    "sentenced_in": plan.sentenced_in,
                    "sentence_description": plan.sentence_description,
                    "stage": plan.stage,
                    "updates_wanted": plan.updates_wanted,
                    "source": plan.source,
                    "clock_started_on": plan.clock_started_on,
                    "referred_on": plan.referred_on,
                    "referred_by": plan.referred_by,
                    "first_contact_on": plan.first_contact_on,
                    "triaged_at": plan.triaged_at,
                    "triaged_by_id": officer_id(plan, plan.triaged_by),
                    "decline_reason": plan.decline_reason,
                    "decline_note": plan.decline_note,
                    "possible_duplicate_of_id": ids_of.get(plan.possible_duplicate_of),
                    "merged_into_id": ids_of.get(plan.merged_into),
                    "closed_at": plan.closed_at,
                    "left_at": plan.left_at,
                    "come_back_asked_at": plan.come_back_asked_at,
                    "created_at": plan.created_at,
                    "updated_at": max([plan.created_at, *(e.recorded_at for e in plan.events)]),
                }
                for plan in batch
            ],
            returning=Case.id,
        )
        ids_of.update(zip((plan.reference for plan in batch), made, strict=True))
    messages = plan_messages(planned, london_today(now), now)
    keys = random.Random(SEED + 16)  # noqa: S311 (demo data: deterministic one-time keys)
    _insert(
        session,
        Message,
        [
            {
                "case_id": ids_of[plan.reference],
                "sender": Sender.VICTIM if message.from_victim else Sender.OFFICER,
                "officer_id": None if message.from_victim else officer_id(plan, plan.officer),
                "body": plan.words(message.words),
                "language": plan.language,
                "submission_key": _uuid(keys),
                "created_at": message.written_at,
                "read_at": message.read_at if message.read_at and message.read_at < now else None,
                "answered_at": message.answered_at,
                "answered_by_id": officer_id(plan, plan.officer) if message.answered_at else None,
                "no_reply_needed": message.no_reply_needed,
            }
            for plan in missing
            for message in messages.get(plan.reference, ())
        ],
    )
    _insert(
        session,
        TimelineEvent,
        [
            {
                "case_id": ids_of[plan.reference],
                "kind": event.kind,
                "stage": event.stage,
                "occurred_on": event.occurred_on,
                "precision": event.precision,
                "summary": plan.words(event.words),
                "language": plan.language,
                "visible_to_victim": event.visible,
                "internal_note": event.internal_note,
                "recorded_by_id": officer_id(plan, event.recorded_by),
                "notification_id": told.get((plan.reference, place)),
                "direction": event.direction
                or (ContactDirection.TO_VICTIM if event.kind in CONTACT_KINDS else None),
                "created_at": event.recorded_at,
            }
            for plan in missing
            for place, event in enumerate(plan.events)
        ],
    )
    return len(missing)
