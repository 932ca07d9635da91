/**
 * Names that are the same name to a person, but not to a computer: nicknames (Bob ↔ Robert) and
 * other spellings of names written in other alphabets (Mohammed ↔ Muhammad). Used to expand a typed
 * name when looking for people, and to explain a match ("Bob is a short form of Robert").
 *
 * Each group is a set of interchangeable names, all normalised (lower case, a–z only). A name may be in
 * several groups (Alex is short for Alexander and for Alexandra). Keep groups small and certain: a
 * wrong equivalence makes the wrong child look like a match.
 */

export const NICKNAME_GROUPS: readonly (readonly string[])[] = [
  ['robert', 'rob', 'robbie', 'bob', 'bobby', 'bert', 'robin'],
  [
    'elizabeth',
    'elisabeth',
    'liz',
    'lizzie',
    'lizzy',
    'beth',
    'betty',
    'bette',
    'eliza',
    'libby',
    'elsie',
    'lisa',
    'betsy',
  ],
  ['alexander', 'alex', 'alec', 'alexandr', 'sasha', 'sandy', 'xander', 'lex'],
  ['alexandra', 'alex', 'alexa', 'lexi', 'lexie', 'sasha', 'sandra', 'sandy'],
  ['william', 'will', 'bill', 'billy', 'willie', 'liam', 'wills'],
  ['margaret', 'maggie', 'meg', 'megan', 'peggy', 'marge', 'margie', 'greta', 'daisy'],
  ['katherine', 'catherine', 'kathryn', 'kate', 'katie', 'kathy', 'cathy', 'kat', 'kitty', 'katy'],
  ['james', 'jim', 'jimmy', 'jamie', 'jimbo'],
  ['john', 'jack', 'johnny', 'jon', 'jonny'],
  ['jonathan', 'jon', 'jonny', 'johnny', 'nathan'],
  ['michael', 'mike', 'mikey', 'mick', 'mickey', 'micky'],
  ['richard', 'rich', 'richie', 'rick', 'ricky', 'dick'],
  ['thomas', 'tom', 'tommy', 'thom'],
  ['christopher', 'chris', 'kit', 'topher'],
  ['christina', 'christine', 'chris', 'chrissie', 'tina', 'kirsty'],
  ['joseph', 'joe', 'joey', 'jo'],
  ['josephine', 'jo', 'josie', 'jose'],
  ['daniel', 'dan', 'danny'],
  ['danielle', 'dani', 'ellie'],
  ['matthew', 'matt', 'matty'],
  ['anthony', 'tony', 'ant', 'anton'],
  ['edward', 'ed', 'eddie', 'ted', 'teddy', 'ned'],
  ['benjamin', 'ben', 'benji', 'benny'],
  ['samuel', 'sam', 'sammy'],
  ['samantha', 'sam', 'sammy', 'sammie'],
  ['charles', 'charlie', 'chas', 'chuck', 'chaz'],
  ['charlotte', 'charlie', 'lottie', 'lotte'],
  ['nicholas', 'nick', 'nicky', 'nico'],
  ['nicola', 'nicki', 'nikki', 'nicky'],
  ['henry', 'harry', 'hal', 'hank'],
  ['harrison', 'harry'],
  ['frederick', 'fred', 'freddie', 'freddy'],
  ['patrick', 'pat', 'paddy'],
  ['patricia', 'pat', 'patty', 'trish', 'tricia'],
  ['stephen', 'steven', 'steve', 'stevie'],
  ['andrew', 'andy', 'drew'],
  ['david', 'dave', 'davey', 'davy'],
  ['peter', 'pete'],
  ['timothy', 'tim', 'timmy'],
  ['zachary', 'zach', 'zack', 'zak'],
  ['oliver', 'ollie', 'olly'],
  ['olivia', 'liv', 'livvy', 'ollie'],
  ['isabella', 'isabel', 'isobel', 'izzy', 'bella', 'issy'],
  ['victoria', 'vicky', 'vikki', 'tori'],
  ['rebecca', 'becky', 'becca'],
  ['jennifer', 'jen', 'jenny', 'jenni'],
  ['deborah', 'debbie', 'debra', 'deb'],
  ['susan', 'sue', 'susie', 'suzy'],
  ['abigail', 'abby', 'abbie', 'gail'],
  ['gabriel', 'gabe'],
  ['gabriella', 'gabby', 'gabi', 'ella'],
  ['eleanor', 'ellie', 'nell', 'nora', 'elly'],
  ['amelia', 'millie', 'amy', 'mia'],
  ['emily', 'em', 'emmy', 'millie'],
  ['evelyn', 'evie', 'eve'],
  ['florence', 'flo', 'florrie'],
  ['theodore', 'theo', 'ted', 'teddy'],
  ['leonardo', 'leo'],
  ['leon', 'leo'],
  ['mohammed', 'mo', 'moe'],
  ['dmitri', 'dmitry', 'dima'],
  ['ekaterina', 'katya', 'katerina'],
  ['anastasia', 'nastya', 'stacey', 'stacy'],
  ['mikhail', 'misha'],
  ['vladimir', 'vova', 'volodymyr'],
  ['jacqueline', 'jackie'],
  ['francis', 'frank', 'frankie'],
  ['frances', 'fran', 'frankie'],
  ['kenneth', 'ken', 'kenny'],
  ['ronald', 'ron', 'ronnie'],
  ['donald', 'don', 'donny'],
  ['lawrence', 'laurence', 'larry', 'laurie'],
  ['raymond', 'ray'],
  ['terence', 'terry'],
  ['gerald', 'gerry', 'jerry'],
  ['jessica', 'jess', 'jessie'],
  ['natalie', 'nat', 'tally'],
  ['maximilian', 'max'],
  ['maxwell', 'max'],
  ['reginald', 'reg', 'reggie'],
  ['archibald', 'archie'],
  ['alfred', 'alf', 'alfie', 'fred'],
  ['louis', 'lou', 'louie'],
  ['louise', 'lou', 'lulu'],
];

