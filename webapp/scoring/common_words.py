"""Common English words the spell-corrector must leave alone even when a lesson never uses them
("note" is not a typo of "none", "head" not of "held", "city" not of "cite"). Inflections are
covered by also checking a word's stem against the stems of this list."""

from __future__ import annotations

COMMON_WORDS: frozenset[str] = frozenset("""
able about above accept across act action actual add address admit after again against age agree
ahead aim air all allow almost alone along already also always amount and angry animal another
answer any anyway apart appear apply area argue argument arm around arrive art ask asleep attack
aunt avoid away baby back bad bag ball bank bar base basic bath bear beat beautiful become bed
before begin behind believe below best better between big bill bird birth bit black blame blood
blow blue board boat body book born boss both bother bottom box boy brain brand bread break
bring brother brown build burn business busy buy call calm camera camp card care careful carry
case cash cat catch cause cell centre center certain chair chance change charge cheap check
cheese chest chief child choose church city claim class clean clear climb clock close cloth
clothes cloud club coast code coffee cold collect college colour color come common company
compare complete computer concern condition consider contain continue control cook cool copy
corner cost could count country couple course court cover crazy cream create crime cross crowd
cry cup current cut dad damage dance danger dark data date daughter day dead deal dear death
decide deep degree deny depend describe design desk detail die diet differ different difficult
dinner direct dirty discuss dish doctor dog door double doubt down draw dream dress drink drive
drop drug dry due during duty each ear early earn earth easy eat edge effect effort egg either
else empty end enemy enjoy enough enter equal error even evening event ever every exact example
except excuse exist expect expert explain extra eye face fact fair fall false family famous far
farm fast fat father fault fear feel few field fight figure fill film final find fine finger
finish fire firm first fish fit fix flat floor fly follow food foot force forget form forward
free fresh friend front fruit full fun funny future game garden gas gate general gentle get gift
girl give glad glass goal gold good government great green ground group grow guess guy hair
half hall hand hang happen happy hard hate have head health hear heart heat heavy hell hello
help here hero hide high hill hire history hit hold hole holiday home honest hope horse hospital
hot hotel hour house huge human hurt husband idea ill image imagine important include income
increase indeed inside instead interest into iron island issue item job join joke judge jump
just keep key kid kill kind king kiss kitchen knee know lady lake land language large last late
laugh law lay lead learn least leave left leg less let letter level lie life lift light like
likely limit line list listen little live local lock long look lose loss lot loud love low luck
lunch machine mad main major make male man manage many map mark market marry mass master match
matter may maybe meal mean measure meat meet member memory mention message method middle might
mile milk mind minute miss mistake mix model moment money month mood moon more morning most
mother mouth move much music must name narrow nation natural near neck need never new news next
nice night noise none normal north nose note nothing notice now number nurse obvious odd off
offer office often oil old once only open order other out over own page pain paint pair paper
parent park part party pass past path pay peace pen people perfect perhaps period person phone
pick picture piece place plain plan plant play please plenty pocket point police poor popular
position possible post pound power practice prefer press pretty price print private prize
probably problem produce profit promise proper public pull pure push put quarter queen question
quick quiet quite race radio rain raise range rare rate rather reach read ready real reason
receive record red reduce refer region relate remain remember remove rent repeat reply report
rest result return rich ride right ring rise risk river road rock role roll room rough round
rule run rush sad safe sail salt same sand save say scale scene school score sea seat second
secret see seem sell send sense serious serve set settle seven shake shape share sharp sheet
shell shift shine ship shirt shock shoe shoot shop short shot should shoulder shout show shut
sick side sign silly simple since sing sister sit site size skin sky sleep slow small smell
smile smoke snow social soft soil some son song soon sorry sort sound soup south space speak
special speed spend spirit sport spot spread spring square staff stage stand star start state
station stay steal step stick still stock stone stop store storm story straight strange street
strong student study stuff stupid style subject succeed such sudden sugar suit summer sun sure
surface surprise sweet swim system table tail take talk tall task taste tax tea teach team tear
tell tend term terrible test than thank that then theory there thick thin thing think though
threat throw ticket tie tight time tiny tired title today together tomorrow tone tonight too
tool tooth top total touch tough tour town track trade train travel treat tree trip trouble
truck true trust truth try turn type ugly uncle under understand unit until upon upset use
usual valley value very view village visit voice vote wait walk wall want war warm wash waste
watch water wave way weak wear weather week weight well west wet what wheel when where whether
which while white who whole why wide wife wild will win wind window wine winter wish with
within without woman wonder wood word work world worry worth would write wrong yard yeah year
yellow yes yet young youth zero okay yep nope idk lol tbh imo btw gonna wanna kinda sorta dunno
thats whats isnt doesnt dont cant wont didnt wasnt arent wouldnt couldnt shouldnt theyre youre
hes shes ive youd theyd ill
respect respected strong stronger strongest depressed depressing boring bored tired tiring scary
scared worse worst cheaper faster slower bigger smaller larger higher lower louder weaker weakest
shady richer poorer safer healthier happier easier harder busier older newer younger longer shorter
cheat cheating palace telly meddle meddling junta opted spent whatever loads
pushy dodgy iffy hasty sweeping tacked scaremongering speculative unscientific
manipulative oversimplified flawed hype hyped sneer leap
""".split())
