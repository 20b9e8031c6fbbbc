"""The benchmark's mail mix: the shared real-world corpus plus realistic client mails.

Everything is drawn from one seeded `random.Random`, so a seed gives the same mix byte for
byte (the replies carry our signed Message-ID and reply address, made with the run's
HASH_KEY, which `tests.conftest.settings_for` fixes).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path

from workflow.crypto import Vault
from workflow.outbox import signed_plus_reference

CORPUS = Path("/work/shared/corpus")
NOT_MAIL = {"README.md", "index.tsv"}
REPLY_SHARE = 0.08  # of the generated mails: replies to one of our acknowledgements
RESEND_SHARE = 0.03  # the same mail sent twice by a client
REPLY_CASES = 60  # replies go to VP-YYYY-0001 … 0060, which exist by the time they are read
REPLY_START = 0.4  # replies sit in the last 60 % of the mix, after those cases were opened

FIRST = (
    "Anouk",
    "Daan",
    "Fatima",
    "Mohammed",
    "Sanne",
    "Jeroen",
    "Zoë",
    "Ahmet",
    "Lotte",
    "Bram",
    "Yasmina",
    "Kees",
    "Priya",
    "Tom",
    "Noor",
    "Mark",
    "Esra",
    "Willem",
    "Chloë",
    "Abdi",
    "Ingrid",
    "Thijs",
    "Maryam",
    "Sven",
)
LAST = (
    "de Vries",
    "Jansen",
    "El Amrani",
    "Bakker",
    "Yılmaz",
    "Visser",
    "Smit",
    "Haddou",
    "Meijer",
    "de Boer",
    "Mulder",
    "Öztürk",
    "Peters",
    "Hendriks",
    "Dekker",
    "van Dijk",
)
DOMAINS = ("example.nl", "example.com", "example.org", "mail.example.net")
STAFF = ("Johan de Wit", "Petra", "meneer Bos", "mevrouw Koster", "Rachid", "Linda van Leeuwen")

TEXTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("nl", "conduct"): (
        "Mijn begeleider {staff} maakt steeds opmerkingen over mijn lichaam en heeft mij vorige "
        "week aangeraakt terwijl ik dat niet wilde. Ik voel me niet veilig op de groep.",
        "{staff} van de dagbesteding scheldt mij uit en intimideert mij als er niemand anders "
        "bij is. Hij zegt dat ik niks waard ben en dat ik mijn mond moet houden.",
        "Sinds een paar weken stuurt {staff} mij berichten die ik niet prettig vind. Er worden "
        "seksuele grappen gemaakt en hij komt steeds te dicht bij mij staan.",
        "Ik word gediscrimineerd door {staff}, mijn woonbegeleider. Ze maakt opmerkingen over "
        "mijn afkomst en mijn hoofddoek waar anderen bij zijn.",
    ),
    ("nl", "complaint"): (
        "Ik ben niet tevreden over de hulp die ik krijg. Mijn hulpverlener {staff} belt nooit "
        "terug en is al twee keer niet op de afspraak gekomen. Ik wil hierover een klacht "
        "indienen.",
        "Ik wil een klacht indienen over een besluit van de organisatie. Mijn uren begeleiding "
        "zijn zonder overleg verlaagd en niemand legt mij uit waarom.",
        "Ik voel me niet geholpen. Ik vraag al drie maanden om hulp bij mijn schulden maar er "
        "gebeurt niets, en {staff} zegt alleen dat ik geduld moet hebben.",
    ),
    ("nl", "question"): (
        "Ik heb een vraag. Wat doet een vertrouwenspersoon precies en blijft wat ik vertel geheim?",
        "Kunt u mij uitleggen hoe de klachtenprocedure werkt? Hoe lang duurt het voordat ik "
        "een antwoord krijg?",
        "Mag ik iemand meenemen naar een gesprek met de vertrouwenspersoon? Is het gesprek gratis?",
    ),
    ("en", "conduct"): (
        "My support worker {staff} keeps making comments about my body and touched me last "
        "week when I did not want that. I do not feel safe in the house.",
        "{staff} shouts at me and intimidates me when nobody else is around. He says I am "
        "worthless and that I should keep quiet.",
        "For a few weeks {staff} has been sending me messages that make me uncomfortable, "
        "with sexual jokes, and he stands far too close to me.",
    ),
    ("en", "complaint"): (
        "I am not happy with the help I get. My caseworker {staff} never calls me back and "
        "missed our last two appointments. I would like to make a complaint.",
        "I want to complain about a decision: my hours of support were cut without anyone "
        "talking to me and nobody explains why.",
    ),
    ("en", "question"): (
        "I have a question. What does a confidential adviser do, and is what I tell you kept "
        "private?",
        "Could you explain how the complaints procedure works? How long does it take before "
        "I get an answer?",
    ),
}
WISHES: dict[tuple[str, str], tuple[str, ...]] = {
    ("nl", "female"): (
        "Ik wil graag met een vrouw praten.",
        "Ik heb liever een vrouwelijke vertrouwenspersoon.",
    ),
    ("nl", "male"): (
        "Graag een man als vertrouwenspersoon, dat praat voor mij makkelijker.",
        "Ik wil liever een mannelijke vertrouwenspersoon.",
    ),
    ("en", "female"): (
        "I would prefer to talk to a woman.",
        "I would like a female adviser, please.",
    ),
    ("en", "male"): ("I would rather talk to a man.", "Please can I have a male adviser?"),
}
GREETINGS = {
    "nl": ("Beste vertrouwenspersoon,", "Goedendag,", "Hallo,", "Geachte heer/mevrouw,"),
    "en": ("Dear confidential adviser,", "Hello,", "Hi,"),
}
CLOSINGS = {
    "nl": ("Met vriendelijke groet,", "Groetjes,", "Alvast bedankt,"),
    "en": ("Kind regards,", "Thanks,", "Best wishes,"),
}
SUBJECTS = {
    "nl": ("Melding", "Klacht", "Vraag", "Hulp nodig", "ongewenst gedrag", "Graag contact"),
    "en": ("Complaint", "Question", "Need help", "Report", "Please help"),
}
SIGNATURES = ("", "", "\n-- \nVerstuurd vanaf mijn iPhone", "\n-- \nSent from my phone")


@dataclass(frozen=True)
class ClientMail:
    """One generated mail: its sender (to find its acknowledgement), its text, its bytes."""

    sender: str
    name: str
    language: str
    body: str
    raw: bytes


@dataclass
class Mix:
    """The mails in APPEND order, and what went into them."""

    raws: list[bytes] = field(default_factory=list)
    composition: Counter[str] = field(default_factory=Counter)


def corpus_mails(root: Path = CORPUS) -> list[bytes]:
    """Every corpus file, byte for byte, in path order (README.md and index.tsv left out)."""
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.name not in NOT_MAIL)
    return [path.read_bytes() for path in files]


def _body(rng: random.Random, language: str, kind: str, wish: str, name: str) -> str:
    text = rng.choice(TEXTS[(language, kind)]).format(staff=rng.choice(STAFF))
    lines = [rng.choice(GREETINGS[language]), "", text]
    if wish != "none":
        lines.append(rng.choice(WISHES[(language, wish)]))
    lines += ["", rng.choice(CLOSINGS[language]), name.split()[0]]
    return "\n".join(lines) + rng.choice(SIGNATURES) + "\n"


def _message(headers: dict[str, str], body: str, rng: random.Random) -> EmailMessage:
    """Plain text, text + HTML (most web mail), Latin-1 (old clients), or with an attachment."""
    message = EmailMessage()
    for name, value in headers.items():
        message[name] = value
    style = rng.random()
    if style < 0.05 and not body.isascii() and _latin1(body):
        message.set_content(body, charset="iso-8859-1")
        return message
    message.set_content(body)
    if style < 0.45:
        html = "".join(f"<p>{line}</p>" if line else "<br>" for line in body.splitlines())
        message.add_alternative(f"<html><body>{html}</body></html>", subtype="html")
    elif style > 0.92:
        data = rng.randbytes(rng.randint(8_000, 60_000))
        message.add_attachment(data, maintype="image", subtype="jpeg", filename="foto.jpg")
    if message.is_multipart():  # the stdlib draws boundaries from the global random
        message.set_boundary(f"=_{rng.getrandbits(64):016x}")
    return message


def _latin1(text: str) -> bool:
    try:
        text.encode("iso-8859-1")
    except UnicodeEncodeError:
        return False
    return True


def client_mail(
    rng: random.Random, n: int, when: datetime, mail_from: str, kind: str | None = None
) -> ClientMail:
    """A new client's first mail: Dutch or English, conduct / complaint / question, a gender
    wish or none; sender `…{n}@…` is unique per `n`."""
    language = "nl" if rng.random() < 0.65 else "en"
    kind = kind or rng.choices(("conduct", "complaint", "question"), (45, 35, 20))[0]
    wish = rng.choices(("none", "female", "male"), (55, 30, 15))[0]
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    sender = f"{name.split()[0].lower()}.{n}@{rng.choice(DOMAINS)}".replace("ë", "e")
    body = _body(rng, language, kind, wish, name)
    headers = {
        "From": f"{name} <{sender}>",
        "To": mail_from,
        "Subject": rng.choice(SUBJECTS[language]),
        "Date": format_datetime(when),
        "Message-ID": f"<{n}.{rng.getrandbits(48):012x}@{sender.partition('@')[2]}>",
    }
    raw = _message(headers, body, rng).as_bytes(policy=SMTP)
    return ClientMail(sender, name, language, body, raw)


def resend(original: ClientMail, rng: random.Random, when: datetime, mail_from: str) -> bytes:
    """The same text again from the same client (sent twice), with a new Message-ID."""
    message = EmailMessage()
    message["From"] = f"{original.name} <{original.sender}>"
    message["To"] = mail_from
    message["Subject"] = "Nogmaals" if original.language == "nl" else "Again"
    message["Date"] = format_datetime(when)
    message["Message-ID"] = f"<again.{rng.getrandbits(48):012x}@{original.sender.split('@')[1]}>"
    message.set_content(original.body)
    return message.as_bytes(policy=SMTP)


def reply(
    original: ClientMail,
    reference: str,
    vault: Vault,
    rng: random.Random,
    when: datetime,
    mail_from: str,
) -> bytes:
    """A client answering our acknowledgement of `reference`: In-Reply-To our signed
    Message-ID, To our signed reply address, the subject tag, and our text quoted."""
    local, _, domain = mail_from.partition("@")
    nonce = f"{rng.getrandbits(32):08x}"
    our_id = f"<{reference}.{nonce}.{vault.sign(f'{reference}.{nonce}')}@{domain}>"
    is_nl = original.language == "nl"
    subject = "Uw melding is ontvangen" if is_nl else "We have received your message"
    added = (
        "Dank u wel. Ik wil nog iets toevoegen: het is gisteren weer gebeurd."
        if is_nl
        else "Thank you. I want to add that it happened again yesterday."
    )
    wrote = (
        f"Op {format_datetime(when - timedelta(hours=2))} schreef {mail_from}:"
        if is_nl
        else (f"On {format_datetime(when - timedelta(hours=2))} {mail_from} wrote:")
    )
    message = EmailMessage()
    message["From"] = f"{original.name} <{original.sender}>"
    message["To"] = f"{local}+{signed_plus_reference(vault, reference)}@{domain}"
    message["Subject"] = f"Re: {subject} [{reference}]"
    message["Date"] = format_datetime(when)
    message["Message-ID"] = f"<re.{rng.getrandbits(48):012x}@{original.sender.split('@')[1]}>"
    message["In-Reply-To"] = our_id
    message["References"] = our_id
    message.set_content(f"{added}\n\n{original.name.split()[0]}\n\n{wrote}\n> {subject}\n> ...\n")
    return message.as_bytes(policy=SMTP)


def build_mix(count: int, seed: int, vault: Vault, now: datetime, mail_from: str) -> Mix:
    """`count` mails: the whole corpus (a seeded sample when `count` is smaller) and generated
    client mails, resends and replies up to `count`, shuffled."""
    rng = random.Random(seed)
    corpus = corpus_mails()
    corpus = corpus if count >= len(corpus) else rng.sample(corpus, count)
    generated = count - len(corpus)
    replies, resends = int(generated * REPLY_SHARE), int(generated * RESEND_SHARE)
    clients = [
        client_mail(rng, n, now - timedelta(minutes=n), mail_from)
        for n in range(generated - replies - resends)
    ]
    mix = Mix(corpus + [c.raw for c in clients])
    rng.shuffle(mix.raws)
    mix.composition.update(corpus=len(corpus), client=len(clients))
    for _ in range(resends):
        original = rng.choice(clients)
        after = mix.raws.index(original.raw) + 1
        mix.raws.insert(rng.randint(after, len(mix.raws)), resend(original, rng, now, mail_from))
        mix.composition["resend"] += 1
    for _ in range(replies):
        reference = f"VP-{now.year}-{rng.randint(1, REPLY_CASES):04d}"
        raw = reply(rng.choice(clients), reference, vault, rng, now, mail_from)
        mix.raws.insert(rng.randint(int(len(mix.raws) * REPLY_START), len(mix.raws)), raw)
        mix.composition["reply"] += 1
    return mix