/** Spellings of one name across alphabets (transliteration) and common English spellings of it. */
export const SPELLING_GROUPS: readonly (readonly string[])[] = [
  [
    'mohammed',
    'muhammad',
    'mohamed',
    'mohammad',
    'muhammed',
    'mohamad',
    'mohamud',
    'muhamed',
    'mohd',
    'mehmet',
    'mahomed',
  ],
  ['ahmed', 'ahmad', 'ahmet', 'ahmmed'],
  ['mustafa', 'mostafa', 'moustafa', 'mustapha'],
  ['yusuf', 'yousef', 'youssef', 'yusef', 'yousuf', 'yosef'],
  ['ibrahim', 'ebrahim', 'ibraheem'],
  ['hussein', 'hussain', 'husain', 'husayn', 'hosein'],
  ['hassan', 'hasan'],
  ['abdullah', 'abdallah', 'abdulla'],
  ['abdul', 'abdel', 'abdal'],
  ['ali', 'aly'],
  ['omar', 'umar', 'omer'],
  ['osman', 'othman', 'uthman', 'usman'],
  ['khalid', 'khaled'],
  ['mahmoud', 'mahmood', 'mahmud'],
  ['aisha', 'ayesha', 'aysha', 'aishah', 'ayisha'],
  ['fatima', 'fatimah', 'fatma', 'fathima'],
  ['maryam', 'mariam', 'miriam', 'maryum'],
  ['zainab', 'zaynab', 'zeinab'],
  ['khadija', 'khadijah', 'kadija'],
  ['nur', 'noor', 'nour'],
  ['yasmin', 'yasmine', 'jasmin', 'jasmine'],
  ['leila', 'layla', 'laila', 'leyla', 'lailah'],
  ['sara', 'sarah'],
  ['hannah', 'hana', 'hanna'],
  ['muhammadu', 'muhammad'],
  ['chowdhury', 'choudhury', 'chaudhry', 'chaudhary', 'choudhry'],
  ['rahman', 'rehman'],
  ['begum', 'begun'],
  ['mohammadi', 'mohamadi'],
  ['alexander', 'aleksander', 'aleksandr', 'alexandr', 'oleksandr', 'alexandre', 'alejandro', 'alessandro'],
  ['sergei', 'sergey', 'serhiy', 'serghei'],
  ['andrei', 'andrey', 'andrii', 'andriy'],
  ['yuri', 'yury', 'iurii', 'yurii'],
  ['olga', 'olha'],
  ['natalia', 'natalya', 'nataliya'],
  ['tatiana', 'tatyana', 'tetiana'],
  ['elena', 'yelena', 'olena', 'helena'],
  ['mikhail', 'mykhailo', 'michail'],
  ['volodymyr', 'vladimir', 'wladimir'],
  ['maksym', 'maxim', 'maksim'],
  ['oleg', 'oleh'],
  ['kowalski', 'kovalsky', 'kowalsky'],
  ['wojciech', 'voytek', 'wojtek'],
  ['jakub', 'yakub', 'jacob', 'jakob'],
  ['krzysztof', 'kristof', 'christoph'],
  ['zhang', 'chang'],
  ['xiao', 'hsiao'],
  ['chen', 'chan'],
  ['singh', 'sing'],
  ['kaur', 'kour'],
  ['gurpreet', 'gurprit'],
  ['sean', 'shaun', 'shawn'],
  ['siobhan', 'shivaun', 'shevaun'],
  ['niamh', 'neve', 'neave'],
  ['aoife', 'eefa', 'eva'],
  ['catriona', 'katrina', 'catrina'],
  ['stephen', 'stephan', 'stefan'],
  ['philip', 'phillip', 'filip'],
  ['jayden', 'jaden', 'jaiden', 'jaydon', 'jaeden'],
  ['aiden', 'aidan', 'ayden', 'aden'],
  ['kayden', 'kaden', 'caden', 'kaiden'],
  ['isaac', 'isaak', 'izaak', 'izaac'],
  ['zoe', 'zoey', 'zoie', 'zoee'],
  ['chloe', 'chloey'],
  ['sophie', 'sofie', 'sophia', 'sofia'],
  ['lily', 'lilly', 'lillie'],
  ['grace', 'gracie'],
  ['mia', 'miya', 'mya'],
  ['ellie', 'elly', 'ella'],
  ['kieran', 'ciaran', 'kieron'],
  ['connor', 'conor', 'conner'],
  ['ryan', 'rian'],
  ['rhys', 'reece', 'reese', 'rees'],
  ['tyler', 'tylor'],
];

