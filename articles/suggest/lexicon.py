"""The hand-written word lists the extractor reads: cue verbs, source heads, counts, adverbials."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """A word list written as one string, words separated by white space."""
    return frozenset(text.split())


# Speech verbs that always report a statement when a source stands beside them.
STRONG_SPEECH = words("say says said tell tells told")

# Speech verbs with other senses too ("added to the pressure", "claimed responsibility",
# "reported cases"): they count only with a complement (that, a colon, a quote, a recipient)
# or when the content is fronted ("..., the ministry confirmed.").
WEAK_SPEECH = words(
    """add adds added stated explain explains explained noted wrote argue argues argued claimed
    insist insists insisted warn warns warned announce announces announced confirm confirms
    confirmed acknowledge acknowledges acknowledged admit admits admitted reported predict
    predicts predicted suggest suggests suggested maintains maintained assert asserts
    asserted stress stresses stressed emphasised emphasized observed remarked replied
    alleged contend contends contended concede concedes conceded testified recalled
    estimated cautioned tweeted agreed"""
)

# "accused X of Y": a statement whose complement is an object, not a clause.
ACCUSE = words("accuse accuses accused")

# Denial verbs. "dismissed" and "rejected" also mean firing someone or voting a bill down, so
# they need "as ..." or an object that is a statement (allegations, the report...).
DENY = words("deny denies denied refute refutes refuted dispute disputes disputed")
DISMISS = words("dismiss dismisses dismissed")
REJECT = words("reject rejects rejected")
STATEMENT_OBJECTS = words(
    """allegation allegations accusation accusations claim claims charge charges report reports
    suggestion suggestions criticism criticisms assertion assertions notion idea account
    accounts story stories assessment assessments conclusion conclusions finding findings
    version rumour rumours rumor rumors speculation characterisation characterization
    statement statements comments remarks figures figure description allegation"""
)

# Participles that follow an earlier cue in the same sentence and share its source.
PARTICIPLE_CUES = {
    "adding": "asserts",
    "saying": "asserts",
    "denying": "denies",
    "dismissing": "denies",
    "rejecting": "denies",
    "insisting": "asserts",
    "arguing": "asserts",
    "warning": "asserts",
    "noting": "asserts",
}

# Who a statement is told to: "told Reuters", "told reporters", "told a news conference".
RECIPIENT_NOUNS = words(
    """reporters journalists analysts lawmakers legislators parliament investors delegates
    supporters diplomats students members officials colleagues staff employees viewers
    listeners readers court jury judge committee panel hearing conference briefing summit
    rally crowd audience meeting forum newspaper paper agency broadcaster channel station
    radio television tv media magazine website outlet council senate congress assembly
    inquiry tribunal interviewer"""
)
RECIPIENT_PRONOUNS = words("him her them us me")

# Heads of anonymous sources: unnamed people whatever their determiner.
ANON_HEADS = words(
    """source sources official officials person people diplomat diplomats insider insiders
    expert experts analyst analysts member members employee employees resident residents
    witness witnesses worker workers staffer staffers aide aides adviser advisers advisor
    advisors observer observers activist activists officer officers fighter fighters
    lawmaker lawmakers legislator legislators investigator investigators researcher
    researchers scientist scientists economist economists trader traders banker bankers
    negotiator negotiators participant participants individual individuals figure figures
    colleague colleagues friend friends relative relatives neighbour neighbours neighbor
    neighbors doctor doctors medic medics nurse nurses soldier soldiers survivor survivors
    villager villagers farmer farmers executive executives manager managers delegate
    delegates lawyer lawyers attorney attorneys prosecutors critic critics supporter
    supporters opponent opponents voter voters citizen citizens protester protesters rebel
    rebels militant militants firefighters firefighter student students parent parents
    teacher teachers academic academics journalist journalists engineer engineers someone
    insiders leaders player players investor investors consultant consultants groups
    associations campaigners campaigner guard guards"""
)

# Titles: a definite singular one ("the minister", "Turkey's president") names an office holder;
# an indefinite or plural one ("a spokesman", "ministers") does not.
ROLE_HEADS = words(
    """spokesman spokeswoman spokesperson spokespeople minister ministers president presidents
    chairman chairwoman chair director directors chief chiefs head leader leaders governor
    governors mayor mayors secretary ambassador ambassadors envoy envoys commander
    commanders prosecutor judge founder owner premier king queen chancellor general senator
    senators editor ceo cfo coach manager agent lawyer attorney negotiator treasurer
    president"""
)

# Bodies and documents: named whatever their determiner ("the ministry", "a UN report").
BODY_HEADS = words(
    """ministry government army military police company firm group agency office department
    court embassy council committee bank union party authority authorities regulator
    newspaper paper broadcaster club airline operator command centre center institute
    university hospital school charity organisation organization association federation
    commission parliament cabinet presidency kremlin administration service services network
    networks board team coalition alliance campaign state report statement document
    documents letter filing memo study survey data records record minutes website channel
    station television tv coastguard owner employer foundation trust fund forces navy
    ministries"""
)

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "both": 2,
    "a": 1,
    "an": 1,
    "another": 1,
    "single": 1,
}
# Quantities that give no number: the count stays unknown.
VAGUE_QUANTIFIERS = words(
    """some several many most few various numerous dozens hundreds scores all other"""
)
# "at least three" counts three; "more than three" is no exact count.
LOWER_BOUNDS = ("at least",)
OPEN_BOUNDS = ("more than", "over", "fewer than", "less than", "up to")

DETERMINERS = words(
    """a an the this that these those his her its their our some several many both each another
    other all any no"""
)
PREPOSITIONS = words(
    """of for at in from with to on within inside near across around among behind"""
)

PRONOUNS = {"he": "person", "she": "person", "it": "body", "they": "plural"}
FIRST_PERSON = words("i we you")

# Words that cannot sit inside a source's noun phrase: verbs, negation, subordinators.
NOT_IN_NP = words(
    """is are was were be been being am has have had do does did will would shall should can
    could may might must not never no n't because although though while when whereas if
    whether since after before until unless so than there here what how why where then also
    just only even still yet already too very said says say told tells tell that"""
)

# Words that end a clause before a subject: the source starts after the last of them.
CLAUSE_OPENERS = words(
    """because although though while when whereas if whether since after before until unless
    but as so once where that and yet"""
)

# Adverbials that sit between a source and its cue ("has also said", "on Monday told").
TRAILING_ADVERBS = words(
    """has have had also later earlier previously further again then repeatedly publicly
    privately separately meanwhile however too already once flatly strongly categorically
    vehemently firmly immediately initially subsequently recently yesterday today tonight
    now first last formally officially only"""
)
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]

# Titles with a full stop that does not end a sentence.
ABBREVIATIONS = words(
    """mr mrs ms dr prof gen lt col maj capt sgt sen rep gov st no jan feb mar apr jun jul aug
    sep sept oct nov dec inc corp ltd co jr sr vs u.s u.n u.k e.u mt ft rev hon"""
)
