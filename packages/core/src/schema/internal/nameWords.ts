/**
 * Word lists that tell a person's name from other Title Case text. Given names: common first names across
 * languages (the most frequent names of birth registers in the US, UK, Germany, France, Spain and Latin America,
 * Italy, India, China (pinyin), Japan, the Arab world, Nigeria, Russia, Turkey and Korea), lower case. A value
 * whose first word is one of them is very likely a person; a column of Title Case pairs none of which starts
 * with one is more likely places, products or plans.
 */
const GIVEN = `
aaron abdul abdullah abigail ada adam adebayo adele adrian ahmad ahmed aisha akira alan albert alejandro alex
alexander alexandra alexei alfred ali alice alicia alina allison amanda amber amelia amina amir amit amy ana
anastasia andre andrea andreas andrew andrés angela angelo anil anita anja ann anna anne annie anthony antoine
antonio anya arjun arthur ashley aya ayesha barbara beatriz ben benjamin bernard beth betty bilal bob bogdan
boris brandon brenda brian bruce bruno camila carl carla carlos carmen carol caroline catherine cecilia charles
charlie charlotte chen chiara chidi chloe chris christian christina christine christopher claire clara claude
claudia colin connor craig cristina cynthia daniel daniela daniele danielle david dawn deborah deepak denis
dennis diana diego dimitri dmitri dominic donald donna dorothy douglas dylan edward elena eleanor eli elif
elijah elizabeth ella ellen emily emma emmanuel enrique eric erik ethan eva evelyn fatima fatma felix fernando
fiona florian frances francesca francesco francis francisco frank franz fred frederick gabriel gabriela gary
george gerald gerhard giovanni giulia giuseppe grace gregory guillaume gustavo hannah hans harold harry hassan
heather helen helena henry hiroshi hugo hussein ian ibrahim igor ines ingrid irene isaac isabel isabella
ivan jack jacob jacqueline james jamie jan jane janet jason javier jean jeffrey jennifer jeremy jessica ji
jiang jin joan joe johan johann john jonathan jordan jorge jose joseph joshua juan judith julia julian julie
jun justin kai karen karim karl kate katherine kathleen katrin kavya kenji kenneth kevin khalid kim kimberly
klaus krishna kumar kyle laura lauren laurent lea leah lena leo leon leonardo li lily lin linda lisa liu
lorenzo louis louise lucas lucia luis luisa luka lukas maria mariam marie marina mario mark marta martha
martin mary mateo matteo matthew maxim maximilian maya mehmet melissa mia michael michel michelle miguel
mikhail ming mohamed mohammed monica muhammad mustafa nadia nancy naomi natalia natalie nathan neha nicholas
nicole nikhil nikita nina noah nora oliver olivia omar oscar pablo pamela patricia patrick paul paula pedro
peter philip pierre pooja priya rachel rafael rahul raj rajesh ralph ramesh raymond rebecca richard rita
robert roberto roger rohan ronald rosa rose ruth ryan sakura samantha samuel sandra sanjay sara sarah scott
sean sebastian sergei sergio shanti sharon shirley simon sofia sophia sophie stefan stephanie stephen steven
sunil susan sven takashi tamara tanya taylor teresa thomas timothy tina tobias tom tomás tyler valentina
vanessa victor victoria vikram vincent virginia walter wang wei william xin yan yang yasmin yi yuki yusuf
yuto zainab zhang zoe zoltan
`

/** Given names, lower case. */
export const GIVEN_NAMES: ReadonlySet<string> = new Set(GIVEN.split(/\s+/).filter((w) => w !== ''))

const NON_NAME = `
new san santa santo los las saint st ste fort ft port mount mt lake city county beach island islands bay valley
springs falls heights hills north south east west central upper lower grand rapids united states kingdom
republic emirates arabia africa zealand korea lanka kong rica rico guinea leone faso coast
bank card credit debit pay payment transfer cash wire check cheque online store shop market mall service
services support office home plan plans pro basic premium standard gold silver platinum bronze account
accounts group inc ltd llc gmbh corp co company university college school hospital clinic center centre
department team engineering sales marketing human resources finance operations legal manager engineer
director analyst scientist developer assistant officer president intern data software product customer
client air airlines airways express delivery shipping ground overnight pickup mobile desktop tablet web app
android ios windows mac linux chrome safari firefox google apple amazon microsoft samsung toyota honda nissan
hyundai kia bmw audi mercedes volkswagen chevrolet tesla mazda subaru volvo jeep lexus red blue orange purple
yellow pink large small medium extra mini plus ultra used refurbished monday tuesday wednesday thursday
friday saturday sunday january february march july september october november december
spring autumn winter free trial annual monthly weekly daily yearly high low tier level class type
region zone area district avenue road drive airport station terminal gate hotel restaurant cafe bar pharmacy
grocery electronics travel gaming fuel health care insurance loan mortgage savings checking deposit
withdrawal refund order orders status pending approved declined completed cancelled active inactive
the of and for in on at to by with from
`

/** Words that never occur in a person's name but often in Title Case places, products, plans and labels. */
export const NON_NAME_WORDS: ReadonlySet<string> = new Set(NON_NAME.split(/\s+/).filter((w) => w !== ''))