function buildIndex(groups: readonly (readonly string[])[]): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  for (const group of groups) {
    for (const name of group) {
      const set = index.get(name) ?? new Set<string>();
      for (const other of group) if (other !== name) set.add(other);
      index.set(name, set);
    }
  }
  return index;
}

const nicknameIndex = buildIndex(NICKNAME_GROUPS);
const spellingIndex = buildIndex(SPELLING_GROUPS);

/** Other forms of a (normalised) name token: nicknames and formal names. */
export function nicknamesOf(token: string): ReadonlySet<string> {
  return nicknameIndex.get(token) ?? new Set();
}

/** Other spellings of a (normalised) name token, e.g. transliterations. */
export function spellingsOf(token: string): ReadonlySet<string> {
  return spellingIndex.get(token) ?? new Set();
}

export type VariantKind = 'nickname' | 'spelling';

/** How two normalised name tokens are related by the lists above, if they are. */
export function variantKind(a: string, b: string): VariantKind | null {
  if (spellingIndex.get(a)?.has(b)) return 'spelling';
  if (nicknameIndex.get(a)?.has(b)) return 'nickname';
  return null;
}

/** Every listed variant of a token (both kinds), for expanding a search. */
export function variantsOf(token: string): string[] {
  return [...new Set([...nicknamesOf(token), ...spellingsOf(token)])];
}
