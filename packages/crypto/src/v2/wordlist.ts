/**
 * The 2048-word list of the v2 recovery-word encoding (see recovery-words.ts and the package README).
 * PhotoSync's own list — common lowercase English words of 3–7 letters, sorted, each identified by its
 * first four letters. It is NOT the BIP39 list: recovery words are no wallet seed. The list is part of the
 * format: never reorder, add or remove a word (its SHA-256 is pinned by a test and in the README).
 */

const WORDS_TEXT = `
abbey absorb accept acid across action actor actual adapt add adjust admit adopt adult advice affair afford
afraid agent agree ahead aim air aisle alarm album alert alien alley allow almost alone alpaca alpha also alter
always amber among amount amused anchor angle animal ankle annual answer ant apart appear apple april apron arch
arctic area arena argue arm armor around arrive art artist ask aspect asset assist assume atom attend attic
audit august aunt author auto autumn avenue avoid awake aware away axe baby bacon badge bag bake ball bamboo
banana band banjo banker banner bar barley barn baron barrel base basic basket bay bazaar beach bean bear beauty
beaver become bed bee beef beetle before begin behave behind beige bell below belt bench bend berry best better
beyond bid big bike bind bird birth bishop bison bite bitter black blade blast blend bless blind blouse blue
blunt blur blush board boat body bog boil bold bolt bonus book boost boot border boring borrow boss bottle
bounce bow bowl box boxer boxing boy brain brand brass brave bread breeze brick bridge brief bright bring brisk
broken bronze brook brown brush bubble bucket budget bugle build bulb bulk bundle burden burger burst bus busy
butter buy buyer buzz cabin cable cactus cage cake calm camel camp canal cancel candy canoe canvas canyon cap
cape car carbon card cargo carpet carry cart carve case cash castle casual cat catch cattle caught cause cave
celery cello cement census cereal chain chalk change chaos chapel charge chase chat cheap check cheese chef
cherry chess chew chief chilly chisel choice choose chunk churn cinema circle city civil claim clam clap claw
clay clean clerk clever click client cliff climb clinic clip clock clog close cloth cloud clown club clump
clutch coach coast coat code coffee coil coin cold collar color column comb comet comic common cook cool copper
copy coral core corn cost cotton couch count couple course cousin cove cow cowboy coyote crab crack cradle craft
cram crane crash crater crawl crazy cream credit creek crew crisp critic crop cross crouch crow cruise crunch
cube cup curve custom cute cyan cycle cymbal damage damp dance danger daring dark dash dawn debate debris decade
decide deep deer define defy degree delay delta demand deny depart depend depth deputy derive desert design desk
detail detect device devote dew dial diary dice diesel diet differ dig dim dinner direct dirt dish dive divide
dock doctor dog doll domain donate donkey donor door dose double dove draft drag drama draw dream dress drift
drill drink drip drive drop drum dry duck duke dune during dusk dust dutch duty dwarf eager eagle early earn
earth easily east easy eat echo eclipse ecology economy edge edit educate effort eight either elbow elder
elegant element elf elite elk else embark embody embrace emerge emotion emperor employ empower empress empty
enable enact endless endorse enemy energy enforce engage engine enhance enjoy enlist enough enrich enroll ensure
enter entire entry envoy episode equal equip erase erode erosion error erupt escape essay essence estate estuary
eternal ethics evening evoke evolve exact example excess excite exclude excuse execute exhaust exhibit exist
exit exotic expand expect expire explain expose express extend extra eyebrow fabric face factory faculty fade
faint fairy faith falcon fall false fame family famous fan fancy fantasy farm fashion fast fat father fatigue
faucet feature federal fee feed feel female fence fetch fever few fiber fiction field fierce figure file film
filter final find fine finger finish fire firm first fiscal fish fit fitness fix flag flame flash flat flavor
flee flight flip float flock flood flour flower fluid flush flute fly foam focus fog foggy fold follow food foot
force forest forge fork fortune forum forward fossil foster found fox fragile frame freezer fresh fridge fried
fringe frog front frost frozen fruit fry fuel fun funny furnace future gadget gain galaxy gale gallery game gap
garage garbage garden garlic garment garnet gas gasp gate gather gauge gaze gecko general genius genre gentle
genuine gesture giant gift giggle ginger giraffe girl give glacier glad glance glare glass glide glimpse globe
glory glove glow glue goat goddess gold golf gong good goose gorge gorilla gospel gossip govern gown grab grace
grain grand grape grass gravy gray great green grid griffin grill grin grit grocery group grow grunt guard guess
guide guitar gulf gust gym habit hail hair half ham hamlet hammer hamster hand happy harbor hard harp harsh
harvest hat hatchet have hawk hazard head health hear heavy hedge height hello helmet help hen hermit hero
hidden high hiking hill hinge hint hip hippo hire history hit hobby hockey hoe hold hole holiday hollow home
honey hood hop hope horn horse hose host hot hotel hour hover hub huge hum human humble humid humor hundred
hungry hunt hurdle hurry husband hut hybrid ice iceberg icon icy idea idle igloo ignore iguana ill illegal image
imitate immense immune impact impose improve impulse inch include income index indigo indoor infant inform
inhale inherit initial inject inn inner input inquiry insect inside inspire install intact into invent invite
involve iron island isolate issue item ivory jacket jade jaguar jam janitor jar jazz jealous jeans jelly jewel
job jogging join joke jolly journey joy judge judo juice jump jungle junior junk just karate keen keep ketchup
kettle key khaki kick kid kind king kiss kit kitchen kite kitten kiwi knee knife knight knit knock know koala
lab label labor ladder lady lagoon lake lamp lane laptop large late latin laugh laundry lava law lawn lawyer
layer lazy leader leaf lean learn leave lecture left leg legal legend leisure lemon lemur lend length lens
lentil leopard lesson letter level liberty library license life lift light like lilac limb lime limit link lion
liquid list little live lizard llama load lobster local lock lodge logic long look loop loud lounge love loyal
lucky luggage lumber lunar lunch luxury lyrics machine mad magenta magic magnet maid mail main major make mall
mammal manage mandate mango manor mansion manual maple marble march margin marine market maroon marsh mask mason
mass master match math matrix matter maximum mayor maze meadow mean measure meat medal media melon melt member
memory mend mention menu mercy merge merit mermaid merry mesh message metal meteor method middle mild milk mill
mimic mind miner minimum minor minute miracle mirror miss mist mitten mix mixed mixture mobile model modify
molten mom moment monitor monk month moon moose mop moral more morning motel moth motion motor mouse move movie
mow much muddy muffin mug mule muscle museum music must mutual myself mystery myth nail naive name napkin narrow
nation nature navy near nebula neck need neglect neither nephew nest net network neutral never news newt next
nice night ninja noble nod noise nomad nominee noodle noon normal north nose notable note nothing notice novel
now nuclear number nun nurse nut oak oasis oats obey object oblige oboe obscure observe obtain obvious occur
ocean october odor off offer office often oil okay old olive olympic omit once one onion online only onyx opal
open opera opinion oppose option orange orbit orchard order organ orient orphan ostrich other otter outdoor
outer output outside oval oven over owl own owner oxygen oyster ozone pack pact paddle page paint pair palace
palm pancake panda panel pants paper parade parent park parrot party pass pasta patch path patio patrol pattern
pause pave pay payment pea peace peak peanut pear peasant peek pelican pen pencil penguin people pepper perfect
permit person pet phoenix phone photo phrase piano picnic picture pie piece pier pig pigeon pile pilgrim pill
pilot pink pioneer pipe pirate pitch pizza place plain plant plastic plate play plaza please pledge pliers plow
pluck plug plum plunge pocket poem poet point polar pole police pond pony pool popular porch port post potato
potter pour powder power praise predict prefer prepare present pretty prevent price pride priest primary print
private prize problem process produce profit program project promote proof prosper protect proud provide prune
public pudding pull pulp pulse pumpkin pupil puppy purity purple purse push put puzzle pyramid quality quantum
quartz queen quick quiet quit quiz quote rabbit raccoon race racing rack radar radio rail rain raise rake rally
ramp ranch random range rapid rare rat rate rather raven raw razor read real reap reason rebel rebuild recall
receive recipe record recycle red reduce reef reflect reform refuse region regret regular reject relax release
relief rely remain remind remove render renew rent reopen repair repeat replace report require rescue resist
rest result retire retreat return reunion reveal review reward rhino rhythm rib ribbon rice rich riddle ride
ridge right rigid ring ripe ripple rise risk ritual rival river road roam roast robe robin robot robust rock
roll romance roof rookie room rope rose rotate rough round route rowing royal rubber ruby rude rug rugby rule
run runner runway rural saddle safe sail salad salmon salon salt salute same sample samurai sand satisfy sauce
sausage save savory saw say scale scan scarf scatter scene scheme school science scout scrap screw script scrub
sculpt sea seal search season seat second secret section see seed seek segment select sell seminar senator send
senior sense series serve session settle setup seven sew shadow shaft shake shallow share shed sheep shelf
sheriff shield shift shine ship shirt shiver shock shoe shop shore shout shove shrimp shrug shuffle shy sibling
side sight sign silent silk silly silver similar simple since sing sink sip siren sister sit situate six size
skate sketch ski skid skiing skill skin skip skirt sky slab slam slate sleep slender slice slide slight slim
slipper slogan slope slot slow slug slush small smart smile smoke smooth snack snail snake snap sniff snow soap
soar soccer social sock soda sofa soft solar solid solve someone song soon sorry sort soul sound soup sour south
sow space spare spatial spawn speak special speed spell spend sphere spice spider spike spin spirit split spoil
sponge spoon sport spot spray spread spring spy square squeeze squid stable stack stadium staff stage stair
stamp stand star state stay steak steel stem step stereo stick still sting stir stock stomach stone stool store
stove stream string strong study stuff style subject submit subway success such sudden suffer sugar suggest suit
summer sun sunny sunrise sunset super supply supreme sure surface surge survey sustain swallow swamp swan swap
swarm swear sweet swift swim swing switch symbol symptom syrup system table tackle tag tail take talent talk
tall tame tank tap tape target task taste taxi teach teal team teapot tell temple ten tenant tennis tent term
test text thank that theater theme then theory there they thick thin thirsty this thought three thrive throw
thumb thunder tiara ticket tide tie tiger tilt timber time tiny tip tired tissue title toad toast today toddler
toe token tomato tone tongue tonight tool tooth top topaz topic topple torch tornado toss total tourist toward
towel town toy track trade traffic trail trap trash travel tray treat tree trend trial tribe trick trigger trim
trip trophy trouble truck true truly trumpet trust truth try tuba tube tuition tuna tundra tunnel turkey turn
turtle twelve twenty twice twin twist two type typical ukulele unable unaware uncle uncover under undo unfair
unfold unicorn uniform unique unit unknown unload unpack until unusual unveil update upgrade uphold upon upper
upset urban urge usage use used useful usual utility vacant vacuum vague valid valley valve van vanish vapor
various vast vault vehicle velvet vendor venture venue verb verify version very vessel vest veteran viable
vibrant victory video view viking villa vintage violet virtual visa visit visual vital vivid vocal voice void
volcano volume vote voyage waffle wage wagon wait wake walk wall walnut walrus wander want warden warm warrior
wash wasp waste watch water wave way wealth wear weasel weather weave web wedding weekend weigh weird welcome
welder well west wet whale wharf what wheat wheel when where whip whisper white wide width wife wild will win
wind wing wink winner winter wire wisdom wise wish witness wizard wolf woman wonder wood wool word work world
worm worry worth wrap wrench wrestle wrist write wrong yard year yellow yogurt you young youth yoyo yummy zebra
zero zipper zone zoo
`;

/** The words in index order (index = the 11-bit value a word encodes). */
export const RECOVERY_WORDLIST: readonly string[] = Object.freeze(WORDS_TEXT.trim().split(/\s+/));
